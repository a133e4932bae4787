"""Two sweeps at once on PostgreSQL (real threads, real row locks) create every card exactly once:
the second waits on the first's uncommitted cards, then inserts nothing and notifies nobody."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count

from approvals.notifications.models import Notification
from approvals.supervision.models import Card
from approvals.supervision.sweep import run_sweep
from tests.approvals.conftest import Clock, build_world
from tests.supervision.supervision_world import accepted_on

DAY = date(2026, 10, 21)


def _waiting_backends() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_raise_each_card_once(monkeypatch):
    on_day = Clock(monkeypatch)
    world = build_world()
    cases = [accepted_on(world, on_day, date(2026, 9, 16)) for _ in range(6)]
    on_day.set(DAY)
    first_inserted, release = threading.Event(), threading.Event()
    runs, errors = {}, []

    def first():
        try:
            with transaction.atomic():
                runs["a"] = run_sweep(DAY)
                first_inserted.set()
                release.wait(20)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
            first_inserted.set()
        finally:
            connection.close()

    def second():
        try:
            first_inserted.wait(20)
            runs["b"] = run_sweep(DAY)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    first_inserted.wait(20)
    deadline = time.monotonic() + 10
    while _waiting_backends() == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    blocked = _waiting_backends() > 0
    release.set()
    for t in threads:
        t.join(30)

    assert errors == []
    assert blocked, "the second sweep should have waited for the first one's cards"
    per_subject = Card.objects.values("rule", "kind", "subject_type", "subject_id").annotate(n=Count("id"))
    assert {row["n"] for row in per_subject} == {1}
    assert Card.objects.count() == 2 * len(cases)  # a yellow and a red card each
    assert sum(runs["a"].counts.values()) == 2 * len(cases)
    assert sum(runs["b"].counts.values()) == 0
    assert Notification.objects.filter(event="supervision_cards", channel="in_app").count() == 3
