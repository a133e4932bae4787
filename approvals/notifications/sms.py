"""SMS backends, chosen by ``settings.SMS_BACKEND`` (a dotted path), like Django's email backends.

A real gateway implements ``BaseSmsBackend.send`` and raises on failure; the delivery task retries
with backoff. Phone numbers never reach a log unmasked.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from accounts.masking import mask_phone, mask_text

logger = logging.getLogger(__name__)


class SmsMessage:
    def __init__(self, phone: str, text: str):
        self.phone = phone
        self.text = text

    def __repr__(self) -> str:
        return f"SmsMessage({mask_phone(self.phone)!r}, {mask_text(self.text)!r})"


# Messages "sent" by LocmemSmsBackend, for tests (like django.core.mail.outbox).
outbox: list[SmsMessage] = []


class BaseSmsBackend:
    def send(self, phone: str, text: str) -> None:
        """Hand one message to the gateway; raise on failure."""
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Development backend: logs the message with the phone number and any number in it masked."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(phone), mask_text(text))


class LocmemSmsBackend(BaseSmsBackend):
    """Test backend: appends to ``approvals.notifications.sms.outbox``."""

    def send(self, phone: str, text: str) -> None:
        outbox.append(SmsMessage(phone, text))


def get_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
