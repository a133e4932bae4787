"""A worker killed between claiming a row and confirming it leaves the row ``sending``; after the
claim timeout the sweep sends it once more (at-least-once), and only once."""

from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from approvals.notifications import delivery, services
from approvals.notifications.models import Notification
from tests import factories as f

pytestmark = pytest.mark.django_db

CONTEXT = {"case_no": "3301002026000002", "item_name": "食品经营许可"}


def _claimed_by_a_worker_that_died(settings, *, age_seconds: float):
    user = f.citizen()
    [pk] = services.notify([user.pk], "case_refused", CONTEXT, dedup_key="case:2:refused", channels=["sms"])
    ids, token = delivery._claim(Q(pk=pk), 1)  # the worker claims the row, then is killed
    assert ids == [pk]
    Notification.objects.filter(pk=pk).update(claimed_at=timezone.now() - timedelta(seconds=age_seconds))
    return pk, token


def test_a_stale_claim_is_resent_once_by_the_sweep(settings, no_dispatch, locmem_sms):
    settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS = 600
    pk, dead_token = _claimed_by_a_worker_that_died(settings, age_seconds=601)

    assert services.deliver_due()["sent"] == 1
    assert services.deliver_due()["sent"] == 0
    assert services.deliver(pk) is None
    assert len(locmem_sms) == 1
    row = Notification.objects.get(pk=pk)
    assert (row.state, row.attempts) == ("sent", 2)
    # If the "dead" worker was only stalled, its late confirmation does not touch the row.
    assert delivery._confirm_sent(pk, dead_token) is False
    assert Notification.objects.get(pk=pk).sent_at == row.sent_at


def test_a_fresh_claim_is_left_to_its_worker(settings, no_dispatch, locmem_sms):
    settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS = 600
    pk, _token = _claimed_by_a_worker_that_died(settings, age_seconds=30)
    assert services.deliver_due()["sent"] == 0
    assert locmem_sms == []
    assert Notification.objects.get(pk=pk).state == "sending"


def test_a_lost_claim_on_the_last_attempt_is_marked_failed(settings, no_dispatch, locmem_sms):
    settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS = 600
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    pk, _token = _claimed_by_a_worker_that_died(settings, age_seconds=601)
    assert services.deliver_due()["failed"] == 1
    row = Notification.objects.get(pk=pk)
    assert row.state == "failed" and "worker lost" in row.last_error
    assert locmem_sms == []
