"""The SQL path: working days between two date columns computed inside the database agree with the
clock, stay right after edits, and survive a flushed database (re-seeded on post_migrate)."""

import threading
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.models import Value

from approvals.items.models import ItemVersion
from approvals.supervision import calendar as clock
from approvals.supervision.calendar import working_days_between, working_days_between_sql, working_index_of
from approvals.supervision.calendar_edit import set_day
from approvals.supervision.models import CalendarChange, CalendarDay, CalendarVersion, DayKind
from tests import factories


def _index_is_cumulative() -> bool:
    running, ok = 0, True
    for working, index in CalendarDay.objects.order_by("date").values_list("is_working_day", "working_index"):
        running += working
        ok &= index == running
    return ok


@pytest.mark.django_db
def test_working_days_from_a_fixed_date_to_every_date_match_the_clock(django_assert_num_queries):
    start = date(2025, 1, 1)
    with django_assert_num_queries(1):
        rows = list(
            CalendarDay.objects.filter(date__year__in=[2025, 2026])
            .annotate(used=working_days_between_sql(Value(start), "date"))
            .values_list("date", "used")
        )
    assert len(rows) == 730
    for d, used in rows:
        assert used == working_days_between(start, d), d


@pytest.mark.django_db
def test_working_days_between_two_date_columns_in_one_query(django_assert_num_queries):
    pairs = [
        (date(2026, 9, 18), date(2026, 10, 22)),
        (date(2025, 12, 31), date(2026, 1, 5)),
        (date(2026, 3, 9), date(2026, 3, 2)),
    ]
    for first, until in [*pairs, (date(2026, 3, 2), date(2040, 1, 1))]:  # the last is not confirmed
        version = factories.item_version(publish=False)
        ItemVersion.objects.filter(pk=version.pk).update(effective_from=first, effective_to=until)
    with django_assert_num_queries(1):
        got = list(
            ItemVersion.objects.filter(effective_to__isnull=False)
            .annotate(
                used=working_days_between_sql("effective_from", "effective_to"),
                end_index=working_index_of("effective_to"),
            )
            .values_list("effective_from", "effective_to", "used", "end_index")
        )
    by_pair = {(a, b): used for a, b, used, _ in got}
    assert by_pair[pairs[0]] == 20
    assert by_pair[pairs[1]] == 2
    assert by_pair[pairs[2]] == -5
    assert by_pair[(date(2026, 3, 2), date(2040, 1, 1))] is None


@pytest.mark.django_db
def test_index_is_recomputed_in_the_same_transaction_after_an_edit():
    with transaction.atomic():
        set_day(date(2025, 6, 10), kind=DayKind.HOLIDAY, note="local")
        set_day(date(2026, 2, 28), kind=DayKind.WEEKEND)  # a make-up Saturday given back
        assert _index_is_cumulative()
        used = (
            CalendarDay.objects.filter(date=date(2026, 3, 2))
            .annotate(used=working_days_between_sql(Value(date(2025, 6, 1)), "date"))
            .values_list("used", flat=True)
            .get()
        )
        assert used == working_days_between(date(2025, 6, 1), date(2026, 3, 2))
        transaction.set_rollback(True)
    clock.reload()
    assert _index_is_cumulative()


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_is_reseeded_by_post_migrate():
    first, last = clock.confirmed_years()
    call_command("flush", interactive=False, verbosity=0)
    assert CalendarDay.objects.filter(date__year=last).count() in (365, 366)
    assert clock.confirmed_years() == (first, last)
    assert clock.add_working_days(date(2026, 9, 18), 20) == date(2026, 10, 22)
    assert _index_is_cumulative()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_are_serialised_and_the_index_stays_right():
    """Two administrators edit different dates at the same moment on PostgreSQL."""
    version_before = CalendarVersion.objects.get(pk=1).version
    barrier = threading.Barrier(2)
    errors = []

    def edit(d):
        try:
            barrier.wait()
            set_day(d, kind=DayKind.HOLIDAY, note="concurrent")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(d,)) for d in (date(2026, 3, 3), date(2026, 3, 4))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert CalendarVersion.objects.get(pk=1).version == version_before + 2
    assert CalendarChange.objects.filter(new_note="concurrent").count() == 2
    assert _index_is_cumulative()
    clock.reload()
    assert clock.add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 5)
    assert connection.vendor == "postgresql"
    # The flush after this test re-seeds the library calendar (post_migrate) for the next tests.


@pytest.mark.django_db
def test_clock_is_restored_after_the_transactional_tests():
    assert clock.add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)
    assert clock.is_working_day(date(2026, 3, 4))
    d = date(2026, 3, 2)
    assert CalendarDay.objects.get(date=d + timedelta(days=1)).kind == DayKind.ORDINARY
