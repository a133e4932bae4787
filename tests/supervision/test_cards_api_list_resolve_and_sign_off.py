"""The cards API: scoped lists with filters and a fixed query count; resolve and sign-off once;
no way to delete or edit (405)."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from approvals.supervision.models import Card
from approvals.supervision.sweep import run_sweep
from tests import factories
from tests.supervision.supervision_world import Job, accepted_on

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_list_filter_resolve_sign_off(world, on_day, django_assert_max_num_queries):
    cases = [accepted_on(world, on_day, date(2026, 9, 16)) for _ in range(3)]
    run_sweep(date(2026, 10, 21))
    office = api(world.supervisor)
    with django_assert_max_num_queries(5):
        listed = office.get("/api/v1/supervision/cards/", {"kind": "red"})
    assert listed.status_code == 200 and listed.json()["count"] == 3
    assert {c["case_no"] for c in listed.json()["results"]} == {c.case_no for c in cases}
    assert office.get("/api/v1/supervision/cards/", {"kind": "purple"}).status_code == 400
    stranger = factories.officer(factories.department(), Job.DEPARTMENT_HEAD)
    assert api(stranger).get("/api/v1/supervision/cards/").json()["count"] == 0

    card_id = listed.json()["results"][0]["id"]
    assert api(stranger).post(f"/api/v1/supervision/cards/{card_id}/resolve/", {"explanation": "x" * 20}).status_code == 404
    head = api(world.head)
    assert head.post(f"/api/v1/supervision/cards/{card_id}/sign-off/").status_code == 403
    assert head.post(f"/api/v1/supervision/cards/{card_id}/resolve/", {"explanation": "短"}).status_code == 400
    ok = head.post(f"/api/v1/supervision/cards/{card_id}/resolve/", {"explanation": "专家评审延误，已书面说明原因。"})
    assert ok.status_code == 200 and ok.json()["resolved_at"]
    signed = office.post(f"/api/v1/supervision/cards/{card_id}/sign-off/")
    assert signed.status_code == 200 and signed.json()["signed_off_by"] == world.supervisor.pk
    assert office.get("/api/v1/supervision/cards/", {"open": "true"}).json()["count"] == Card.objects.count() - 1
    assert office.delete(f"/api/v1/supervision/cards/{card_id}/").status_code == 405
    assert office.patch(f"/api/v1/supervision/cards/{card_id}/", {"kind": "prompt"}).status_code == 405
    assert Card.objects.get(pk=card_id).kind == "red"
