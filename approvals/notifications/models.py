"""Notifications to applicants and officers: in-app messages, email and SMS.

The ``Notification`` table is the outbox. ``services.notify`` writes one row per recipient and
channel inside the caller's transaction, so a rolled-back change notifies nobody; delivery happens
after commit (``tasks.deliver_notification``) and the periodic sweep ``tasks.deliver_pending``
picks up whatever the dispatch missed (broker down, worker killed, retry due).

Delivery states (email / SMS; an in-app message is ``sent`` when written):

===========  =====================  =================================================
state        next                   when
===========  =====================  =================================================
pending      sending                a worker claims the row (attempts + 1)
sending      sent                   the backend accepted the message
sending      pending                the backend failed; retried at ``next_attempt_at``
sending      failed                 failed ``NOTIFICATION_MAX_ATTEMPTS`` times, or permanently
sending      sending (re-claimed)   the claim is older than the claim timeout (worker lost)
===========  =====================  =================================================
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationPreference(models.Model):
    """A user's language and channel choices. No row means: default language, every channel."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        help_text=_("Empty: the platform's default language."),
    )
    email_enabled = models.BooleanField(_("email notifications"), default=True)
    sms_enabled = models.BooleanField(_("SMS notifications"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.language or settings.LANGUAGE_CODE}"


class Notification(models.Model):
    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In-app message")
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=64)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    context = models.JSONField(_("context"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, default="", editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True, default="")
    dedup_key = models.CharField(
        _("deduplication key"),
        max_length=255,
        unique=True,
        help_text=_("The caller's key plus recipient and channel: the same notice is never written twice."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "channel", "read_at"], name="notif_inbox_idx"),
            models.Index(fields=["state", "next_attempt_at"], name="notif_outbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id} ({self.channel}, {self.state})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
