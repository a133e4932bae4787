"""End to end in headless Chromium: a front-desk officer sends a correction notice and then
accepts; the department reviews and decides; the applicant has the notices and the PDFs carry the
case number. Every workbench page passes the axe check and the main actions are reachable by Tab."""

import subprocess

import pytest

from approvals.cases import services
from approvals.documents.models import OfficialDocument
from approvals.notifications.models import Notification
from tests.approvals.conftest import build_world, pdf
from tests.browser import screenshot, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(on_day, settings):
    settings.CASE_DOCUMENTS_RENDER_ON_COMMIT = True
    return build_world()


@pytest.fixture
def on_day(monkeypatch):
    from tests.approvals.conftest import Clock

    return Clock(monkeypatch)


def login(page, live_server, user):
    page.goto(f"{live_server.url}/workbench/login/")
    assert serious_accessibility_violations(page) == []
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw")
    page.click("main button[type=submit]")


def logout(page):
    page.click("header form[action$='/logout/'] button")


def check_page(page, name):
    assert serious_accessibility_violations(page) == [], name
    screenshot(page, f"workbench-{name}")


def tab_to(page, selector, limit=200):
    """Press Tab until ``selector`` has the focus; it must show a visible focus outline."""
    for _i in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline not in ("none", ""), selector
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def state_of(case):
    case.refresh_from_db()
    return case.state


def pdf_text(document):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", document.pdf.path, "-"], capture_output=True, text=True,
                          check=True).stdout


def test_front_desk_correction_then_acceptance_then_decision(live_server, browser_page, world):
    page = browser_page
    case = world.submitted()
    login(page, live_server, world.front_desk)
    page.wait_for_url("**/workbench/intake/")
    assert case.case_no in page.inner_text("table")
    check_page(page, "queue")
    page.click(f"text={case.case_no}")
    check_page(page, "case-intake")
    # The checklist: M01 defective with a reason; send the one correction notice with the keyboard.
    page.check("input[name=verdict_M01][value=defective]")
    page.fill("#reason_M01", "复印件不清晰")
    page.fill("#expected_M01", "提交清晰复印件")
    tab_to(page, "#btn-request-correction")
    page.keyboard.press("Enter")
    page.wait_for_selector(".messages .success")
    assert state_of(case) == "correction_requested"
    # The applicant corrects and resubmits (their portal is another page set).
    services.attach_material(case.pk, user=world.applicant, requirement_code="M01", upload=pdf())
    services.resubmit(case.pk, user=world.applicant)
    page.reload()
    tab_to(page, "#btn-accept")
    page.keyboard.press("Enter")
    page.wait_for_selector(".messages .success")
    assert state_of(case) == "accepted"
    check_page(page, "case-accepted")
    page.click("nav a[href$='/messages/']")
    check_page(page, "messages")
    page.goto(f"{live_server.url}/workbench/intake/window/?item={world.item_code}")
    check_page(page, "window-intake")
    logout(page)

    # The department: inbox, review, decision, licence, delivery.
    login(page, live_server, world.approver)
    page.wait_for_url("**/workbench/inbox/")
    assert case.case_no in page.inner_text("table")
    check_page(page, "inbox")
    page.goto(f"{live_server.url}/workbench/tasks/")
    check_page(page, "tasks")
    page.goto(f"{live_server.url}/workbench/cases/{case.case_no}/")
    page.click("#btn-start-review")
    page.wait_for_selector("#btn-decide")
    check_page(page, "case-review")
    page.fill("#decide-conditions", "按核定项目经营。")
    tab_to(page, "#btn-decide")
    page.keyboard.press("Enter")
    page.wait_for_selector("#btn-issue-licence")
    page.click("#btn-issue-licence")
    page.wait_for_selector("#btn-deliver")
    page.select_option("#deliver-method", "window")
    page.click("#btn-deliver")
    page.wait_for_selector("#btn-deliver", state="detached")  # the issue page had a success message too
    assert state_of(case) == "delivered"
    check_page(page, "case-delivered")
    logout(page)
    login(page, live_server, world.head)
    page.goto(f"{live_server.url}/workbench/extensions/")
    check_page(page, "extensions")

    # The applicant's notices, in order, and the PDFs.
    events = list(Notification.objects.filter(recipient=world.applicant, channel="in_app")
                  .order_by("created_at", "pk").values_list("event", flat=True))
    assert events == ["case_submitted", "correction_requested", "case_accepted", "case_status_changed",
                      "case_approved", "licence_issued", "case_status_changed"]
    docs = list(OfficialDocument.objects.filter(case=case).order_by("pk"))
    assert [d.kind for d in docs] == ["correction_notice", "acceptance_receipt", "approval_decision", "licence"]
    for document in docs:
        assert len(document.sha256) == 64
        text = pdf_text(document)
        assert case.case_no in text and document.number in text and document.verification_code in text
    assert "复印件不清晰" in pdf_text(docs[0])
    # The applicant downloads the decision; the verification page confirms it.
    page.goto(f"{live_server.url}/verify/{docs[2].verification_code}/")
    assert page.locator("[data-status=genuine]").count() == 1
