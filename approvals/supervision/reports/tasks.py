"""Celery tasks: they take IDs and call the building layer (``builds``) and the facts; ``services``
queues them, so this module never imports it."""

from celery import shared_task

from . import builds, facts


@shared_task(ignore_result=True)
def build_report(run_id: int) -> bool:
    """Build a queued report run; does nothing if it is already built or being built."""
    return builds.build(run_id)


@shared_task(ignore_result=True)
def refresh_report_facts() -> None:
    """Bring the report facts up to date with the log (nightly; report builds also do it)."""
    facts.refresh()
