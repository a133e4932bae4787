"""Building a report run: compute the aggregates, write the workbook and the PDF, store them. The
layer under the report commands (``services``, which queue the build) and the Celery task that
runs it (``tasks.build_report``); it imports neither.

A run is built at most once per watermark: ``build`` claims the run with a conditional UPDATE
(pending → running), so a duplicate task finds it claimed and does nothing.
"""

from __future__ import annotations

import logging
import tempfile
import threading

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from approvals.cases import clock

from . import exports, facts, measures
from .models import ReportRun
from .periods import Period

logger = logging.getLogger(__name__)
Status = ReportRun.Status


def compute(period: Period) -> dict:
    """The aggregates of ``period`` by item and by department, JSON-ready (the report facts are
    brought up to date with the log once, then read by both views)."""
    facts.refresh()
    by_item = measures.aggregate(period, measures.BY_ITEM, refresh=False)
    by_department = measures.aggregate(period, measures.BY_DEPARTMENT, refresh=False)
    return {
        "kind": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "label": period.label,
        "generated_at": timezone.localtime(clock.now(), clock.SHANGHAI).strftime("%Y-%m-%d %H:%M"),
        "supervision": True,  # the supervision measures are in every row (stored runs carry the flag)
        "by_item": by_item,
        "by_department": by_department,
        "total": measures.totals(by_department, supervision=True),
    }


def period_of(run: ReportRun) -> Period:
    return Period(run.kind, run.start, run.end)


_side = threading.local()


def _progress(run_id: int, progress: int, message: str = "") -> None:
    """Record progress so the page sees it at once. While the case rows stream on PostgreSQL the
    main connection is inside the server-side cursor's transaction, so the update goes through a
    second connection of this worker (opened once per build, closed after it)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block and not _in_test_transaction():
        side = getattr(_side, "conn", None)
        if side is None:
            side = _side.conn = connections.create_connection(DEFAULT_DB_ALIAS)
        with side.cursor() as cur:
            cur.execute(
                f"UPDATE {ReportRun._meta.db_table} SET progress = %s, message = %s WHERE id = %s",  # noqa: S608
                [progress, message[:300], run_id],
            )
        return
    ReportRun.objects.filter(pk=run_id).update(progress=progress, message=message[:300])


def _in_test_transaction() -> bool:
    """Under a test case's wrapping transaction the run row is invisible to other connections."""
    return any(getattr(block, "_from_testcase", False) for block in getattr(connection, "atomic_blocks", []))


def _close_side_connection() -> None:
    side = getattr(_side, "conn", None)
    if side is not None:
        side.close()
        _side.conn = None


def build(run_id: int) -> bool:
    """Compute and store the run's result and files. Returns False when there was nothing to do."""
    claimed = ReportRun.objects.filter(pk=run_id, status=Status.PENDING).update(
        status=Status.RUNNING, started_at=clock.now(), progress=1, message="统计中"
    )
    if not claimed:
        return False
    run = ReportRun.objects.get(pk=run_id)
    period = period_of(run)
    try:
        mark = measures.watermark(period)  # before reading: rows added meanwhile make it stale, never wrong
        result = compute(period)
        _progress(run.pk, 20, "汇总完成")
        name = f"report-{period.slug}-{run.scope}"
        case_total = measures.count_case_rows(period) if run.scope == ReportRun.Scope.OFFICE else 0
        with tempfile.TemporaryFile() as fh:
            if run.scope == ReportRun.Scope.OFFICE:

                def on_rows(n: int) -> None:
                    _progress(run.pk, 20 + int(60 * n / max(case_total, 1)), f"已写入 {n} / {case_total} 条办件")

                rows = exports.write_workbook(fh, result, measures.case_rows(period), on_rows=on_rows)
            else:
                rows = exports.write_workbook(fh, result)
            _progress(run.pk, 85, "生成 PDF")
            pdf = exports.render_report_pdf(result) if run.scope == ReportRun.Scope.OFFICE else None
            fh.seek(0)
            old_files = [f.name for f in (run.xlsx, run.pdf) if f]
            run.xlsx.save(f"{name}.xlsx", File(fh), save=False)
            if pdf is not None:
                run.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
        run.result, run.watermark, run.case_rows = result, mark, rows
        run.status, run.progress, run.message, run.finished_at = Status.DONE, 100, "", clock.now()
        run.save()
        for old in old_files:
            if old not in (run.xlsx.name, run.pdf.name):
                run.xlsx.storage.delete(old)
    except Exception as exc:
        logger.exception("report run %s failed", run_id)
        ReportRun.objects.filter(pk=run_id).update(status=Status.FAILED, message=str(exc)[:300], finished_at=clock.now())
        raise
    finally:
        _close_side_connection()
    return True
