"""The legal clock (domain.md section 3): working days, the 2025/2026 official schedules, pauses,
extensions and refusal outside the confirmed years."""

from datetime import date, timedelta

import numpy as np
import pytest

from approvals.supervision import calendar as clock
from approvals.supervision.calendar import (
    CalendarNotConfirmed,
    add_working_days,
    add_working_days_many,
    due_date,
    is_working_day,
    working_days_between,
)
from approvals.supervision.models import CalendarDay, DayKind

pytestmark = pytest.mark.django_db


def _days(first: date, last: date) -> set[date]:
    return {first + timedelta(i) for i in range((last - first).days + 1)}


# State Council General Office notice on the 2026 holiday schedule (国办发明电〔2025〕号, Nov 2025).
HOLIDAYS_2026 = (
    _days(date(2026, 1, 1), date(2026, 1, 3))  # 元旦
    | _days(date(2026, 2, 15), date(2026, 2, 23))  # 春节
    | _days(date(2026, 4, 4), date(2026, 4, 6))  # 清明
    | _days(date(2026, 5, 1), date(2026, 5, 5))  # 劳动节
    | _days(date(2026, 6, 19), date(2026, 6, 21))  # 端午
    | _days(date(2026, 9, 25), date(2026, 9, 27))  # 中秋
    | _days(date(2026, 10, 1), date(2026, 10, 7))  # 国庆
)
MAKEUP_2026 = {
    date(2026, 1, 4),  # Sun, 元旦
    date(2026, 2, 14),  # Sat, 春节
    date(2026, 2, 28),  # Sat, 春节
    date(2026, 5, 9),  # Sat, 劳动节
    date(2026, 9, 20),  # Sun, 国庆
    date(2026, 10, 10),  # Sat, 国庆
}
# 2025 notice (国办发明电〔2024〕12号).
HOLIDAYS_2025 = (
    {date(2025, 1, 1)}
    | _days(date(2025, 1, 28), date(2025, 2, 4))
    | _days(date(2025, 4, 4), date(2025, 4, 6))
    | _days(date(2025, 5, 1), date(2025, 5, 5))
    | _days(date(2025, 5, 31), date(2025, 6, 2))
    | _days(date(2025, 10, 1), date(2025, 10, 8))
)
MAKEUP_2025 = {date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28), date(2025, 10, 11)}


def _expected_working(d: date, holidays: set[date], makeup: set[date]) -> bool:
    return d in makeup or (d.weekday() < 5 and d not in holidays)


def test_twenty_working_days_after_friday_18_september_2026_is_thursday_22_october():
    assert add_working_days(date(2026, 9, 18), 20) == date(2026, 10, 22)
    assert due_date(date(2026, 9, 18), 20) == date(2026, 10, 22)
    assert working_days_between(date(2026, 9, 18), date(2026, 10, 22)) == 20


@pytest.mark.parametrize(
    ("year", "holidays", "makeup"), [(2025, HOLIDAYS_2025, MAKEUP_2025), (2026, HOLIDAYS_2026, MAKEUP_2026)]
)
def test_every_day_follows_the_state_council_schedule(year, holidays, makeup):
    days = {row.date: row for row in CalendarDay.objects.filter(date__year=year)}
    assert len(days) == (date(year + 1, 1, 1) - date(year, 1, 1)).days
    for d, row in days.items():
        expected = _expected_working(d, holidays, makeup)
        assert is_working_day(d) is expected, d
        assert row.is_working_day is expected, d
        if d in makeup:
            assert row.kind == DayKind.MAKEUP, d
        elif d in holidays and d.weekday() < 5:
            assert row.kind == DayKind.HOLIDAY, d
        elif d not in holidays:
            assert row.kind == (DayKind.WEEKEND if d.weekday() >= 5 else DayKind.ORDINARY), d
    assert sum(map(is_working_day, days)) == 248


def test_make_up_sunday_counts_and_weekend_inside_a_holiday_does_not():
    assert is_working_day(date(2026, 9, 20))  # Sunday, make-up for 国庆
    assert not is_working_day(date(2026, 9, 19))  # ordinary Saturday
    assert not is_working_day(date(2026, 10, 5))  # Monday inside 国庆
    assert add_working_days(date(2026, 9, 19), 1) == date(2026, 9, 20)


def test_year_boundaries():
    # 2026-01-01..03 are 元旦 and Sunday 01-04 is worked.
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert add_working_days(date(2025, 12, 30), 1) == date(2025, 12, 31)
    assert add_working_days(date(2024, 12, 31), 1) == date(2025, 1, 2)
    assert working_days_between(date(2025, 12, 31), date(2026, 1, 5)) == 2
    assert working_days_between(date(2025, 12, 26), date(2026, 1, 5)) == 5


def test_zero_days_is_the_start_and_the_start_day_is_not_counted():
    saturday = date(2026, 3, 7)
    assert add_working_days(saturday, 0) == saturday
    assert add_working_days(saturday, 1) == date(2026, 3, 9)
    assert add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 10)
    with pytest.raises(ValueError):
        add_working_days(saturday, -1)


def test_working_days_between_is_half_open_and_negative_backwards():
    monday, friday = date(2026, 3, 2), date(2026, 3, 6)
    assert working_days_between(monday, friday) == 4
    assert working_days_between(friday, monday) == -4
    assert working_days_between(monday, monday) == 0
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 8)) == 0  # the weekend


def test_refuses_dates_past_the_last_confirmed_year_and_before_the_first():
    first, last = clock.confirmed_years()
    with pytest.raises(CalendarNotConfirmed) as exc:
        add_working_days(date(last, 12, 20), 30)
    assert exc.value.year == last + 1
    assert str(last + 1) in str(exc.value)
    for call in (
        lambda: is_working_day(date(last + 1, 1, 1)),
        lambda: working_days_between(date(last, 12, 1), date(last + 1, 1, 2)),
        lambda: due_date(date(last, 12, 1), 5, pauses=[(date(last, 12, 2), date(last, 12, 31))]),
        lambda: add_working_days_many([date(last, 12, 30)], [10]),
    ):
        with pytest.raises(CalendarNotConfirmed) as exc:
            call()
        assert exc.value.year == last + 1
    with pytest.raises(CalendarNotConfirmed) as exc:
        is_working_day(date(first - 1, 12, 31))
    assert exc.value.year == first - 1
    with pytest.raises(CalendarNotConfirmed):
        add_working_days_many([date(first - 1, 12, 31)], [1])


# --- pauses (special procedures, Art. 45) and extensions (Art. 42) -----------------------------

MON = date(2026, 3, 2)  # March 2026 has no holiday: Mon 03-02 + 5 working days = Mon 03-09


@pytest.mark.parametrize(
    ("pauses", "expected"),
    [
        ([], date(2026, 3, 9)),
        ([(date(2026, 3, 3), date(2026, 3, 4))], date(2026, 3, 11)),  # two working days
        (
            [(date(2026, 3, 3), date(2026, 3, 4)), (date(2026, 3, 4), date(2026, 3, 5))],
            date(2026, 3, 12),
        ),  # overlap
        (
            [(date(2026, 3, 3), date(2026, 3, 4)), (date(2026, 3, 3), date(2026, 3, 4))],
            date(2026, 3, 11),
        ),  # same
        (
            [(date(2026, 3, 3), date(2026, 3, 3)), (date(2026, 3, 4), date(2026, 3, 4))],
            date(2026, 3, 11),
        ),  # touch
        ([(date(2026, 3, 7), date(2026, 3, 8))], date(2026, 3, 9)),  # only a weekend
        ([(date(2026, 2, 25), date(2026, 3, 3))], date(2026, 3, 10)),  # starts before the start date
        ([(date(2026, 2, 20), date(2026, 3, 2))], date(2026, 3, 9)),  # ends on the start date
        ([(date(2026, 3, 10), date(2026, 3, 13))], date(2026, 3, 9)),  # wholly after the deadline
        ([(date(2026, 3, 9), date(2026, 3, 9))], date(2026, 3, 10)),  # covers the deadline itself
        # the first pause moves the deadline onto the second, which moves it again
        ([(date(2026, 3, 6), date(2026, 3, 6)), (date(2026, 3, 10), date(2026, 3, 11))], date(2026, 3, 12)),
        ([(date(2026, 3, 10), date(2026, 3, 11)), (date(2026, 3, 6), date(2026, 3, 6))], date(2026, 3, 12)),
    ],
)
def test_pauses_move_the_due_date_by_the_paused_working_days(pauses, expected):
    assert due_date(MON, 5, pauses=pauses) == expected


def test_pause_over_a_holiday_block_counts_only_its_working_days():
    # 2026-09-24 (Thu) .. 10-09 (Fri): working days 09-24, 28, 29, 30, 10-08, 10-09 = 6.
    plain = due_date(date(2026, 9, 18), 20)
    paused = due_date(date(2026, 9, 18), 20, pauses=[(date(2026, 9, 24), date(2026, 10, 9))])
    assert paused == add_working_days(plain, 6)


def test_extension_adds_working_days():
    assert due_date(date(2026, 9, 18), 20, extensions=[10]) == date(2026, 11, 5)
    assert due_date(date(2026, 9, 18), 20, extensions=[10]) == add_working_days(date(2026, 9, 18), 30)
    assert due_date(MON, 5, pauses=[(date(2026, 3, 3), date(2026, 3, 3))], extensions=[2, 1]) == date(
        2026, 3, 13
    )


def test_bad_pause_is_refused():
    with pytest.raises(ValueError):
        due_date(MON, 5, pauses=[(date(2026, 3, 5), date(2026, 3, 3))])


def test_batch_matches_the_scalar_function():
    rng = np.random.default_rng(7)
    starts = np.datetime64("2025-01-01") + rng.integers(0, 600, 2000)
    ns = rng.integers(0, 61, 2000)
    got = add_working_days_many(starts, ns)
    for s, n, g in zip(starts.tolist(), ns.tolist(), got.tolist(), strict=True):
        assert g == add_working_days(s, n)
    assert add_working_days_many([date(2026, 9, 18)], 20)[0] == np.datetime64("2026-10-22")


def test_deadlines_cost_no_query(django_assert_num_queries):
    is_working_day(date(2026, 1, 1))  # loaded by the session fixture; make sure
    with django_assert_num_queries(0):
        add_working_days(date(2026, 9, 18), 20)
        due_date(date(2026, 9, 18), 20, pauses=[(date(2026, 9, 24), date(2026, 10, 9))], extensions=[10])
        working_days_between(date(2025, 1, 1), date(2026, 12, 31))
        add_working_days_many([date(2026, 1, 5)] * 10, 3)
