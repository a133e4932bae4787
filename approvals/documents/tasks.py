"""Celery tasks: they take IDs and call the rendering layer (``rendering``), which the document
commands (``services``) call too; ``services`` queues these tasks, so this module never imports it."""

import logging

from celery import shared_task
from django.db import transaction

from . import rendering

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def render_document(document_id: int) -> bool:
    """Render and store a document's PDF; does nothing once it is stored and hashed."""
    return rendering.render_document(document_id)


def queue_stale_renders(*, limit: int = 500) -> list[int]:
    """Queue ``render_document`` again for documents whose render task was lost
    (``rendering.claim_stale_renders``), after the claim commits. Rendering itself is idempotent
    per document, so a late original task and a re-queued one render once. Returns the ids queued.
    """
    with transaction.atomic():
        ids = rendering.claim_stale_renders(limit=limit)
        if ids:
            transaction.on_commit(lambda: [render_document.delay(pk) for pk in ids], robust=True)
    if ids:
        logger.warning("Re-queued the rendering of %d document(s) whose PDF was missing: %s", len(ids), ids)
    return ids


@shared_task(ignore_result=True)
def render_stale_documents() -> int:
    """Periodic (every 5 minutes, see migration 0004): re-queue documents whose render task was lost."""
    return len(queue_stale_renders())
