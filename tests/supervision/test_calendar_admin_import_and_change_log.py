"""Administrators keep the calendar: next year's schedule by import (admin page, command), local
adjustments, a change log of every edit, and a clock that follows each change at once."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import User
from approvals.supervision import calendar as clock
from approvals.supervision.calendar import CalendarNotConfirmed, add_working_days, is_working_day
from approvals.supervision.calendar_edit import set_day
from approvals.supervision.calendar_import import import_schedule
from approvals.supervision.calendar_seed import seed_calendar
from approvals.supervision.models import (
    CalendarChange,
    CalendarDay,
    CalendarVersion,
    CalendarYear,
    DayKind,
    DaySource,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sandbox(db):
    """Calendar edits inside a savepoint that is rolled back, then the clock reloaded, so the
    next test sees the seeded calendar again in the database and in memory."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    clock.reload()


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("caladmin", "caladmin@example.com", "pw-Calendar-1")


def _next_year() -> int:
    return clock.confirmed_years()[1] + 1


def _first(year: int, weekday: int) -> date:
    d = date(year, 1, 1)
    while d.weekday() != weekday:
        d += timedelta(days=1)
    return d


def _schedule(year: int):
    """A small official schedule: New Year's Day off, the first Saturday worked, Feb 10–12 off."""
    makeup = _first(year, 5) + timedelta(days=7)
    rows = [("date", "kind", "note"), (date(year, 1, 1), "holiday", "元旦")]
    rows += [(date(year, 2, d), "节假日", "春节") for d in (10, 11, 12)]
    rows.append((makeup, "调休上班", "春节 调休上班"))
    return rows, makeup


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_admin_imports_next_years_schedule_and_it_becomes_computable(sandbox, admin_user, client):
    year = _next_year()
    with pytest.raises(CalendarNotConfirmed):
        add_working_days(date(year - 1, 12, 20), 20)
    rows, makeup = _schedule(year)
    client.force_login(admin_user)
    upload = io.BytesIO(_xlsx(rows))
    upload.name = f"schedule-{year}.xlsx"
    response = client.post(reverse("admin:supervision_calendarday_import"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]

    assert CalendarYear.objects.get(year=year).source == DaySource.ADMIN
    assert (
        CalendarDay.objects.filter(date__year=year).count() == (date(year + 1, 1, 1) - date(year, 1, 1)).days
    )
    assert not is_working_day(date(year, 1, 1))
    assert is_working_day(makeup)
    for d in (10, 11, 12):
        assert not is_working_day(date(year, 2, d))
        assert CalendarDay.objects.get(date=date(year, 2, d)).kind == DayKind.HOLIDAY
    assert CalendarDay.objects.get(date=makeup).kind == DayKind.MAKEUP
    assert add_working_days(date(year - 1, 12, 20), 20) > date(year - 1, 12, 31)
    assert clock.working_days_between(date(year - 1, 12, 31), makeup) == sum(
        is_working_day(date(year, 1, 1) + timedelta(i)) for i in range((makeup - date(year, 1, 1)).days + 1)
    )
    logged = CalendarChange.objects.filter(year=year)
    assert logged.filter(action=CalendarChange.Action.CONFIRM_YEAR, changed_by=admin_user).count() == 1
    day_log = logged.get(action=CalendarChange.Action.UPDATE_DAY, date=makeup)
    assert (day_log.old_kind, day_log.new_kind, day_log.changed_by) == (
        DayKind.WEEKEND,
        DayKind.MAKEUP,
        admin_user,
    )
    assert day_log.old_is_working_day is False and day_log.new_is_working_day is True


def test_import_reports_every_bad_row_and_writes_nothing(sandbox):
    year = _next_year()
    monday = _first(year, 0)
    rows = [
        ("date", "kind", "note"),
        (f"{year}-13-01", "holiday", ""),
        (date(year, 1, 1).isoformat(), "feast", ""),
        (monday.isoformat(), "weekend", ""),
        (monday.isoformat(), "holiday", ""),
        (monday.isoformat(), "holiday", "again"),
    ]
    content = "\n".join(",".join(map(str, r)) for r in rows).encode()
    before = (CalendarChange.objects.count(), CalendarDay.objects.count())
    with pytest.raises(ValidationError) as exc:
        import_schedule(content, "bad.csv")
    messages = exc.value.messages
    assert [m.split(":")[0] for m in messages] == ["Row 2", "Row 3", "Row 4", "Row 6"]
    assert (CalendarChange.objects.count(), CalendarDay.objects.count()) == before
    assert not CalendarYear.objects.filter(year=year).exists()


def test_a_year_cannot_be_skipped(sandbox):
    year = _next_year() + 1
    with pytest.raises(ValidationError) as exc:
        import_schedule(f"{year}-01-01,holiday,元旦\n".encode(), "skip.csv")
    assert str(year - 1) in " ".join(exc.value.messages)
    assert not CalendarYear.objects.filter(year=year).exists()


def test_command_imports_a_csv_with_an_adjustment_of_the_current_last_year(sandbox, tmp_path, admin_user):
    year = _next_year()
    last_saturday = date(year - 1, 12, 31)
    while last_saturday.weekday() != 5:
        last_saturday -= timedelta(days=1)
    path = tmp_path / "next.csv"
    path.write_text(
        f"日期,类型,备注\n{year}-01-01,holiday,元旦\n{last_saturday.isoformat()},makeup,元旦 调休上班\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("calendar", "import", str(path), "--user", admin_user.username, stdout=out)
    assert f"Confirmed year(s): {year}" in out.getvalue()
    assert is_working_day(last_saturday)
    change = CalendarChange.objects.get(date=last_saturday)
    assert (change.old_kind, change.new_kind, change.changed_by) == (
        DayKind.WEEKEND,
        DayKind.MAKEUP,
        admin_user,
    )
    with pytest.raises(CommandError):
        call_command("calendar", "import", str(tmp_path / "missing.csv"), stdout=io.StringIO())


def test_local_adjustment_is_logged_and_the_clock_and_index_follow_at_once(sandbox, admin_user):
    wednesday = date(2026, 3, 4)
    assert add_working_days(date(2026, 3, 3), 1) == wednesday
    version = CalendarVersion.objects.get(pk=1).version
    row = set_day(
        wednesday, kind=DayKind.HOLIDAY, note="local festival", user=admin_user, reason="county notice"
    )
    assert row.is_working_day is False
    assert not is_working_day(wednesday)
    assert add_working_days(date(2026, 3, 3), 1) == date(2026, 3, 5)
    assert CalendarVersion.objects.get(pk=1).version == version + 1
    change = CalendarChange.objects.get(date=wednesday)
    assert change.changed_by == admin_user and change.changed_at is not None
    assert (change.old_kind, change.new_kind, change.old_note, change.new_note) == (
        DayKind.ORDINARY,
        DayKind.HOLIDAY,
        "",
        "local festival",
    )
    assert (change.old_is_working_day, change.new_is_working_day, change.reason) == (
        True,
        False,
        "county notice",
    )
    # The SQL index after the change still counts exactly the working days.
    idx = dict(
        CalendarDay.objects.filter(date__gte=date(2026, 3, 2)).values_list("date", "working_index")[:5]
    )
    assert (
        idx[date(2026, 3, 4)] == idx[date(2026, 3, 3)] and idx[date(2026, 3, 5)] == idx[date(2026, 3, 3)] + 1
    )
    # Setting the same values again changes nothing and logs nothing.
    set_day(wednesday, kind=DayKind.HOLIDAY, note="local festival", user=admin_user)
    assert CalendarChange.objects.filter(date=wednesday).count() == 1


def test_kind_must_fit_the_weekday(sandbox):
    with pytest.raises(ValidationError):
        set_day(date(2026, 3, 4), kind=DayKind.MAKEUP)  # a Wednesday cannot be a make-up day
    with pytest.raises(ValidationError):
        set_day(date(2026, 3, 7), kind=DayKind.ORDINARY)  # a worked Saturday is a make-up day
    with pytest.raises(ValidationError):
        set_day(date(_next_year(), 3, 4), kind=DayKind.HOLIDAY)  # year not confirmed
    assert not CalendarChange.objects.filter(date__in=[date(2026, 3, 4), date(2026, 3, 7)]).exists()


def test_admin_edit_goes_through_the_service(sandbox, admin_user, client):
    client.force_login(admin_user)
    saturday = date(2026, 3, 7)
    url = reverse("admin:supervision_calendarday_change", args=[saturday.isoformat()])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "makeup", "note": "出差日 调休", "reason": "local"})
    assert response.status_code == 302
    assert is_working_day(saturday)
    change = CalendarChange.objects.get(date=saturday)
    assert (change.changed_by, change.new_kind, change.reason) == (admin_user, DayKind.MAKEUP, "local")
    bad = client.post(
        reverse("admin:supervision_calendarday_change", args=["2026-03-09"]), {"kind": "weekend"}
    )
    assert bad.status_code == 200 and CalendarDay.objects.get(date=date(2026, 3, 9)).kind == DayKind.ORDINARY
    assert client.get(reverse("admin:supervision_calendarday_import")).status_code == 200
    assert client.get(reverse("admin:supervision_calendarchange_changelist")).status_code == 200


def test_sandbox_rollback_restores_the_clock(sandbox):
    # Runs after the edits above in this module: the seeded schedule is intact in memory and in SQL.
    assert is_working_day(date(2026, 3, 4)) and not is_working_day(date(2026, 3, 7))
    assert not CalendarChange.objects.filter(action=CalendarChange.Action.UPDATE_DAY).exists()


def test_another_process_change_is_seen_after_the_version_check(sandbox, settings, monkeypatch):
    """Simulate another process: rows and version changed without this process's signals."""
    settings.CALENDAR_VERSION_CHECK_SECONDS = 1
    wednesday = date(2026, 3, 4)
    is_working_day(wednesday)
    clock.reload()
    CalendarDay.objects.filter(date=wednesday).update(kind=DayKind.HOLIDAY, is_working_day=False)
    assert is_working_day(wednesday)  # version unchanged: the in-memory calendar is used
    CalendarVersion.objects.filter(pk=1).update(version=F("version") + 1)
    # What the other process's publish_version() does besides: with a shared cache (Redis, as in
    # CI and production) the version is read from the cache key, so it bumps that key too.
    shared = clock._shared_cache()
    if shared is not None:
        shared.set(clock._version_cache_key(), CalendarVersion.objects.get(pk=1).version, None)
    assert is_working_day(wednesday)  # checked less than a second ago
    monkeypatch.setattr(clock, "_checked_at", clock._checked_at - 2)
    assert not is_working_day(wednesday)


def test_seeding_an_empty_calendar_from_the_libraries(sandbox):
    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    summary = seed_calendar(years=range(2025, 2027))
    assert summary.created_years == [2025, 2026]
    assert summary.confirmed == (2025, 2026)
    assert clock.confirmed_years() == (2025, 2026)
    assert CalendarDay.objects.filter(is_working_day=True).count() == 496
    assert CalendarDay.objects.get(date=date(2026, 12, 31)).working_index == 496
    assert (
        CalendarChange.objects.filter(
            action=CalendarChange.Action.CONFIRM_YEAR, source=DaySource.LIBRARY
        ).count()
        >= 2
    )
    again = seed_calendar(years=range(2025, 2027))
    assert again.created_years == []


def test_status_command_names_the_first_date_that_would_fail():
    first, last = clock.confirmed_years()
    out = io.StringIO()
    call_command("calendar", "status", stdout=out)
    text = out.getvalue()
    assert f"Confirmed years: {first}–{last}" in text
    assert f"First date that would fail: {last + 1}-01-01" in text
    working = CalendarDay.objects.filter(date__year=last, is_working_day=True).count()
    assert f"{last}: {working} working days" in text
