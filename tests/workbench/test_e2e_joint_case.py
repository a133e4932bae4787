"""End to end in headless Chromium, a joint item (并联审批, all must agree): the front desk accepts
on the workbench; three department officers, each in their own browser, claim, start and agree
their task (one with conditions); the last agreement fires the join, the decision carries the
condition; the lead department issues the licence and records the delivery. The applicant's
in-app messages list the acceptance, the decision and the licence, and the PDFs carry the case
number, document number and verification code. The task page passes the axe check."""

import subprocess

import pytest

from approvals.documents.models import OfficialDocument
from approvals.models import State
from approvals.notifications.models import Notification
from tests.browser import screenshot, serious_accessibility_violations, workbench_login
from tests.parallel.conftest import build_joint_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def joint(on_day, settings):
    settings.CASE_DOCUMENTS_RENDER_ON_COMMIT = True
    return build_joint_world("all_agree")


def state_of(case):
    case.refresh_from_db()
    return case.state


def pdf_text(document):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", document.pdf.path, "-"], capture_output=True, text=True,
                          check=True).stdout


def test_three_departments_agree_on_a_joint_case_through_the_workbench(live_server, browser_page, fresh_page, joint):
    case = joint.submitted()
    lead, fire, env = joint.depts

    # The front desk accepts: one intake for every department.
    page = browser_page
    workbench_login(page, live_server, joint.front_desk)
    page.goto(f"{live_server.url}/workbench/intake/")
    page.click(f"text={case.case_no}")
    page.click("#btn-accept")
    page.wait_for_selector(".messages .success")
    assert state_of(case) == State.ACCEPTED

    # Each department's officer, in their own browser: claim, start, give the opinion.
    opinions = [
        (lead, "#btn-agree", {"#agree-opinion": "经营场所符合要求"}),
        (fire, "#btn-agree-with-conditions",
         {"#agree-with-conditions-opinion": "消防设施基本符合",
          "#agree-with-conditions-conditions": "开业前通过消防验收"}),
        (env, "#btn-agree", {"#agree-opinion": "排污设施符合要求"}),
    ]
    for n, (dept, button, fields) in enumerate(opinions, start=1):
        officer_page = fresh_page()
        workbench_login(officer_page, live_server, dept.reviewer)
        officer_page.goto(f"{live_server.url}/workbench/tasks/")
        task = joint.task(case, dept)
        assert case.case_no in officer_page.inner_text("table")
        officer_page.click(f"a[href='/workbench/tasks/{task.pk}/']")
        officer_page.click("#btn-claim")
        officer_page.wait_for_selector("#btn-start")
        officer_page.click("#btn-start")
        officer_page.wait_for_selector("#btn-agree")
        if n == 1:
            assert serious_accessibility_violations(officer_page) == [], "task page"
            screenshot(officer_page, "workbench-joint-task")
        for selector, text in fields.items():
            officer_page.fill(selector, text)
        officer_page.click(button)
        # The page after "start" shows a success message too: wait for the opinion form to go.
        officer_page.wait_for_selector("#btn-agree", state="detached")
        officer_page.wait_for_selector(".messages .success")
        task.refresh_from_db()
        assert task.state == ("agreed_with_conditions" if dept is fire else "agreed")
        # All must agree: the case waits until the last department has agreed.
        assert state_of(case) == (State.APPROVED if n == len(opinions) else State.IN_REVIEW)

    case.refresh_from_db()
    assert "消防救援支队：开业前通过消防验收" in case.conditions

    # The lead department issues the licence and records its delivery.
    lead_page = fresh_page()
    workbench_login(lead_page, live_server, lead.approver)
    lead_page.goto(f"{live_server.url}/workbench/cases/{case.case_no}/")
    assert "开业前通过消防验收" in lead_page.inner_text("#h-tasks + table")
    lead_page.click("#btn-issue-licence")
    lead_page.wait_for_selector("#btn-deliver")
    lead_page.select_option("#deliver-method", "window")
    lead_page.click("#btn-deliver")
    lead_page.wait_for_selector("#btn-deliver", state="detached")  # (the issue page had a success message)
    lead_page.wait_for_selector(".messages .success")
    assert state_of(case) == State.DELIVERED
    assert serious_accessibility_violations(lead_page) == [], "case page"
    screenshot(lead_page, "workbench-joint-case-delivered")

    # The applicant's in-app messages, read through the API in the applicant's own browser.
    applicant_page = fresh_page()
    applicant_page.goto(f"{live_server.url}/accounts/login/")
    applicant_page.fill("#id_username", joint.applicant.username)
    applicant_page.fill("#id_password", "pw")
    applicant_page.click("main button[type=submit]")
    applicant_page.wait_for_url("**/my/cases/")
    inbox = applicant_page.request.get(f"{live_server.url}/api/v1/notifications/")
    assert inbox.ok
    listed = {m["event"]: m for m in inbox.json()["results"]}
    assert {"case_accepted", "case_approved", "licence_issued"} <= set(listed)
    assert all(case.case_no in listed[e]["subject"] for e in ("case_accepted", "case_approved", "licence_issued"))
    events = list(Notification.objects.filter(recipient=joint.applicant, channel="in_app")
                  .order_by("created_at", "pk").values_list("event", flat=True))
    assert events == ["case_submitted", "case_accepted", "case_status_changed", "case_approved", "licence_issued",
                      "case_status_changed"]
    # Each department officer was told of the task once; none of them was told of a cancellation.
    for dept in joint.depts:
        assert Notification.objects.filter(recipient=dept.reviewer, event="task_assigned").count() == 1
    assert not Notification.objects.filter(event="task_cancelled").exists()

    # The PDFs: rendered after commit, each carrying the case number, its number and its code.
    docs = {d.kind: d for d in OfficialDocument.objects.filter(case=case)}
    assert set(docs) == {"acceptance_receipt", "approval_decision", "licence"}
    for document in docs.values():
        assert len(document.sha256) == 64
        text = pdf_text(document)
        assert case.case_no in text and document.number in text and document.verification_code in text
    assert "开业前通过消防验收" in pdf_text(docs["approval_decision"])
    assert "开业前通过消防验收" in pdf_text(docs["licence"])
    # The case API lists them for the applicant, and the licence downloads from it.
    detail = applicant_page.request.get(f"{live_server.url}/api/v1/cases/{case.case_no}/").json()
    listed_docs = {d["kind"]: d for d in detail["documents"]}
    assert listed_docs["licence"]["number"] == docs["licence"].number
    download = applicant_page.request.get(listed_docs["licence"]["download_url"])
    assert download.ok and download.body().startswith(b"%PDF-")
    applicant_page.goto(f"{live_server.url}/verify/{docs['licence'].verification_code}/")
    assert applicant_page.locator("[data-status=genuine]").count() == 1
