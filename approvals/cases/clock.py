"""The one module that computes a case's deadlines (domain.md section 3).

Every date is derived from the working-day calendar (``approvals.supervision.calendar``) and the
case's own facts; services call ``refresh(case)`` after each change and store the result, so the
stored dues always equal a recomputation (checked by the stateful test).

- intake due: ``acceptance_limit_days`` working days after receipt (Art. 32), or after the day
  the application became complete when a correction notice was answered;
- decision dues: ``due_date(accepted_on, limit, pauses, extensions)`` for the promised and the
  statutory limit (Art. 42); pauses are the special procedures (Art. 45, an open one counts up to
  its expected end) and, for joint items, the applicant's time answering a supplementary-materials
  notice (``applicant_pauses``); the extension counts once approved (it moves both dues);
- pledge due: set by the front desk, never after the promised decision due;
- licence issue due: ``licence_issue_limit_days`` working days after the approval (Art. 44);
- licence validity: the period the item's result names (calendar years or months, not working days);
- supervision (domain.md section 6): a complaint's intake decision within 5 working days of receipt
  and its reply within ``COMPLAINT_REPLY_LIMIT_DAYS`` of being taken up; a bad rating's
  rectification ticket: call back within 1 working day, fix within 15.
"""

from __future__ import annotations

import calendar as gregorian
import datetime as dt
import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.cases.exceptions import coded
from approvals.supervision import calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
STATUTORY_DECISION_DAYS = 20  # decision limit when the item version names none (ALL Art. 42) …
JOINT_DECISION_DAYS = 45  # … and for joint handling (Art. 42 para. 2); the promised limit defaults to it
COMPLAINT_INTAKE_LIMIT_DAYS = 5  # decide whether to take a complaint up (domain.md section 6)
RECTIFICATION_CALLBACK_LIMIT_DAYS = 1  # a bad rating: call the applicant back …
RECTIFICATION_FIX_LIMIT_DAYS = 15  # … and fix the problem
CLOCK_FIELDS = ("intake_due", "decision_due_promised", "decision_due_statutory", "pledge_due", "licence_issue_due")


def now() -> dt.datetime:
    """The current instant (tests replace this function to travel in time)."""
    return timezone.now()


def local_date(instant: dt.datetime) -> date:
    """The calendar date of ``instant`` in Asia/Shanghai (how receipt dates are counted)."""
    return timezone.localtime(instant, SHANGHAI).date()


def today() -> date:
    return local_date(now())


def working_days_left(due: date | None, on: date | None = None) -> int | None:
    """Working days from ``on`` (default today) to ``due``: negative when overdue, ``None`` without a
    due date or beyond the confirmed calendar (shown as unknown rather than guessed)."""
    if due is None:
        return None
    try:
        return calendar.working_days_between(on or today(), due)
    except calendar.CalendarNotConfirmed:
        return None


def limits(version) -> tuple[int, int]:
    """(promised, statutory) decision limits in working days; without the version's own statutory
    limit ``STATUTORY_DECISION_DAYS``, or ``JOINT_DECISION_DAYS`` for joint handling."""
    statutory = version.statutory_limit_days or (JOINT_DECISION_DAYS if version.is_joint else STATUTORY_DECISION_DAYS)
    promised = version.promised_limit_days or statutory
    return promised, statutory


def expected_pause_end(start: date, expected_days: int) -> date:
    """Last day of a pause of ``expected_days`` working days starting on ``start`` (inclusive)."""
    return calendar.add_working_days(start - timedelta(days=1), expected_days)


def pause_working_days(first: date, last: date) -> int:
    """Working days inside the whole-day pause ``first … last`` (inclusive)."""
    return calendar.working_days_between(first - timedelta(days=1), last)


def _pauses(case) -> tuple[tuple[date, date], ...]:
    special = tuple(
        (p.start, p.end or expected_pause_end(p.start, p.expected_days)) for p in case.pauses.all() if p.pauses_clock
    )
    return special + applicant_pauses(case)


def applicant_pauses(case) -> tuple[tuple[date, date], ...]:
    """Joint items: the applicant's time after a supplementary-materials notice (notice date to
    resubmission date, inclusive) is not counted; an unanswered notice counts up to today."""
    if not case.pk or not case.item_version.is_joint:
        return ()
    from approvals.parallel.models import SupplementNotice

    return tuple(
        (issued, completed or max(issued, today()))
        for issued, completed in SupplementNotice.objects.filter(case=case).values_list("issued_on", "completed_on")
    )


def task_step_due(case, opened_on: date, step_limit_days: int | None, task_pauses=()) -> date | None:
    """A department task's own due date: ``step_limit_days`` working days after the task opened,
    moved by the special procedures that department started for it (``task_pauses``: (start,
    end-or-expected-end) pairs). ``None`` without a step limit (the case's promised due applies);
    the effective due is never after the case's promised due (``DepartmentTask.due``)."""
    if step_limit_days is None:
        return None
    return calendar.due_date(opened_on, step_limit_days, pauses=tuple(task_pauses))


def _extensions(case) -> tuple[int, ...]:
    from approvals.models import Extension

    ext = Extension.objects.filter(case=case, approved_on__isnull=False).only("days").first()
    return (ext.days,) if ext else ()


def intake_start(case) -> date | None:
    return case.complete_on or case.received_on


def expected(case, *, before_review: bool = False) -> dict[str, date | None]:
    """The clock fields ``case`` should hold, recomputed from its facts.

    ``before_review``: the case is being filed or accepted right now, so it cannot have a special
    procedure, an extension, a supplementary-materials notice or a pledge yet (they all start later);
    the look-ups for them are skipped. ``accept_with_pledge`` creates its pledge after this and
    refreshes again without the flag."""
    version = case.item_version
    out: dict[str, date | None] = dict.fromkeys(CLOCK_FIELDS)
    start = intake_start(case)
    if start is not None:
        out["intake_due"] = calendar.add_working_days(start, version.acceptance_limit_days)
    if case.accepted_on is not None:
        promised, statutory = limits(version)
        pauses = () if before_review else _pauses(case)
        extensions = () if before_review else _extensions(case)
        out["decision_due_promised"] = calendar.due_date(case.accepted_on, promised, pauses=pauses, extensions=extensions)
        out["decision_due_statutory"] = calendar.due_date(
            case.accepted_on, statutory, pauses=pauses, extensions=extensions
        )
    pledge = getattr(case, "pledge", None) if case.pk and not before_review else None
    if pledge is not None:
        out["pledge_due"] = pledge.due
    if case.decision == "approved" and case.decided_on is not None:
        out["licence_issue_due"] = calendar.add_working_days(case.decided_on, version.licence_issue_limit_days)
    return out


def refresh(case, *, before_review: bool = False) -> None:
    """Recompute and set every clock field on ``case`` (the caller saves); see ``expected``."""
    try:
        values = expected(case, before_review=before_review)
    except calendar.CalendarNotConfirmed as exc:
        raise ValidationError(
            coded({"calendar": _("The working-day calendar is not confirmed that far ahead: %(error)s") % {"error": exc}}, "calendar_not_confirmed")
        ) from exc
    for name, value in values.items():
        setattr(case, name, value)


# --- licence validity (calendar periods) ------------------------------------------------------

_NUMBER = r"(\d+|[一二两三四五六七八九十]+)"
_VALIDITY_YEARS = re.compile(_NUMBER + r"\s*(年|years?)", re.IGNORECASE)
_VALIDITY_MONTHS = re.compile(_NUMBER + r"\s*(个月|months?)", re.IGNORECASE)
_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _number(text: str) -> int:
    """``12`` or a Chinese numeral up to 99 (``五``, ``十``, ``十二``, ``二十``, ``二十五``)."""
    if text.isdigit():
        return int(text)
    tens, _ten, units = text.partition("十")
    if not _ten:
        return _DIGITS[text]
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, gregorian.monthrange(year, month)[1]))


def licence_valid_until(version, start: date) -> date | None:
    """Last day of a licence issued on ``start``, from the period the item's result names (``5年``,
    ``五年``, ``3 years``, ``6个月``): valid from the issue day inclusive, so it ends the day before
    the same date that many months later (``add_months``). ``None`` when the text names no period
    (``长期``, ``以证载有效期为准``): no end date is invented; the licence states the item's own text."""
    text = version.result_validity or ""
    years, months = _VALIDITY_YEARS.search(text), _VALIDITY_MONTHS.search(text)
    if years:
        total = _number(years.group(1)) * 12
    elif months:
        total = _number(months.group(1))
    else:
        return None
    return add_months(start, total) - timedelta(days=1)


# --- supervision deadlines (domain.md section 6) ----------------------------------------------


def complaint_reply_limit_days() -> int:
    return int(getattr(settings, "COMPLAINT_REPLY_LIMIT_DAYS", 15))


def complaint_intake_due(received_on: date) -> date:
    """The day by which the supervision office decides whether to take a complaint up."""
    return calendar.add_working_days(received_on, COMPLAINT_INTAKE_LIMIT_DAYS)


def complaint_reply_due(taken_up_on: date) -> date:
    """The day by which a complaint taken up is answered."""
    return calendar.add_working_days(taken_up_on, complaint_reply_limit_days())


def rectification_dues(opened_on: date) -> tuple[date, date]:
    """(call-back due, fix due) of the rectification ticket a bad rating opens."""
    return (
        calendar.add_working_days(opened_on, RECTIFICATION_CALLBACK_LIMIT_DAYS),
        calendar.add_working_days(opened_on, RECTIFICATION_FIX_LIMIT_DAYS),
    )
