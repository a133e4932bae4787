"""A failing gateway is retried with exponential backoff; errors are recorded (masked); after the
attempt limit the row is failed and left alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.notifications import services
from approvals.notifications.models import Notification
from approvals.notifications.sms import LocmemSmsBackend
from tests import factories as f

pytestmark = pytest.mark.django_db

CONTEXT = {"case_no": "3301002026000003", "item_name": "食品经营许可"}


class FlakyGateway(LocmemSmsBackend):
    failures_left = 0

    def send(self, phone, text):
        if FlakyGateway.failures_left > 0:
            FlakyGateway.failures_left -= 1
            raise ConnectionError(f"gateway timeout for {phone}")
        super().send(phone, text)


@pytest.fixture
def flaky(settings):
    settings.SMS_BACKEND = f"{__name__}.FlakyGateway"
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    return FlakyGateway


def _make_due(pk):
    Notification.objects.filter(pk=pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_failures_back_off_exponentially_then_succeed(flaky, no_dispatch, locmem_sms):
    flaky.failures_left = 2
    user = f.citizen()
    [pk] = services.notify([user.pk], "case_approved", CONTEXT, dedup_key="case:3:approved", channels=["sms"])

    before = timezone.now()
    assert services.deliver(pk) == "pending"
    row = Notification.objects.get(pk=pk)
    assert row.attempts == 1
    assert timedelta(seconds=59) <= row.next_attempt_at - before <= timedelta(seconds=61)
    assert "ConnectionError" in row.last_error
    assert user.phone not in row.last_error and "****" in row.last_error

    assert services.deliver_due()["sent"] == 0  # not due yet: nothing happens
    assert Notification.objects.get(pk=pk).attempts == 1

    _make_due(pk)
    before = timezone.now()
    assert services.deliver_due()["pending"] == 1
    row = Notification.objects.get(pk=pk)
    assert row.attempts == 2
    assert timedelta(seconds=119) <= row.next_attempt_at - before <= timedelta(seconds=121)

    _make_due(pk)
    assert services.deliver_due()["sent"] == 1
    row = Notification.objects.get(pk=pk)
    assert (row.state, row.attempts, row.last_error) == ("sent", 3, "")
    assert len(locmem_sms) == 1


def test_gives_up_after_the_attempt_limit(flaky, no_dispatch, locmem_sms):
    flaky.failures_left = 100
    user = f.citizen()
    [pk] = services.notify([user.pk], "case_approved", CONTEXT, dedup_key="case:3:approved", channels=["sms"])
    for _ in range(4):
        _make_due(pk)
        services.deliver_due()
    row = Notification.objects.get(pk=pk)
    assert (row.state, row.attempts, row.next_attempt_at) == ("failed", 4, None)
    _make_due(pk)
    assert services.deliver_due() == {"sent": 0, "pending": 0, "failed": 0, "sending": 0}
    assert Notification.objects.get(pk=pk).attempts == 4
    assert locmem_sms == []


def test_a_recipient_without_a_number_fails_without_retrying(no_dispatch, locmem_sms):
    user = f.citizen()
    [pk] = services.notify([user.pk], "case_approved", CONTEXT, dedup_key="case:3:approved", channels=["sms"])
    user.phone = ""
    user.save()
    assert services.deliver(pk) == "failed"
    row = Notification.objects.get(pk=pk)
    assert row.attempts == 1 and "no mobile phone" in row.last_error
