"""Twenty front-desk officers press "accept" on one case at the same moment: exactly one wins,
the others get Conflict, one log row (PostgreSQL row locks, real threads)."""

import threading

import pytest
from django.db import connection

from approvals.cases import services
from approvals.cases.exceptions import Conflict
from approvals.models import Case, State, TransitionLog

from .conftest import build_world


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_accepts_one_wins(on_day):
    world = build_world()
    case = world.submitted()
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait(timeout=30)
            services.accept(case.pk, officer=world.front_desk)
            result = "ok"
        except Conflict:
            result = "conflict"
        except Exception as exc:
            result = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["conflict"] * 19 + ["ok"]
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED
    assert TransitionLog.objects.filter(case=case, command="accept").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_deem_each_case_accepted_once(on_day):
    from datetime import date

    world = build_world()
    ids = [world.submitted().pk for _ in range(10)]
    on_day.set(date(2026, 10, 30))
    barrier = threading.Barrier(2)
    totals: list[int] = []

    def sweep():
        try:
            barrier.wait(timeout=30)
            totals.append(services.sweep_intake_deadlines()["deemed_accepted"])
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sum(totals) == 10
    assert TransitionLog.objects.filter(case_id__in=ids, command="deem_accepted").count() == 10
    assert set(Case.objects.filter(pk__in=ids).values_list("state", flat=True)) == {State.ACCEPTED}
