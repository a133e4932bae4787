"""Celery tasks of the supervision office: they take IDs (or nothing) and call the services."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def run_supervision_sweep() -> dict[str, int]:
    """Periodic (every 15 minutes, migration 0003): prompts, yellow and red cards, set-based and
    idempotent; two at once create no duplicates (see ``sweep``)."""
    from .sweep import run_sweep

    return run_sweep().counts
