"""Encryption at rest for personal data (domain.md section 7).

``EncryptedTextField`` stores Fernet tokens; because they are randomised, equality lookups go
through a separate keyed digest column (``digest()``), never through the ciphertext.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


def _key_material() -> bytes:
    return (settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY).encode()


@lru_cache(maxsize=4)
def _fernet(material: bytes) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"fernet:" + material).digest()))


def encrypt(value: str) -> str:
    return _fernet(_key_material()).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(_key_material()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("personal data cannot be decrypted with the configured FIELD_ENCRYPTION_KEY") from exc


def digest(value: str) -> str:
    """Keyed, deterministic digest for uniqueness and lookups of an encrypted value."""
    return hmac.new(b"digest:" + _key_material(), value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field whose value is encrypted in the database and plain in Python."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)
