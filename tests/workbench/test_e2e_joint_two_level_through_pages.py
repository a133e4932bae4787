"""End to end in headless Chromium, for each join policy: a joint item with two-level approval
(审查 by a reviewer, 审核/审批 by an approver) goes from the front desk's acceptance to the licence
through the workbench pages alone, every officer in their own browser; no service or API call
after the applicant submitted.

In each department the task reaches the reviewer (the head reassigns it to them, or they claim
it); the reviewer starts it and hands it over to the department's approver with a proposal (agree
and an opinion); the approver opens the task, sees the proposal and signs it off. Under 'lead
decides' the lead's approver instead decides the case on the lead's task, which the page refuses,
with the reason, until every co-department's opinion is in. The lead department then issues the
licence on the case page. Each department's task log shows the hand-over and the sign-off."""

import pytest
from django.utils import translation

from approvals.cases import commands
from approvals.models import State
from approvals.parallel.models import TaskLog, TaskState
from tests.browser import screenshot, serious_accessibility_violations, workbench_login
from tests.parallel.conftest import build_joint_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPINIONS = {"市场监管局": "经营场所符合要求", "消防救援支队": "消防设施符合要求", "生态环境局": "排污设施符合要求"}


def open_task(page, live_server, task):
    """From the department's task list to the task page."""
    page.goto(f"{live_server.url}/workbench/tasks/")
    page.click(f"a[href='/workbench/tasks/{task.pk}/']")
    page.wait_for_selector("#task-state")


def submit(page, button):
    """Click a command's button and wait for the page it redirects to (its success message)."""
    with page.expect_navigation():
        page.click(button)
    page.wait_for_selector(".messages .success")


def page_language(page) -> str:
    return page.get_attribute("html", "lang") or "en"


def state_of(obj):
    obj.refresh_from_db()
    return obj.state


@pytest.mark.parametrize("policy", ["all_agree", "lead_decides", "independent"])
def test_joint_two_level_case_from_acceptance_to_licence_through_the_pages(
    live_server, browser_page, fresh_page, on_day, policy
):
    joint = build_joint_world(policy, two_level_approval=True)
    case = joint.submitted()
    lead = joint.lead
    lead_decides = policy == "lead_decides"

    # The front desk accepts on the case page: one intake opens a task for every department.
    desk = browser_page
    workbench_login(desk, live_server, joint.front_desk)
    desk.goto(f"{live_server.url}/workbench/cases/{case.case_no}/")
    submit(desk, "#btn-accept")
    assert state_of(case) == State.ACCEPTED
    lang = page_language(desk)

    approver_pages = {}
    for n, dept in enumerate(joint.depts):
        task = joint.task(case, dept)
        assert task.state == TaskState.PENDING
        opinion = OPINIONS[dept.name]

        # The task reaches the reviewer: the head reassigns it (lead, second co-department) or
        # the reviewer claims it (first co-department).
        reviewer = fresh_page()
        workbench_login(reviewer, live_server, dept.reviewer)
        open_task(reviewer, live_server, task)
        if n == 1:
            assert reviewer.locator("#btn-reassign").count() == 0  # the head's command only
            submit(reviewer, "#btn-claim")
        else:
            head = fresh_page()
            workbench_login(head, live_server, dept.head)
            open_task(head, live_server, task)
            head.select_option("#reassign-to", str(dept.reviewer.pk))
            submit(head, "#btn-reassign")
            assert dept.reviewer.username in head.inner_text("#task-assignee")
            reviewer.reload()
        assert state_of(task) == TaskState.CLAIMED and task.assignee == dept.reviewer

        # The reviewer starts, may not finish alone (the reason is shown), and hands over.
        submit(reviewer, "#btn-start")
        assert state_of(task) == TaskState.IN_REVIEW
        refused = "#refused-decide" if dept is lead and lead_decides else "#refused-agree"
        assert reviewer.locator(refused).is_visible()
        assert reviewer.locator("#btn-agree").count() == 0 and reviewer.locator("#btn-sign-off").count() == 0
        if n == 0:
            assert serious_accessibility_violations(reviewer) == [], "task page with the hand-over form"
            screenshot(reviewer, f"workbench-joint-hand-over-{policy}")
        reviewer.select_option("#hand-over-to", str(dept.approver.pk))
        reviewer.select_option("#hand-over-outcome", "agree")
        reviewer.fill("#hand-over-opinion", opinion)
        submit(reviewer, "#btn-hand-over")
        task.refresh_from_db()
        assert (task.state, task.assignee, task.reviewed_by) == (TaskState.IN_REVIEW, dept.approver, dept.reviewer)
        assert task.proposal["outcome"] == "agree"
        assert reviewer.locator("#btn-hand-over").count() == 0  # now waiting for the approver

        # The approver opens the task and sees the proposal.
        approver = fresh_page()
        approver_pages[dept.name] = approver
        workbench_login(approver, live_server, dept.approver)
        open_task(approver, live_server, task)
        proposal = approver.inner_text("#proposal")
        assert opinion in proposal and dept.reviewer.username in proposal
        if dept is lead and lead_decides:
            # The lead decides, not signs off; and only once every co-department's opinion is in.
            assert approver.locator("#btn-sign-off").count() == 0 and approver.locator("#btn-decide").count() == 0
            waiting = approver.inner_text("#refused-decide")
            assert all(co.name in waiting for co in joint.cos), waiting
            continue
        if n == 0:
            assert serious_accessibility_violations(approver) == [], "task page with the sign-off form"
        submit(approver, "#btn-sign-off")
        assert state_of(task) == TaskState.AGREED
        assert task.finished_by == dept.approver and task.opinion == opinion

    if lead_decides:
        # Every co-department has signed off its opinion: the lead's approver decides on its task.
        assert state_of(case) == State.IN_REVIEW
        approver = approver_pages[lead.name]
        approver.reload()
        assert approver.locator("#refused-decide").count() == 0
        assert serious_accessibility_violations(approver) == [], "the lead's task page with the decision form"
        approver.check("input[name=approve][value=approve]")
        approver.fill("#decide-conditions", "按核定项目经营。")
        submit(approver, "#btn-decide")
        assert state_of(joint.task(case, lead)) == TaskState.AGREED

    case.refresh_from_db()
    assert case.state == State.APPROVED

    # The lead department issues the licence on the case page; the badge shows it.
    issuer = approver_pages[lead.name]
    issuer.goto(f"{live_server.url}/workbench/cases/{case.case_no}/")
    submit(issuer, "#btn-issue-licence")
    with translation.override(lang):
        issued = str(State.ISSUED.label)
    assert issuer.inner_text("#case-state").strip() == issued
    assert state_of(case) == State.ISSUED
    assert serious_accessibility_violations(issuer) == [], "case page after the licence"
    screenshot(issuer, f"workbench-joint-two-level-issued-{policy}")

    # Every department's task log: the task reached the reviewer, who started it and handed it
    # over; the approver signed it off (the lead's approver decided, under 'lead decides').
    for n, dept in enumerate(joint.depts):
        task = joint.task(case, dept)
        log = list(TaskLog.objects.filter(task=task).order_by("at", "pk").values_list("command", "actor_id"))
        finish = "decide" if dept is lead and lead_decides else "agree"
        reached = ("claim", dept.reviewer.pk) if n == 1 else ("reassign", dept.head.pk)
        assert log == [reached, ("start", dept.reviewer.pk), ("hand_over", dept.reviewer.pk),
                       (finish, dept.approver.pk)], (dept.name, log)
        page = approver_pages[dept.name]
        page.goto(f"{live_server.url}/workbench/tasks/{task.pk}/")
        entries = page.locator("main section.card:last-of-type > ol > li").all_inner_texts()  # the task log
        with translation.override(lang):
            hand_over = str(commands.label("hand_over", commands.TASK))
            signed = str(commands.label(finish, commands.TASK))
        assert hand_over in entries[2] and dept.reviewer.username in entries[2], entries
        assert signed in entries[3] and dept.approver.username in entries[3], entries
