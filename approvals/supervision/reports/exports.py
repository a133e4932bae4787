"""Report outputs: the XLSX workbook (openpyxl write-only), open-data CSV/XLSX and the PDF.

The workbooks are written in openpyxl's write-only mode: one sheet per view, the header row frozen
(``freeze_panes`` set before the first row), number formats per measure kind. The office workbook
adds the case rows, streamed from the database (``measures.case_rows``) straight into the sheet,
so memory stays flat however many rows there are. Nothing here contains personal data: the case
rows carry the case number, item, department, channel, dates and limits only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from html import escape

from django.utils.safestring import mark_safe
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from approvals.documents.rendering import render_pdf as _render_pdf

from . import measures
from .measures import CASE_COLUMNS, MEASURES, SUPERVISION_MEASURES

#: Columns of the PDF tables (the workbook has every measure).
PDF_KEYS = frozenset({
    "received", "accepted", "not_accepted", "decided", "on_time_rate", "early_rate", "overdue", "avg_used",
    "avg_promised", "avg_statutory", "correction_rate", "spot_rate", "online_rate", "avg_visits",
    "good_rating_rate", "rectification_rate", "complaints", "cards",
})
FORMATS = {"count": "0", "rate": "0.0%", "days": "0.0", "number": "0.00"}
VIEW_TITLES = {measures.BY_ITEM: "按事项", measures.BY_DEPARTMENT: "按部门"}
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
_WRAP = Alignment(wrap_text=True, vertical="top")


def report_measures(result: dict) -> tuple:
    return MEASURES + (SUPERVISION_MEASURES if result.get("supervision") else ())


def _header(ws, titles: Iterable[str]) -> None:
    cells = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=title)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
        cells.append(cell)
    ws.append(cells)


def _aggregate_sheet(wb: Workbook, title: str, rows: list[dict], total: dict, ms: tuple, key_title: str) -> None:
    ws = wb.create_sheet(title)
    ws.freeze_panes = "C2"  # header row and the code/name columns stay visible
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 36
    _header(ws, [f"{key_title}编码", f"{key_title}名称", *(m.label for m in ms)])
    for row in [*rows, total]:
        cells = [row["code"], row["name"]]
        for m in ms:
            value = row.get(m.key)
            # Ratios are stored to 6 decimals: plenty for the formats, and no long digit runs.
            cell = WriteOnlyCell(ws, value=round(value, 6) if isinstance(value, float) else value)
            cell.number_format = FORMATS[m.fmt]
            cells.append(cell)
        ws.append(cells)


def _definitions_sheet(wb: Workbook, result: dict) -> None:
    ws = wb.create_sheet("指标说明")
    ws.freeze_panes = "A2"
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 90
    _header(ws, ["指标", "口径"])
    for m in report_measures(result):
        ws.append([m.label, m.definition])
    ws.append([])
    ws.append(["统计期间", f"{result['start']} 至 {result['end']}"])
    ws.append(["数据来源", "办件流转日志（TransitionLog），按日志时间（北京时间）归属期间"])
    if not result.get("supervision"):
        ws.append(["说明", "好差评、整改、投诉和红黄牌数据尚未接入，本报告未列出这些指标。"])


def write_workbook(
    target,
    result: dict,
    case_rows: Iterable[tuple] | None = None,
    on_rows: Callable[[int], None] | None = None,
    every: int = 50_000,
) -> int:
    """Write the report workbook to ``target`` (path or binary file); returns the case rows written.

    ``case_rows`` (office scope) adds the detail sheet; ``on_rows(n)`` is called every ``every`` rows.
    """
    wb = Workbook(write_only=True)
    ms = report_measures(result)
    _aggregate_sheet(wb, VIEW_TITLES["item"], result["by_item"], result["total"], ms, "事项")
    _aggregate_sheet(wb, VIEW_TITLES["department"], result["by_department"], result["total"], ms, "部门")
    n = 0
    if case_rows is not None:
        ws = wb.create_sheet("办件明细")
        ws.freeze_panes = "B2"
        for letter, width in zip("ABCDEFGHIJKLM", (22, 18, 30, 20, 8, 12, 12, 12, 12, 8, 10, 8, 8), strict=True):
            ws.column_dimensions[letter].width = width
        _header(ws, [title for _key, title in CASE_COLUMNS])
        append = ws.append
        for row in case_rows:
            append(row)
            n += 1
            if on_rows is not None and n % every == 0:
                on_rows(n)
    _definitions_sheet(wb, result)
    wb.save(target)
    return n


def open_data_csv(result: dict, by: str) -> str:
    """The aggregates of one view as CSV (UTF-8 with BOM so spreadsheet programs read Chinese)."""
    ms = report_measures(result)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["period_start", "period_end", f"{by}_code", f"{by}_name", *(m.key for m in ms)])
    rows = result["by_item"] if by == measures.BY_ITEM else result["by_department"]
    for row in [*rows, result["total"]]:
        writer.writerow([result["start"], result["end"], row["code"], row["name"], *(_csv_value(row.get(m.key)) for m in ms)])
    return out.getvalue()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    return value


# --- PDF ------------------------------------------------------------------------------------


def bar_chart(title: str, bars: list[tuple[str, float | None]], *, percent: bool = False, width: int = 640) -> str:
    """A horizontal bar chart as inline SVG (WeasyPrint renders it; no JavaScript, no images)."""
    bars = [(label, value or 0.0) for label, value in bars]
    row_h, label_w, top = 18, 190, 26
    height = top + row_h * max(len(bars), 1) + 8
    top_value = max([v for _l, v in bars] + [1.0 if percent else 1e-9])
    scale = (width - label_w - 70) / top_value
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Noto Sans CJK SC, sans-serif" font-size="10">',
        f'<text x="0" y="14" font-size="12" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(bars):
        y = top + i * row_h
        text = f"{value:.1%}" if percent else (f"{value:.1f}" if value % 1 else f"{int(value)}")
        parts.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{escape(label[:18])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{max(value * scale, 0.5):.1f}" height="{row_h - 6}" fill="#2f6db5"/>')
        parts.append(f'<text x="{label_w + value * scale + 4:.1f}" y="{y + 12}">{text}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text node above is escaped


def render_report_pdf(result: dict, *, max_items: int = 60) -> bytes:
    departments = result["by_department"]
    items = sorted(result["by_item"], key=lambda r: (-r["received"], r["code"]))[:max_items]
    charts = [
        bar_chart("各部门收件量", [(r["name"], r["received"]) for r in departments]),
        bar_chart("各部门按时办结率", [(r["name"], r["on_time_rate"]) for r in departments], percent=True),
        bar_chart("各部门平均用时（工作日）", [(r["name"], r["avg_used"]) for r in departments]),
    ]
    context = {
        "result": result,
        "departments": departments,
        "items": items,
        "items_left_out": max(len(result["by_item"]) - len(items), 0),
        "total": result["total"],
        "charts": charts,
        "measures": [m for m in report_measures(result) if m.key in PDF_KEYS],
        "definitions": report_measures(result),
    }
    return _render_pdf("reports/report_pdf.html", context)
