"""Benchmark the working-day clock (approvals/supervision/calendar.py).

    .venv/bin/python bench/working_days.py [--n 1000000]

1. 1,000,000 due dates (random start dates 2025-01-01..2026-09-15, limits 1..60 working days) with
   ``add_working_days_many`` and, as a speed reference, ``numpy.busday_offset`` given the same
   weekday holidays (numpy cannot express make-up working days, so its answers differ whenever a
   period crosses one; it is only a yardstick). Target: ours >= 0.5x numpy's rate.
2. The scalar ``add_working_days`` and ``due_date`` in µs per call (target < 5 µs), against a
   day-by-day loop over ``chinese_calendar.is_workday`` measured in the same run.

The calendar is read from the database named by DATABASE_URL when its calendar table is seeded;
otherwise it is built in memory from the seeding library (the same ``_Calendar.build`` the loader
uses). Either way the timed functions are the production ones.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402

from approvals.supervision import calendar  # noqa: E402
from approvals.supervision.calendar_edit import default_kind  # noqa: E402
from approvals.supervision.calendar_seed import library_entries  # noqa: E402
from approvals.supervision.models import DayKind  # noqa: E402


def load_calendar() -> str:
    try:
        calendar.reload()
        if calendar.confirmed_years() and calendar.confirmed_years()[1] >= 2026:
            return f"database ({django.db.connection.vendor}), years {calendar.confirmed_years()}"
    except Exception as exc:  # no table yet: build from the library instead
        reason = type(exc).__name__
    else:
        reason = "calendar table empty"
    first, last = date(2024, 1, 1), date(2026, 12, 31)
    entries, _ = library_entries(range(2024, 2027))
    kinds = {e.date: e.kind for e in entries}
    flags = []
    d = first
    while d <= last:
        flags.append(kinds.get(d, default_kind(d)) in (DayKind.ORDINARY, DayKind.MAKEUP))
        d += timedelta(days=1)
    settings.CALENDAR_VERSION_CHECK_SECONDS = 0  # no table to check against
    calendar.install(calendar._Calendar.build(first, flags))
    return f"built in memory from the library ({reason}), years (2024, 2026)"


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    args = parser.parse_args()
    source = load_calendar()
    print(f"Calendar: {source}")

    rng = np.random.default_rng(2026)
    span = (np.datetime64("2026-09-15") - np.datetime64("2025-01-01")).astype(int)
    starts = np.datetime64("2025-01-01") + rng.integers(0, span + 1, args.n)
    ns = rng.integers(1, 61, args.n)

    # numpy's reference: Mon-Fri business days minus the weekday holidays of the same calendar.
    days = np.arange(np.datetime64("2024-01-01"), np.datetime64("2027-01-01"))
    weekday_holidays = [
        d for d in days if d.astype(object).weekday() < 5 and not calendar.is_working_day(d.astype(object))
    ]
    cal = np.busdaycalendar(holidays=weekday_holidays)

    ours = calendar.add_working_days_many(starts, ns)
    ref = np.busday_offset(starts, ns, roll="backward", busdaycal=cal)
    t_ours = best_of(lambda: calendar.add_working_days_many(starts, ns))
    t_np = best_of(lambda: np.busday_offset(starts, ns, roll="backward", busdaycal=cal))
    rate_ours, rate_np = args.n / t_ours, args.n / t_np
    print(
        f"add_working_days_many: {rate_ours / 1e6:8.1f} M due dates/s ({t_ours * 1e3:.1f} ms for {args.n:,})"
    )
    print(f"numpy.busday_offset:   {rate_np / 1e6:8.1f} M due dates/s ({t_np * 1e3:.1f} ms)")
    print(f"ratio ours/numpy:      {rate_ours / rate_np:8.2f}x (target >= 0.5x)")
    print(
        f"  (numpy differs on {np.mean(ours != ref) * 100:.1f}% of results: it has no make-up working days)"
    )

    sample = [(s.astype(object), int(n)) for s, n in zip(starts[:200_000], ns[:200_000], strict=True)]
    f = calendar.add_working_days

    def scalar():
        for s, n in sample:
            f(s, n)

    t = best_of(scalar, 3)
    us = t / len(sample) * 1e6
    print(f"add_working_days (scalar): {us:.2f} µs/call (target < 5 µs)")

    pauses = [(date(2025, 3, 3), date(2025, 3, 14)), (date(2025, 3, 10), date(2025, 3, 20))]
    dd = calendar.due_date

    def scalar_due():
        for s, n in sample[:100_000]:
            dd(s, n, pauses, (10,))

    t_due = best_of(scalar_due, 3) / 100_000 * 1e6
    print(f"due_date with 2 pauses + extension (scalar): {t_due:.2f} µs/call")

    import chinese_calendar

    def naive(start, n):
        d = start
        while n:
            d += timedelta(days=1)
            n -= chinese_calendar.is_workday(d)
        return d

    few = sample[:2000]
    t_naive = best_of(lambda: [naive(s, n) for s, n in few], 1) / len(few) * 1e6
    assert all(naive(s, n) == f(s, n) for s, n in few[:200])
    print(
        f"day-by-day loop over chinese_calendar.is_workday: {t_naive:.1f} µs/call (ours {t_naive / us:.0f}x faster)"
    )


if __name__ == "__main__":
    main()
