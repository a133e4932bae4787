"""Celery tasks of the case engine: they take IDs (or nothing) and call the services."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


# Task names kept from before the case engine moved into approvals.cases (queued messages and beat rows).
@shared_task(name="approvals.tasks.notify_case_changed", ignore_result=True)
def notify_case_changed(case_id: int, log_id: int) -> None:
    """The side effects of a transition, queued on commit: the applicant's notifications, the
    official document and the department's new work (``approvals.cases.notices``).

    Idempotent: everything it writes is keyed by the transition-log row, so re-running it for the
    same row (a retried or duplicated task) writes nothing new.
    """
    from .notices import announce

    written = announce(log_id)
    logger.info("case %s changed (transition log %s): %s", case_id, log_id, written)


@shared_task(name="approvals.tasks.sweep_intake_deadlines", ignore_result=True)
def sweep_intake_deadlines() -> dict[str, int]:
    """Periodic (hourly, see migration 0002): deemed acceptance and missed pledges, set-based."""
    from . import services

    return services.sweep_intake_deadlines()
