"""The legal clock: working days (domain.md section 3, ALL Art. 82). Stable public API.

Scalar functions::

    is_working_day(d) -> bool
    add_working_days(start, n) -> date           # the n-th working day strictly after start
    working_days_between(start, end) -> int      # working days in (start, end]; negative if end < start
    due_date(start, limit, pauses=(), extensions=()) -> date

Batch: ``add_working_days_many(starts, ns)`` (numpy, vectorised). SQL: ``working_index_of`` and
``working_days_between_sql`` give ORM expressions for reports.

Any computation that needs a date outside the confirmed years raises ``CalendarNotConfirmed``
(one class, ``.year`` names the year to confirm); the clock never guesses.

How the fast path stays fresh
-----------------------------
The calendar table is read once into a ``_Calendar`` (a cumulative working-day count per date plus
the sorted list of working days, as Python lists for scalar calls and numpy arrays for batches);
a scalar deadline is two list look-ups, never a query. It is rebuilt when:

* this process changes the calendar (``calendar_edit`` calls ``invalidate()`` at once and again
  on commit; ``post_save``/``post_delete`` of ``CalendarDay`` do the same);
* another process changed it: at most once every ``CALENDAR_VERSION_CHECK_SECONDS`` (default 1 s)
  a call compares the loaded version with the current one. With a shared cache (Redis) the
  version is read from the cache key ``calendar-version:<db name>`` (no query); with a per-process
  cache (LocMem) it is read from the one-row ``CalendarVersion`` table. ``0`` turns the check off:
  only for one-process deployments and the test suite, where in-process invalidation is exact.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.db.models import Expression, ExpressionWrapper, IntegerField, OuterRef, Subquery
from django.utils.translation import gettext as _

__all__ = [
    "CalendarNotConfirmed",
    "add_working_days",
    "add_working_days_many",
    "confirmed_years",
    "due_date",
    "invalidate",
    "is_working_day",
    "reload",
    "working_days_between",
    "working_days_between_sql",
    "working_index_of",
]

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class CalendarNotConfirmed(Exception):
    """A computation needs a date in a year whose official schedule is not in the calendar."""

    def __init__(self, year: int):
        self.year = year
        self.message = _(
            "The working-day calendar for %(year)s is not confirmed: add the State Council schedule "
            "for %(year)s (admin or `manage.py calendar import`) before computing this deadline."
        ) % {"year": year}
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class _Calendar:
    """Immutable snapshot. Offsets count days from ``first`` (its ordinal is ``first_ordinal``).

    ``cum[i]`` = working days in offsets ``[0, i)``, so ``len(cum) == ndays + 1`` and the working
    days in ``(a, b]`` are ``cum[b + 1] - cum[a + 1]``. ``work[k]`` is the ordinal of the
    ``(k+1)``-th working day. ``*_np`` are the same as numpy arrays (epoch days for ``work_np``).
    """

    first_ordinal: int
    ndays: int
    cum: list[int]
    work: list[int]
    cum_np: np.ndarray
    work_np: np.ndarray
    first_year: int | None
    last_year: int | None
    version: int

    @classmethod
    def build(cls, first: date | None, flags: Iterable[bool], version: int = 0) -> _Calendar:
        flags = [bool(f) for f in flags]
        first_ordinal = first.toordinal() if first else 0
        cum = [0]
        work = []
        running = 0
        for i, f in enumerate(flags):
            if f:
                running += 1
                work.append(first_ordinal + i)
            cum.append(running)
        last = date.fromordinal(first_ordinal + len(flags) - 1) if flags else None
        return cls(
            first_ordinal=first_ordinal,
            ndays=len(flags),
            cum=cum,
            work=work,
            cum_np=np.asarray(cum, dtype=np.int64),
            work_np=np.asarray(work, dtype=np.int64) - _EPOCH_ORDINAL,
            first_year=first.year if first else None,
            last_year=last.year if last else None,
            version=version,
        )

    def offset(self, d: date) -> int:
        """Offset of ``d``; raises ``CalendarNotConfirmed`` outside the confirmed years."""
        i = d.toordinal() - self.first_ordinal
        if 0 <= i < self.ndays:
            return i
        raise CalendarNotConfirmed(self._year_to_confirm(d.year))

    def _year_to_confirm(self, year: int) -> int:
        if self.last_year is None:
            return year
        if year > self.last_year:
            return self.last_year + 1
        return self.first_year - 1 if year < self.first_year else year

    def past_end(self) -> CalendarNotConfirmed:
        return CalendarNotConfirmed((self.last_year + 1) if self.last_year is not None else date.today().year)


_lock = threading.Lock()
_state: _Calendar | None = None
_checked_at = 0.0
_stale = True
_interval: float | None = None  # CALENDAR_VERSION_CHECK_SECONDS, read once


# --- loading and invalidation ------------------------------------------------------------------


def _version_cache_key() -> str:
    return f"calendar-version:{connection.settings_dict.get('NAME')}"


def _shared_cache():
    """The Django cache if it is shared between processes, else ``None``."""
    from django.core.cache import caches

    cache = caches["default"]
    if type(cache).__module__.rsplit(".", 1)[-1] in {"locmem", "dummy"}:
        return None
    return cache


def _db_version() -> int:
    from .models import CalendarVersion

    return CalendarVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def current_version() -> int:
    """The calendar's version as other processes see it (cache key if shared, else the table)."""
    cache = _shared_cache()
    if cache is not None:
        value = cache.get(_version_cache_key())
        if value is not None:
            return int(value)
        value = _db_version()
        cache.add(_version_cache_key(), value, None)
        return value
    return _db_version()


def publish_version(version: int) -> None:
    """Tell other processes about a committed change (called on commit by ``calendar_edit``)."""
    cache = _shared_cache()
    if cache is not None:
        cache.set(_version_cache_key(), version, None)
    invalidate()


def _load() -> _Calendar:
    from .models import CalendarDay, CalendarYear

    version = _db_version()  # read before the rows: a change in between only causes a reload
    years = list(CalendarYear.objects.order_by("year").values_list("year", flat=True))
    if not years:
        return _Calendar.build(None, [], version)
    first, last = date(years[0], 1, 1), date(years[-1], 12, 31)
    rows = list(
        CalendarDay.objects.filter(date__gte=first, date__lte=last)
        .order_by("date")
        .values_list("date", "is_working_day")
    )
    expected = (last - first).days + 1
    if len(rows) != expected or years != list(range(years[0], years[-1] + 1)):
        raise RuntimeError(
            f"Calendar table is inconsistent: {len(rows)} rows for {expected} days of {years[0]}-{years[-1]}."
        )
    cache = _shared_cache()
    if cache is not None and cache.get(_version_cache_key()) != version:
        cache.set(_version_cache_key(), version, None)  # self-heal a key left by another database
    return _Calendar.build(first, (w for _, w in rows), version)


def reload() -> None:
    """Read the calendar table now (one query per table)."""
    global _state, _stale, _checked_at
    with _lock:
        _stale = False
        _checked_at = time.monotonic()
        _state = _load()


def invalidate(**_kwargs) -> None:
    """Mark the in-memory calendar stale; the next computation reloads it."""
    global _stale
    _stale = True


def install(state: _Calendar) -> None:
    """Use a calendar built elsewhere (benchmarks building from the seeding library)."""
    global _state, _stale, _checked_at
    with _lock:
        _state, _stale, _checked_at = state, False, time.monotonic()


def _check_interval() -> float:
    global _interval
    if _interval is None:
        _interval = float(getattr(settings, "CALENDAR_VERSION_CHECK_SECONDS", 1.0) or 0)
    return _interval


def _setting_changed(*, setting, **_kwargs) -> None:
    global _interval
    if setting == "CALENDAR_VERSION_CHECK_SECONDS":
        _interval = None


setting_changed.connect(_setting_changed, dispatch_uid="calendar-check-interval")


def _calendar() -> _Calendar:
    global _checked_at
    state = _state
    if state is None or _stale:
        reload()
        return _state
    interval = _interval if _interval is not None else _check_interval()
    if interval:
        now = time.monotonic()
        if now - _checked_at >= interval:
            _checked_at = now
            if current_version() != state.version:
                reload()
                return _state
    return state


def confirmed_years() -> tuple[int, int] | None:
    """(first, last) confirmed year, or ``None`` when the calendar is empty."""
    cal = _calendar()
    return None if cal.last_year is None else (cal.first_year, cal.last_year)


# --- scalar clock ------------------------------------------------------------------------------


def is_working_day(d: date) -> bool:
    cal = _calendar()
    i = cal.offset(d)
    return cal.cum[i + 1] != cal.cum[i]


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day strictly after ``start`` (``n >= 0``; ``n == 0`` returns ``start``).

    ``start`` itself need not be a working day (a Saturday submission counts from Monday).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    cal = _calendar()
    k = cal.cum[cal.offset(start) + 1] + n  # 1-based number of the wanted working day
    if n == 0:
        return start
    if k > len(cal.work):
        raise cal.past_end()
    return date.fromordinal(cal.work[k - 1])


def working_days_between(start: date, end: date) -> int:
    """Working days in the half-open interval ``(start, end]``.

    When ``end < start`` the result is negative: ``-working_days_between(end, start)``, so
    ``working_days_between(a, b) + working_days_between(b, c) == working_days_between(a, c)``.
    """
    cal = _calendar()
    return cal.cum[cal.offset(end) + 1] - cal.cum[cal.offset(start) + 1]


def due_date(
    start: date,
    limit: int,
    pauses: Iterable[tuple[date, date]] = (),
    extensions: Iterable[int] = (),
) -> date:
    """The day a period of ``limit`` (+ ``extensions``) working days after ``start`` ends.

    ``pauses`` are ``(first_day, last_day)`` pairs, both inclusive (special procedures, Art. 45);
    they may overlap, touch, start before ``start`` or cover no working day. The working days they
    cover after ``start`` are not counted, so the due date moves later by exactly the number of
    distinct paused working days that fall after ``start`` and on or before the (moving) deadline;
    a pause wholly after the deadline does not move it.
    """
    total = limit + sum(extensions)
    if limit < 0 or total < 0:
        raise ValueError("limit and extensions must not make the period negative")
    cal = _calendar()
    k0 = cal.cum[cal.offset(start) + 1]  # working days up to and including start
    last_offset = cal.ndays - 1
    # Each pause as a half-open range (lo, hi] of working-day numbers, clipped to after start.
    spans = []
    for first, last in pauses:
        if last < first:
            raise ValueError(f"pause ends before it starts: {first} > {last}")
        a = max(first.toordinal() - cal.first_ordinal, 0)
        b = min(last.toordinal() - cal.first_ordinal, last_offset)
        if a > b:
            continue  # wholly outside the calendar: can only matter if the deadline passes the end
        lo, hi = max(cal.cum[a], k0), cal.cum[b + 1]
        if hi > lo:
            spans.append((lo, hi))
    spans.sort()
    k = k0 + total
    covered = k0  # working-day numbers <= covered are already accounted for
    for lo, hi in spans:
        lo = max(lo, covered)
        if lo >= k:
            break  # this pause and every later one start after the deadline
        if hi > lo:
            k += hi - lo
            covered = hi
    if total == 0:
        return start
    if k > len(cal.work):
        raise cal.past_end()
    return date.fromordinal(cal.work[k - 1])


# --- batch -------------------------------------------------------------------------------------


def add_working_days_many(starts, ns) -> np.ndarray:
    """Vectorised ``add_working_days``: ``starts`` (dates or ``datetime64[D]``) and ``ns`` (ints ≥ 0,
    or one int) broadcast together; returns ``datetime64[D]``. Raises ``CalendarNotConfirmed`` if
    any start or result lies outside the confirmed years."""
    cal = _calendar()
    s = np.asarray(starts, dtype="datetime64[D]").astype(np.int64)
    n = np.asarray(ns, dtype=np.int64)
    if n.size and n.min() < 0:
        raise ValueError("n must be >= 0")
    off = s - (cal.first_ordinal - _EPOCH_ORDINAL)
    if off.size:
        lo, hi = off.min(), off.max()
        if lo < 0 or hi >= cal.ndays:
            bad = lo if lo < 0 else hi
            raise CalendarNotConfirmed(
                cal._year_to_confirm(date.fromordinal(int(bad) + cal.first_ordinal).year)
            )
    k = cal.cum_np[off + 1] + n
    if k.size and k.max() > len(cal.work):
        raise cal.past_end()
    result = cal.work_np[np.maximum(k - 1, 0)]
    result = np.where(n == 0, s, result)
    return result.astype("datetime64[D]")


def previous_working_day_before(d: date) -> date:
    """The last working day strictly before ``d``."""
    cal = _calendar()
    k = cal.cum[cal.offset(d)]
    if k == 0:
        raise CalendarNotConfirmed(cal._year_to_confirm(cal.first_year - 1))
    return date.fromordinal(cal.work[k - 1])


# --- SQL path ----------------------------------------------------------------------------------


def working_index_of(date_expr) -> Subquery:
    """ORM expression: the ``working_index`` of a date column of the outer queryset.

    ``date_expr`` is a field name, or an expression built on ``OuterRef`` (e.g.
    ``TruncDate(OuterRef("received_at"))``) or a ``Value``. NULL when the date is outside the
    confirmed years (SQL cannot raise; filter with ``__isnull``).
    """
    from .models import CalendarDay

    ref = OuterRef(date_expr) if isinstance(date_expr, str) else date_expr
    return Subquery(CalendarDay.objects.filter(date=ref).values("working_index")[:1])


def working_days_between_sql(start, end) -> Expression:
    """ORM expression: working days in ``(start, end]`` computed inside the database.

    ``start``/``end`` are field names of the outer queryset, or expressions as for
    ``working_index_of``. Example::

        Case.objects.annotate(used=working_days_between_sql("accepted_on", "decided_on"))

    Equivalent SQL (one pass over a million cases, two primary-key look-ups per row)::

        SELECT c.id, e.working_index - s.working_index AS used
          FROM cases c
          JOIN supervision_calendarday s ON s.date = c.accepted_on
          JOIN supervision_calendarday e ON e.date = c.decided_on;

    Datetime columns must be turned into local dates first (``TruncDate(OuterRef("received_at"))``,
    which uses the current time zone, Asia/Shanghai). NULL when either date is not confirmed.
    """
    return ExpressionWrapper(working_index_of(end) - working_index_of(start), output_field=IntegerField())
