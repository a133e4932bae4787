"""Official document commands: allocate a number, issue (number + PDF), verify, revoke.

``issue_document`` takes the number and writes the document row in one transaction, so a number
is never lost (no gaps) or given twice (the counter row is locked); the PDF is rendered after that
under the document's own row lock, so a slow render never holds the counter. Rendering lives one
layer down (``rendering``, also called by the Celery tasks this module queues); its functions are
re-exported here, the component's public surface.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.items.models import Department

from .models import DocumentNumberSequence, OfficialDocument
from .rendering import document_context as document_context
from .rendering import render_document as render_document
from .rendering import render_pdf as render_pdf
from .rendering import stale_after as stale_after
from .rendering import stored_sha256 as stored_sha256
from .rendering import template_for as template_for
from .rendering import verify_url as verify_url
from .tasks import queue_stale_renders as queue_stale_renders
from .tasks import render_document as render_task

Kind = OfficialDocument.Kind

KIND_WORD = {
    Kind.ACCEPTANCE_RECEIPT: "受",
    Kind.CORRECTION_NOTICE: "补",
    Kind.NOT_ACCEPTED_NOTICE: "不受",
    Kind.SPECIAL_PROCEDURE_NOTICE: "特",
    Kind.EXTENSION_NOTICE: "延",
    Kind.APPROVAL_DECISION: "许",
    Kind.REFUSAL_DECISION: "不许",
    Kind.LICENCE: "证",
}

# What each kind's template cannot do without (besides applicant_name and item_name).
REQUIRED_CONTEXT = {
    Kind.ACCEPTANCE_RECEIPT: (),
    Kind.CORRECTION_NOTICE: ("problems",),
    Kind.NOT_ACCEPTED_NOTICE: ("reasons",),
    Kind.SPECIAL_PROCEDURE_NOTICE: ("procedure", "expected_days", "reason"),
    Kind.EXTENSION_NOTICE: ("days", "reason", "decision_due"),
    Kind.APPROVAL_DECISION: (),
    Kind.REFUSAL_DECISION: ("reasons",),
    Kind.LICENCE: ("holder", "valid_from"),  # valid_until: None for an indefinite licence
}

# Unambiguous characters: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
_CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")

# --- numbers -----------------------------------------------------------------------------------


def format_number(organ_abbr: str, kind_prefix: str, year: int, sequence: int) -> str:
    return f"{organ_abbr}{kind_prefix}〔{year}〕{sequence:06d}号"


def _locked_counter(organ_abbr: str, kind_prefix: str, year: int) -> DocumentNumberSequence:
    """The counter row, created if missing (INSERT … ON CONFLICT DO NOTHING) and locked."""
    DocumentNumberSequence.objects.bulk_create(
        [DocumentNumberSequence(organ_abbr=organ_abbr, kind_prefix=kind_prefix, year=year)],
        ignore_conflicts=True,
    )
    return DocumentNumberSequence.objects.select_for_update().get(
        organ_abbr=organ_abbr, kind_prefix=kind_prefix, year=year
    )


def _take(counter: DocumentNumberSequence) -> str:
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return format_number(counter.organ_abbr, counter.kind_prefix, counter.year, counter.last_number)


def allocate_number(organ_abbr: str, year: int, kind_prefix: str) -> str:
    """The next number of the series, e.g. ``江市监许〔2026〕000123号``.

    Inside the caller's transaction the counter stays locked until it commits, and a rollback
    returns the number, so a number is used exactly when the caller's change is committed.
    """
    if not organ_abbr or not kind_prefix:
        raise ValidationError(
            {"organ_abbr": _("A document number needs an organ abbreviation and a kind word.")}
        )
    with transaction.atomic():
        return _take(_locked_counter(organ_abbr, kind_prefix, year))


# --- issuing and rendering ---------------------------------------------------------------------


def _check_context(kind: str, context: dict) -> None:
    needed = ("applicant_name", "item_name", *REQUIRED_CONTEXT[kind])
    missing = [name for name in needed if context.get(name) in (None, "", [], ())]
    if missing:
        raise ValidationError(
            {
                "context": _("The document “%(kind)s” needs: %(missing)s.")
                % {"kind": Kind(kind).label, "missing": ", ".join(missing)}
            }
        )


def _new_verification_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not OfficialDocument.objects.filter(verification_code=code).exists():
            return code


def issue_document(
    kind: str,
    *,
    department_id: int,
    case_no: str,
    context: dict,
    case_id: int | None = None,
    dedup_key: str = "",
    issued_on: date | None = None,
    render: bool = True,
    queue: bool = True,
) -> OfficialDocument:
    """Issue a document: number it, store it, render its PDF and record the PDF's SHA-256.

    Idempotent per (``case_no``, ``kind``, ``dedup_key``): issuing again returns the document
    already issued (with its original context). With ``render=False`` the PDF is rendered by the
    ``render_document`` task after commit, which keeps a caller's transaction short.
    ``context`` holds only masked personal data (the applicant's masked name, never an ID number).
    ``render=False, queue=False`` leaves the PDF to be rendered on first download
    (``render_document`` is idempotent).
    """
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown document kind “%(kind)s”.") % {"kind": kind}})
    _check_context(kind, context)
    department = Department.objects.filter(pk=department_id).first()
    if department is None:
        raise ValidationError({"department_id": _("This department does not exist.")})
    if not department.short_name:
        raise ValidationError(
            {"department_id": _("The department needs an abbreviation for document numbers.")}
        )
    issued_on = issued_on or timezone.localdate()
    stored_context = json.loads(json.dumps(context, cls=DjangoJSONEncoder))
    key = {"case_no": case_no, "kind": kind, "dedup_key": dedup_key}
    try:
        with transaction.atomic():
            counter = _locked_counter(department.short_name, KIND_WORD[kind], issued_on.year)
            document = OfficialDocument.objects.filter(**key).first()
            if document is None:
                document = OfficialDocument.objects.create(
                    **key,
                    number=_take(counter),
                    department=department,
                    issued_on=issued_on,
                    case_id=case_id,
                    context=stored_context,
                    verification_code=_new_verification_code(),
                )
    except IntegrityError:
        # Issued concurrently with the same key: that one won, and our number was rolled back.
        document = OfficialDocument.objects.get(**key)
    if render:
        render_document(document.pk)
        document.refresh_from_db()
    elif queue:
        transaction.on_commit(lambda: render_task.delay(document.pk), robust=True)
    return document


# --- verification and revocation ---------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    GENUINE = "genuine"
    NOT_FOUND = "not_found"
    PENDING = "pending"
    REVOKED = "revoked"
    TAMPERED = "tampered"

    status: str
    document: OfficialDocument | None = None

    @property
    def genuine(self) -> bool:
        return self.status == self.GENUINE


def verify(code: str) -> Verification:
    """Check a verification code: the document exists, is still valid, and its stored PDF is intact.

    Order: unknown code → not_found; no PDF stored yet → pending; file changed or missing →
    tampered; revoked → revoked; otherwise genuine.
    """
    code = (code or "").strip().upper()
    if not _CODE_RE.match(code):
        return Verification(Verification.NOT_FOUND)
    document = OfficialDocument.objects.select_related("department").filter(verification_code=code).first()
    if document is None:
        return Verification(Verification.NOT_FOUND)
    if not document.sha256:
        return Verification(Verification.PENDING, document)
    if stored_sha256(document) != document.sha256:
        return Verification(Verification.TAMPERED, document)
    if not document.valid:
        return Verification(Verification.REVOKED, document)
    return Verification(Verification.GENUINE, document)


def revoke(document_id: int, *, reason: str) -> OfficialDocument:
    """Revoke a document (it stays on record and verifies as revoked)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for revoking the document.")})
    with transaction.atomic():
        document = OfficialDocument.objects.select_for_update().get(pk=document_id)
        if document.valid:
            document.valid = False
            document.revoked_at = timezone.now()
            document.revocation_reason = reason.strip()
            document.save(update_fields=["valid", "revoked_at", "revocation_reason"])
    return document
