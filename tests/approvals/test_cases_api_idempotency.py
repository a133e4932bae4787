"""Idempotency-Key on ``POST /api/v1/cases/``: a retried request files one case, not two."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from approvals.models import Case, IdempotencyRecord
from tests import factories


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(world, **kw) -> dict:
    return {"item_code": world.item_code, "fields": {"shop_name": "老王面馆", "area": "35.5"}, **kw}


def post(user, data, key=None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return api(user).post("/api/v1/cases/", data, format="json", headers=headers)


def test_same_key_and_body_replays_the_same_case(world):
    first = post(world.applicant, body(world), key="k-1")
    assert first.status_code == 201
    # Same body with its keys in another order: the canonical JSON is the same.
    again = post(world.applicant, {"fields": {"area": "35.5", "shop_name": "老王面馆"}, "item_code": world.item_code},
                 key="k-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1
    record = IdempotencyRecord.objects.get()
    assert record.case.case_no == first.json()["case_no"]
    assert record.response_status == 201


def test_same_key_with_another_body_is_422(world):
    assert post(world.applicant, body(world), key="k-2").status_code == 201
    response = post(world.applicant, body(world, fields={"shop_name": "另一家", "area": "12"}), key="k-2")
    assert response.status_code == 422
    assert response.json()["detail"]
    assert Case.objects.count() == 1


def test_keys_belong_to_one_user(world):
    other = factories.citizen()
    a = post(world.applicant, body(world), key="shared")
    b = post(other, body(world), key="shared")
    assert a.status_code == b.status_code == 201
    assert a.json()["case_no"] != b.json()["case_no"]
    assert Case.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 2


def test_without_a_key_every_post_files_a_case(world):
    assert post(world.applicant, body(world)).status_code == 201
    assert post(world.applicant, body(world)).status_code == 201
    assert Case.objects.count() == 2
    assert not IdempotencyRecord.objects.exists()


def test_a_failed_request_does_not_use_up_the_key(world):
    response = post(world.applicant, body(world, fields={"shop_name": "x", "area": "-3"}), key="k-3")
    assert response.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    response = post(world.applicant, body(world), key="k-3")
    assert response.status_code == 201
    assert Case.objects.count() == 1


def test_a_submit_at_once_is_replayed_not_submitted_twice(world):
    version = factories.item_version(dept=world.dept, materials=(("M09", "optional"),))
    data = {"item_code": version.item.code, "fields": {"shop_name": "面馆", "area": "10"}, "submit": True}
    first = post(world.applicant, data, key="k-4")
    again = post(world.applicant, data, key="k-4")
    assert first.status_code == again.status_code == 201
    assert again.json()["state"] == "submitted"
    assert Case.objects.get().log.filter(command="submit").count() == 1


@pytest.mark.parametrize("key", ["", " ", "x" * 101])
def test_an_empty_or_overlong_key_is_400(world, key):
    response = post(world.applicant, body(world), key=key)
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not Case.objects.exists()


def test_a_retry_is_replayed_even_when_filing_again_would_now_fail(world):
    """The first request committed; the item is retired before the client retries. The retry gets
    the first response back (a replay), not a 400 for an item no longer in force."""
    from approvals.items import services as catalog
    from approvals.items.models import ItemVersion

    first = post(world.applicant, body(world), key="k-5")
    assert first.status_code == 201
    version = ItemVersion.objects.get(item__code=world.item_code, status=ItemVersion.Status.PUBLISHED)
    catalog.retire(version.pk, effective_to=date(2026, 9, 1))  # before the test's today
    assert post(world.applicant, body(world, fields={"shop_name": "新店", "area": "9"})).status_code == 400
    again = post(world.applicant, body(world), key="k-5")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Case.objects.count() == 1


def test_a_reused_key_with_an_invalid_body_is_422_not_400(world):
    assert post(world.applicant, body(world), key="k-6").status_code == 201
    response = post(world.applicant, body(world, fields={"shop_name": "x", "area": "-3"}), key="k-6")
    assert response.status_code == 422
    assert Case.objects.count() == 1


def test_a_replayed_retry_gives_its_case_number_back(world):
    """The retry files a case inside its transaction before it finds the key taken; that is rolled
    back with its case number, so the next filing gets the next number (no gap)."""
    first = post(world.applicant, body(world), key="k-7").json()["case_no"]
    assert post(world.applicant, body(world), key="k-7")["Idempotent-Replayed"] == "true"
    nxt = post(world.applicant, body(world), key="k-8").json()["case_no"]
    assert int(nxt.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1


def test_filing_with_a_key_over_http_stays_within_its_statement_budget(world, django_assert_num_queries):
    """The whole request, session cookie to response, filing a draft: session, user with its applicant
    profile (one query, accounts.backends), case number and case (one statement on PostgreSQL,
    two elsewhere), the key's record with the response (one statement), session save, plus two
    savepoint pairs (the test runs inside a transaction). The item version comes from the catalog
    cache after the first filing."""
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(world.applicant)
    post_json = {"content_type": "application/json"}
    assert client.post("/api/v1/cases/", body(world), headers={"Idempotency-Key": "warm"}, **post_json).status_code == 201
    with django_assert_num_queries(9 if connection.vendor == "postgresql" else 10):
        response = client.post("/api/v1/cases/", body(world), headers={"Idempotency-Key": "k-9"}, **post_json)
    assert response.status_code == 201
    assert Case.objects.filter(case_no=response.json()["case_no"]).exists()
