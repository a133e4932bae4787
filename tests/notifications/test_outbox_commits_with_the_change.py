"""The Notification table is the outbox: rows are written in the caller's transaction and sent
after commit, exactly once."""

from datetime import date

import pytest
from django.core import mail
from django.db import transaction

from approvals.notifications import services
from approvals.notifications.models import Notification
from tests import factories as f

pytestmark = pytest.mark.django_db

CONTEXT = {"case_no": "3301002026000001", "item_name": "食品经营许可", "decision_due": date(2026, 3, 5)}


def test_a_rolled_back_change_notifies_nobody(django_capture_on_commit_callbacks, locmem_sms):
    user = f.citizen(email="applicant@example.com")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.notify([user.pk], "case_accepted", CONTEXT, dedup_key="case:1:accepted")
        assert Notification.objects.count() == 3
        raise RuntimeError("the case change failed")
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []
    assert locmem_sms == []


def test_a_committed_change_is_delivered_once_on_every_channel(
    django_capture_on_commit_callbacks, locmem_sms
):
    user = f.citizen(email="applicant@example.com")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ids = services.notify([user.pk], "case_accepted", CONTEXT, dedup_key="case:1:accepted")
    rows = {n.channel: n for n in Notification.objects.filter(pk__in=ids)}
    assert set(rows) == {"in_app", "email", "sms"}
    assert all(n.state == "sent" and n.sent_at for n in rows.values())
    assert rows["email"].attempts == rows["sms"].attempts == 1
    assert len(mail.outbox) == 1 and len(locmem_sms) == 1

    # A second delivery of the same rows (task redelivered, sweep) sends nothing more.
    for pk in ids:
        assert services.deliver(pk) is None
    assert services.deliver_due()["sent"] == 0
    assert len(mail.outbox) == 1 and len(locmem_sms) == 1


def test_the_same_dedup_key_writes_the_notice_once(django_capture_on_commit_callbacks):
    user = f.citizen(email="applicant@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify([user.pk], "case_accepted", CONTEXT, dedup_key="case:1:accepted")
    with django_capture_on_commit_callbacks(execute=True):
        again = services.notify([user.pk], "case_accepted", CONTEXT, dedup_key="case:1:accepted")
    assert sorted(first) == sorted(again)
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 1


def test_undeliverable_dispatch_is_picked_up_by_the_sweep(no_dispatch, locmem_sms):
    user = f.citizen(email="applicant@example.com")
    services.notify([user.pk], "case_accepted", CONTEXT, dedup_key="case:1:accepted")
    assert Notification.objects.filter(state="pending").count() == 2
    assert mail.outbox == []
    counts = services.deliver_due()
    assert counts["sent"] == 2
    assert len(mail.outbox) == 1 and len(locmem_sms) == 1


def test_the_outbox_sweep_is_scheduled_every_minute():
    from django_celery_beat.models import PeriodicTask

    from approvals.notifications.tasks import deliver_pending

    task = PeriodicTask.objects.get(task=deliver_pending.name)
    assert task.enabled and (task.interval.every, task.interval.period) == (60, "seconds")
