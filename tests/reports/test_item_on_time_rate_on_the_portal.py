"""``item_on_time_rate``: the share of an item's decisions made on time over the last 12 closed
months, read from the report facts (one query, cached), and shown on the portal's item page."""

from datetime import date

import pytest
from django.core.cache import cache

from approvals.cases import services as case_services
from approvals.supervision.reports import facts
from approvals.supervision.reports.selectors import item_on_time_rate, on_time_window

from .conftest import _at


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_window_is_the_last_twelve_closed_months():
    window = on_time_window(date(2026, 10, 12))
    assert (window.start, window.end) == (date(2025, 10, 1), date(2026, 9, 30))
    assert (on_time_window(date(2027, 1, 5)).start, on_time_window(date(2027, 1, 5)).end) == (
        date(2026, 1, 1), date(2026, 12, 31))


def test_rates_by_hand_cached_and_none_without_decisions(month, on_day, django_assert_num_queries):
    facts.refresh()
    one, two = month.world.version.item.code, month.item2.item.code
    with django_assert_num_queries(1):
        rate = item_on_time_rate(one)
    # Item 1 decided G, A, B on time and C late (12 working days > promised 10) in September.
    assert rate == pytest.approx(3 / 4) and rate.rate == "75.0%" and rate.decided == 4
    assert rate.period == "2025年10月至2026年9月"
    late = item_on_time_rate(two)  # D: 8 working days > promised 3 + 2 extension days
    assert late == 0.0 and bool(late) and late.rate == "0.0%"
    assert item_on_time_rate("NO-SUCH-ITEM") is None
    # A decision in October (outside the window) changes nothing; the value is served from the cache.
    _at(on_day, date(2026, 10, 12), 9)
    case_services.start_review(month.cases["F"].pk, officer=month.world.reviewer)
    case_services.decide(month.cases["F"].pk, officer=month.world.approver, approve=True)
    facts.refresh()
    with django_assert_num_queries(0):
        assert item_on_time_rate(one) == pytest.approx(3 / 4)
    cache.clear()
    assert item_on_time_rate(one) == pytest.approx(3 / 4)


def test_portal_item_page_shows_the_rate(month, client):
    facts.refresh()
    page = client.get(f"/guide/items/{month.world.version.item.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-on-time>75.0% (2025年10月至2026年9月)</dd>" in html
