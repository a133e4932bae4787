"""Official documents: the full issuing path against bare WeasyPrint, measured in the same run.

    .venv/bin/python bench/pdf_render.py [--count 200]

Full path: ``issue_document`` for an approval decision (lock the number counter, take a number,
insert the row, render the Django template, WeasyPrint, store the file, SHA-256 it). Baseline:
WeasyPrint rendering the same decision's HTML, already rendered once, to PDF bytes. The two are
run in interleaved blocks after a warm-up so that font loading and CPU drift hit both alike.
Target: full-path rate / baseline rate >= 0.8.

Uses the database named by DATABASE_URL (the rows it creates are deleted afterwards), else a
throwaway SQLite database under var/; stored PDFs go to a temporary directory under var/.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
(ROOT / "var").mkdir(exist_ok=True)
MEDIA = tempfile.mkdtemp(prefix="bench-pdf-media-", dir=ROOT / "var")
os.environ["MEDIA_ROOT"] = MEDIA
atexit.register(shutil.rmtree, MEDIA, ignore_errors=True)
THROWAWAY_DB = None
if not os.environ.get("DATABASE_URL"):
    THROWAWAY_DB = ROOT / "var" / "bench_pdf_render.sqlite3"
    THROWAWAY_DB.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{THROWAWAY_DB}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from weasyprint import HTML  # noqa: E402

from approvals.documents import services  # noqa: E402
from approvals.documents.models import DocumentNumberSequence, OfficialDocument  # noqa: E402
from approvals.items.models import Department  # noqa: E402

CONTEXT = {
    "applicant_name": "张*",
    "item_name": "食品经营许可",
    "received_on": date(2026, 3, 2),
    "accepted_on": date(2026, 3, 4),
    "conditions": "按核定的经营项目经营。",
    "valid_until": date(2031, 3, 30),
    "licence_issue_due": date(2026, 4, 15),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--block", type=int, default=20)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    stamp = f"{time.time_ns() % 10**9}"
    dept = Department.objects.create(
        code=f"BENCH{stamp}", name="江城市市场监督管理局", short_name=f"测{stamp}", region_code="330100"
    )
    try:
        first = services.issue_document(
            "approval_decision", department_id=dept.pk, case_no=f"BENCH{stamp}-warm", context=CONTEXT
        )
        html = render_to_string(services.template_for(first.kind), services.document_context(first))
        HTML(string=html, base_url=str(ROOT)).write_pdf()

        full = baseline = 0.0
        done = 0
        while done < args.count:
            n = min(args.block, args.count - done)
            t0 = time.perf_counter()
            for _ in range(n):
                HTML(string=html, base_url=str(ROOT)).write_pdf()
            t1 = time.perf_counter()
            for i in range(done, done + n):
                services.issue_document(
                    "approval_decision",
                    department_id=dept.pk,
                    case_no=f"BENCH{stamp}-{i:05d}",
                    context=CONTEXT,
                )
            t2 = time.perf_counter()
            baseline += t1 - t0
            full += t2 - t1
            done += n

        numbers = list(OfficialDocument.objects.filter(department=dept).values_list("number", flat=True))
        assert len(set(numbers)) == args.count + 1, "duplicate document numbers"
        base_rate, full_rate = args.count / baseline, args.count / full
        engine = django.db.connection.vendor
        print(f"database: {engine}; documents: {args.count} approval decisions")
        print(
            f"WeasyPrint, same static HTML:   {base_rate:7.1f} PDF/s  ({1000 * baseline / args.count:6.1f} ms each)"
        )
        print(
            f"issue_document, full path:      {full_rate:7.1f} PDF/s  ({1000 * full / args.count:6.1f} ms each)"
        )
        print(f"ratio full / baseline: {full_rate / base_rate:.2f}  (target >= 0.80)")
    finally:
        OfficialDocument.objects.filter(department=dept).delete()
        DocumentNumberSequence.objects.filter(organ_abbr=dept.short_name).delete()
        dept.delete()
        django.db.connections.close_all()
        if THROWAWAY_DB:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{THROWAWAY_DB}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
