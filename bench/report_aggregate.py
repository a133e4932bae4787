"""Benchmark: the monthly transparency report's aggregates on PostgreSQL with 1,000,000 cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/report_aggregate.py [--cases 1000000]

Prepares the database with ``ensure_seeded`` (``manage.py seed_cases`` with its progress bar, then
exactly ``--cases`` cases all received within one year, the log details the services write, and
the report facts rebuilt from the log: see its docstring), then times, for the busiest closed
month, a cold run and ``--repeat`` warm runs of:

- the report's aggregates as the report task computes them (``services.compute``: an incremental
  refresh of the report facts from the log, both views with the supervision measures) plus the
  watermark query;
- baseline: one plain ``SELECT command, count(*) … GROUP BY command`` over the same month's log rows
  (the least any log-based report must read).

Each line shows the 1-minute load average when it started (the machine may be shared).
Target: the monthly aggregate report in under 10 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def setup() -> None:
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")


def _scalar(sql: str, params=None):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params or [])
        return cur.fetchone()[0]


#: Cases received more than a year before the latest receipt are moved forward 46 weeks (322
#: days: the weekday is kept; a case 366 days back lands 44 days back, so nothing moves into the
#: future), twice for the seed's oldest (up to 720 days back).
FOLD_DAYS = 322
CASE_DATES = (
    "created_at", "received_at", "received_on", "complete_on", "accepted_on", "decided_at", "decided_on",
    "issued_at", "delivered_at", "closed_at", "intake_due", "decision_due_promised", "decision_due_statutory",
    "pledge_due", "licence_issue_due",
)


def ensure_seeded(cases: int) -> int:
    """Make the database hold exactly ``cases`` received cases, all received within one year (366
    days ending on the latest receipt date), with the log rows the case services would have
    written; returns the case count. Idempotent: a database already in that state is reused.

    1. ``manage.py seed_cases`` (progress bar) until at least ``cases`` cases are received (its
       drafts, 3 %, have no receipt);
    2. the seed spreads closed cases over up to 720 days: those received more than a year back are moved
       ``FOLD_DAYS`` forward, with their log rows (one UPDATE each);
    3. surplus received cases (the newest ids) and the drafts are deleted, so the one-year workbook
       has exactly ``cases`` case rows and the database exactly ``cases`` cases;
    4. the seeded log rows get the ``details`` the case services write (``accepted_on`` on
       acceptance rows, ``decided_on`` on decisions; the seed command writes ``{"seeded": true}``);
    5. if anything changed, the report facts are rebuilt from the log (timed) and the tables
       VACUUM ANALYZEd.
    """
    from django.core.management import call_command
    from django.db import connection, transaction

    from approvals.models import Case
    from approvals.supervision.reports import facts

    call_command("migrate", verbosity=0)
    received_sql = "SELECT count(*) FROM approvals_case WHERE received_on IS NOT NULL"
    changed = False
    while (have := _scalar(received_sql)) < cases:
        missing = cases - have
        print(f"seeding {missing} received cases (have {have:,}) …", flush=True)
        call_command("seed_cases", count=missing + missing * 4 // 100 + 10)
        changed = True
    last = _scalar("SELECT max(received_on) FROM approvals_case")
    while True:  # the seed reaches 720 days back: two moves bring its oldest cases into the year
        with transaction.atomic(), connection.cursor() as cur:
            t0 = time.perf_counter()
            cur.execute(
                """
                UPDATE approvals_transitionlog l
                   SET at = l.at + %s * interval '1 day', details = l.details - 'accepted_on' - 'decided_on'
                  FROM approvals_case c
                 WHERE c.id = l.case_id AND c.received_on < %s::date - 365
                """,
                [FOLD_DAYS, last],
            )
            moved_log = cur.rowcount
            shift = ", ".join(f"{col} = {col} + %(days)s * interval '1 day'" for col in CASE_DATES)
            cur.execute(
                f"UPDATE approvals_case SET {shift} WHERE received_on < %(last)s::date - 365",
                {"days": FOLD_DAYS, "last": last},
            )
            if not cur.rowcount:
                break
            changed = True
            print(f"moved {cur.rowcount:,} cases ({moved_log:,} log rows) {FOLD_DAYS} days forward into the "
                  f"year ending {last} ({time.perf_counter() - t0:.1f} s)", flush=True)
    surplus = _scalar(received_sql) - cases
    drafts = _scalar("SELECT count(*) FROM approvals_case WHERE received_on IS NULL")
    if surplus > 0 or drafts:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT id FROM approvals_case WHERE received_on IS NOT NULL ORDER BY id DESC LIMIT %s", [max(surplus, 0)]
            )
            doomed = [r[0] for r in cur.fetchall()]
        t0 = time.perf_counter()
        Case.objects.filter(pk__in=doomed).delete()
        Case.objects.filter(received_on__isnull=True).delete()
        changed = True
        print(f"deleted {len(doomed):,} surplus received cases and {drafts:,} drafts "
              f"({time.perf_counter() - t0:.1f} s)", flush=True)
    with connection.cursor() as cur:
        t0 = time.perf_counter()
        cur.execute(
            """
            UPDATE approvals_transitionlog l
               SET details = l.details || jsonb_build_object('accepted_on', c.accepted_on::text)
              FROM approvals_case c
             WHERE c.id = l.case_id AND l.command IN ('accept', 'accept_with_pledge', 'deem_accepted')
               AND l.details ? 'seeded' AND NOT l.details ? 'accepted_on' AND c.accepted_on IS NOT NULL
            """
        )
        accepted = cur.rowcount
        cur.execute(
            """
            UPDATE approvals_transitionlog l
               SET details = l.details || jsonb_build_object('decided_on', c.decided_on::text,
                                                             'approve', c.decision = 'approved')
              FROM approvals_case c
             WHERE c.id = l.case_id AND l.command = 'decide'
               AND l.details ? 'seeded' AND NOT l.details ? 'decided_on' AND c.decided_on IS NOT NULL
            """
        )
        decided = cur.rowcount
        if accepted or decided:
            changed = True
            print(f"completed seeded log details: {accepted} acceptances, {decided} decisions "
                  f"({time.perf_counter() - t0:.1f} s)", flush=True)
        if changed:
            for table in ("approvals_transitionlog", "approvals_case"):
                cur.execute(f"VACUUM ANALYZE {table}")  # the UPDATEs left a dead version of each row
    if changed:
        t0 = time.perf_counter()
        done = facts.refresh(rebuild=True)
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE reports_reportfact")
        print(f"report facts rebuilt from the whole log: {done['facts']:,} fact rows in "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
    return _scalar("SELECT count(*) FROM approvals_case")


def busiest_month():
    from django.db import connection

    from approvals.supervision.reports.periods import Period

    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT date_trunc('month', at AT TIME ZONE 'Asia/Shanghai') AS m, count(*)
              FROM approvals_transitionlog
             WHERE at < date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'
             GROUP BY 1 ORDER BY 2 DESC LIMIT 1
            """
        )
        month, rows = cur.fetchone()
    return Period.month(month.year, month.month), rows


def timed(fn, *args):
    t0 = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - t0, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="warm runs after the cold one (default 3)")
    args = parser.parse_args()
    setup()
    from django.db import connection

    from approvals.supervision.reports import facts, measures, services

    total_cases = ensure_seeded(args.cases)
    period, month_rows = busiest_month()
    log_rows = _scalar("SELECT count(*) FROM approvals_transitionlog")
    lo, hi = period.bounds()
    month_facts = _scalar("SELECT count(*) FROM reports_reportfact WHERE at >= %s AND at < %s", [lo, hi])
    print(f"cases: {total_cases:,}  log rows: {log_rows:,}  month {period.slug}: {month_rows:,} log rows, "
          f"{month_facts:,} fact rows")

    def baseline():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT command, count(*) FROM approvals_transitionlog WHERE at >= %s AND at < %s GROUP BY command",
                [lo, hi],
            )
            return cur.fetchall()

    def report():
        # What the report task does before writing files: bring the facts up to date with the log
        # (incremental), both views with the supervision measures, and the watermark.
        return services.compute(period), measures.watermark(period)

    t0 = time.perf_counter()
    step = facts.refresh()
    print(f"incremental fact refresh with nothing new: {time.perf_counter() - t0:.2f} s ({step})")
    timings = []
    for i in range(1 + args.repeat):
        label = "cold" if i == 0 else f"warm {i}"
        load = os.getloadavg()[0]
        base_s, _counts = timed(baseline)
        report_s, (result, _mark) = timed(report)
        timings.append(report_s)
        total = result["total"]
        print(
            f"[{label}] load {load:.1f} | baseline GROUP BY command: {base_s:.2f} s | report (refresh + 2 views "
            f"+ supervision + watermark): {report_s:.2f} s | {len(result['by_item'])} items, "
            f"{len(result['by_department'])} departments",
            flush=True,
        )
    print(
        f"month totals: received {total['received']:,}, accepted {total['accepted']:,}, decided {total['decided']:,}, "
        f"on-time rate {total['on_time_rate'] or 0:.1%}, avg working days used {total['avg_used'] or 0:.2f}"
    )
    worst = max(timings)
    print(f"monthly aggregate report: cold {timings[0]:.2f} s, worst {worst:.2f} s, best {min(timings):.2f} s "
          f"(target < 10 s): {'PASS' if worst < 10 else 'FAIL'}; 1-min load average now {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
