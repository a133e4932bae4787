"""Properties of the clock (Hypothesis) and agreement with both seeding libraries, day by day."""

from datetime import date, timedelta

import chinese_calendar
import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from approvals.supervision.calendar import (
    add_working_days,
    due_date,
    is_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2025, 1, 1), date(2026, 12, 31)
dates = st.dates(min_value=FIRST, max_value=date(2026, 9, 30))
CHINA = holidays.China(years=range(2024, 2028))
hyp = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _all_days():
    d = FIRST
    while d <= LAST:
        yield d
        d += timedelta(days=1)


def test_every_day_of_2025_and_2026_agrees_with_holidays_china_and_chinese_calendar():
    china = CHINA
    for d in _all_days():
        assert is_working_day(d) is china.is_working_day(d), d
        assert is_working_day(d) is chinese_calendar.is_workday(d), d
    for year in (2025, 2026):
        start = date(year - 1, 12, 31)
        assert working_days_between(start, date(year, 12, 31)) == 248
        assert china.get_working_days_count(date(year, 1, 1), date(year, 12, 31)) == 248


@hyp
@given(start=dates, n=st.integers(min_value=0, max_value=60))
def test_add_and_between_are_inverse(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n:
        assert is_working_day(end)
        assert working_days_between(start, end - timedelta(days=1)) == n - 1


@hyp
@given(a=dates, b=dates)
def test_between_counts_the_library_working_days_and_is_antisymmetric(a, b):
    china = CHINA
    lo, hi = min(a, b), max(a, b)
    expected = sum(china.is_working_day(lo + timedelta(i)) for i in range(1, (hi - lo).days + 1))
    assert working_days_between(lo, hi) == expected
    assert working_days_between(b, a) == -working_days_between(a, b)


@hyp
@given(
    start=st.dates(min_value=FIRST, max_value=date(2026, 6, 30)),
    n=st.integers(min_value=0, max_value=40),
    m=st.integers(min_value=0, max_value=40),
)
def test_add_is_monotonic_and_additive(start, n, m):
    assert add_working_days(start, n) <= add_working_days(start, n + m)
    if n < n + m:
        assert add_working_days(start, n) < add_working_days(start, n + m)
    assert add_working_days(add_working_days(start, n), m) == add_working_days(start, n + m)


@hyp
@given(a=dates, b=dates, n=st.integers(min_value=1, max_value=40))
def test_later_start_never_gives_an_earlier_deadline(a, b, n):
    earlier, later = sorted((a, b))
    assert add_working_days(earlier, n) <= add_working_days(later, n)


def _reference_due_date(start, limit, pauses, extensions):
    """Day-by-day walk: count working days after start that no pause covers."""
    paused = {p0 + timedelta(i) for p0, p1 in pauses for i in range((p1 - p0).days + 1)}
    remaining, d = limit + sum(extensions), start
    while remaining:
        d += timedelta(days=1)
        if is_working_day(d) and d not in paused:
            remaining -= 1
    return d


pause = st.tuples(st.dates(min_value=date(2024, 12, 1), max_value=date(2026, 3, 1)), st.integers(0, 20)).map(
    lambda t: (t[0], t[0] + timedelta(days=t[1]))
)


@hyp
@given(
    start=st.dates(min_value=FIRST, max_value=date(2026, 2, 1)),
    limit=st.integers(min_value=0, max_value=45),
    pauses=st.lists(pause, max_size=5),
    extensions=st.lists(st.integers(min_value=0, max_value=15), max_size=2),
)
def test_due_date_skips_exactly_the_paused_working_days(start, limit, pauses, extensions):
    assert due_date(start, limit, pauses, extensions) == _reference_due_date(start, limit, pauses, extensions)
