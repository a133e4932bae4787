"""Delivering the outbox's email and SMS rows: the layer under the notification commands
(``services``) and the Celery tasks (``tasks``); both call it, it calls neither.

Sending is a three-step protocol:

1. **Claim** (own transaction, committed before sending): lock due rows with
   ``SELECT … FOR UPDATE SKIP LOCKED`` and set ``state=sending``, ``claimed_at=now``, a fresh
   ``claim_token`` and ``attempts + 1``. A row is due when it is ``pending`` and its
   ``next_attempt_at`` has come, or ``sending`` with a claim older than
   ``NOTIFICATION_CLAIM_TIMEOUT_SECONDS`` (its worker was lost). Only one worker can win a claim,
   so two deliveries of the same row at the same time send one message.
2. **Send** through the backend (Django email, ``settings.SMS_BACKEND``), outside any transaction.
3. **Confirm**: after the backend returns, one conditional UPDATE checks that the claim is still
   ours (``state=sending`` and our token) and marks the row ``sent`` in the same statement; on an
   error it records the error and schedules a retry with exponential backoff
   (``NOTIFICATION_RETRY_BASE_SECONDS · 2^(attempts-1)``) or marks it ``failed`` after
   ``NOTIFICATION_MAX_ATTEMPTS`` attempts.

Trade-off: while workers are healthy a message is sent at most once. The one window for a
duplicate is a worker that dies (or stalls past the claim timeout) after the backend accepted the
message but before step 3 committed: the row stays ``sending``, and after the timeout the sweep
claims it again and sends it once more. We choose at-least-once there, because a lost legal notice
is worse than a repeated one; the re-claim goes through the same locked claim, so the sweep
re-sends it exactly once, and every re-claim counts towards the attempt limit.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from uuid import uuid4

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.masking import mask_text

from . import sms
from .models import Notification

logger = logging.getLogger(__name__)

Channel = Notification.Channel
State = Notification.State


class PermanentDeliveryError(Exception):
    """Retrying cannot help (the recipient has no address for this channel)."""


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATION_MAX_ATTEMPTS", 5))


def retry_delay(attempts: int) -> timedelta:
    base = float(getattr(settings, "NOTIFICATION_RETRY_BASE_SECONDS", 60))
    return timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def claim_timeout() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "NOTIFICATION_CLAIM_TIMEOUT_SECONDS", 600)))


# --- delivery ----------------------------------------------------------------------------------


def _claim(scope: Q, limit: int) -> tuple[list[int], str]:
    """Claim up to ``limit`` due rows in ``scope``; return their ids and the claim token."""
    now = timezone.now()
    due = Q(state=State.PENDING, next_attempt_at__lte=now) | Q(
        state=State.SENDING, claimed_at__lt=now - claim_timeout()
    )
    token = uuid4().hex
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(due, scope, attempts__lt=max_attempts())
            .exclude(channel=Channel.IN_APP)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Notification.objects.filter(pk__in=ids).update(
                state=State.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
            )
    return ids, token


def _send(notification: Notification) -> None:
    user = notification.recipient
    if notification.channel == Channel.EMAIL:
        if not user.email:
            raise PermanentDeliveryError("the recipient has no email address")
        send_mail(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [user.email])
    elif notification.channel == Channel.SMS:
        if not user.phone:
            raise PermanentDeliveryError("the recipient has no mobile phone number")
        sms.get_backend().send(user.phone, notification.body)


def _confirm_sent(pk: int, token: str) -> bool:
    confirmed = Notification.objects.filter(pk=pk, state=State.SENDING, claim_token=token).update(
        state=State.SENT, sent_at=timezone.now(), claim_token="", last_error=""
    )
    if not confirmed:
        logger.warning(
            "Notification %s was sent after its claim was taken over; it may have gone out twice.", pk
        )
    return bool(confirmed)


def _record_failure(notification: Notification, token: str, exc: Exception) -> str:
    attempts = notification.attempts
    give_up = isinstance(exc, PermanentDeliveryError) or attempts >= max_attempts()
    state = (State.FAILED if give_up else State.PENDING).value
    error = mask_text(f"{type(exc).__name__}: {exc}")[:1000]
    Notification.objects.filter(pk=notification.pk, state=State.SENDING, claim_token=token).update(
        state=state,
        last_error=error,
        claim_token="",
        next_attempt_at=None if give_up else timezone.now() + retry_delay(attempts),
    )
    logger.warning("Notification %s attempt %s failed (%s): %s", notification.pk, attempts, state, error)
    return state


def _deliver_claimed(pk: int, token: str) -> str:
    notification = Notification.objects.select_related("recipient").get(pk=pk)
    try:
        _send(notification)
    except Exception as exc:
        return _record_failure(notification, token, exc)
    return (State.SENT if _confirm_sent(pk, token) else State.SENDING).value


def deliver(notification_id: int) -> str | None:
    """Deliver one email/SMS row if it is due; return its new state, or None if there was nothing to do."""
    ids, token = _claim(Q(pk=notification_id), 1)
    return _deliver_claimed(ids[0], token) if ids else None


def deliver_due(batch_size: int = 50, max_batches: int = 20) -> dict[str, int]:
    """The sweep: give up on lost claims past the attempt limit, then deliver due rows in batches."""
    now = timezone.now()
    lost = Notification.objects.filter(
        state=State.SENDING, claimed_at__lt=now - claim_timeout(), attempts__gte=max_attempts()
    ).update(state=State.FAILED, claim_token="", last_error="worker lost after the last attempt")
    counts = {State.SENT.value: 0, State.PENDING.value: 0, State.FAILED.value: lost, State.SENDING.value: 0}
    for _batch in range(max_batches):
        ids, token = _claim(Q(), batch_size)
        for pk in ids:
            counts[_deliver_claimed(pk, token)] += 1
        if len(ids) < batch_size:
            break
    return counts
