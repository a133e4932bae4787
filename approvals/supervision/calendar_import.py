"""Import an official schedule or local adjustments from a small CSV or XLSX file.

Columns: ``date`` (YYYY-MM-DD or a spreadsheet date), ``kind``, ``note`` (optional). An optional
header row (``date,kind,note`` or ``日期,类型,备注``) is skipped. Only the special days need to be
listed: every other date of a newly confirmed year gets its default (Mon–Fri ordinary, Sat–Sun
weekend). ``kind`` accepts the codes ``ordinary``, ``weekend``, ``holiday``, ``makeup`` or the
Chinese words 工作日, 周末/休息日, 节假日/放假/假日, 调休/调休上班/补班/上班.

All or nothing: every row is checked first and every problem is reported with its row number.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .calendar_edit import DayEntry, ScheduleResult, apply_schedule, kind_problem
from .models import DayKind

KIND_WORDS = {
    "ordinary": DayKind.ORDINARY,
    "工作日": DayKind.ORDINARY,
    "weekend": DayKind.WEEKEND,
    "周末": DayKind.WEEKEND,
    "休息日": DayKind.WEEKEND,
    "holiday": DayKind.HOLIDAY,
    "节假日": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "假日": DayKind.HOLIDAY,
    "makeup": DayKind.MAKEUP,
    "make-up": DayKind.MAKEUP,
    "调休": DayKind.MAKEUP,
    "调休上班": DayKind.MAKEUP,
    "补班": DayKind.MAKEUP,
    "上班": DayKind.MAKEUP,
}
HEADER_WORDS = {"date", "日期"}


def read_rows(content: bytes, filename: str) -> list[list]:
    """Raw rows of a CSV (UTF-8, with or without BOM) or XLSX file."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:
            raise ValidationError({"file": _("This is not a readable XLSX file.")}) from exc
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    if filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError({"file": _("A CSV file must be UTF-8 encoded.")}) from exc
        return list(csv.reader(io.StringIO(text)))
    raise ValidationError({"file": _("Use a .csv or .xlsx file.")})


def _parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def parse_entries(rows: list[list]) -> list[DayEntry]:
    """Check every row; raise one ``ValidationError`` listing each bad row, else return entries."""
    entries, errors, seen = [], [], {}
    for number, row in enumerate(rows, start=1):
        cells = [*list(row), None, None, None]
        if all(c in (None, "") for c in cells[:3]):
            continue
        if number == 1 and str(cells[0]).strip().lower() in HEADER_WORDS:
            continue
        try:
            d = _parse_date(cells[0])
        except (TypeError, ValueError):
            errors.append(
                _("Row %(row)s: “%(value)s” is not a date (use YYYY-MM-DD).")
                % {"row": number, "value": cells[0]}
            )
            continue
        kind = KIND_WORDS.get(str(cells[1] or "").strip().lower())
        if kind is None:
            errors.append(
                _("Row %(row)s: unknown kind of day “%(value)s”.") % {"row": number, "value": cells[1] or ""}
            )
            continue
        if problem := kind_problem(d, kind):
            errors.append(_("Row %(row)s: %(problem)s") % {"row": number, "problem": problem})
            continue
        if d in seen:
            errors.append(
                _("Row %(row)s: %(date)s is already given in row %(first)s.")
                % {"row": number, "date": d, "first": seen[d]}
            )
            continue
        seen[d] = number
        note = str(cells[2]).strip() if cells[2] not in (None, "") else ""
        if len(note) > 200:
            errors.append(_("Row %(row)s: the note is longer than 200 characters.") % {"row": number})
            continue
        entries.append(DayEntry(d, kind, note))
    if errors:
        raise ValidationError({"file": errors})
    if not entries:
        raise ValidationError({"file": _("The file lists no dates.")})
    return entries


def import_schedule(content: bytes, filename: str, *, user=None) -> ScheduleResult:
    """Parse and apply a schedule file (one service call; all or nothing)."""
    entries = parse_entries(read_rows(content, filename))
    return apply_schedule(
        entries, user=user, reason=_("Imported from %(file)s") % {"file": Path(filename).name}
    )
