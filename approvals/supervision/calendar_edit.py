"""Calendar commands: the only code that writes calendar rows (seeding, admin, import).

Every command, in one transaction: lock the ``CalendarVersion`` row (so calendar edits run one at
a time), validate, write the rows, write a ``CalendarChange`` row per change (who, when, old and
new values), recompute ``working_index`` set-based, bump the version; on commit every process is
told to reload its clock (``calendar.publish_version``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from . import calendar
from .models import (
    WORKING_KINDS,
    CalendarChange,
    CalendarDay,
    CalendarVersion,
    CalendarYear,
    DayKind,
    DaySource,
)


@dataclass(frozen=True)
class DayEntry:
    """One line of an official schedule or a local adjustment."""

    date: date
    kind: str
    note: str = ""


def default_kind(d: date) -> str:
    return DayKind.WEEKEND if d.weekday() >= 5 else DayKind.ORDINARY


def kind_problem(d: date, kind: str) -> str | None:
    """Why ``kind`` cannot be given to ``d`` (``None`` if it can). The one rule for kinds of day."""
    if kind not in DayKind.values:
        return _("Unknown kind of day “%(kind)s”.") % {"kind": kind}
    weekend = d.weekday() >= 5
    if kind == DayKind.WEEKEND and not weekend:
        return _("%(date)s is a weekday, so it cannot be a weekend day; use “holiday”.") % {"date": d}
    if kind == DayKind.MAKEUP and not weekend:
        return _("%(date)s is a weekday, so it cannot be a make-up working day; use “ordinary”.") % {
            "date": d
        }
    if kind == DayKind.ORDINARY and weekend:
        return _("%(date)s is a Saturday or Sunday: a worked weekend day is a make-up working day.") % {
            "date": d
        }
    return None


def _lock_version() -> CalendarVersion:
    version, _created = CalendarVersion.objects.select_for_update().get_or_create(pk=1)
    return version


def _bump(version: CalendarVersion) -> None:
    version.version += 1
    version.save(update_fields=["version"])
    new = version.version
    calendar.invalidate()  # later computations in this transaction see the new rows
    transaction.on_commit(lambda: calendar.publish_version(new))


def recompute_working_index(since: date | None = None) -> int:
    """Set-based: rewrite ``working_index`` of every row on or after ``since`` that is wrong.

    Returns the number of rows changed. One UPDATE … FROM (window SUM) statement; works on
    PostgreSQL and SQLite ≥ 3.33.
    """
    table = connection.ops.quote_name(CalendarDay._meta.db_table)
    since = since or date.min
    base = (
        CalendarDay.objects.filter(date__lt=since)
        .order_by("-date")
        .values_list("working_index", flat=True)
        .first()
        or 0
    )
    sql = f"""
        UPDATE {table} AS t SET working_index = s.idx
          FROM (SELECT "date", %s + SUM(CASE WHEN is_working_day THEN 1 ELSE 0 END)
                       OVER (ORDER BY "date" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS idx
                  FROM {table} WHERE "date" >= %s) AS s
         WHERE t."date" = s."date" AND t.working_index <> s.idx
    """  # noqa: S608 - the table name is our own model's, quoted
    with connection.cursor() as cursor:
        cursor.execute(sql, [base, since])
        return cursor.rowcount


def _log(action: str, year: int, *, user, source: str, reason: str = "", **values) -> CalendarChange:
    return CalendarChange(
        action=action, year=year, changed_by=user, source=source, reason=reason[:300], **values
    )


def _check_contiguous(existing: set[int], new: set[int]) -> None:
    years = sorted(existing | new)
    if years and years != list(range(years[0], years[-1] + 1)):
        missing = sorted(set(range(years[0], years[-1] + 1)) - set(years))
        raise ValidationError(
            {
                "year": _("Confirmed years must follow each other: confirm %(missing)s first.")
                % {"missing": ", ".join(map(str, missing))}
            },
            code="not_contiguous",
        )


def confirm_years(
    entries: Iterable[DayEntry],
    *,
    years: Iterable[int] | None = None,
    source: str,
    user=None,
    reason: str = "",
) -> list[int]:
    """Add whole years to the calendar: every date gets its weekday/weekend default, then the
    ``entries`` (holidays, make-up days, notes) are applied. ``years`` defaults to the years of the
    entries; entries outside them are refused. Returns the years added.
    """
    entries = list(entries)
    years = sorted(set(years) if years is not None else {e.date.year for e in entries})
    by_date: dict[date, DayEntry] = {}
    for e in entries:
        if e.date.year not in years:
            raise ValidationError(
                {"date": _("%(date)s is not in the years being confirmed.") % {"date": e.date}}
            )
        if problem := kind_problem(e.date, e.kind):
            raise ValidationError({"kind": problem})
        by_date[e.date] = e
    with transaction.atomic():
        version = _lock_version()
        existing = set(CalendarYear.objects.values_list("year", flat=True))
        if already := sorted(set(years) & existing):
            raise ValidationError(
                {"year": _("%(years)s is already confirmed.") % {"years": ", ".join(map(str, already))}},
                code="already_confirmed",
            )
        _check_contiguous(existing, set(years))
        days, changes = [], []
        for year in years:
            d = date(year, 1, 1)
            while d.year == year:
                base = default_kind(d)
                e = by_date.get(d)
                kind, note = (e.kind, e.note[:200]) if e else (base, "")
                days.append(
                    CalendarDay(
                        date=d,
                        kind=kind,
                        is_working_day=kind in WORKING_KINDS,
                        source=source,
                        note=note,
                        working_index=0,
                    )
                )
                if e and source == DaySource.ADMIN:
                    changes.append(
                        _log(
                            CalendarChange.Action.UPDATE_DAY,
                            year,
                            user=user,
                            source=source,
                            reason=reason,
                            date=d,
                            old_kind=base,
                            new_kind=kind,
                            old_is_working_day=base in WORKING_KINDS,
                            new_is_working_day=kind in WORKING_KINDS,
                            new_note=note,
                        )
                    )
                d += timedelta(days=1)
            changes.insert(
                0, _log(CalendarChange.Action.CONFIRM_YEAR, year, user=user, source=source, reason=reason)
            )
        CalendarYear.objects.bulk_create(
            [CalendarYear(year=y, source=source, confirmed_by=user, note=reason[:300]) for y in years]
        )
        CalendarDay.objects.bulk_create(days, batch_size=2000)
        CalendarChange.objects.bulk_create(changes, batch_size=2000)
        recompute_working_index(since=date(years[0], 1, 1) if years else None)
        _bump(version)
    return years


def set_day(d: date, *, kind: str, note: str | None = None, user=None, reason: str = "") -> CalendarDay:
    """Change one date of a confirmed year (a local adjustment or a correction)."""
    return apply_adjustments(
        [DayEntry(d, kind, note if note is not None else "")],
        user=user,
        reason=reason,
        keep_note=note is None,
    )[0]


def apply_adjustments(
    entries: Iterable[DayEntry], *, user=None, reason: str = "", keep_note: bool = False
) -> list[CalendarDay]:
    """Change dates of confirmed years, all or nothing. Unchanged dates write nothing."""
    entries = list(entries)
    with transaction.atomic():
        version = _lock_version()
        rows = CalendarDay.objects.select_for_update().in_bulk([e.date for e in entries])
        errors = []
        for e in entries:
            if e.date not in rows:
                errors.append(
                    _("%(date)s: the year %(year)s is not confirmed.") % {"date": e.date, "year": e.date.year}
                )
            elif problem := kind_problem(e.date, e.kind):
                errors.append(problem)
        if errors:
            raise ValidationError({"kind": errors})
        changed, changes = [], []
        for e in entries:
            row = rows[e.date]
            note = row.note if keep_note else e.note[:200]
            if row.kind == e.kind and row.note == note:
                continue
            changes.append(
                _log(
                    CalendarChange.Action.UPDATE_DAY,
                    e.date.year,
                    user=user,
                    source=DaySource.ADMIN,
                    reason=reason,
                    date=e.date,
                    old_kind=row.kind,
                    new_kind=e.kind,
                    old_is_working_day=row.is_working_day,
                    new_is_working_day=e.kind in WORKING_KINDS,
                    old_note=row.note,
                    new_note=note,
                )
            )
            row.kind, row.note, row.source = e.kind, note, DaySource.ADMIN
            row.is_working_day = e.kind in WORKING_KINDS
            changed.append(row)
        if changed:
            CalendarDay.objects.bulk_update(changed, ["kind", "note", "source", "is_working_day"])
            CalendarChange.objects.bulk_create(changes)
            recompute_working_index(since=min(r.date for r in changed))
            _bump(version)
    return [rows[e.date] for e in entries]


@dataclass(frozen=True)
class ScheduleResult:
    new_years: list[int]
    adjusted: int


def apply_schedule(entries: Iterable[DayEntry], *, user=None, reason: str = "") -> ScheduleResult:
    """An official schedule or a list of local adjustments, all or nothing: dates in unconfirmed
    years confirm those years (every other date gets its default kind); dates in confirmed years
    (e.g. next year's make-up days at the end of December) adjust those dates."""
    entries = list(entries)
    with transaction.atomic():
        _lock_version()
        existing = set(CalendarYear.objects.values_list("year", flat=True))
        new = [e for e in entries if e.date.year not in existing]
        old = [e for e in entries if e.date.year in existing]
        new_years = confirm_years(new, source=DaySource.ADMIN, user=user, reason=reason) if new else []
        before = CalendarChange.objects.count()
        if old:
            apply_adjustments(old, user=user, reason=reason)
        adjusted = CalendarChange.objects.count() - before
    return ScheduleResult(new_years=new_years, adjusted=adjusted)
