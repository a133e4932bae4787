"""A report is built once per log watermark by the Celery task; a closed period is served from the
stored run until its log changes; the workbook and the PDF carry the figures."""

import io
import subprocess
from datetime import date

import openpyxl
import pytest

from approvals.cases import services as case_services
from approvals.models import TransitionLog
from approvals.supervision.reports import measures, services
from approvals.supervision.reports.models import ReportRun
from approvals.supervision.reports.periods import Period

SEPTEMBER = Period.month(2026, 9)


def build_now(django_capture_on_commit_callbacks, period=SEPTEMBER, scope=ReportRun.Scope.OFFICE):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        run = services.request_report(period, scope)
    run.refresh_from_db()
    return run, len(queued)


def test_built_once_then_served_from_the_stored_run(month, django_capture_on_commit_callbacks):
    run, queued = build_now(django_capture_on_commit_callbacks)
    assert queued == 1 and run.status == ReportRun.Status.DONE and run.progress == 100
    assert run.result["total"]["received"] == 7 and run.case_rows == 7
    again, queued = build_now(django_capture_on_commit_callbacks)
    assert (again.pk, queued, again.finished_at) == (run.pk, 0, run.finished_at)
    assert services.build(run.pk) is False  # the task is idempotent: a done run is not claimed again


def test_new_activity_after_a_closed_period_does_not_change_it(month, on_day, django_capture_on_commit_callbacks):
    run, _ = build_now(django_capture_on_commit_callbacks)
    mark = run.watermark
    case_services.start_review(month.cases["F"].pk, officer=month.world.reviewer)  # dated 10-12
    assert measures.watermark(SEPTEMBER) == mark
    _again, queued = build_now(django_capture_on_commit_callbacks)
    assert queued == 0


def test_an_edited_log_invalidates_the_stored_report(month, django_capture_on_commit_callbacks):
    run, _ = build_now(django_capture_on_commit_callbacks)
    TransitionLog.objects.filter(case=month.cases["B"], command="submit").delete()  # tampering with history
    rebuilt, queued = build_now(django_capture_on_commit_callbacks)
    assert queued == 1 and rebuilt.pk == run.pk and rebuilt.watermark != run.watermark
    assert rebuilt.result["total"]["received"] == 6


def test_workbook_sheets_frozen_headers_and_number_formats(month, django_capture_on_commit_callbacks):
    run, _ = build_now(django_capture_on_commit_callbacks)
    wb = openpyxl.load_workbook(io.BytesIO(run.xlsx.read()))
    assert wb.sheetnames == ["按事项", "按部门", "办件明细", "指标说明"]
    assert wb["按事项"].freeze_panes == "C2" and wb["办件明细"].freeze_panes == "B2"
    dept = wb["按部门"]
    header = [c.value for c in dept[1]]
    col = {title: i for i, title in enumerate(header)}
    total = list(dept[dept.max_row])
    assert total[1].value == "合计"
    assert total[col["收件量"]].value == 7
    assert total[col["按时办结率"]].value == pytest.approx(0.6)
    assert total[col["按时办结率"]].number_format == "0.0%"
    assert total[col["平均用时（工作日）"]].number_format == "0.0"
    assert total[col["平均用时（工作日）"]].value == pytest.approx(23 / 5)
    detail = wb["办件明细"]
    rows = list(detail.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 7
    c_row = next(r for r in rows if r[0] == month.cases["C"].case_no)
    assert c_row[7].date() == date(2026, 9, 3) and c_row[10] == 12  # accepted as of 09-03, 12 working days


def test_pdf_shows_the_figures_and_charts(month, django_capture_on_commit_callbacks, tmp_path):
    run, _ = build_now(django_capture_on_commit_callbacks)
    path = tmp_path / "report.pdf"
    path.write_bytes(run.pdf.read())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "政务服务办件统计报告" in text
    assert "2026年9月" in text
    assert "各部门按时办结率" in text  # chart title (SVG text)
    assert "60.0%" in text  # total on-time rate
    assert month.dept2.name in text


def test_open_data_run_has_no_case_rows_or_pdf(month, django_capture_on_commit_callbacks):
    run, _ = build_now(django_capture_on_commit_callbacks, scope=ReportRun.Scope.OPEN)
    assert run.status == ReportRun.Status.DONE and not run.pdf and run.case_rows == 0
    wb = openpyxl.load_workbook(io.BytesIO(run.xlsx.read()))
    assert "办件明细" not in wb.sheetnames
