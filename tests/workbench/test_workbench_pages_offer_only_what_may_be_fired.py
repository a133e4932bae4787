"""The workbench offers an officer exactly the commands they may fire now, and a refused command
says why next to the commands.

For a set of officers, each on a case or a department task in a given state, every command form on
the page is submitted with the values the page itself fills in (each in a savepoint, rolled back
after): none may answer 403 (the page offered a command the officer may not fire) or 409 (one the
state does not allow), and a 400 names an input of that form. A command forced past the page (not
offered) re-renders the page with its status and the reason beside the commands, never a bare
403 page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client

from approvals.cases import services
from approvals.models import State
from approvals.parallel import services as parallel
from approvals.parallel.models import TaskState
from tests.approvals.conftest import pdf
from tests.parallel.conftest import build_joint_world

COMMAND_ACTION = re.compile(r"^/workbench/(cases/[^/]+/act|tasks/\d+)/[a-z_]+/$")


class _Forms(HTMLParser):
    """The command forms of a page: action, submit button id, and the values the page fills in
    (checked radios and boxes, selected or first options, text and text areas)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = self._select = self._textarea = None

    def _put(self, name, value):
        self._form["data"].setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "data": {}, "button": None, "inputs": set()}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "button" and a.get("type", "submit") == "submit":
            self._form["button"] = a.get("id")
        elif tag == "input" and name and name != "csrfmiddlewaretoken":
            self._form["inputs"].add(name)
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self._put(name, a.get("value", "on"))
            else:
                self._put(name, a.get("value", ""))
        elif tag == "select" and name:
            self._form["inputs"].add(name)
            self._select = {"name": name, "first": None, "selected": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["selected"] = value
        elif tag == "textarea" and name:
            self._form["inputs"].add(name)
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            s = self._select
            value = s["selected"] if s["selected"] is not None else s["first"]
            if value is not None:
                self._put(s["name"], value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._put(self._textarea["name"], self._textarea["text"])
            self._textarea = None


def command_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return [f for f in parser.forms if COMMAND_ACTION.match(f["action"])]


def input_name(field: str) -> str:
    """The form input an error key belongs to (``problems.0`` → ``problems``, the checklist rows)."""
    return field.split(".")[0]


def error_fields(html: str) -> set[str]:
    return set(re.findall(r'class="errorlist"[^>]*data-field="([^"]+)"', html))


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def fire_every_offered_command(user, url: str) -> dict[str, int]:
    """GET ``url`` as ``user``, then POST every command form with the page's own values, each in a
    savepoint rolled back afterwards; the status of each, by its button id."""
    c = client(user)
    page = c.get(url)
    assert page.status_code == 200, url
    html = page.content.decode()
    assert "{#" not in html and "{%" not in html  # no template syntax leaks into the page
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})  # each form its own inputs
    results = {}
    for form in command_forms(html):
        point = transaction.savepoint()
        try:
            response = c.post(form["action"], form["data"])
        finally:
            transaction.savepoint_rollback(point)
        status = response.status_code
        results[form["button"]] = status
        assert status not in (403, 409), (
            f"{url} offers {form['button']} to {user.username}, which answers {status}: "
            f"{re.findall(r'role=.alert.[^>]*>(.*?)</ul>', response.content.decode(), re.S)}"
        )
        if status == 400:
            # Only an input of this form may be missing or wrong with the page's own values.
            fields = {input_name(f) for f in error_fields(response.content.decode())}
            names = {input_name(n) for n in form["inputs"]} | {"problems", "requests"}
            assert fields and fields <= names, (url, form["button"], fields)
        else:
            assert status == 302, (url, form["button"], status)
    return results


def refused_ids(html: str) -> set[str]:
    return set(re.findall(r'<li id="refused-([a-z-]+)"', html))


# --- single-department cases --------------------------------------------------------------------


def test_single_department_pages_offer_only_what_each_officer_may_fire(world, on_day):
    submitted = world.submitted()
    accepted = world.accepted()
    in_review = world.in_review()
    services.request_extension(in_review.pk, officer=world.reviewer, days=5, reason="情况复杂")
    approved = world.in_review()
    services.decide(approved.pk, officer=world.approver, approve=True, conditions="按核定项目经营。")
    issued = world.in_review()
    services.decide(issued.pk, officer=world.approver, approve=True)
    services.issue_licence(issued.pk, officer=world.reviewer)

    def url(case):
        return f"/workbench/cases/{case.case_no}/"

    offered = {
        ("front_desk", "submitted"): fire_every_offered_command(world.front_desk, url(submitted)),
        ("reviewer", "accepted"): fire_every_offered_command(world.reviewer, url(accepted)),
        ("head", "accepted"): fire_every_offered_command(world.head, url(accepted)),
        ("reviewer", "in_review"): fire_every_offered_command(world.reviewer, url(in_review)),
        ("approver", "in_review"): fire_every_offered_command(world.approver, url(in_review)),
        ("head", "in_review"): fire_every_offered_command(world.head, url(in_review)),
        ("reviewer", "approved"): fire_every_offered_command(world.reviewer, url(approved)),
        ("front_desk", "issued"): fire_every_offered_command(world.front_desk, url(issued)),
    }
    # The commands each officer is offered follow their job and the case's state.
    assert {"btn-accept", "btn-request-correction", "btn-not-accept"} <= set(offered["front_desk", "submitted"])
    assert "btn-start-review" in offered["reviewer", "accepted"]
    assert "btn-decide" not in offered["reviewer", "in_review"]  # only approvers and heads sign
    assert "btn-decide" in offered["approver", "in_review"]
    assert "btn-approve-extension" in offered["head", "in_review"]
    assert "btn-approve-extension" not in offered["reviewer", "in_review"]
    assert "btn-issue-licence" in offered["reviewer", "approved"]
    assert set(offered["front_desk", "issued"]) >= {"btn-deliver"}
    assert not any(b in offered["front_desk", "issued"] for b in ("btn-decide", "btn-issue-licence", "btn-accept"))


def test_a_command_forced_past_the_page_shows_its_reason_on_the_page(world, on_day):
    case = world.in_review()
    services.request_extension(case.pk, officer=world.reviewer, days=5, reason="情况复杂")
    c = client(world.reviewer)
    page = c.get(f"/workbench/cases/{case.case_no}/").content.decode()
    assert "/act/approve_extension/" not in page
    # A reviewer forces the head's approval of the extension: the case page, 403, the reason there.
    response = c.post(f"/workbench/cases/{case.case_no}/act/approve_extension/", {"note": ""})
    html = response.content.decode()
    assert response.status_code == 403
    assert 'id="case-state"' in html and 'id="failed-approve_extension"' in html
    assert re.search(r'data-field="__all__"><li>[^<]*may be done only by: Department head', html)

    # A second correction notice at one intake: refused on the page with its reason, and forced.
    intake = world.submitted()
    services.request_correction(intake.pk, officer=world.front_desk, problems=[
        {"material_code": "M01", "reason": "复印件不清晰", "expected": "清晰复印件"}])
    services.attach_material(intake.pk, user=world.applicant, requirement_code="M01", upload=pdf())
    services.resubmit(intake.pk, user=world.applicant)
    desk = client(world.front_desk)
    page = desk.get(f"/workbench/cases/{intake.case_no}/").content.decode()
    assert "refused-request-correction" in page and "/act/request_correction/" not in page
    assert "a second one is not allowed" in re.search(r'id="refused-request-correction">(.*?)</li>', page, re.S).group(1)
    response = desk.post(f"/workbench/cases/{intake.case_no}/act/request_correction/", {
        "verdict_M01": "defective", "reason_M01": "仍不清晰", "expected_M01": "清晰复印件"})
    html = response.content.decode()
    assert response.status_code in (400, 403, 409)
    assert 'id="case-state"' in html and 'id="failed-request_correction"' in html
    assert 'data-field="problems"' in html
    intake.refresh_from_db()
    assert intake.state == State.SUBMITTED


# --- department tasks of a joint item with two-level approval -----------------------------------


@pytest.fixture
def two_level(db, on_day):
    return build_joint_world("lead_decides", two_level_approval=True)


def test_task_pages_offer_only_what_each_officer_may_fire(two_level):
    w = two_level
    case = w.accepted()
    co, lead = w.cos[0], w.lead

    def url(task):
        return f"/workbench/tasks/{task.pk}/"

    task = w.task(case, co)
    pending_head = fire_every_offered_command(co.head, url(task))
    pending_reviewer = fire_every_offered_command(co.reviewer, url(task))
    assert {"btn-claim", "btn-reassign"} <= set(pending_head)
    assert "btn-reassign" not in pending_reviewer and "btn-claim" in pending_reviewer

    parallel.reassign(task.pk, head=co.head, to=co.reviewer)
    claimed = fire_every_offered_command(co.reviewer, url(task))
    assert "btn-start" in claimed and "btn-claim" not in claimed
    assert "btn-start" not in fire_every_offered_command(co.approver, url(task))  # not theirs

    parallel.start(task.pk, officer=co.reviewer)
    reviewing = fire_every_offered_command(co.reviewer, url(task))
    assert "btn-hand-over" in reviewing
    assert not {"btn-agree", "btn-disagree", "btn-sign-off"} & set(reviewing)  # two-level: not alone

    parallel.hand_over(task.pk, officer=co.reviewer, to=co.approver, outcome="agree", opinion="符合要求")
    signing = fire_every_offered_command(co.approver, url(task))
    assert "btn-sign-off" in signing and "btn-hand-over" not in signing
    assert not fire_every_offered_command(co.reviewer, url(task))  # waiting for the approver

    # The lead department under 'lead decides': the approver decides, after every opinion is in.
    lead_task = w.task(case, lead)
    parallel.claim(lead_task.pk, officer=lead.reviewer)
    parallel.start(lead_task.pk, officer=lead.reviewer)
    parallel.hand_over(lead_task.pk, officer=lead.reviewer, to=lead.approver, outcome="agree", opinion="拟准予")
    lead_signing = fire_every_offered_command(lead.approver, url(lead_task))
    assert "btn-sign-off" not in lead_signing  # the lead decides, it does not sign off an opinion
    assert "btn-decide" not in lead_signing  # a co-department's opinion is still missing
    html = client(lead.approver).get(url(lead_task)).content.decode()
    assert {"decide", "sign-off", "agree"} <= refused_ids(html)
    assert w.cos[1].name in re.search(r'id="refused-decide">(.*?)</li>', html, re.S).group(1)

    # The lead's case page offers no case decision for a joint item, and says why.
    html = client(lead.approver).get(f"/workbench/cases/{case.case_no}/").content.decode()
    assert "/act/decide/" not in html and "refused-decide" in html
    fire_every_offered_command(lead.approver, f"/workbench/cases/{case.case_no}/")
    # A co-department's officer sees the case but none of its case commands.
    assert not fire_every_offered_command(co.reviewer, f"/workbench/cases/{case.case_no}/")


def test_a_task_command_forced_past_the_page_shows_its_reason(two_level):
    w = two_level
    case = w.accepted()
    co = w.cos[0]
    task = w.task(case, co)
    parallel.claim(task.pk, officer=co.reviewer)
    # Another officer claims the task the reviewer holds: 409 on the task page, with the reason.
    response = client(co.approver).post(f"/workbench/tasks/{task.pk}/claim/")
    html = response.content.decode()
    assert response.status_code == 409
    assert 'id="task-state"' in html and 'id="failed-claim"' in html and 'data-field="__all__"' in html
    # A reviewer agrees alone on a two-level item: 403 on the task page, the reason beside it.
    parallel.start(task.pk, officer=co.reviewer)
    page = client(co.reviewer).get(f"/workbench/tasks/{task.pk}/").content.decode()
    assert "/agree/" not in page and 'id="refused-agree"' in page
    response = client(co.reviewer).post(f"/workbench/tasks/{task.pk}/agree/", {"opinion": "同意"})
    html = response.content.decode()
    assert response.status_code == 403
    assert 'id="task-state"' in html
    assert re.search(r'data-field="__all__"><li>Two-level approval: hand the task over', html)
    # A reviewer reassigns: only the head may (403 on the page, naming who may).
    response = client(co.reviewer).post(f"/workbench/tasks/{task.pk}/reassign/", {"to": str(co.approver.pk)})
    html = response.content.decode()
    assert response.status_code == 403 and 'id="failed-reassign"' in html
    assert "may be done only by: Department head" in html
    task.refresh_from_db()
    assert task.state == TaskState.IN_REVIEW and task.assignee == co.reviewer
