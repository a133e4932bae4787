"""Rendering a document's PDF, the layer under the document commands (``services``) and the Celery
tasks (``tasks``): both call it, it calls neither.

Rendering and storing are idempotent: a document whose PDF is stored and hashed is never rendered
again, and a stored file whose bytes no longer match the recorded SHA-256 is left as it is, so
``services.verify`` reports the tampering instead of it being silently repaired.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import date, timedelta
from uuid import uuid4

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import OfficialDocument

logger = logging.getLogger(__name__)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def template_for(kind: str) -> str:
    return f"documents/{kind}.html"


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


def claim_stale_renders(*, limit: int) -> list[int]:
    """Inside the caller's transaction: the documents whose PDF is still missing ``stale_after()``
    after they were issued (or after the sweep last queued them), marked as queued now
    (``render_queued_at``). Their render task was lost; ``tasks.queue_stale_renders`` queues it again.

    Set-based and guarded: the candidates are selected and marked under ``FOR UPDATE SKIP LOCKED``,
    so two sweeps at once take a document once, and a document whose PDF is being rendered right
    now (its row is locked) is left alone.
    """
    now = timezone.now()
    cutoff = now - stale_after()
    ids = list(
        OfficialDocument.objects.select_for_update(skip_locked=True)
        .filter(sha256="", created_at__lte=cutoff)
        .filter(Q(render_queued_at__isnull=True) | Q(render_queued_at__lte=cutoff))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if ids:
        OfficialDocument.objects.filter(pk__in=ids).update(render_queued_at=now)
    return ids
