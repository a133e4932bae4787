"""Celery tasks: they take IDs and call the delivery layer (see delivery.py for the guarantee);
``services`` queues them after commit, so this module never imports it."""

from celery import shared_task

from . import delivery


@shared_task(ignore_result=True)
def deliver_notification(notification_id: int) -> str | None:
    """Send one email/SMS notification if it is due; a second call for the same row does nothing."""
    return delivery.deliver(notification_id)


@shared_task(ignore_result=True)
def deliver_pending() -> dict[str, int]:
    """Periodic sweep (every minute, see migration 0002): retries due rows and lost claims."""
    return delivery.deliver_due()
