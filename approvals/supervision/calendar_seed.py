"""Seed the working-day calendar from the libraries that carry the State Council schedules.

``chinesecalendar`` (import ``chinese_calendar``) is the primary source: it lists every holiday
and make-up working day with its festival and refuses years it does not know, so its year range is
what "confirmed" means. ``holidays.China`` is the cross-check: a year is seeded only if
``holidays`` also carries official data for it, and any date on which the two disagree is seeded
from ``chinesecalendar`` with the disagreement written into the row's note and the summary.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from . import calendar
from .calendar_edit import DayEntry, confirm_years, default_kind
from .models import CalendarYear, DayKind, DaySource


def _cc():
    import chinese_calendar
    from chinese_calendar import constants

    return chinese_calendar, constants


def library_years() -> range:
    """Years both libraries confirm (contiguous)."""
    from holidays.countries.china import ChinaStaticHolidays

    _, constants = _cc()
    first, last = min(constants.holidays).year, max(constants.holidays).year
    official = [y for y in getattr(ChinaStaticHolidays, "special_public_holidays", {}) if isinstance(y, int)]
    if official:
        last = min(last, max(official))
    return range(first, last + 1)


def library_versions() -> str:
    import holidays

    try:
        from importlib.metadata import version

        cc_version = version("chinesecalendar")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        cc_version = "?"
    return f"chinesecalendar {cc_version}, holidays {holidays.__version__}"


def library_entries(years: range | list[int]) -> tuple[list[DayEntry], list[str]]:
    """The non-default days of ``years`` (holidays, make-up days) and the disagreements found."""
    entries, disagreements = _library_entries(tuple(years))
    return list(entries), list(disagreements)


@functools.lru_cache(maxsize=8)  # a flushed test database is re-seeded with the same years
def _library_entries(years: tuple[int, ...]) -> tuple[tuple[DayEntry, ...], tuple[str, ...]]:
    import holidays

    _, constants = _cc()
    chinese = {h.value: h.chinese for h in constants.Holiday}
    if not years:
        return (), ()
    cross = holidays.China(years=range(years[0] - 1, years[-1] + 2))
    entries, disagreements = [], []
    for year in years:
        d = date(year, 1, 1)
        while d.year == year:
            if d in constants.workdays:
                kind, note = (
                    DayKind.MAKEUP,
                    f"{chinese.get(constants.workdays[d], constants.workdays[d])} 调休上班",
                )
            elif d in constants.holidays:
                kind, note = DayKind.HOLIDAY, chinese.get(constants.holidays[d], constants.holidays[d])
            else:
                kind, note = default_kind(d), ""
            working = kind in (DayKind.ORDINARY, DayKind.MAKEUP)
            if cross.is_working_day(d) != working:
                other = "working day" if cross.is_working_day(d) else "day off"
                disagreements.append(f"{d.isoformat()}: chinesecalendar {kind}, holidays.China {other}")
                note = f"{note} [holidays.China: {other}]".strip()
            if kind != default_kind(d) or note:
                entries.append(DayEntry(d, kind, note))
            d += timedelta(days=1)
    return tuple(entries), tuple(disagreements)


@dataclass
class SeedSummary:
    created_years: list[int] = field(default_factory=list)
    confirmed: tuple[int, int] | None = None
    disagreements: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = []
        if self.created_years:
            lines.append(
                f"Seeded {len(self.created_years)} year(s): {self.created_years[0]}–{self.created_years[-1]}."
            )
        else:
            lines.append("Nothing to seed: every year the libraries confirm is already in the calendar.")
        if self.confirmed:
            lines.append(f"Confirmed years: {self.confirmed[0]}–{self.confirmed[1]}.")
        for d in self.disagreements:
            lines.append(f"Libraries disagree on {d} (seeded from chinesecalendar).")
        return "\n".join(lines)


def seed_calendar(stdout=None, years: range | list[int] | None = None) -> SeedSummary:
    """Add every year the libraries confirm (or the given ``years``) that is not in the calendar.

    Idempotent: an already confirmed year (seeded or entered by an administrator) is left alone.
    Years next to the confirmed ones only, so the calendar stays one unbroken range.
    """
    wanted = list(years if years is not None else library_years())
    summary = SeedSummary()
    with transaction.atomic():
        existing = set(CalendarYear.objects.values_list("year", flat=True))
        missing = sorted(set(wanted) - existing)
        if missing:
            entries, summary.disagreements = library_entries(missing)
            confirm_years(
                entries, years=missing, source=DaySource.LIBRARY, reason=f"Seeded from {library_versions()}"
            )
            summary.created_years = missing
        years_now = sorted(existing | set(missing))
        summary.confirmed = (years_now[0], years_now[-1]) if years_now else None
    if missing:
        calendar.reload()  # fresh now, so the next deadline does not pay for the load
    if stdout is not None:
        stdout.write(str(summary) + "\n")
    return summary


def seed_if_empty(**kwargs) -> None:
    """``post_migrate`` handler: a new (or flushed) database gets the libraries' calendar."""
    from django.db import connections

    using = kwargs.get("using", "default")
    if CalendarYear._meta.db_table not in connections[using].introspection.table_names():
        return
    if using == "default" and not CalendarYear.objects.exists():
        seed_calendar(stdout=sys.stdout if kwargs.get("verbosity", 0) >= 2 else None)
