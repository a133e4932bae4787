"""Official document commands: allocate a number, issue (number + PDF), render, verify, revoke.

``issue_document`` takes the number and writes the document row in one transaction, so a number
is never lost (no gaps) or given twice (the counter row is locked); the PDF is rendered after that
under the document's own row lock, so a slow render never holds the counter. Rendering and storing
are idempotent: a document whose PDF is stored and hashed is never rendered again, and a stored
file whose bytes no longer match the recorded SHA-256 is left as it is, so ``verify`` reports the
tampering instead of it being silently repaired.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.items.models import Department

from .models import DocumentNumberSequence, OfficialDocument

logger = logging.getLogger(__name__)

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
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def template_for(kind: str) -> str:
    return f"documents/{kind}.html"


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
        from .tasks import render_document as render_task

        transaction.on_commit(lambda: render_task.delay(document.pk), robust=True)
    return document


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes with WeasyPrint."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def verify_url(code: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("documents:verify", args=[code])


def document_context(document: OfficialDocument) -> dict:
    """What the templates receive: the stored context (ISO dates read back) plus the header fields."""
    values = {
        k: date.fromisoformat(v) if isinstance(v, str) and _ISO_DATE.match(v) else v
        for k, v in document.context.items()
    }
    values.update(
        title=document.title,
        kind=document.kind,
        number=document.number,
        organ_name=document.department.name,
        issued_on=document.issued_on,
        case_no=document.case_no,
        verification_code=document.verification_code,
        verify_url=verify_url(document.verification_code),
    )
    return values


def stored_sha256(document: OfficialDocument) -> str | None:
    """SHA-256 of the stored file's current bytes, or None when it is missing."""
    if not document.pdf or not document.pdf.storage.exists(document.pdf.name):
        return None
    digest = hashlib.sha256()
    with document.pdf.storage.open(document.pdf.name, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def render_document(document_id: int) -> bool:
    """Render and store the PDF if it has not been stored yet; return whether it rendered now."""
    with transaction.atomic():
        document = (
            OfficialDocument.objects.select_for_update().select_related("department").get(pk=document_id)
        )
        if document.sha256:
            if stored_sha256(document) != document.sha256:
                logger.error(
                    "The stored PDF of document %s no longer matches its hash; left for inspection.",
                    document.pk,
                )
            return False
        pdf = render_pdf(template_for(document.kind), document_context(document))
        document.pdf.save(f"{uuid4().hex}.pdf", ContentFile(pdf), save=False)
        document.sha256 = hashlib.sha256(pdf).hexdigest()
        document.save(update_fields=["pdf", "sha256"])
    return True


def stale_after() -> timedelta:
    """How long a document may wait for its PDF before the sweep queues the rendering again
    (``DOCUMENTS_RENDER_STALE_MINUTES``, default 10)."""
    return timedelta(minutes=float(getattr(settings, "DOCUMENTS_RENDER_STALE_MINUTES", 10)))


def queue_stale_renders(*, limit: int = 500) -> list[int]:
    """Queue ``render_document`` again for documents whose PDF is still missing ``stale_after()``
    after they were issued (or after the sweep last queued them): their task was lost.

    Set-based and guarded: the candidates are selected and marked (``render_queued_at``) in one
    transaction under ``FOR UPDATE SKIP LOCKED``, so two sweeps at once queue a document once, and
    a document whose PDF is being rendered right now (its row is locked) is left alone. Rendering
    itself is idempotent per document, so a late original task and a re-queued one render once.
    Returns the ids queued.
    """
    from .tasks import render_document as render_task

    now = timezone.now()
    cutoff = now - stale_after()
    with transaction.atomic():
        ids = list(
            OfficialDocument.objects.select_for_update(skip_locked=True)
            .filter(sha256="", created_at__lte=cutoff)
            .filter(Q(render_queued_at__isnull=True) | Q(render_queued_at__lte=cutoff))
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            OfficialDocument.objects.filter(pk__in=ids).update(render_queued_at=now)
            transaction.on_commit(lambda: [render_task.delay(pk) for pk in ids], robust=True)
    if ids:
        logger.warning("Re-queued the rendering of %d document(s) whose PDF was missing: %s", len(ids), ids)
    return ids


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
