"""Celery tasks of the case engine: they take IDs (or nothing) and call the services."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services
from .notices import notify_case_changed  # noqa: F401  (the task of the case engine's side effects)

logger = logging.getLogger(__name__)


# Task names are kept from before the case engine moved into approvals.cases (queued messages and beat
# rows name them); notify_case_changed lives with the announcements it makes.
@shared_task(name="approvals.tasks.sweep_intake_deadlines", ignore_result=True)
def sweep_intake_deadlines() -> dict[str, int]:
    """Periodic (hourly, see migration 0002): deemed acceptance and missed pledges, set-based."""
    return services.sweep_intake_deadlines()
