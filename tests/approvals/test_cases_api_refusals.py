"""The specific refusals of the law through ``POST /api/v1/cases/{case_no}/{command}/``: each is a
400 on the field concerned, carrying the engine's error code, and leaves the case and its log as
they were; a command the state does not allow is a 409. The OpenAPI schema documents every case
endpoint."""

from __future__ import annotations

from datetime import date

from approvals.cases import services
from approvals.cases.api_views import API_COMMANDS
from approvals.models import Case, CorrectionNotice, Extension, State, TransitionLog
from tests import factories

from .conftest import STANDARD_REMEDIES, pdf
from .test_cases_api_commands import api, command, upload


def _codes(response, field: str) -> list[str]:
    return [detail.code for detail in response.data[field]]


def _unchanged(case: Case, state: str, log_rows: int) -> None:
    case.refresh_from_db()
    assert case.state == state
    assert TransitionLog.objects.filter(case=case).count() == log_rows


def test_a_second_correction_notice_is_refused(world):
    case = world.submitted()
    problems = [{"material_code": "M01", "reason": "复印件模糊", "expected": "清晰复印件"}]
    assert command(world.front_desk, case.case_no, "request-correction", {"problems": problems}).status_code == 200
    # While the applicant corrects, another notice is not possible in this state at all.
    response = command(world.front_desk, case.case_no, "request-correction", {"problems": problems})
    assert response.status_code == 409 and response.data["command"] == "request_correction"
    assert upload(world.applicant, case.case_no, "M01").status_code == 201
    assert command(world.applicant, case.case_no, "resubmit").status_code == 200
    rows = TransitionLog.objects.filter(case=case).count()
    # Back in submitted: the same intake already had its one notice.
    response = command(world.front_desk, case.case_no, "request-correction", {"problems": problems})
    assert response.status_code == 400
    assert _codes(response, "problems") == ["second_notice"]
    _unchanged(case, State.SUBMITTED, rows)
    assert CorrectionNotice.objects.filter(case=case).count() == 1


def test_replacing_a_material_the_notice_does_not_list_is_refused(world):
    case = world.submitted()
    services.request_correction(
        case.pk, officer=world.front_desk, problems=[{"material_code": "M01", "reason": "模糊", "expected": "清晰"}]
    )
    files = case.materials.count()
    response = upload(world.applicant, case.case_no, "M02")
    assert response.status_code == 400
    assert _codes(response, "requirement_code") == ["not_listed"]
    assert case.materials.count() == files


def test_an_extension_only_once_and_only_before_the_due_date(world, on_day):
    case, late, pending = world.in_review(), world.in_review(), world.in_review()  # statutory due Thu 2026-10-22
    rows_before = TransitionLog.objects.filter(case=case).count()
    response = command(world.reviewer, case.case_no, "request-extension", {"days": 10, "reason": "需专家论证"})
    assert response.status_code == 200, response.data
    assert command(world.head, case.case_no, "approve-extension", {"note": "同意"}).status_code == 200
    assert Case.objects.get(pk=case.pk).decision_due_statutory == date(2026, 11, 5)
    rows = rows_before + 2
    response = command(world.reviewer, case.case_no, "request-extension", {"days": 5, "reason": "仍需论证"})
    assert response.status_code == 400
    assert _codes(response, "days") == ["second_extension"]
    _unchanged(case, State.IN_REVIEW, rows)
    assert Extension.objects.filter(case=case).count() == 1

    # On the due day itself an extension may still be asked for (Art. 42: within the period) …
    on_day.set(date(2026, 10, 22))
    assert command(world.reviewer, pending.case_no, "request-extension", {"days": 5, "reason": "情况复杂"}).status_code == 200
    # … but not on the day after, and the head cannot approve a pending one after the due date either.
    on_day.set(date(2026, 10, 23))
    response = command(world.reviewer, late.case_no, "request-extension", {"days": 10, "reason": "需专家论证"})
    assert response.status_code == 400
    assert _codes(response, "days") == ["too_late"]
    assert "2026-10-22" in str(response.data["days"][0])
    assert not Extension.objects.filter(case=late).exists()
    response = command(world.head, pending.case_no, "approve-extension", {"note": ""})
    assert response.status_code == 400
    assert _codes(response, "extension") == ["too_late"]
    pending.refresh_from_db()
    assert pending.decision_due_statutory == date(2026, 10, 22)
    assert Extension.objects.get(case=pending).approved_on is None


def test_pledge_refused_for_a_bad_credit_applicant(world):
    case = world.submitted(factories.citizen(bad_credit=True))
    services.request_correction(
        case.pk, officer=world.front_desk, problems=[{"material_code": "M02", "reason": "需原件", "expected": "原件"}]
    )
    services.attach_material(case.pk, user=case.applicant, requirement_code="M02", upload=pdf())
    services.resubmit(case.pk, user=case.applicant)
    rows = TransitionLog.objects.filter(case=case).count()
    response = command(
        world.front_desk, case.case_no, "accept-with-pledge",
        {"pledged_material_codes": ["M02"], "pledge_due": "2026-09-30"},
    )
    assert response.status_code == 400
    assert _codes(response, "pledge") == ["bad_credit"]
    _unchanged(case, State.SUBMITTED, rows)
    assert command(world.front_desk, case.case_no, "accept").status_code == 200  # plain acceptance remains


def test_not_accepted_for_lack_of_competence_must_name_the_competent_organ(world):
    case = world.submitted()
    rows = TransitionLog.objects.filter(case=case).count()
    body = {"reasons": "不属于本机关职权范围", "remedies": STANDARD_REMEDIES, "outside_competence": True}
    response = command(world.front_desk, case.case_no, "not-accept", body)
    assert response.status_code == 400
    assert set(response.data) == {"competent_organ"}
    _unchanged(case, State.SUBMITTED, rows)
    response = command(world.front_desk, case.case_no, "not-accept", {**body, "competent_organ": "某市卫生健康委员会"})
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).competent_organ == "某市卫生健康委员会"


def test_refusal_without_reasons_is_refused(world):
    case = world.in_review()
    rows = TransitionLog.objects.filter(case=case).count()
    response = command(world.approver, case.case_no, "decide", {"approve": False, "remedies": STANDARD_REMEDIES})
    assert response.status_code == 400
    assert set(response.data) == {"reasons"}
    _unchanged(case, State.IN_REVIEW, rows)


def test_the_schema_documents_every_case_endpoint(world):
    response = api(world.applicant).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    cases = paths["/api/v1/cases/"]
    assert {"get", "post"} <= set(cases)
    assert {p["name"] for p in cases["post"]["parameters"] if p["in"] == "header"} == {"Idempotency-Key"}
    assert {"state", "item", "department", "due_before"} <= {p["name"] for p in cases["get"]["parameters"]}
    assert "get" in paths["/api/v1/cases/{case_no}/"]
    assert "post" in paths["/api/v1/cases/{case_no}/materials/"]
    assert "get" in paths["/api/v1/public/cases/{case_no}/"]
    for cmd in API_COMMANDS:
        operation = paths[f"/api/v1/cases/{{case_no}}/{cmd.route}/"]["post"]
        assert {"200", "400", "403", "404", "409"} <= set(operation["responses"]), cmd.route
        assert operation["summary"]
