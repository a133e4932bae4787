"""Every measure of September 2026, computed by hand from the fixture's script (conftest.py).

Calendar facts used (2026): Sep 1 is a Tuesday; Sun 09-20 is a make-up working day; Fri 09-25 is
the Mid-Autumn holiday. Working days in (a, b] exclude a.
"""

from datetime import date

import pytest

from approvals.models import Case
from approvals.supervision.reports import measures
from approvals.supervision.reports.periods import Period

SEPTEMBER = Period.month(2026, 9)


def by_code(rows):
    return {r["code"]: r for r in rows}


def test_item_view_matches_hand_count(month):
    rows = by_code(measures.aggregate(SEPTEMBER, measures.BY_ITEM))
    one = rows[month.world.version.item.code]
    two = rows[month.item2.item.code]
    # Item 1 received A, B, C, F, I (G was received in August, H at 00:00 on 10-01).
    assert one["received"] == 5
    assert one["online"] == 4 and one["online_rate"] == pytest.approx(4 / 5)  # B at the window
    assert one["avg_visits"] == pytest.approx(2.0)
    assert one["corrected"] == 1 and one["correction_rate"] == pytest.approx(1 / 5)  # C
    assert (one["accepted"], one["deemed"], one["pledged"], one["not_accepted"]) == (4, 1, 0, 0)  # A, B, C, F(deemed)
    assert (one["decided"], one["approved"], one["closed"]) == (4, 3, 1)  # G, A, B approved; C refused; A closed
    # Working days used: G (08-31 → 09-01) 1; A (09-02 → 09-04) 2; B same day 0;
    # C accepted as of 09-03, decided 09-22: 14 working days (09-04, 07…11, 14…18, 20, 21, 22) minus the
    # 2 paused (09-07, 09-08) = 12 > promised 10 but ≤ statutory 20.
    assert (one["on_time"], one["early"], one["overdue"]) == (3, 3, 0)
    assert one["on_time_rate"] == pytest.approx(3 / 4)
    assert one["avg_used"] == pytest.approx((1 + 2 + 0 + 12) / 4)
    assert (one["avg_promised"], one["avg_statutory"]) == (pytest.approx(10), pytest.approx(20))
    assert one["spot"] == 1 and one["spot_rate"] == pytest.approx(1 / 4)  # B
    # Item 2: D accepted 09-01, +2 days extension, decided 09-11: 8 working days (09-02…04, 07…11)
    # > promised 3+2 and > statutory 5+2 → late and overdue. E not accepted.
    assert (two["received"], two["accepted"], two["not_accepted"], two["decided"]) == (2, 1, 1, 1)
    assert (two["on_time"], two["early"], two["overdue"], two["used_sum"]) == (0, 0, 1, 8)
    assert two["avg_visits"] == 0 and two["correction_rate"] == 0


def test_department_view_and_totals(month):
    rows = measures.aggregate(SEPTEMBER, measures.BY_DEPARTMENT)
    depts = by_code(rows)
    assert set(depts) == {month.world.dept.code, month.dept2.code}
    assert depts[month.world.dept.code]["received"] == 5
    total = measures.totals(rows, supervision=True)
    assert total["received"] == 7 and total["decided"] == 5
    assert total["online_rate"] == pytest.approx(6 / 7)
    assert total["avg_visits"] == pytest.approx((5 * 2 + 2 * 0) / 7)
    assert total["on_time_rate"] == pytest.approx(3 / 5)
    assert total["early_rate"] == pytest.approx(3 / 5)
    assert total["overdue"] == 1
    assert total["avg_used"] == pytest.approx((1 + 2 + 0 + 12 + 8) / 5)
    assert total["avg_promised"] == pytest.approx((4 * 10 + 3) / 5)
    assert total["avg_statutory"] == pytest.approx((4 * 20 + 5) / 5)
    assert total["correction_rate"] == pytest.approx(1 / 7)
    assert total["spot_rate"] == pytest.approx(1 / 5)


def test_on_time_agrees_with_the_clock_modules_stored_due_dates(month):
    decided = Case.objects.filter(decided_on__gte=date(2026, 9, 1), decided_on__lte=date(2026, 9, 30))
    late_by_clock = sum(1 for c in decided if c.decided_on > c.decision_due_promised)
    overdue_by_clock = sum(1 for c in decided if c.decided_on > c.decision_due_statutory)
    total = measures.totals(measures.aggregate(SEPTEMBER, measures.BY_ITEM), supervision=True)
    assert total["decided"] - total["on_time"] == late_by_clock == 2  # C and D
    assert total["overdue"] == overdue_by_clock == 1  # D


def test_october_holds_only_the_midnight_case(month):
    rows = measures.aggregate(Period.month(2026, 10), measures.BY_ITEM)
    total = measures.totals(rows, supervision=True)
    assert (total["received"], total["decided"], total["accepted"]) == (1, 0, 0)
    assert total["on_time_rate"] is None  # nothing decided: no rate rather than 0


def test_quarter_is_the_sum_of_its_months(month):
    q3 = measures.totals(measures.aggregate(Period.quarter(2026, 3), measures.BY_ITEM), supervision=True)
    assert q3["received"] == 8  # G in August + 7 in September
    assert q3["accepted"] == 6 and q3["decided"] == 5  # G accepted in August
