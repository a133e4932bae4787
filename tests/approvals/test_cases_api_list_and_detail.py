"""Reading cases through the API: each caller sees only their cases, filters work, the list costs
a constant number of queries, and the detail shows clocks, materials, the correction notice and
the timeline with personal data masked."""

from __future__ import annotations

import json
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.masking import mask_id_number, mask_name, mask_phone
from accounts.models import User
from approvals.cases import services
from approvals.models import State
from tests import factories

from .conftest import pdf


def api(user) -> APIClient:
    """A client for a fresh copy of ``user`` (no per-object caches carried between requests)."""
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


def case_nos(response) -> list[str]:
    assert response.status_code == 200, response.data
    return [row["case_no"] for row in response.data["results"]]


def test_each_caller_sees_only_their_cases(world):
    mine = world.submitted()
    draft = world.new_case()
    other = factories.citizen()
    theirs = world.submitted(applicant=other)
    foreign = factories.item_version(dept=factories.department(), materials=(("M09", "optional"),))
    foreign_case = services.create_case(
        user=other, item_code=foreign.item.code, fields={"shop_name": "x", "area": "1"}, submit=True
    )

    assert set(case_nos(api(world.applicant).get("/api/v1/cases/"))) == {mine.case_no, draft.case_no}
    assert set(case_nos(api(other).get("/api/v1/cases/"))) == {theirs.case_no, foreign_case.case_no}
    # The front desk serves every department, but drafts are private.
    assert set(case_nos(api(world.front_desk).get("/api/v1/cases/"))) == {
        mine.case_no, theirs.case_no, foreign_case.case_no
    }
    # A department sees the filed cases of its own items.
    assert set(case_nos(api(world.reviewer).get("/api/v1/cases/"))) == {mine.case_no, theirs.case_no}


def test_filters_state_item_department_and_due_before(world, on_day):
    submitted = world.submitted()
    accepted = world.accepted()
    other_version = factories.item_version(dept=factories.department(), materials=(("M09", "optional"),))
    elsewhere = services.create_case(
        user=world.applicant, item_code=other_version.item.code, fields={"shop_name": "x", "area": "1"}, submit=True
    )
    intake_due = submitted.intake_due
    promised_due = accepted.decision_due_promised
    assert intake_due == date(2026, 9, 24)  # 5 working days after Fri 09-18; Sun 09-20 is worked
    assert promised_due > intake_due
    client = api(world.front_desk)
    assert case_nos(client.get("/api/v1/cases/", {"state": "accepted"})) == [accepted.case_no]
    assert set(case_nos(client.get("/api/v1/cases/", {"item": world.item_code}))) == {
        submitted.case_no, accepted.case_no
    }
    assert case_nos(client.get("/api/v1/cases/", {"department": other_version.department.code})) == [
        elsewhere.case_no
    ]
    assert set(case_nos(client.get("/api/v1/cases/", {"due_before": intake_due.isoformat()}))) == {
        submitted.case_no, elsewhere.case_no
    }
    assert set(case_nos(client.get("/api/v1/cases/", {"due_before": promised_due.isoformat()}))) == {
        submitted.case_no, accepted.case_no, elsewhere.case_no
    }
    assert case_nos(client.get("/api/v1/cases/", {"due_before": "2026-09-23"})) == []
    assert client.get("/api/v1/cases/", {"state": "nonsense"}).status_code == 400
    assert client.get("/api/v1/cases/", {"due_before": "tomorrow"}).status_code == 400


def _list_queries(user) -> tuple[int, int]:
    client = api(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/cases/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.data["count"]


def test_list_query_count_is_constant(world, django_assert_num_queries):
    version = factories.item_version(dept=world.dept, materials=(("M09", "optional"),))

    def file(n):
        for _ in range(n):
            services.create_case(
                user=world.applicant, item_code=version.item.code, fields={"shop_name": "x", "area": "1"}, submit=True
            )

    file(3)
    small, count = _list_queries(world.front_desk)
    assert count == 3
    assert small <= 4  # the officer's jobs, the count, the page (everything else is joined)
    file(27)
    client = api(world.front_desk)
    with django_assert_num_queries(small):
        response = client.get("/api/v1/cases/")
    assert response.data["count"] == 30 and len(response.data["results"]) == 20
    # The same for the applicant's own list.
    applicant_small, _count = _list_queries(world.applicant)
    assert applicant_small <= small + 1


def test_detail_shows_clocks_materials_notice_and_timeline_masked(world, on_day):
    case = world.submitted()
    services.request_correction(
        case.pk, officer=world.front_desk,
        problems=[{"material_code": "M01", "reason": "复印件模糊", "expected": "清晰复印件"}],
    )
    services.attach_material(case.pk, user=world.applicant, requirement_code="M01", upload=pdf("新.pdf"))
    services.resubmit(case.pk, user=world.applicant)
    services.accept(case.pk, officer=world.front_desk)
    services.start_review(case.pk, officer=world.reviewer)
    services.start_special_procedure(
        case.pk, officer=world.reviewer, kind="inspection", start=date(2026, 9, 18), expected_days=3, reason="现场核查"
    )

    response = api(world.applicant).get(f"/api/v1/cases/{case.case_no}/")
    assert response.status_code == 200
    data = response.json()
    assert data["state"] == State.IN_REVIEW
    profile = world.applicant.citizen_profile
    assert data["applicant"] == {
        "name": mask_name(profile.real_name),
        "id_number": mask_id_number(profile.id_number),
        "phone": mask_phone(world.applicant.phone),
    }
    raw = json.dumps(data, ensure_ascii=False)
    assert profile.id_number not in raw and world.applicant.phone not in raw and profile.real_name not in raw

    clocks = data["clocks"]
    assert clocks["received_on"] == "2026-09-18" and clocks["accepted_on"] == "2026-09-18"
    assert clocks["decision_due_statutory"] == case.__class__.objects.get(pk=case.pk).decision_due_statutory.isoformat()
    assert [(p["kind"], p["procedure_name"], p["legal_basis"]) for p in clocks["special_procedures"]] == [
        ("inspection", "inspection", "《行政许可法》第四十五条（inspection）")
    ]
    assert clocks["extension"] is None and clocks["pledge"] is None

    assert data["correction_notice"]["problems"] == [
        {"material_code": "M01", "reason": "复印件模糊", "expected": "清晰复印件"}
    ]
    assert data["correction_notice"]["completed_on"] == "2026-09-18"
    assert sorted(m["requirement_code"] for m in data["materials"]) == ["M01", "M02"]
    assert [m["requirement_code"] for m in data["material_history"]].count("M01") == 2
    assert next(m for m in data["materials"] if m["requirement_code"] == "M01")["original_name"] == "新.pdf"

    timeline = data["timeline"]
    assert [e["command"] for e in timeline] == [
        "submit", "request_correction", "resubmit", "accept", "start_review", "start_special_procedure"
    ]
    assert [e["actor"] for e in timeline[:3]] == ["applicant", "officer", "applicant"]
    assert timeline[1]["from_state"] == State.SUBMITTED and timeline[1]["to_state"] == State.CORRECTION_REQUESTED

    # Officers see the same masked data.
    officer_view = api(world.reviewer).get(f"/api/v1/cases/{case.case_no}/").json()
    assert officer_view["applicant"] == data["applicant"]


def test_detail_masks_numbers_typed_into_the_form(world):
    case = world.new_case(fields={"shop_name": "联系13812345678", "area": "10"})
    data = api(world.applicant).get(f"/api/v1/cases/{case.case_no}/").json()
    assert data["application_fields"]["shop_name"] == "联系138****5678"


def test_detail_query_count_does_not_grow_with_the_case(world, django_assert_max_num_queries):
    small = world.submitted()
    big = world.submitted()
    services.request_correction(
        big.pk, officer=world.front_desk,
        problems=[{"material_code": c, "reason": "r", "expected": "e"} for c in ("M01", "M02")],
    )
    for code in ("M01", "M02", "M01", "M02"):
        services.attach_material(big.pk, user=world.applicant, requirement_code=code, upload=pdf())
    services.resubmit(big.pk, user=world.applicant)
    client = api(world.front_desk)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/api/v1/cases/{small.case_no}/").status_code == 200
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        assert client.get(f"/api/v1/cases/{big.case_no}/").status_code == 200
