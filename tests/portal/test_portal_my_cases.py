"""My cases and the case page: state, next deadline, who holds the case, the correction notice
with only the listed materials open, documents, withdraw; another user's case is a 404."""

from __future__ import annotations

import pytest

from approvals.cases import services
from approvals.documents import services as documents
from approvals.models import CaseMaterial, State
from tests import factories

from .conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(client, world):
    client.force_login(world.applicant)
    return world.applicant


def test_the_list_shows_state_next_deadline_and_who_holds_each_case(client, world, applicant):
    draft = world.new_case()
    submitted = world.submitted()
    accepted = world.accepted()
    rows = {r["case"].case_no: (r["case"], r["deadline"], r["holder"]) for r in client.get("/my/cases/").context["rows"]}
    assert rows[draft.case_no][1] is None and rows[draft.case_no][2] == "You (the applicant)"
    _case, deadline, holder = rows[submitted.case_no]
    assert (deadline.label, deadline.due, holder) == ("Intake decision by", submitted.intake_due, "Front desk of the service centre")
    _case, deadline, holder = rows[accepted.case_no]
    accepted.refresh_from_db()
    assert (deadline.label, deadline.due, holder) == ("Decision promised by", accepted.decision_due_promised, world.dept.name)
    finished = client.get("/my/cases/", {"status": "finished"}).context["rows"]
    assert finished == []


def test_the_list_costs_the_same_queries_for_5_or_50_cases(client, world, applicant, django_assert_max_num_queries):
    for _ in range(5):
        world.submitted()
    with django_assert_max_num_queries(12) as few:
        client.get("/my/cases/")
    for _ in range(45):
        world.new_case()
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/my/cases/")
    assert len(page.context["rows"]) == 20 and page.context["page"].paginator.count == 50


def test_another_users_case_is_a_404_on_every_page(client, world):
    case = world.submitted()
    stranger = factories.citizen()
    doc = documents.issue_document("acceptance_receipt", department_id=world.dept.pk, case_no=case.case_no,
                                   case_id=case.pk, context={"applicant_name": "张*", "item_name": "x"}, render=False)
    material = CaseMaterial.objects.filter(case=case).first()
    client.force_login(stranger)
    for url in (
        f"/my/cases/{case.case_no}/",
        f"/my/cases/{case.case_no}/apply/details/",
        f"/my/cases/{case.case_no}/apply/materials/",
        f"/my/cases/{case.case_no}/apply/review/",
        f"/my/cases/{case.case_no}/withdraw/",
        f"/my/cases/{case.case_no}/documents/{doc.pk}/",
        f"/my/cases/{case.case_no}/files/{material.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/my/cases/{case.case_no}/materials/M01/upload/", {"file": pdf()}).status_code == 404
    assert client.post(f"/my/cases/{case.case_no}/resubmit/").status_code == 404
    assert client.post(f"/my/cases/{case.case_no}/withdraw/", {"confirm": "on"}).status_code == 404
    case.refresh_from_db()
    assert case.state == State.SUBMITTED
    assert case.case_no not in client.get("/my/cases/").content.decode()
    # An officer of the department can see the case in the back office, not as "my case" here.
    client.force_login(world.reviewer)
    assert client.get(f"/my/cases/{case.case_no}/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    case = world.submitted()
    response = client.get(f"/my/cases/{case.case_no}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_correction_notice_opens_only_the_listed_materials(client, world, applicant):
    case = world.submitted()
    services.request_correction(case.pk, officer=world.front_desk, problems=[
        {"material_code": "M01", "reason": "营业执照已过期", "expected": "有效期内的营业执照"},
    ])
    page = client.get(f"/my/cases/{case.case_no}/")
    html = page.content.decode()
    assert "营业执照已过期" in html and "有效期内的营业执照" in html
    rows = {row["req"].code: row for row in page.context["rows"]}
    assert not rows["M01"]["locked"] and rows["M02"]["locked"] and rows["M03"]["locked"]
    assert html.count('class="upload"') == 1

    early = client.post(f"/my/cases/{case.case_no}/resubmit/", follow=True)
    assert "Material M01 listed in the correction notice is not replaced yet." in early.content.decode()
    locked = client.post(f"/my/cases/{case.case_no}/materials/M02/upload/", {"file": pdf()},
                         HTTP_X_REQUESTED_WITH="fetch")
    assert locked.status_code == 400
    assert "not listed" in locked.json()["errors"][0]
    replaced = client.post(f"/my/cases/{case.case_no}/materials/M01/upload/", {"file": pdf("new.pdf")},
                           HTTP_X_REQUESTED_WITH="fetch")
    assert replaced.status_code == 200
    client.post(f"/my/cases/{case.case_no}/resubmit/")
    case.refresh_from_db()
    assert case.state == State.SUBMITTED and case.complete_on == world_today(case)
    history = CaseMaterial.objects.filter(case=case, requirement_code="M01")
    assert history.count() == 2 and history.get(is_current=True).original_name == "new.pdf"


def world_today(case):
    from approvals.cases import clock

    return clock.today()


def test_withdraw_needs_confirmation_and_then_closes_the_case(client, world, applicant):
    case = world.submitted()
    refused = client.post(f"/my/cases/{case.case_no}/withdraw/", {"reason": "不办了"})
    assert refused.context["form"].errors["confirm"] == ["Tick the box to confirm the withdrawal."]
    client.post(f"/my/cases/{case.case_no}/withdraw/", {"reason": "不办了", "confirm": "on"})
    case.refresh_from_db()
    assert case.state == State.WITHDRAWN
    page = client.get(f"/my/cases/{case.case_no}/")
    assert not page.context["can_withdraw"]
    assert [label for _e, label in page.context["timeline"]][-1] == "Application withdrawn"


def test_documents_of_the_case_download_and_link_to_verification(client, world, applicant):
    case = world.accepted()
    doc = documents.issue_document("acceptance_receipt", department_id=world.dept.pk, case_no=case.case_no,
                                   case_id=case.pk, context={"applicant_name": "张*", "item_name": "测试"})
    html = client.get(f"/my/cases/{case.case_no}/").content.decode()
    assert doc.number in html and f"/verify/{doc.verification_code}/" in html
    response = client.get(f"/my/cases/{case.case_no}/documents/{doc.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_public_check_page_links_status_lookup_and_verification(client, world):
    case = world.submitted()
    page = client.get("/check/")
    assert page.status_code == 200 and 'action="/status/"' in page.content.decode()
    found = client.get("/status/", {"case_no": case.case_no, "code": case.verification_code})
    assert found.status_code == 200
    assert client.get("/check/", {"verify": "1", "code": "abc123"})["Location"] == "/verify/ABC123/"
