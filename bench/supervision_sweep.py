"""Benchmark the supervision sweep (approvals/supervision/sweep.py) on PostgreSQL.

    DATABASE_URL=postgres://…/bench_db .venv/bin/python bench/supervision_sweep.py [--open 1000000]

1. Seeding (only what is missing, with progress bars): the base population comes from
   ``manage.py seed_cases`` (departments, items, officers, applicants and realistic cases whose
   dues come from the working-day calendar); the open cases are then topped up to ``--open``
   (default 1,000,000 cases in the states the supervision office watches) by cloning the seeded
   open cases set-based (``INSERT … SELECT … FROM generate_series``, 50,000 per statement), each
   with one transition-log row, so the overdue/nearly-due mix stays the seeded one.
2. The cards and sweep runs of earlier benchmark runs are removed (``TRUNCATE``: the row trigger
   that makes cards permanent does not fire on it; never do this outside a benchmark database).
3. Baseline: one raw ``UPDATE approvals_case SET round = round`` of exactly the rows the sweep's
   clock rules card (open, promised/statutory due passed, or prompt due), committed.
4. The first sweep of the day (full: every clock rule over all open cases, every log rule over the
   whole log, notifications included), committed. Ratio sweep / baseline; target ≤ 1.5.
5. A second sweep the same day with nothing changed (incremental); target < 1 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from tqdm import tqdm  # noqa: E402

from approvals.cases import clock  # noqa: E402
from approvals.models import DECISION_CLOCK_STATES, Case  # noqa: E402
from approvals.supervision import calendar  # noqa: E402
from approvals.supervision.dashboard import WATCHED_STATES  # noqa: E402
from approvals.supervision.sweep import run_sweep  # noqa: E402

PREFIX = "BENCH-"


def _states(states) -> str:
    return ", ".join(f"'{s}'" for s in states)


def open_count() -> int:
    return Case.objects.filter(state__in=WATCHED_STATES).count()


def top_up(target: int, batch: int) -> None:
    missing = target - open_count()
    if missing <= 0:
        return
    columns = [f.column for f in Case._meta.concrete_fields if f.column != "id"]
    select = ", ".join(
        f"'{PREFIX}' || lpad(g::text, 9, '0')" if c == "case_no" else f"t.{c}" for c in columns
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM approvals_case WHERE case_no LIKE '{PREFIX}%%'")
        start = cursor.fetchone()[0] + 1
        cursor.execute("DROP TABLE IF EXISTS bench_templates")
        cursor.execute(
            "CREATE TEMP TABLE bench_templates AS SELECT row_number() OVER (ORDER BY id) AS rn, * "
            f"FROM approvals_case WHERE state IN ({_states(WATCHED_STATES)}) AND case_no NOT LIKE '{PREFIX}%%'"
        )
        cursor.execute("SELECT count(*) FROM bench_templates")
        templates = cursor.fetchone()[0]
        if not templates:
            raise SystemExit("no seeded open case to clone")
        with tqdm(total=missing, unit="case", desc="cloning open cases") as bar:
            done = 0
            while done < missing:
                n = min(batch, missing - done)
                lo, hi = start + done, start + done + n - 1
                with transaction.atomic():
                    cursor.execute(
                        f"INSERT INTO approvals_case ({', '.join(columns)}) SELECT {select} "
                        "FROM generate_series(%s, %s) g JOIN bench_templates t ON t.rn = 1 + (g %% %s)",
                        [lo, hi, templates],
                    )
                    cursor.execute(
                        "INSERT INTO approvals_transitionlog "
                        "(case_id, from_state, to_state, command, actor_id, at, reason, round, details) "
                        "SELECT c.id, 'submitted', c.state, 'accept', NULL, now(), '', 1, '{}'::jsonb "
                        "FROM approvals_case c WHERE c.case_no BETWEEN %s AND %s",
                        [f"{PREFIX}{lo:09d}", f"{PREFIX}{hi:09d}"],
                    )
                done += n
                bar.update(n)


def reset_cards() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE supervision_card, supervision_sweeprun")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE approvals_case")
        cursor.execute("VACUUM ANALYZE approvals_transitionlog")
        cursor.execute("VACUUM ANALYZE supervision_card")


def baseline(today, last_wd, horizon) -> tuple[float, int]:
    """The raw UPDATE of the rows the clock rules card."""
    sql = f"""UPDATE approvals_case c SET round = c.round
               WHERE c.state IN ({_states(DECISION_CLOCK_STATES)})
                 AND (c.decision_due_promised < %s OR c.decision_due_statutory < %s
                      OR (c.decision_due_promised >= %s AND c.decision_due_promised <= %s))"""
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [last_wd, last_wd, today, horizon])
        rows = cursor.rowcount
    return time.perf_counter() - started, rows


def timed_sweep(today):
    started = time.perf_counter()
    run = run_sweep(today)
    return time.perf_counter() - started, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=1_000_000, help="open cases to benchmark with")
    parser.add_argument("--batch", type=int, default=50_000)
    parser.add_argument("--base", type=int, default=20_000, help="cases seeded by seed_cases if the DB is empty")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL benchmark database.")
    calendar.reload()
    if not Case.objects.exists():
        call_command("seed_cases", count=args.base, batch=args.batch, seed=1)
    top_up(args.open, args.batch)
    today = clock.today()
    last_wd = today if calendar.is_working_day(today) else calendar.previous_working_day_before(today)
    horizon = calendar.add_working_days(today, 1)
    print(f"open cases: {open_count():,}; sweep day {today} (last working day {last_wd}, next {horizon})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM approvals_transitionlog")
        print(f"transition-log rows: {cursor.fetchone()[0]:,}")

    reset_cards()
    t_update, rows = baseline(today, last_wd, horizon)
    reset_cards()  # the UPDATE left a dead tuple per row; vacuum so both start from the same table
    t_sweep, run = timed_sweep(today)
    cards = sum(run.counts.values())
    print(f"baseline UPDATE of the candidate rows: {t_update:8.3f} s  ({rows:,} rows)")
    print(f"sweep, first run of the day (full):    {t_sweep:8.3f} s  ({cards:,} cards: {run.counts})")
    print(f"ratio sweep / UPDATE: {t_sweep / t_update:.2f}  (target <= 1.5)")
    t_rerun, rerun = timed_sweep(today)
    print(f"re-run with nothing changed:           {t_rerun:8.3f} s  ({sum(rerun.counts.values())} cards; "
          f"full scan: {rerun.full_scan}; log rows re-read: {rerun.log_to - rerun.log_from:,})  (target < 1 s)")


if __name__ == "__main__":
    main()
