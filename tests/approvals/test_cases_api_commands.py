"""Every case command through HTTP: the happy path of the law, and how refusals map to statuses
(400 with every field problem, 403 can see but not act, 404 cannot see / unknown, 409 wrong state)."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from approvals.cases import services
from approvals.cases.api_serializers import CaseStateSerializer
from approvals.cases.api_views import state_of
from approvals.models import Case, State, TransitionLog
from tests import factories

from .conftest import PDF, STANDARD_REMEDIES, pdf


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def command(user, case_no: str, name: str, data: dict | None = None):
    return api(user).post(f"/api/v1/cases/{case_no}/{name}/", data or {}, format="json")


def upload(user, case_no: str, code: str, content: bytes = PDF, name: str = "m.pdf"):
    return api(user).post(
        f"/api/v1/cases/{case_no}/materials/",
        {"requirement_code": code, "file": pdf(name, content)},
        format="multipart",
    )


def submitted_via_api(world) -> str:
    response = api(world.applicant).post(
        "/api/v1/cases/", {"item_code": world.item_code, "fields": {"shop_name": "老王面馆", "area": "35.5"}},
        format="json",
    )
    assert response.status_code == 201, response.data
    case_no = response.data["case_no"]
    assert response.data["state"] == State.DRAFT
    for code in ("M01", "M02"):
        assert upload(world.applicant, case_no, code).status_code == 201
    response = command(world.applicant, case_no, "submit")
    assert response.status_code == 200, response.data
    return case_no


def test_a_case_from_filing_to_closing_through_the_api(world, on_day):
    case_no = submitted_via_api(world)
    case = Case.objects.get(case_no=case_no)
    assert case.state == State.SUBMITTED and case.intake_due is not None

    problems = [{"material_code": "M01", "reason": "复印件模糊", "expected": "清晰复印件"}]
    response = command(world.front_desk, case_no, "request-correction", {"problems": problems})
    assert response.status_code == 200, response.data
    assert response.data["state"] == State.CORRECTION_REQUESTED

    assert upload(world.applicant, case_no, "M01").status_code == 201
    response = command(world.applicant, case_no, "resubmit")
    assert response.status_code == 200, response.data
    assert response.data["state"] == State.SUBMITTED

    response = command(world.front_desk, case_no, "accept", {"note": "材料齐全"})
    assert response.status_code == 200, response.data
    assert response.data["state"] == State.ACCEPTED
    assert response.data["accepted_on"] == "2026-09-18"
    assert response.data["decision_due_statutory"] == "2026-10-22"  # 20 working days after Fri 09-18

    assert command(world.reviewer, case_no, "start-review").data["state"] == State.IN_REVIEW
    on_day.set(date(2026, 9, 22))
    response = command(
        world.reviewer, case_no, "start-special-procedure",
        {"kind": "inspection", "start": "2026-09-21", "expected_days": 3, "reason": "现场核查"},
    )
    assert response.status_code == 200, response.data
    response = command(world.reviewer, case_no, "end-special-procedure", {"end": "2026-09-21"})
    assert response.status_code == 200, response.data
    assert response.data["decision_due_statutory"] == "2026-10-23"  # the paused Monday is not counted

    response = command(world.reviewer, case_no, "request-extension", {"days": 10, "reason": "需专家论证"})
    assert response.status_code == 200, response.data
    response = command(world.head, case_no, "approve-extension", {"note": "同意"})
    assert response.status_code == 200, response.data
    assert response.data["decision_due_statutory"] > "2026-10-23"

    response = command(world.approver, case_no, "decide", {"approve": True, "conditions": ""})
    assert response.status_code == 200, response.data
    assert response.data["state"] == State.APPROVED and response.data["decision"] == "approved"
    assert command(world.reviewer, case_no, "issue-licence", {"licence_no": "XK-1"}).data["state"] == State.ISSUED
    response = command(world.front_desk, case_no, "deliver", {"method": "post", "tracking_no": "SF123"})
    assert response.status_code == 200, response.data
    assert command(world.front_desk, case_no, "close").data["state"] == State.CLOSED

    commands = list(TransitionLog.objects.filter(case__case_no=case_no).values_list("command", flat=True))
    assert commands == [
        "submit", "request_correction", "resubmit", "accept", "start_review", "start_special_procedure",
        "end_special_procedure", "request_extension", "approve_extension", "decide", "issue_licence", "deliver",
        "close",
    ]


def test_create_and_submit_at_once(world):
    version = factories.item_version(dept=world.dept, materials=(("M09", "optional"),))
    response = api(world.applicant).post(
        "/api/v1/cases/",
        {"item_code": version.item.code, "fields": {"shop_name": "面馆", "area": "10"}, "submit": True},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["state"] == State.SUBMITTED
    assert response.data["received_on"] == "2026-09-18"
    assert response["Location"].endswith(f"/api/v1/cases/{response.data['case_no']}/")


def test_accept_with_pledge_not_accept_withdraw_terminate_and_refuse(world):
    # Accept with pledge: M02 (pledgeable) was found defective by the correction notice.
    case = world.submitted()
    services.request_correction(
        case.pk, officer=world.front_desk, problems=[{"material_code": "M02", "reason": "需原件", "expected": "原件"}]
    )
    services.attach_material(case.pk, user=world.applicant, requirement_code="M02", upload=pdf())
    services.resubmit(case.pk, user=world.applicant)
    response = command(
        world.front_desk, case.case_no, "accept-with-pledge",
        {"pledged_material_codes": ["M02"], "pledge_due": "2026-09-30", "note": ""},
    )
    assert response.status_code == 200, response.data
    assert response.data["state"] == State.ACCEPTED_WITH_PLEDGE
    assert response.data["pledge_due"] == "2026-09-30"

    case = world.submitted()
    response = command(
        world.front_desk, case.case_no, "not-accept", {"reasons": "不属于本机关职权范围", "remedies": STANDARD_REMEDIES}
    )
    assert response.status_code == 200, response.data
    assert response.data["state"] == State.NOT_ACCEPTED

    case = world.submitted()
    response = command(world.applicant, case.case_no, "withdraw", {"reason": "不再需要"})
    assert response.status_code == 200, response.data
    assert response.data["state"] == State.WITHDRAWN

    case = world.in_review()
    response = command(world.reviewer, case.case_no, "terminate", {"legal_reason": "申请人死亡（行政许可法第七十条）"})
    assert response.status_code == 200, response.data
    assert response.data["state"] == State.TERMINATED

    case = world.in_review()
    response = command(
        world.approver, case.case_no, "decide",
        {"approve": False, "reasons": "不符合选址要求", "remedies": STANDARD_REMEDIES},
    )
    assert response.status_code == 200, response.data
    assert response.data["state"] == State.REFUSED


def test_field_level_400s_from_the_input_serializers(world):
    case = world.submitted()
    response = command(
        world.front_desk, case.case_no, "accept-with-pledge", {"pledged_material_codes": "M02", "pledge_due": "明天"}
    )
    assert response.status_code == 400
    assert set(response.data) == {"pledged_material_codes", "pledge_due"}
    response = command(world.front_desk, case.case_no, "request-correction", {"problems": [{"reason": "x"}]})
    assert response.status_code == 400
    assert "material_code" in response.data["problems"][0]
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


def test_service_validation_lists_every_problem(world):
    case = world.submitted()
    response = command(world.front_desk, case.case_no, "not-accept", {"reasons": " ", "remedies": "可以申诉"})
    assert response.status_code == 400
    assert set(response.data) == {"reasons", "remedies"}
    assert all(isinstance(m, str) and m for msgs in response.data.values() for m in msgs)
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED
    assert not TransitionLog.objects.filter(case=case, command="not_accept").exists()

    case = world.in_review()
    response = command(world.approver, case.case_no, "decide", {"approve": False})
    assert response.status_code == 400
    assert {"reasons", "remedies"} <= set(response.data)


def test_a_submission_with_missing_materials_is_a_400_per_material(world):
    case = world.new_case()
    response = command(world.applicant, case.case_no, "submit")
    assert response.status_code == 400
    assert "materials.M01" in response.data
    assert Case.objects.get(pk=case.pk).state == State.DRAFT


def test_can_see_but_may_not_act_is_403(world):
    case = world.submitted()
    assert command(world.applicant, case.case_no, "accept").status_code == 403  # the applicant's own case
    assert command(world.reviewer, case.case_no, "accept").status_code == 403  # department, not the front desk
    case = world.in_review()
    assert command(world.reviewer, case.case_no, "decide", {"approve": True}).status_code == 403  # approvers decide
    assert command(world.approver, case.case_no, "approve-extension").status_code == 403  # only the head
    assert Case.objects.get(pk=case.pk).state == State.IN_REVIEW


def test_cannot_see_is_404_like_an_unknown_case(world):
    case = world.submitted()
    stranger = factories.citizen()
    other_department = factories.officer(factories.department(), "approver")
    for user, name in ((stranger, "withdraw"), (other_department, "start-review")):
        response = command(user, case.case_no, name)
        assert response.status_code == 404
    assert api(stranger).get(f"/api/v1/cases/{case.case_no}/").status_code == 404
    assert command(stranger, "429901-2026-999999", "withdraw").status_code == 404
    assert api(stranger).post(
        f"/api/v1/cases/{case.case_no}/materials/", {"requirement_code": "M01", "file": pdf()}, format="multipart"
    ).status_code == 404
    # A draft is the applicant's alone: the front desk does not see it either.
    draft = world.new_case()
    assert command(world.front_desk, draft.case_no, "accept").status_code == 404
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


def test_unknown_command_is_404(world):
    case = world.submitted()
    assert command(world.front_desk, case.case_no, "approve-everything").status_code == 404
    assert api(world.front_desk).get(f"/api/v1/cases/{case.case_no}/accept/").status_code == 405


def test_command_in_the_wrong_state_is_409(world):
    case = world.submitted()
    assert command(world.front_desk, case.case_no, "accept").status_code == 200
    response = command(world.front_desk, case.case_no, "accept")
    assert response.status_code == 409
    assert response.data["state"] == State.ACCEPTED and response.data["command"] == "accept"
    assert response.data["detail"]
    assert command(world.applicant, case.case_no, "submit").status_code == 409
    assert command(world.reviewer, case.case_no, "close").status_code == 409
    assert TransitionLog.objects.filter(case=case, command="accept").count() == 1


def test_anonymous_may_not_use_the_case_api(world):
    case = world.submitted()
    assert api().get("/api/v1/cases/").status_code in (401, 403)
    assert command(None, case.case_no, "withdraw").status_code in (401, 403)
    assert api().post("/api/v1/cases/", {"item_code": world.item_code}, format="json").status_code in (401, 403)


def test_only_applicants_file_cases(world):
    response = api(world.front_desk).post(
        "/api/v1/cases/", {"item_code": world.item_code, "fields": {"shop_name": "x", "area": "1"}}, format="json"
    )
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_create_validation_is_a_400_per_field(world):
    response = api(world.applicant).post(
        "/api/v1/cases/", {"item_code": "NOPE", "fields": {}, "channel": "fax"}, format="json"
    )
    assert response.status_code == 400 and "channel" in response.data
    response = api(world.applicant).post("/api/v1/cases/", {"item_code": "NOPE", "fields": {}}, format="json")
    assert response.status_code == 400 and "item_code" in response.data
    response = api(world.applicant).post(
        "/api/v1/cases/", {"item_code": world.item_code, "fields": {"area": "-1"}}, format="json"
    )
    assert response.status_code == 400
    assert "fields.area" in response.data
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("start-special-procedure", {"kind", "start", "expected_days"}),
        ("request-extension", {"days"}),
        ("end-special-procedure", {"end"}),
    ],
)
def test_date_and_number_inputs_are_checked_before_the_service(world, name, fields):
    case = world.in_review()
    response = command(world.reviewer, case.case_no, name, {"start": "x", "end": "2026-13-01", "days": "ten"})
    assert response.status_code == 400
    assert set(response.data) == fields
    assert Case.objects.get(pk=case.pk).state == State.IN_REVIEW


def test_the_hand_built_command_answer_equals_its_documented_serializer(world):
    draft = world.new_case()
    approved = services.decide(world.in_review().pk, officer=world.approver, approve=True)
    assert approved.licence_issue_due is not None and approved.decided_on is not None
    for case in (draft, approved):
        assert state_of(case) == dict(CaseStateSerializer(case).data)
