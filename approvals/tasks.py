"""Celery tasks of the case engine: they take IDs (or nothing) and call the services."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def notify_case_changed(case_id: int, log_id: int) -> None:
    """Hook for the side effects of a transition, queued on commit.

    Notifications and notice PDFs are wired by their own issues; for now this only records the
    event in the application log. Re-running it for the same log row changes nothing.
    """
    logger.info("case %s changed (transition log %s)", case_id, log_id)


@shared_task(ignore_result=True)
def sweep_intake_deadlines() -> dict[str, int]:
    """Periodic (hourly, see migration 0002): deemed acceptance and missed pledges, set-based."""
    from . import services

    return services.sweep_intake_deadlines()
