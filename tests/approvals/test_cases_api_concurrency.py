"""Concurrency through HTTP (PostgreSQL row locks, real threads): twenty officers press "accept"
at once and exactly one gets 200, the others 409; ten retries of one Idempotency-Key file one case."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from rest_framework.test import APIClient

from approvals.models import Case, IdempotencyRecord, State, TransitionLog
from tests import factories

from .conftest import build_world


def run_at_once(n: int, call: Callable[[], object]) -> list:
    barrier = threading.Barrier(n)
    results: list = []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait(timeout=30)
            result = call()
        except Exception as exc:  # reported in the assertion below, never swallowed
            result = exc
        finally:
            connection.close()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_accepts_over_http_one_200_nineteen_409(on_day):
    world = build_world()
    case = world.submitted()

    def accept():
        client = APIClient()
        client.force_authenticate(world.front_desk)
        return client.post(f"/api/v1/cases/{case.case_no}/accept/", {}, format="json").status_code

    statuses = run_at_once(20, accept)
    assert sorted(statuses) == [200] + [409] * 19
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED
    assert TransitionLog.objects.filter(case=case, command="accept").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_of_one_idempotency_key_file_one_case(on_day):
    world = build_world()
    version = factories.item_version(dept=world.dept, materials=(("M09", "optional"),))
    body = {"item_code": version.item.code, "fields": {"shop_name": "面馆", "area": "10"}, "submit": True}

    def post():
        client = APIClient()
        client.force_authenticate(world.applicant)
        response = client.post("/api/v1/cases/", body, format="json", headers={"Idempotency-Key": "retry-1"})
        return response.status_code, response.json().get("case_no")

    results = run_at_once(10, post)
    assert {r[0] for r in results} == {201}, results
    assert len({r[1] for r in results}) == 1
    assert Case.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1
    assert TransitionLog.objects.filter(command="submit").count() == 1
