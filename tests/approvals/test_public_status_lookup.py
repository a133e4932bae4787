"""Public status lookup: the case number plus its verification code, without login; state and
dates only; a wrong code is indistinguishable from an unknown number; rate limited."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from approvals.cases import services
from approvals.cases.public_views import DEFAULT_RATE


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def lookup(case_no: str, code: str | None):
    params = {"code": code} if code is not None else {}
    return APIClient().get(f"/api/v1/public/cases/{case_no}/", params)


def personal_data(world) -> list[str]:
    profile = world.applicant.citizen_profile
    return [profile.id_number, world.applicant.phone, profile.real_name, world.applicant.username]


def test_the_right_code_shows_state_and_dates(world):
    case = world.accepted()
    response = lookup(case.case_no, case.verification_code)
    assert response.status_code == 200
    data = response.json()
    assert data["case_no"] == case.case_no
    assert data["state"] == "accepted"
    assert data["received_on"] == "2026-09-18" and data["accepted_on"] == "2026-09-18"
    assert data["decision_due_promised"] == case.decision_due_promised.isoformat()
    assert data["item_name"] == world.version.name
    raw = json.dumps(data, ensure_ascii=False)
    for secret in personal_data(world):
        assert secret not in raw
    assert "applicant" not in raw and "verification_code" not in raw


def test_the_code_is_case_insensitive_and_trimmed(world):
    case = world.submitted()
    assert lookup(case.case_no, f" {case.verification_code.lower()} ").status_code == 200


def test_a_wrong_code_answers_exactly_like_an_unknown_number(world):
    case = world.submitted()
    wrong = lookup(case.case_no, "ABCDEFGHJK" if case.verification_code != "ABCDEFGHJK" else "ABCDEFGHJM")
    unknown = lookup("429901-2026-999999", case.verification_code)
    missing = lookup(case.case_no, None)
    assert wrong.status_code == unknown.status_code == missing.status_code == 404
    assert wrong.content == unknown.content == missing.content


def test_a_draft_cannot_be_looked_up(world):
    draft = world.new_case()
    assert lookup(draft.case_no, draft.verification_code).status_code == 404


def test_the_lookup_is_rate_limited_per_client(world):
    case = world.submitted()
    limit = int(DEFAULT_RATE.split("/")[0])
    statuses = [lookup(case.case_no, "WRONGCODE").status_code for _ in range(limit)]
    assert statuses == [404] * limit
    response = lookup(case.case_no, case.verification_code)
    assert response.status_code == 429  # even the right code, once the budget is spent


def test_the_status_page_renders_the_same_lookup(client, world):
    case = world.accepted()
    services.start_review(case.pk, officer=world.reviewer)
    response = client.get("/status/", {"case_no": case.case_no, "code": case.verification_code})
    assert response.status_code == 200
    html = response.content.decode()
    assert "办件进度查询" in html and "办理状态" in html and 'data-state="in_review"' in html
    assert case.case_no in html and "2026年9月18日" in html
    for secret in personal_data(world):
        assert secret not in html

    response = client.get("/status/", {"case_no": case.case_no, "code": "WRONG"})
    assert response.status_code == 404
    assert 'data-status="not_found"' in response.content.decode()
    assert client.get("/status/").status_code == 200  # the empty form
