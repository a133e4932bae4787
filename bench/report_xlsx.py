"""Benchmark: the office workbook of a one-year report with its case rows (PostgreSQL, 1,000,000 cases).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/report_xlsx.py [--cases 1000000]

Prepares the database like ``bench/report_aggregate.py`` (``ensure_seeded``: ``manage.py seed_cases``
with a progress bar, then exactly ``--cases`` cases, all received within the 366 days ending on the
latest receipt date), takes that one-year window (so the workbook has exactly ``--cases`` case
rows), then runs ``--pairs`` interleaved pairs, each run in a fresh process:

- **report**: ``exports.write_workbook`` with ``measures.case_rows`` (the report's own SQL on a
  server-side cursor, rows streamed into an openpyxl write-only sheet; aggregate sheets with styles
  and number formats; the progress callback as the Celery task uses it);
- **baseline**: a raw openpyxl write-only loop appending the same tuples (the same SQL on a plain
  psycopg server-side cursor, no styles, nothing else).

Prints each run's wall time, rows, peak RSS (``resource.getrusage``) and the load average when it
started, each pair's ratio report/baseline, and the ratio of the best runs (target ≤ 1.3; peak
RSS target ≤ 300 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

CHUNK = 5000


def _period(start: str, end: str):
    from datetime import date

    from approvals.supervision.reports.periods import Period

    return Period.custom(date.fromisoformat(start), date.fromisoformat(end))


def run_report(start: str, end: str, result_path: str) -> dict:
    from approvals.supervision.reports import exports, measures

    period = _period(start, end)
    result = json.loads(Path(result_path).read_text())
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as fh:
        t0 = time.perf_counter()
        rows = exports.write_workbook(fh.name, result, measures.case_rows(period, chunk_size=CHUNK), on_rows=lambda n: None)
        seconds = time.perf_counter() - t0
        size = os.path.getsize(fh.name)
    return {"seconds": seconds, "rows": rows, "bytes": size}


def run_baseline(start: str, end: str) -> dict:
    from django.db import connection, transaction
    from openpyxl import Workbook

    from approvals.supervision.reports import measures

    period = _period(start, end)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as fh:
        t0 = time.perf_counter()
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("rows")
        ws.append([title for _k, title in measures.CASE_COLUMNS])
        n = 0
        with transaction.atomic():
            connection.ensure_connection()
            with connection.connection.cursor(name="baseline_rows") as cur:
                cur.itersize = CHUNK
                cur.execute(measures.case_rows_sql(), {"start": period.start, "end": period.end})
                for row in cur:
                    ws.append(row)
                    n += 1
        wb.save(fh.name)
        seconds = time.perf_counter() - t0
        size = os.path.getsize(fh.name)
    return {"seconds": seconds, "rows": n, "bytes": size}


def child(mode: str, start: str, end: str, result_path: str) -> None:
    import django

    django.setup()
    out = run_report(start, end, result_path) if mode == "report" else run_baseline(start, end)
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def spawn(mode: str, start: str, end: str, result_path: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", mode, start, end, result_path],
        capture_output=True, text=True, check=True, env=os.environ.copy(),
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--pairs", type=int, default=2, help="interleaved baseline/report pairs (default 2)")
    parser.add_argument("--child", nargs=4, metavar=("MODE", "START", "END", "RESULT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    from report_aggregate import ensure_seeded, setup

    setup()
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection

    from approvals.supervision.reports import services
    from approvals.supervision.reports.periods import Period

    total = ensure_seeded(args.cases)
    with connection.cursor() as cur:
        cur.execute("SELECT max(received_on) FROM approvals_case")
        last = cur.fetchone()[0]
    period = Period.custom(last - timedelta(days=365), last)
    t0 = time.perf_counter()
    result = services.compute(period)
    aggregate_s = time.perf_counter() - t0
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(result, fh, cls=DjangoJSONEncoder)
        result_path = fh.name
    start, end = period.start.isoformat(), period.end.isoformat()
    print(f"cases: {total:,}; one-year window {start} … {end}; year aggregates {aggregate_s:.1f} s")
    try:
        runs: dict[str, list[dict]] = {"baseline": [], "report": []}
        for pair in range(1, args.pairs + 1):  # interleaved: baseline then report, each in a fresh process
            for mode in ("baseline", "report"):
                load = os.getloadavg()[0]
                out = spawn(mode, start, end, result_path)
                out["load"] = load
                runs[mode].append(out)
                print(f"  pair {pair} {mode:8s} {out['rows']:>9,} rows  {out['seconds']:6.1f} s  peak RSS "
                      f"{out['maxrss_mb']:6.0f} MB  {out['bytes'] / 1e6:6.1f} MB file  (load {load:.1f})", flush=True)
            ratio = runs["report"][-1]["seconds"] / runs["baseline"][-1]["seconds"]
            print(f"  pair {pair} ratio report/baseline {ratio:.2f}", flush=True)
    finally:
        os.unlink(result_path)
    best = {mode: min(r["seconds"] for r in rs) for mode, rs in runs.items()}
    ratios = [r["seconds"] / b["seconds"] for b, r in zip(runs["baseline"], runs["report"], strict=True)]
    ratio = best["report"] / best["baseline"]
    rows = {r["rows"] for rs in runs.values() for r in rs}
    report_peak = max(r["maxrss_mb"] for r in runs["report"])
    base_peak = max(r["maxrss_mb"] for r in runs["baseline"])
    print(f"rows {', '.join(f'{n:,}' for n in sorted(rows))}: report best {best['report']:.1f} s vs raw openpyxl best "
          f"{best['baseline']:.1f} s: ratio {ratio:.2f} (pairs: {', '.join(f'{x:.2f}' for x in ratios)}; "
          f"target ≤ 1.3): {'PASS' if max(ratio, *ratios) <= 1.3 else 'FAIL'}")
    print(f"peak RSS of the report process {report_peak:.0f} MB (target ≤ 300 MB): "
          f"{'PASS' if report_peak <= 300 else 'FAIL'}; baseline process {base_peak:.0f} MB")


if __name__ == "__main__":
    main()
