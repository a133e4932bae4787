"""Celery tasks: they take IDs and call the services."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def render_document(document_id: int) -> bool:
    """Render and store a document's PDF; does nothing once it is stored and hashed."""
    return services.render_document(document_id)


@shared_task(ignore_result=True)
def render_stale_documents() -> int:
    """Periodic (every 5 minutes, see migration 0004): re-queue documents whose render task was lost."""
    return len(services.queue_stale_renders())
