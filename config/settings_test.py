"""Test settings: the base settings, with Celery eager and fast password hashing.

PostgreSQL and Redis are used when the environment names them (DATABASE_URL, CACHE_URL,
CELERY_BROKER_URL), exactly as in base settings.
"""

import os
import tempfile

from .settings import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="approval-test-media-")
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "test-field-encryption-key")

# One process: calendar edits invalidate the in-memory clock directly, so no periodic version
# query can appear inside a test's query count.
CALENDAR_VERSION_CHECK_SECONDS = 0

# Assertions read the English msgids; the Chinese (zh-hans) catalogue, the product default, is
# checked by tests/test_translations.py.
LANGUAGE_CODE = "en"

# Case notices (approvals.cases.notices) are numbered and stored at once, but their PDFs are rendered
# on first download rather than after every command, which keeps the suite fast; tests about the
# PDFs turn rendering on commit back on.
CASE_DOCUMENTS_RENDER_ON_COMMIT = False
