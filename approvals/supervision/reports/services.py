"""Report commands: request a report for a period (served from the stored run while the log's
watermark is unchanged), queueing the Celery task ``build_report`` when it must be built; the
building itself is one layer down (``builds``: ``build`` and ``compute`` are re-exported here).

A run is built at most once per watermark: ``builds.build`` claims the run with a conditional
UPDATE (pending → running), so a duplicate task finds it claimed and does nothing; a finished run
whose watermark still matches the log is never rebuilt.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from approvals.cases import clock

from . import measures
from .builds import build as build
from .builds import compute as compute
from .builds import period_of
from .models import ReportRun
from .periods import Period
from .tasks import build_report

Status = ReportRun.Status
#: A run left "running" longer than this (a worker died) may be claimed again.
STALE_AFTER = timedelta(hours=2)


def is_fresh(run: ReportRun, mark: str | None = None) -> bool:
    """The run is done and the log has not changed since (for the period up to its end)."""
    if run.status != Status.DONE:
        return False
    return run.watermark == (mark if mark is not None else measures.watermark(period_of(run)))


def request_report(period: Period, scope: str, *, user=None) -> ReportRun:
    """The run for (period, scope): served as stored if fresh, else queued for the worker."""
    mark = measures.watermark(period)
    with transaction.atomic():
        run, _created = ReportRun.objects.select_for_update().get_or_create(
            start=period.start, end=period.end, scope=scope,
            defaults={"kind": period.kind, "requested_by": user if user and user.is_authenticated else None},
        )
        if is_fresh(run, mark):
            return run
        stale_running = run.status == Status.RUNNING and run.started_at and clock.now() - run.started_at > STALE_AFTER
        if run.status in (Status.DONE, Status.FAILED) or stale_running:
            run.status, run.progress, run.message = Status.PENDING, 0, ""
            if user and user.is_authenticated:
                run.requested_by = user
            run.save(update_fields=["status", "progress", "message", "requested_by"])
        if run.status == Status.PENDING:
            transaction.on_commit(lambda: build_report.delay(run.pk), robust=True)
    return run


def fresh_open_data(period: Period) -> ReportRun | None:
    """The stored open-data run for ``period`` if it is fresh, else ``None`` (and one is queued)."""
    run = request_report(period, ReportRun.Scope.OPEN)
    return run if run.status == Status.DONE else None  # request_report leaves only a fresh run done
