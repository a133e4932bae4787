"""Idempotency-Key for case creation (``POST /api/v1/cases/``).

A client that may retry (a lost response, a double click) sends an ``Idempotency-Key`` header.
For one user and one key:

- the first request runs and, when it succeeds, its status and body are stored with the case;
- the same key with the same request (same fingerprint: sha256 of the method, the path and a
  canonical JSON of the body) replays the stored status and body, creating nothing;
- the same key with another request is refused (422).

Race safety: the record row, with the response, is inserted *at the end of the same transaction*
as the case. A concurrent request with the same key blocks on the unique index (user, key) until
the first commits, then finds the key taken (``ON CONFLICT DO NOTHING`` inserts nothing), rolls
back everything it wrote (its case and its case number included) and replays the first. A retry
after the first committed does the same (and is replayed even if running it again would now fail).
A request that fails (400, 403, 409 …) writes no record, so the key can be used again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.settings import api_settings
from rest_framework.utils.encoders import JSONEncoder

from .exceptions import Conflict
from .models import Case, IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = IdempotencyRecord._meta.get_field("key").max_length


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = gettext_lazy("This Idempotency-Key was already used for a different request.")
    default_code = "idempotency_key_reused"


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict
    case: Case | None
    replayed: bool = False


def canonical_json(data) -> str:
    """Keys sorted, no insignificant whitespace, non-ASCII kept: equal bodies give equal text."""
    return json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint(method: str, path: str, data) -> str:
    return hashlib.sha256(f"{method.upper()} {path}\n{canonical_json(data)}".encode()).hexdigest()


def key_from(request) -> str | None:
    """The header's value, or None when absent; a 400 when it is empty or too long."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError(
            {api_settings.NON_FIELD_ERRORS_KEY: [_("Idempotency-Key must be 1 to %(max)s characters.") % {"max": MAX_KEY_LENGTH}]}
        )
    return key


def _replay(record: IdempotencyRecord, print_: str) -> Outcome:
    if record.fingerprint != print_:
        raise KeyReused()
    return Outcome(status=record.response_status, body=record.response_body, case=None, replayed=True)


class _KeyTaken(Exception):
    """Another request with the same key committed first: roll this one back and replay that."""


def run_once(request, key: str, action: Callable[[], tuple[int, dict, Case]]) -> Outcome:
    """Run ``action`` (returns status, JSON-ready body, case) at most once for (user, key)."""
    print_ = fingerprint(request.method, request.path, request.data)
    user = request.user
    try:
        with transaction.atomic():
            status_code, body, case = action()
            body = json.loads(canonical_json(body))
            if not _record(user.pk, key, print_, case, status_code, body):
                raise _KeyTaken
    except _KeyTaken:
        # Everything this request wrote is rolled back (its case number too); the first one stands.
        return _replay(IdempotencyRecord.objects.get(user=user, key=key), print_)
    except (DjangoValidationError, PermissionDenied, Http404, Conflict, APIException):
        # A retry after the first request committed replays it even where running the request again
        # would now fail (the item retired since, say); a 422 if the key was used for another body.
        record = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if record is None:
            raise
        return _replay(record, print_)
    return Outcome(status=status_code, body=body, case=case)


def _record(user_id: int, key: str, print_: str, case: Case | None, status_code: int, body: dict) -> bool:
    """Insert the record for (user, key) with its response, in the caller's transaction; ``False``
    when the key is taken. ``ON CONFLICT DO NOTHING`` waits for a concurrent holder of the key to
    commit or roll back, like a plain insert, but needs no savepoint to survive the conflict (one
    statement, written without the ORM's insert machinery: this is on every filing's path)."""
    table = IdempotencyRecord._meta.db_table
    quote = connection.ops.quote_name
    body_field = IdempotencyRecord._meta.get_field("response_body")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} ({quote('key')}, user_id, fingerprint, case_id, response_status, "  # noqa: S608
            "response_body, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (user_id, " + quote("key") + ") DO NOTHING RETURNING id",
            [
                key, user_id, print_, case.pk if case else None, status_code,
                body_field.get_db_prep_save(body, connection),
                connection.ops.adapt_datetimefield_value(timezone.now()),
            ],
        )
        return cursor.fetchone() is not None
