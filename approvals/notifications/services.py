"""Notification commands: write to the outbox (``notify``), deliver, mark read.

Delivery guarantee
------------------
``notify`` only inserts rows, inside the caller's transaction: a rolled-back change leaves no row
and sends nothing. After commit it queues ``tasks.deliver_notification`` for each email/SMS row;
the periodic ``tasks.deliver_pending`` sweep delivers whatever that missed.

Sending (claim, send, confirm) and its at-least-once trade-off are described in ``delivery``,
the layer under this module and the tasks; ``deliver`` and ``deliver_due`` are re-exported here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from . import events
from .delivery import deliver as deliver
from .delivery import deliver_due as deliver_due
from .models import Notification
from .tasks import deliver_notification

Channel = Notification.Channel
State = Notification.State


# --- writing to the outbox -------------------------------------------------------------------


def notify(
    recipient_ids: Iterable[int],
    event: str,
    context: dict,
    *,
    dedup_key: str,
    channels: Iterable[str] | None = None,
) -> list[int]:
    """Write ``event`` for every recipient on every channel they can receive; return the row ids.

    Call it inside the transaction that makes the change being announced. ``dedup_key`` names the
    occurrence (e.g. ``"case:42:accepted"``): calling again with the same key writes nothing new.
    Email needs an email address and SMS a phone number; a recipient without one, or who turned
    the channel off, gets the other channels. Texts are rendered now, in each recipient's language.
    """
    spec = events.get_event(event)
    events.check_context(spec, context)
    if not dedup_key or len(dedup_key) > 200:
        raise ValidationError({"dedup_key": _("A deduplication key of 1 to 200 characters is required.")})
    wanted = tuple(channels) if channels is not None else spec.channels
    unknown = set(wanted) - set(Channel.values)
    if unknown:
        raise ValidationError(
            {"channels": _("Unknown channel: %(names)s.") % {"names": ", ".join(sorted(unknown))}}
        )
    ids = set(recipient_ids)
    users = list(get_user_model().objects.filter(pk__in=ids).select_related("notification_preference"))
    if len(users) != len(ids):
        raise ValidationError({"recipient_ids": _("Some recipients do not exist.")})

    stored_context = json.loads(json.dumps(context, cls=DjangoJSONEncoder))
    now = timezone.now()
    texts: dict[str, tuple[str, str]] = {}
    rows = []
    for user in users:
        pref = getattr(user, "notification_preference", None)
        language = (pref.language if pref else "") or settings.LANGUAGE_CODE
        if language not in texts:
            texts[language] = events.render(event, context, language)
        subject, body = texts[language]
        for channel in wanted:
            if channel == Channel.EMAIL and not (user.email and (pref is None or pref.email_enabled)):
                continue
            if channel == Channel.SMS and not (user.phone and (pref is None or pref.sms_enabled)):
                continue
            in_app = channel == Channel.IN_APP
            rows.append(
                Notification(
                    recipient=user,
                    event=event,
                    channel=channel,
                    language=language,
                    subject=subject,
                    body=body,
                    context=stored_context,
                    state=State.SENT if in_app else State.PENDING,
                    sent_at=now if in_app else None,
                    next_attempt_at=None if in_app else now,
                    dedup_key=f"{dedup_key}:{user.pk}:{channel}",
                )
            )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    written = list(
        Notification.objects.filter(dedup_key__in=[r.dedup_key for r in rows]).values_list(
            "pk", "state", "channel"
        )
    )
    outgoing = [pk for pk, state, channel in written if state == State.PENDING and channel != Channel.IN_APP]
    if outgoing:
        transaction.on_commit(partial(_dispatch, outgoing), robust=True)
    return [pk for pk, _state, _channel in written]


def _dispatch(notification_ids: list[int]) -> None:
    for pk in notification_ids:
        deliver_notification.delay(pk)


# --- the in-app message centre -----------------------------------------------------------------


def inbox(user, *, unread: bool | None = None):
    """The user's own in-app messages, newest first."""
    qs = Notification.objects.filter(recipient=user, channel=Channel.IN_APP)
    if unread is not None:
        qs = qs.filter(read_at__isnull=unread)
    return qs.order_by("-created_at", "-pk")


def unread_count(user) -> int:
    return inbox(user, unread=True).count()


def mark_read(notification_id: int, *, user) -> Notification:
    """Mark one of the user's own in-app messages read (idempotent); another user's is a 404."""
    with transaction.atomic():
        notification = inbox(user).select_for_update().filter(pk=notification_id).first()
        if notification is None:
            raise Http404
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification
