"""End to end in headless Chromium, as a new user would: register, find an item by search, apply
with uploads (drag and drop too), receive a correction notice, replace the listed material, get
accepted, follow a joint case through two departments, download the licence. The same for a
business agent. Officer steps go through the services (the back office belongs to other pages).

The citizen runs on a 375 px phone, the business agent on a desktop; every page visited is
checked with axe-core (no serious or critical violations) and the main pages are kept as
screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from accounts.models import OfficerMembership
from approvals.cases import clock, services
from approvals.documents.models import OfficialDocument
from approvals.items.demo_catalog import dept_code
from approvals.items.models import Department
from approvals.models import Case, State
from approvals.parallel import services as parallel
from approvals.parallel.models import DepartmentTask
from approvals.supervision.calendar import add_working_days
from tests import factories
from tests.browser import screenshot, serious_accessibility_violations

from .conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Job = OfficerMembership.Job
ROAD = "429901-CGJ-J02"  # 临时占用城市道路许可（并联审批）: 城管 lead, 公安 co-department, all must agree
FOOD = "429901-SJJ-001"  # 食品经营许可（新办）: for businesses, one department


def accessible(page) -> None:
    problems = serious_accessibility_violations(page)
    assert problems == [], f"{page.url}: {problems}"


def officers(key: str):
    dept = Department.objects.get(code=dept_code(key))
    return (
        factories.officer(dept, Job.REVIEWER),
        factories.officer(dept, Job.APPROVER, Job.DEPARTMENT_HEAD),
    )


@pytest.fixture
def staff(demo):
    centre = Department.objects.get(code=dept_code("ZWFW"))
    return {
        "front": factories.officer(centre, Job.FRONT_DESK),
        "CGJ": officers("CGJ"),
        "GAJ": officers("GAJ"),
        "SJJ": officers("SJJ"),
    }


def register(page, base, *, username, real_name, id_number, phone, business=None):
    page.goto(f"{base}/accounts/register/{'business' if business else 'citizen'}/")
    accessible(page)
    page.fill("#id_username", username)
    page.fill("#id_real_name", real_name)
    page.fill("#id_id_number", id_number)
    page.fill("#id_phone", phone)
    page.fill("#id_password", "Harbour-lights-42")
    page.fill("#id_password2", "Harbour-lights-42")
    if business:
        page.fill("#id_business_name", business["name"])
        page.fill("#id_uscc", business["uscc"])
        page.fill("#id_legal_representative", business["legal_representative"])
        page.check(f"input[name=role][value={business['role']}]")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/(accounts/profile/)?$"))


def search_and_open(page, base, query: str, name: str):
    page.goto(base + "/")
    accessible(page)
    page.fill("#q", query)
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/guide/\?q="))
    accessible(page)
    page.get_by_role("link", name=name).first.click()
    page.wait_for_url(re.compile(r"/guide/items/"))
    accessible(page)


def start_application(page, *, business_label: str | None = None) -> str:
    page.get_by_role("link", name="在线办理").first.click()
    page.wait_for_url(re.compile(r"/apply/"))
    accessible(page)
    if business_label:
        page.get_by_label(business_label).check()
    page.get_by_role("button", name="开始申请").dblclick()  # a double click still makes one draft
    page.wait_for_url(re.compile(r"/apply/details/$"))
    return re.search(r"/my/cases/([^/]+)/apply/", page.url).group(1)


def upload(page, code: str, name: str, content: bytes = PDF):
    page.set_input_files(f"#file-{code}", files=[{"name": name, "mimeType": "application/pdf", "buffer": content}])
    page.wait_for_selector(f"#material-{code} .file-name.status-ok:has-text('{name}')")


def drop(page, code: str, name: str, content: bytes = PDF):
    """A real drop event carrying a file, as when the user drags it from the desktop."""
    data = page.evaluate_handle(
        """([name, text]) => { const dt = new DataTransfer();
             dt.items.add(new File([text], name, {type: 'application/pdf'})); return dt; }""",
        [name, content.decode("latin-1")],
    )
    page.dispatch_event(f"#material-{code} .drop", "drop", {"dataTransfer": data})
    page.wait_for_selector(f"#material-{code} .file-name.status-ok:has-text('{name}')")


def test_a_citizen_on_a_phone_applies_for_a_joint_item_and_downloads_the_licence(live_server, phone_page, staff, on_day):
    page, base = phone_page, live_server.url
    register(page, base, username="xiaoming", real_name="王小明", id_number=factories.resident_id(501),
             phone="13912345678")
    screenshot(page, "portal-home-phone")
    search_and_open(page, base, "占用道路", "临时占用城市道路许可（并联审批）")
    assert "办理流程" not in page.content()  # sanity: the page is the item page, in Chinese
    assert page.get_by_role("heading", name="申请材料").is_visible()
    screenshot(page, "portal-item-phone")

    case_no = start_application(page)
    assert Case.objects.filter(case_no=case_no).count() == Case.objects.count() == 1
    accessible(page)
    page.fill("#id_location", "江城市滨江大道200号")
    page.fill("#id_area", "-5")
    page.select_option("#id_use", "施工堆料")
    page.fill("#id_start_date", "2026-10-08")
    page.fill("#id_end_date", "2026-10-20")
    page.click("button[value=next]")
    # The error is announced next to its field, in Chinese, and the other answers are kept.
    with translation.override("zh-hans"):
        expected = translation.gettext("The area must be a positive number of square metres.")
    assert expected != "The area must be a positive number of square metres."  # shown in Chinese
    assert page.inner_text("#id_area_error").strip() == expected
    assert page.get_attribute("#id_area", "aria-invalid") == "true"
    assert page.input_value("#id_location") == "江城市滨江大道200号"
    accessible(page)
    page.fill("#id_area", "30")
    page.click("button[value=next]")
    page.wait_for_url(re.compile(r"/apply/materials/$"))
    accessible(page)

    # A file of the wrong type is refused before it is sent; nothing else changes.
    page.set_input_files("#file-M01", files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"}])
    assert "不支持此类文件" in page.inner_text("#error-M01")
    upload(page, "M01", "申请表.pdf")
    drop(page, "M02", "平面图.pdf")
    upload(page, "M03", "疏导方案.pdf")
    screenshot(page, "portal-apply-materials-phone")
    page.get_by_role("link", name="下一步：核对提交").click()
    page.wait_for_url(re.compile(r"/apply/review/$"))
    accessible(page)
    # Every material is supplied, so no pledge (容缺) declaration is asked for.
    assert page.locator("#id_pledge").count() == 0
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(f"{base}/my/cases/{case_no}/")
    case = Case.objects.get(case_no=case_no)
    assert case.state == State.SUBMITTED

    # Front desk: one correction notice listing M02.
    services.request_correction(case.pk, officer=staff["front"], problems=[
        {"material_code": "M02", "reason": "平面图未标注占用范围", "expected": "标注占用范围和尺寸的平面图"},
    ])
    page.reload()
    accessible(page)
    assert "平面图未标注占用范围" in page.inner_text("#correction")
    assert "发出补正通知" in page.inner_text("ol.timeline")  # the timeline speaks the applicant's language
    assert page.locator("#material-M01 [data-locked]").is_visible()
    assert page.locator("#material-M01 input[type=file]").count() == 0
    screenshot(page, "portal-correction-phone")
    upload(page, "M02", "平面图-标注版.pdf")
    page.get_by_role("button", name="提交补正材料").click()
    page.wait_for_selector("[data-state=submitted]")

    # Accepted; both departments review in parallel and agree (two-level: reviewer, then signer).
    services.accept(case.pk, officer=staff["front"])
    for key in ("CGJ", "GAJ"):
        reviewer, signer = staff[key]
        task = DepartmentTask.objects.get(case=case, department__code=dept_code(key))
        parallel.claim(task.pk, officer=reviewer)
        parallel.start(task.pk, officer=reviewer)
        parallel.hand_over(task.pk, officer=reviewer, to=signer, outcome="agree", opinion="同意")
        page.goto(f"{base}/my/cases/{case_no}/")
        states = page.locator("tr[data-task-state]").evaluate_all("rows => rows.map(r => r.dataset.taskState)")
        assert len(states) == 2
        parallel.sign_off(task.pk, officer=signer)
        if key == "CGJ":  # all must agree (会签): the lead's agreement alone decides nothing
            case.refresh_from_db()
            assert case.state == State.IN_REVIEW, "all_agree join fired before every department agreed"
            page.goto(f"{base}/my/cases/{case_no}/")
            assert page.locator("tr[data-task-state=agreed]").count() == 1
    case.refresh_from_db()
    assert case.state == State.APPROVED
    services.issue_licence(case.pk, officer=staff["CGJ"][1])

    page.goto(f"{base}/my/cases/{case_no}/")
    accessible(page)
    assert page.locator("[data-state=issued]").is_visible()
    assert page.locator("tr[data-task-state=agreed]").count() == 2
    screenshot(page, "portal-case-phone")
    licence = OfficialDocument.objects.get(case_no=case_no, kind="licence")
    with page.expect_download() as download:
        page.locator("li[data-document=licence] a[href*='/documents/']").click()
    assert download.value.suggested_filename == f"{licence.number}.pdf"
    with open(download.value.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    page.locator("li[data-document=licence]").get_by_role("link", name=re.compile("验证")).click()
    assert licence.number in page.content()

    # Delivered electronically; the applicant rates the case (好差评).
    services.deliver(case.pk, officer=staff["CGJ"][1], method="electronic")
    rate(page, base, case_no, "非常满意")
    assert case.rating.level == 5


def rate(page, base, case_no: str, label: str):
    page.goto(f"{base}/my/cases/{case_no}/")
    page.get_by_role("button", name="提交评价").click()
    assert "请选择评价等级" in page.inner_text("#rate_level_error")  # nothing chosen yet
    page.get_by_label(label, exact=True).check()
    page.fill("#rate_comment", "办理很快")
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_selector("[data-rating]")
    accessible(page)


def test_a_business_agent_on_a_desktop_applies_for_the_business(live_server, browser_page, staff, on_day):
    page, base = browser_page, live_server.url
    uscc = factories.uscc(9001)
    register(page, base, username="agent-li", real_name="李经办", id_number=factories.resident_id(502),
             phone="13800002222", business={"name": "江城示范餐饮有限公司", "uscc": uscc,
                                            "legal_representative": "赵法人", "role": "agent"})
    accessible(page)
    assert uscc in page.inner_text("[data-business]")
    screenshot(page, "portal-profile-desktop")
    search_and_open(page, base, "食品经营许可证", "食品经营许可（新办）")
    screenshot(page, "portal-item-desktop")
    case_no = start_application(page, business_label="江城示范餐饮有限公司")
    case = Case.objects.get(case_no=case_no)
    assert case.business.uscc == uscc
    assert page.input_value("#id_operator_name") == "江城示范餐饮有限公司"  # prefilled from the business
    page.fill("#id_premises_address", "江城市滨江区示范路8号")
    page.fill("#id_business_area", "120")
    page.select_option("#id_business_format", "餐饮服务经营者")
    page.select_option("#id_business_items", "热食类食品制售")
    page.fill("#id_staff_count", "8")
    page.fill("#id_safety_manager", "孙安全")
    page.click("button[value=next]")
    page.wait_for_url(re.compile(r"/apply/materials/$"))
    pledgeable = []
    for material in case.item_version.materials.all():
        if material.necessity == "required":
            upload(page, material.code, f"{material.code}.pdf")
        elif material.necessity == "pledgeable":
            pledgeable.append(material.code)
    assert pledgeable  # the food licence lets some materials be pledged (容缺)
    screenshot(page, "portal-apply-materials-desktop")
    page.get_by_role("link", name="下一步：核对提交").click()
    # The pledgeable materials are left out: submitting needs the pledge declaration first.
    page.get_by_role("button", name="提交申请").click()
    assert "申请人须签署容缺承诺书" in page.inner_text("#id_pledge_error")
    page.check("#id_pledge")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(f"{base}/my/cases/{case_no}/")

    reviewer, approver = staff["SJJ"]
    # 容缺受理: accepted with the pledged materials due within the promised limit.
    case = services.accept_with_pledge(
        case.pk, officer=staff["front"], pledged_material_codes=pledgeable,
        pledge_due=add_working_days(clock.today(), 3),
    )
    page.goto(f"{base}/my/cases/{case_no}/")
    assert "容缺" in page.inner_text("body") or page.locator("#pl").count() == 1
    for code in pledgeable:  # the agent supplies what was pledged, on the case page
        upload(page, code, f"{code}-补交.pdf")
    case.pledge.refresh_from_db()
    assert case.pledge.fulfilled_at is not None
    services.start_review(case.pk, officer=reviewer)
    # A licence item of the demo catalogue has two-level approval: the reviewer's opinion comes first.
    services.give_review_opinion(case.pk, officer=reviewer, proposal=True, opinion="材料齐全，符合条件。")
    services.decide(case.pk, officer=approver, approve=True)
    services.issue_licence(case.pk, officer=approver)
    # Test settings leave PDFs to be rendered on first download (CASE_DOCUMENTS_RENDER_ON_COMMIT).
    licence = OfficialDocument.objects.get(case_no=case_no, kind="licence")
    assert licence.sha256 == ""

    page.goto(f"{base}/my/cases/")
    accessible(page)
    row = page.locator(f"li[data-case='{case_no}']")
    assert "江城示范餐饮有限公司" in row.inner_text()
    screenshot(page, "portal-my-cases-desktop")
    row.get_by_role("link").first.click()
    page.wait_for_url(f"{base}/my/cases/{case_no}/")
    accessible(page)
    timeline = page.locator("ol.timeline li").evaluate_all("items => items.map(i => i.dataset.command)")
    assert timeline[:1] == ["submit"] and "issue_licence" in timeline
    screenshot(page, "portal-case-desktop")
    with page.expect_download() as download:
        page.locator("li[data-document=licence] a[href*='/documents/']").click()
    with open(download.value.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    licence.refresh_from_db()
    assert len(licence.sha256) == 64  # rendered by the download, and stored
    services.deliver(case.pk, officer=approver, method="electronic")
    rate(page, base, case_no, "满意")
    assert case.rating.level == 4


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_public_pages_pass_the_accessibility_check_without_login(live_server, request, viewport, demo, on_day):
    page = request.getfixturevalue("phone_page" if viewport == "phone" else "browser_page")
    base = live_server.url
    for path in ("/", "/guide/", "/guide/?theme=birth", f"/guide/items/{ROAD}/", "/check/",
                 "/accounts/login/", "/accounts/register/", "/accounts/register/citizen/",
                 "/accounts/register/business/", "/accounts/password-reset/"):
        page.goto(base + path)
        accessible(page)
    page.goto(base + "/guide/?q=食品")
    screenshot(page, f"portal-guide-{viewport}")
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # English is one click away.
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.get_by_role("heading", name=re.compile("Results for")).is_visible()
