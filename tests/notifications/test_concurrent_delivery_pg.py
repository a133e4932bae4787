"""Real threads on PostgreSQL: deliveries of the same rows racing each other send every message
exactly once (the claim is a locked, conditional UPDATE)."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from approvals.notifications import delivery, services
from approvals.notifications.models import Notification
from approvals.notifications.sms import LocmemSmsBackend
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONTEXT = {"case_no": "3301002026000005", "item_name": "食品经营许可"}


class SlowGateway(LocmemSmsBackend):
    """Widens the window between claim and confirmation."""

    def send(self, phone, text):
        time.sleep(0.05)
        super().send(phone, text)


def _run_together(n, target):
    barrier = threading.Barrier(n)
    errors = []

    def worker():
        try:
            barrier.wait()
            target()
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytest.fixture
def slow_gateway(settings):
    settings.SMS_BACKEND = f"{__name__}.SlowGateway"


def test_the_same_row_delivered_by_eight_workers_at_once_is_sent_once(slow_gateway, no_dispatch, locmem_sms):
    user = f.citizen()
    [pk] = services.notify([user.pk], "case_approved", CONTEXT, dedup_key="case:5:approved", channels=["sms"])
    _run_together(8, lambda: services.deliver(pk))
    assert len(locmem_sms) == 1
    row = Notification.objects.get(pk=pk)
    assert (row.state, row.attempts) == ("sent", 1)


def test_concurrent_sweeps_send_every_row_once(slow_gateway, no_dispatch, locmem_sms):
    users = [f.citizen() for _ in range(12)]
    services.notify(
        [u.pk for u in users], "case_approved", CONTEXT, dedup_key="case:5:approved", channels=["sms"]
    )
    _run_together(4, lambda: services.deliver_due(batch_size=3))
    assert sorted(m.phone for m in locmem_sms) == sorted(u.phone for u in users)
    assert set(Notification.objects.values_list("state", "attempts")) == {("sent", 1)}


def test_a_lost_claim_is_resent_once_by_concurrent_sweeps(settings, slow_gateway, no_dispatch, locmem_sms):
    settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS = 600
    user = f.citizen()
    [pk] = services.notify([user.pk], "case_approved", CONTEXT, dedup_key="case:5:approved", channels=["sms"])
    delivery._claim(Q(pk=pk), 1)  # claimed by a worker that is then killed
    Notification.objects.filter(pk=pk).update(claimed_at=timezone.now() - timedelta(seconds=601))
    _run_together(4, services.deliver_due)
    assert len(locmem_sms) == 1
    row = Notification.objects.get(pk=pk)
    assert (row.state, row.attempts) == ("sent", 2)
