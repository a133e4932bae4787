"""XLSX import and export of the service catalog (事项清单), issue 2.

The workbook mirrors the 实施清单 spreadsheets governments keep: one sheet per table, keyed by the
item's implementation code (事项编码). The template is documented in docs/catalog_template.md and
is defined once, here, by ``SHEETS``:

- row 1 holds the Chinese column titles, row 2 (hidden in exported files) the stable English keys;
  on import columns are found by key when row 2 is a key row, otherwise by title (or key) in row 1,
  so hand-made files with only Chinese titles are accepted too;
- choice columns are written as Chinese labels; import accepts the label, the code or the model's
  display label; yes/no columns accept 是/否, Y/N, yes/no, true/false, 1/0.

Import (``import_catalog``) is all-or-nothing: the file is read and checked completely, every
problem is collected as a ``CatalogRowError`` (sheet, row, column, message) and
``CatalogImportError`` is raised with all of them; nothing is written. A valid file is written in
one transaction: for each item a new draft version is created (a published version is never
touched; an existing draft has its content replaced), and rows marked 已发布 with a 生效日期 are
published through ``services.publish``, whose refusals are collected the same way.

Export (``export_catalog``) writes the version in force on a date (default today) of every item,
or every draft, in write-only mode.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext as _

from . import services
from .models import (
    FAQ,
    CoDepartment,
    Department,
    Fee,
    FormField,
    Item,
    ItemVersion,
    LegalBasis,
    MaterialRequirement,
    SpecialProcedure,
)
from .signals import catalog_written

# --------------------------------------------------------------------------------------------
# The template
# --------------------------------------------------------------------------------------------

TEXT, INT, DECIMAL, BOOL, DATE, CHOICE = "text", "int", "decimal", "bool", "date", "choice"

YES, NO = "是", "否"
_TRUE_WORDS = {"是", "y", "yes", "true", "1", "t", "对", "√"}
_FALSE_WORDS = {"否", "n", "no", "false", "0", "f", "×"}

STATUS_CHOICES = (("draft", "草稿"), ("published", "已发布"))


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = TEXT
    field: str | None = None  # model field set from this column; None: handled by the importer
    required: bool = False
    choices: tuple[tuple[Any, str], ...] = ()  # (code, Chinese label)
    aliases: tuple[str, ...] = ()
    width: int = 14


@dataclass(frozen=True)
class SheetSpec:
    key: str
    title: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    required: bool = False
    aliases: tuple[str, ...] = ()

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _c(key, title, kind=TEXT, *, field=None, required=False, choices=(), aliases=(), width=14) -> Column:
    return Column(
        key, title, kind, field if field is not None else key, required, tuple(choices), tuple(aliases), width
    )


def _special(key, title, kind=TEXT, *, required=False, choices=(), aliases=(), width=14) -> Column:
    """A column the importer handles itself (item and department codes, status, date)."""
    return Column(key, title, kind, None, required, tuple(choices), tuple(aliases), width)


ITEM_CODE = _special("item_code", "事项编码", required=True, aliases=("实施编码",), width=22)

DEPARTMENTS = SheetSpec(
    "departments",
    "部门",
    Department,
    (
        _c("code", "部门编码", required=True, width=16),
        _c("name", "部门名称", required=True, width=24),
        _c("short_name", "部门简称"),
        _c(
            "level",
            "层级",
            CHOICE,
            choices=(("province", "省级"), ("city", "市级"), ("county", "县级"), ("town", "乡镇（街道）")),
        ),
        _c("region_code", "行政区划代码", required=True),
        _special("parent_code", "上级部门编码", width=16),
        _c("uscc", "统一社会信用代码", width=22),
        _c("address", "地址", width=30),
        _c("phone", "咨询电话"),
        _c("complaint_phone", "投诉电话"),
        _c("office_hours", "办公时间", width=24),
        _c("is_supervision_office", "是否电子监察机构", BOOL),
    ),
)

ITEMS = SheetSpec(
    "items",
    "事项",
    ItemVersion,
    (
        ITEM_CODE,
        _special("basic_code", "基本编码", required=True, width=22),
        _c("name", "事项名称", required=True, width=30),
        _c(
            "item_type",
            "事项类型",
            CHOICE,
            choices=(
                ("licence", "行政许可"),
                ("confirmation", "行政确认"),
                ("benefit", "行政给付"),
                ("filing", "备案"),
                ("public_service", "公共服务"),
                ("other", "其他"),
            ),
        ),
        _c("main_item_name", "主项名称", width=24),
        _c("sub_item_name", "子项名称", width=24),
        _c(
            "situation",
            "业务办理项（情形）",
            CHOICE,
            choices=(("new", "新办"), ("change", "变更"), ("renewal", "延续"), ("cancellation", "注销")),
            aliases=("办理情形",),
        ),
        _c(
            "target",
            "服务对象",
            CHOICE,
            choices=(("citizen", "自然人"), ("business", "法人"), ("both", "自然人和法人")),
        ),
        _c("themes", "主题分类"),
        _special("department_code", "实施部门编码", required=True, width=16),
        _c("is_joint", "是否并联审批", BOOL),
        _c(
            "join_policy",
            "并联办理方式",
            CHOICE,
            choices=(("all_agree", "会签"), ("lead_decides", "主办/协办"), ("independent", "各自办理")),
        ),
        _c("two_level_approval", "是否两级审批", BOOL),
        _c("acceptance_conditions", "受理条件", width=40),
        _c("quantity_limit", "数量限制", width=20),
        _c("acceptance_limit_days", "受理时限（工作日）", INT),
        _c("statutory_limit_days", "法定办结时限（工作日）", INT),
        _c("promised_limit_days", "承诺办结时限（工作日）", INT),
        _c("extension_allowed", "是否允许延期", BOOL),
        _c("extension_days", "延期时限（工作日）", INT),
        _c("licence_issue_limit_days", "发证时限（工作日）", INT),
        _c("fee_required", "是否收费", BOOL),
        _c("channel_online", "网上办理", BOOL),
        _c("channel_window", "窗口办理", BOOL),
        _c("channel_post", "邮寄办理", BOOL),
        _c(
            "online_depth",
            "网上办理深度",
            CHOICE,
            choices=(
                (0, "不在网上办理"),
                (1, "一级：信息发布"),
                (2, "二级：表格下载"),
                (3, "三级：网上申请"),
                (4, "四级：全程网办"),
            ),
        ),
        _c("visits_required", "到办事现场次数", INT),
        _c("address", "办理地点", width=30),
        _c("office_hours", "办理时间", width=24),
        _c("enquiry_phone", "咨询电话"),
        _c("complaint_phone", "监督投诉电话"),
        _c("result_name", "审批结果名称", width=20),
        _c(
            "result_type",
            "审批结果类型",
            CHOICE,
            choices=(
                ("licence", "许可证"),
                ("certificate", "证书"),
                ("approval_letter", "批准文书"),
                ("filing_receipt", "备案回执"),
                ("other", "其他"),
            ),
        ),
        _c("result_validity", "结果有效期"),
        _special("status", "状态", CHOICE, choices=STATUS_CHOICES),
        _special("effective_from", "生效日期", DATE, width=12),
    ),
    required=True,
)

MATERIALS = SheetSpec(
    "materials",
    "申请材料",
    MaterialRequirement,
    (
        ITEM_CODE,
        _c("code", "材料编码", required=True),
        _c("name", "材料名称", required=True, width=30),
        _c(
            "form",
            "原件/复印件",
            CHOICE,
            choices=(("original", "原件"), ("copy", "复印件"), ("original_and_copy", "原件和复印件")),
            aliases=("材料形式",),
        ),
        _c("copies", "份数", INT),
        _c(
            "medium",
            "介质要求",
            CHOICE,
            choices=(("paper", "纸质"), ("electronic", "电子"), ("both", "纸质或电子")),
        ),
        _c(
            "necessity",
            "必要性",
            CHOICE,
            choices=(("required", "必要"), ("optional", "非必要"), ("pledgeable", "容缺")),
        ),
        _c(
            "source",
            "来源渠道",
            CHOICE,
            choices=(
                ("applicant", "申请人自备"),
                ("government", "政府部门核发"),
                ("intermediary", "中介机构出具"),
            ),
        ),
        _c("specification", "规格要求", width=30),
        _c("review_points", "审查要点", width=30),
        _c("legal_basis", "设定依据", width=30),
    ),
)

LEGAL_BASES = SheetSpec(
    "legal_bases",
    "法律依据",
    LegalBasis,
    (
        ITEM_CODE,
        _c("purpose", "依据类型", CHOICE, choices=(("setting", "设定依据"), ("implementing", "实施依据"))),
        _c("law_name", "法律法规名称", required=True, width=30),
        _c("article", "条款号"),
        _c("text", "条款内容", width=50),
    ),
    aliases=("设定依据",),
)

CO_DEPARTMENTS = SheetSpec(
    "co_departments",
    "协办部门",
    CoDepartment,
    (
        ITEM_CODE,
        _special("department_code", "协办部门编码", required=True, width=16),
        _c("step_limit_days", "环节时限（工作日）", INT),
    ),
)

SPECIAL_PROCEDURES = SheetSpec(
    "special_procedures",
    "特别程序",
    SpecialProcedure,
    (
        ITEM_CODE,
        _c(
            "kind",
            "特别程序种类",
            CHOICE,
            required=True,
            choices=(
                ("hearing", "听证"),
                ("tender", "招标"),
                ("auction", "拍卖"),
                ("inspection", "检验"),
                ("testing", "检测"),
                ("quarantine", "检疫"),
                ("appraisal", "鉴定"),
                ("expert_review", "专家评审"),
                ("site_survey", "现场勘查"),
                ("other", "其他"),
            ),
        ),
        _c("name", "特别程序名称", required=True, width=20),
        _c("max_working_days", "最长时限（工作日）", INT, required=True),
        _c("legal_basis", "设定依据", width=30),
        _c("counted_in_limit", "是否计入办理时限", BOOL),
    ),
)

FEES = SheetSpec(
    "fees",
    "收费",
    Fee,
    (
        ITEM_CODE,
        _c("name", "收费项目", required=True, width=20),
        _c("amount", "收费金额（元）", DECIMAL),
        _c("amount_note", "金额说明", width=20),
        _c("basis", "收费依据", width=30),
    ),
)

FAQS = SheetSpec(
    "faqs",
    "常见问题",
    FAQ,
    (
        ITEM_CODE,
        _c("question", "问题", required=True, width=40),
        _c("answer", "解答", required=True, width=60),
    ),
)

FORM_FIELDS = SheetSpec(
    "form_fields",
    "表单字段",
    FormField,
    (
        ITEM_CODE,
        _c("name", "字段名", required=True, width=16),
        _c("label", "字段标签", required=True, width=20),
        _c(
            "field_type",
            "字段类型",
            CHOICE,
            choices=(
                ("text", "文本"),
                ("long_text", "长文本"),
                ("number", "数字"),
                ("date", "日期"),
                ("choice", "选项"),
                ("address", "地址"),
                ("area", "面积（平方米）"),
                ("phone", "电话"),
                ("boolean", "是/否"),
            ),
        ),
        _c("required", "是否必填", BOOL),
        _c("choices", "可选值（以竖线分隔）", width=30),
        _c("help_text", "填写说明", width=30),
    ),
)

CHILD_SHEETS = (MATERIALS, LEGAL_BASES, CO_DEPARTMENTS, SPECIAL_PROCEDURES, FEES, FAQS, FORM_FIELDS)
SHEETS = (ITEMS, *CHILD_SHEETS, DEPARTMENTS)

# Unique keys within one item, per child sheet (mirror the models' unique constraints).
_CHILD_UNIQUE = {
    "materials": "code",
    "co_departments": "department_code",
    "special_procedures": "kind",
    "form_fields": "name",
}

# ItemVersion fields an import writes (files, lifecycle and identity fields are kept).
_VERSION_CONTENT_FIELDS = [c.field for c in ITEMS.columns if c.field] + ["department", "effective_from"]

# --------------------------------------------------------------------------------------------
# Errors and results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogRowError:
    """One problem of an import file: where it is (sheet, row, column) and what is wrong."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = self.sheet
        if self.row:
            where += _(" row %(row)s") % {"row": self.row}
        if self.column:
            where += f" [{self.column}]"
        return f"{where}: {self.message}"


class CatalogImportError(Exception):
    """An import file was rejected; ``errors`` lists every problem found. Nothing was written."""

    def __init__(self, errors: list[CatalogRowError]):
        self.errors = sorted(errors, key=_error_order)
        super().__init__(_("The catalog file was rejected with %(count)d error(s).") % {"count": len(errors)})


def _error_order(error: CatalogRowError) -> tuple[int, int, int]:
    """Errors in reading order: by sheet of the template, row, then column."""
    for sheet_index, spec in enumerate(SHEETS):
        if spec.title == error.sheet:
            titles = [c.title for c in spec.columns]
            column_index = titles.index(error.column) if error.column in titles else -1
            return sheet_index, error.row or 0, column_index
    return -1, error.row or 0, -1


@dataclass
class ImportResult:
    items_created: int = 0
    versions_created: int = 0
    drafts_replaced: int = 0
    published: int = 0
    departments_created: int = 0
    departments_updated: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def items(self) -> int:
        return self.versions_created + self.drafts_replaced


class _DryRunRollback(Exception):
    pass


class _NullBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


# progress(description, total) returns an object with update(n) and close(), e.g. a tqdm bar.
Progress = Callable[[str, int | None], Any]


def _bar(progress: Progress | None, desc: str, total: int | None):
    return progress(desc, total) if progress else _NullBar()


# --------------------------------------------------------------------------------------------
# Cell parsing
# --------------------------------------------------------------------------------------------


def _norm_header(value: Any) -> str:
    text = str(value).strip().replace("（", "(").replace("）", ")").rstrip("*＊")
    return re.sub(r"\s+", "", text).lower()


class _ChoiceLookup:
    """Accepts a code, the Chinese template label or the model's display label (zh or en)."""

    _cache: dict[tuple[str, str], dict[str, Any]] = {}

    @classmethod
    def get(cls, spec: SheetSpec, column: Column) -> dict[str, Any]:
        key = (spec.key, column.key)
        if key not in cls._cache:
            table: dict[str, Any] = {}
            model_labels: list[tuple[Any, Any]] = []
            if column.field:
                model_labels = list(spec.model._meta.get_field(column.field).choices or [])
            for code, label in column.choices:
                table[_norm_cell(str(code))] = code
                table[_norm_cell(label)] = code
            for code, label in model_labels:
                for lang in ("en", "zh-hans"):
                    with translation.override(lang):
                        table.setdefault(_norm_cell(str(label)), code)
            cls._cache[key] = table
        return cls._cache[key]


def _norm_cell(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("（", "(").replace("）", ")")).casefold()


def _parse(spec: SheetSpec, column: Column, raw: Any) -> tuple[Any, str | None]:
    """(value, error). Empty cells give (None, None)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    kind = column.kind
    if kind == TEXT:
        if isinstance(raw, bool):
            return (YES if raw else NO), None
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw)), None
        if isinstance(raw, datetime):
            return (
                raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(sep=" ")
            ), None
        if isinstance(raw, date):
            return raw.isoformat(), None
        return str(raw).strip(), None
    if kind == INT:
        value: Any = raw
        if isinstance(raw, str):
            try:
                value = int(raw.strip())
            except ValueError:
                try:
                    value = float(raw.strip())
                except ValueError:
                    return None, _("Enter a whole number.")
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, _("Enter a whole number.")
        if isinstance(value, float):
            if not value.is_integer():
                return None, _("Enter a whole number.")
            value = int(value)
        if value < 0 or value > 32767:
            return None, _("Enter a whole number between 0 and 32767.")
        return value, None
    if kind == DECIMAL:
        if isinstance(raw, bool):
            return None, _("Enter an amount.")
        try:
            value = Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            return None, _("Enter an amount.")
        if not value.is_finite() or value < 0 or value >= Decimal("1e10"):
            return None, _("Enter an amount between 0 and 9999999999.99.")
        return value.quantize(Decimal("0.01")), None
    if kind == BOOL:
        if isinstance(raw, bool):
            return raw, None
        word = _norm_cell(str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw))
        if word in _TRUE_WORDS:
            return True, None
        if word in _FALSE_WORDS:
            return False, None
        return None, _("Enter 是 (yes) or 否 (no).")
    if kind == DATE:
        if isinstance(raw, datetime):
            return raw.date(), None
        if isinstance(raw, date):
            return raw, None
        text = str(raw).strip()
        for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
            try:
                return datetime.strptime(text, fmt).date(), None
            except ValueError:
                continue
        return None, _("Enter a date as YYYY-MM-DD.")
    if kind == CHOICE:
        table = _ChoiceLookup.get(spec, column)
        text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
        code = table.get(_norm_cell(text))
        if code is None:
            return None, _("Unknown value “%(value)s”; use one of: %(choices)s.") % {
                "value": text,
                "choices": "、".join(label for _code, label in column.choices),
            }
        return code, None
    raise AssertionError(kind)


# --------------------------------------------------------------------------------------------
# Reading and checking a workbook
# --------------------------------------------------------------------------------------------


@dataclass
class _Row:
    row: int
    values: dict[str, Any]  # column key -> parsed value (None: empty); absent columns are missing
    instance: models.Model | None = None


@dataclass
class _Parsed:
    sheets: dict[str, list[_Row]] = field(default_factory=dict)
    present: dict[str, set[str]] = field(default_factory=dict)  # sheet key -> column keys in the file


def _open_workbook(source: Any):
    from openpyxl import load_workbook

    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    elif isinstance(source, str | Path):
        source = str(source)
    elif hasattr(source, "seek"):
        source.seek(0)
    return load_workbook(source, read_only=True, data_only=True)


def _find_sheet(workbook, spec: SheetSpec):
    wanted = {_norm_header(name) for name in (spec.title, spec.key, *spec.aliases)}
    for name in workbook.sheetnames:
        if _norm_header(name) in wanted:
            return workbook[name]
    return None


def _header_map(spec: SheetSpec, row1: tuple, row2: tuple | None) -> tuple[dict[str, int], bool, list[str]]:
    """Map column keys to indexes. Returns (mapping, row 2 is a key row, duplicate titles)."""
    by_key = {c.key: c for c in spec.columns}
    keys_row2 = [str(v).strip() for v in (row2 or ()) if v is not None and str(v).strip()]
    if keys_row2 and all(k in by_key for k in keys_row2):
        cells, key_row = row2, True
        lookup = {k: k for k in by_key}
    else:
        cells, key_row = row1, False
        lookup = {}
        for c in spec.columns:
            for name in (c.title, c.key, *c.aliases):
                lookup[_norm_header(name)] = c.key
    mapping: dict[str, int] = {}
    duplicates: list[str] = []
    for index, value in enumerate(cells or ()):
        if value is None:
            continue
        key = lookup.get(str(value).strip() if key_row else _norm_header(value))
        if key is None:
            continue
        if key in mapping:
            duplicates.append(by_key[key].title)
        else:
            mapping[key] = index
    return mapping, key_row, duplicates


def _read(workbook, errors: list[CatalogRowError], progress: Progress | None) -> _Parsed:
    parsed = _Parsed()
    for spec in SHEETS:
        ws = _find_sheet(workbook, spec)
        if ws is None:
            if spec.required:
                errors.append(CatalogRowError(spec.title, None, "", _("The sheet is missing.")))
            parsed.sheets[spec.key] = []
            parsed.present[spec.key] = set()
            continue
        declared_rows = ws.max_row
        ws.reset_dimensions()  # some tools write a wrong <dimension>: read every stored row regardless
        rows = ws.iter_rows(values_only=True)
        row1 = next(rows, None)
        row2 = next(rows, None)
        if row1 is None:
            if spec.required:
                errors.append(CatalogRowError(spec.title, 1, "", _("The sheet has no header row.")))
            parsed.sheets[spec.key] = []
            parsed.present[spec.key] = set()
            continue
        mapping, key_row, duplicates = _header_map(spec, row1, row2)
        header_row = 2 if key_row else 1
        for title in duplicates:
            errors.append(
                CatalogRowError(spec.title, header_row, title, _("The column appears more than once."))
            )
        missing = [c for c in spec.columns if c.required and c.key not in mapping]
        for c in missing:
            errors.append(
                CatalogRowError(spec.title, header_row, c.title, _("This required column is missing."))
            )
        parsed.present[spec.key] = set(mapping)
        first_data = 3 if key_row else 2
        data: Iterable[tuple] = rows if key_row else _chain_first(row2, rows)
        bar = _bar(progress, spec.title, declared_rows - first_data + 1 if declared_rows else None)
        out: list[_Row] = []
        columns = [(c, mapping[c.key]) for c in spec.columns if c.key in mapping]
        for number, cells in enumerate(data, start=first_data):
            bar.update(1)
            if cells is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                continue
            values: dict[str, Any] = {}
            for c, index in columns:
                raw = cells[index] if index < len(cells) else None
                value, error = _parse(spec, c, raw)
                if error:
                    errors.append(CatalogRowError(spec.title, number, c.title, error))
                elif value is None and c.required:
                    errors.append(CatalogRowError(spec.title, number, c.title, _("This value is required.")))
                values[c.key] = value
            out.append(_Row(number, values))
        bar.close()
        parsed.sheets[spec.key] = out
    return parsed


def _chain_first(first: tuple | None, rest: Iterator[tuple]) -> Iterator[tuple]:
    if first is not None:
        yield first
    yield from rest


def _build_instance(
    spec: SheetSpec, row: _Row, present: set[str], errors: list[CatalogRowError]
) -> models.Model:
    """An unsaved model instance from a row; each value is checked with its model field's validators
    (lengths, ranges, digits, slugs, patterns). Types and choices were checked when the cell was parsed."""
    kwargs: dict[str, Any] = {}
    for c, model_field in _model_columns(spec):
        if c.key not in present:
            continue
        value = row.values.get(c.key)
        if value is None:
            if model_field.null:
                kwargs[c.field] = None
            elif c.kind in (TEXT, CHOICE) and model_field.blank:
                kwargs[c.field] = ""
            # otherwise the model's default applies
            continue
        for validator in model_field.validators:
            try:
                validator(value)
            except ValidationError as exc:
                errors.extend(
                    CatalogRowError(spec.title, row.row, c.title, message) for message in exc.messages
                )
        kwargs[c.field] = value
    return spec.model(**kwargs)


_MODEL_COLUMNS: dict[str, list[tuple[Column, models.Field]]] = {}


def _model_columns(spec: SheetSpec) -> list[tuple[Column, models.Field]]:
    if spec.key not in _MODEL_COLUMNS:
        _MODEL_COLUMNS[spec.key] = [(c, spec.model._meta.get_field(c.field)) for c in spec.columns if c.field]
    return _MODEL_COLUMNS[spec.key]


def _check(parsed: _Parsed, errors: list[CatalogRowError]) -> None:
    """Checks within the file: duplicates, references to items, cross-field rules."""
    items_title = ITEMS.title
    seen_items: dict[str, int] = {}
    for row in parsed.sheets["items"]:
        code = row.values.get("item_code")
        if code:
            if code in seen_items:
                errors.append(
                    CatalogRowError(
                        items_title,
                        row.row,
                        ITEM_CODE.title,
                        _("Item code %(code)s already appears in row %(row)s.")
                        % {"code": code, "row": seen_items[code]},
                    )
                )
            else:
                seen_items[code] = row.row
        for key in ("item_code", "basic_code"):
            value = row.values.get(key)
            if value and len(value) > Item._meta.get_field("code").max_length:
                errors.append(
                    CatalogRowError(
                        items_title,
                        row.row,
                        ITEMS.column(key).title,
                        _("Enter at most %(limit)d characters.")
                        % {"limit": Item._meta.get_field("code").max_length},
                    )
                )
        statutory, promised = row.values.get("statutory_limit_days"), row.values.get("promised_limit_days")
        if statutory is not None and promised is not None and promised > statutory:
            errors.append(
                CatalogRowError(
                    items_title,
                    row.row,
                    ITEMS.column("promised_limit_days").title,
                    _(
                        "The promised limit (%(promised)s working days) is above the statutory limit (%(statutory)s)."
                    )
                    % {"promised": promised, "statutory": statutory},
                )
            )
        if row.values.get("status") == "published" and row.values.get("effective_from") is None:
            errors.append(
                CatalogRowError(
                    items_title,
                    row.row,
                    ITEMS.column("effective_from").title,
                    _("A published row needs an effective date."),
                )
            )
        row.instance = _build_instance(ITEMS, row, parsed.present["items"], errors)

    check_references = "item_code" in parsed.present["items"]
    for spec in CHILD_SHEETS:
        unique = _CHILD_UNIQUE.get(spec.key)
        seen: dict[tuple[str, Any], int] = {}
        for row in parsed.sheets[spec.key]:
            code = row.values.get("item_code")
            if code and check_references and code not in seen_items:
                errors.append(
                    CatalogRowError(
                        spec.title,
                        row.row,
                        ITEM_CODE.title,
                        _("Item code %(code)s is not in the %(sheet)s sheet.")
                        % {"code": code, "sheet": items_title},
                    )
                )
            if unique and code and row.values.get(unique) is not None:
                key = (code, row.values[unique])
                if key in seen:
                    errors.append(
                        CatalogRowError(
                            spec.title,
                            row.row,
                            spec.column(unique).title,
                            _("%(value)s already appears for item %(code)s in row %(row)s.")
                            % {
                                "value": _display(spec, unique, row.values[unique]),
                                "code": code,
                                "row": seen[key],
                            },
                        )
                    )
                else:
                    seen[key] = row.row
            row.instance = _build_instance(spec, row, parsed.present[spec.key], errors)

    seen_departments: dict[str, int] = {}
    for row in parsed.sheets["departments"]:
        code = row.values.get("code")
        if code in seen_departments:
            errors.append(
                CatalogRowError(
                    DEPARTMENTS.title,
                    row.row,
                    DEPARTMENTS.column("code").title,
                    _("Department code %(code)s already appears in row %(row)s.")
                    % {"code": code, "row": seen_departments[code]},
                )
            )
        elif code:
            seen_departments[code] = row.row
        if code and row.values.get("parent_code") == code:
            errors.append(
                CatalogRowError(
                    DEPARTMENTS.title,
                    row.row,
                    DEPARTMENTS.column("parent_code").title,
                    _("A department cannot be its own parent."),
                )
            )
        row.instance = _build_instance(DEPARTMENTS, row, parsed.present["departments"], errors)


def _display(spec: SheetSpec, key: str, value: Any) -> str:
    column = spec.column(key)
    return dict(column.choices).get(value, str(value)) if column.choices else str(value)


def _chunks(values: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _resolve_departments(parsed: _Parsed, errors: list[CatalogRowError]) -> dict[str, Department]:
    """Departments by code: those in the database plus those of the departments sheet (unsaved)."""
    sheet_codes = {row.values["code"] for row in parsed.sheets["departments"] if row.values.get("code")}
    references: list[tuple[SheetSpec, _Row, str]] = [
        (ITEMS, row, "department_code") for row in parsed.sheets["items"]
    ] + [(CO_DEPARTMENTS, row, "department_code") for row in parsed.sheets["co_departments"]]
    references += [(DEPARTMENTS, row, "parent_code") for row in parsed.sheets["departments"]]
    wanted = sorted(sheet_codes | {row.values[key] for _spec, row, key in references if row.values.get(key)})
    known: dict[str, Department] = {}
    for chunk in _chunks(wanted):
        known.update({d.code: d for d in Department.objects.filter(code__in=chunk)})
    for spec, row, key in references:
        code = row.values.get(key)
        if code and code not in known and code not in sheet_codes:
            errors.append(
                CatalogRowError(
                    spec.title,
                    row.row,
                    spec.column(key).title,
                    _("Department %(code)s is neither in the database nor in the %(sheet)s sheet.")
                    % {"code": code, "sheet": DEPARTMENTS.title},
                )
            )
    return known


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _write_departments(
    parsed: _Parsed, known: dict[str, Department], result: ImportResult
) -> dict[str, Department]:
    rows = parsed.sheets["departments"]
    if not rows:
        return known
    present = parsed.present["departments"]
    fields = [c.field for c in DEPARTMENTS.columns if c.field and c.key in present]
    new: list[Department] = []
    existing: list[Department] = []
    for row in rows:
        instance = row.instance
        current = known.get(instance.code)
        if current is None:
            new.append(instance)
        else:
            for name in fields:
                setattr(current, name, getattr(instance, name))
            existing.append(current)
            row.instance = current
    Department.objects.bulk_create(new, batch_size=500)
    for instance in new:
        known[instance.code] = instance
    if "parent_code" in present:
        fields.append("parent")
        for row in rows:
            parent_code = row.values.get("parent_code")
            row.instance.parent = known[parent_code] if parent_code else None
        if new:
            Department.objects.bulk_update(new, ["parent"], batch_size=500)
    if existing and fields:
        Department.objects.bulk_update(existing, fields, batch_size=500)
    result.departments_created = len(new)
    result.departments_updated = len(existing)
    return known


def _write(
    parsed: _Parsed, known: dict[str, Department], result: ImportResult, progress: Progress | None
) -> list[tuple[_Row, int]]:
    """Write items, versions and children. Returns the (row, version id) pairs to publish."""
    departments = _write_departments(parsed, known, result)
    item_rows = parsed.sheets["items"]
    codes = [row.values["item_code"] for row in item_rows]

    items: dict[str, Item] = {}
    for chunk in _chunks(codes):
        items.update({i.code: i for i in Item.objects.select_for_update().filter(code__in=chunk)})
    changed_items = []
    for row in item_rows:
        item = items.get(row.values["item_code"])
        if item is not None and item.basic_code != row.values["basic_code"]:
            item.basic_code = row.values["basic_code"]
            changed_items.append(item)
    Item.objects.bulk_update(changed_items, ["basic_code"], batch_size=500)
    existing_ids = [i.pk for i in items.values()]
    new_items = [
        Item(code=row.values["item_code"], basic_code=row.values["basic_code"])
        for row in item_rows
        if row.values["item_code"] not in items
    ]
    Item.objects.bulk_create(new_items, batch_size=500)
    items.update({i.code: i for i in new_items})
    result.items_created = len(new_items)

    # The latest version of each existing item, locked: a draft is replaced, otherwise a new draft follows it.
    latest: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(existing_ids):
        for v in (
            ItemVersion.objects.select_for_update()
            .filter(item_id__in=chunk)
            .order_by("item_id", "version")
            .values("pk", "item_id", "version", "status", "result_sample")
        ):
            latest[v["item_id"]] = v
    previous_ids = [v["pk"] for v in latest.values()]
    material_files: dict[tuple[int, str], tuple[str, str]] = {}
    for chunk in _chunks(previous_ids):
        for m in (
            MaterialRequirement.objects.filter(version_id__in=chunk)
            .filter(~Q(blank_form="") | ~Q(sample=""))
            .values("version__item_id", "code", "blank_form", "sample")
        ):
            material_files[(m["version__item_id"], m["code"])] = (m["blank_form"], m["sample"])

    to_create: list[ItemVersion] = []
    to_update: list[ItemVersion] = []
    bar = _bar(progress, _("Versions"), len(item_rows))
    for row in item_rows:
        version: ItemVersion = row.instance
        item = items[row.values["item_code"]]
        version.item = item
        version.department = departments[row.values["department_code"]]
        version.status = ItemVersion.Status.DRAFT
        version.effective_from = row.values.get("effective_from")
        previous = latest.get(item.pk)
        if previous and previous["status"] == ItemVersion.Status.DRAFT:
            version.pk = previous["pk"]
            version.version = previous["version"]
            to_update.append(version)
        else:
            version.version = previous["version"] + 1 if previous else 1
            if previous:
                version.result_sample = previous["result_sample"]
            to_create.append(version)
        bar.update(1)
    bar.close()
    replaced_ids = [v.pk for v in to_update]
    for model in services.CHILD_MODELS:
        for chunk in _chunks(replaced_ids):
            model.objects.filter(version_id__in=chunk).delete()
    ItemVersion.objects.bulk_update(to_update, _VERSION_CONTENT_FIELDS, batch_size=200)
    ItemVersion.objects.bulk_create(to_create, batch_size=500)
    result.drafts_replaced = len(to_update)
    result.versions_created = len(to_create)

    version_by_code = {row.values["item_code"]: row.instance for row in item_rows}
    for spec in CHILD_SHEETS:
        rows = parsed.sheets[spec.key]
        positions: dict[str, int] = defaultdict(int)
        instances = []
        for row in rows:
            code = row.values["item_code"]
            instance = row.instance
            instance.version = version_by_code[code]
            instance.position = positions[code]
            positions[code] += 1
            if spec is CO_DEPARTMENTS:
                instance.department = departments[row.values["department_code"]]
            elif spec is MATERIALS:
                files = material_files.get((instance.version.item_id, instance.code))
                if files:
                    instance.blank_form, instance.sample = files
            instances.append(instance)
        spec.model.objects.bulk_create(instances, batch_size=1000)
        result.rows[spec.key] = len(instances)
    result.rows["items"] = len(item_rows)
    result.rows["departments"] = len(parsed.sheets["departments"])
    return [(row, row.instance.pk) for row in item_rows if row.values.get("status") == "published"]


def _publish(
    to_publish: list[tuple[_Row, int]], errors: list[CatalogRowError], progress: Progress | None
) -> int:
    column = ITEMS.column("status").title
    bar = _bar(progress, _("Publishing"), len(to_publish))
    published = 0
    for row, version_id in to_publish:
        try:
            services.publish(version_id, effective_from=row.values["effective_from"])
            published += 1
        except ValidationError as exc:
            for message in exc.messages:
                errors.append(CatalogRowError(ITEMS.title, row.row, column, message))
        bar.update(1)
    bar.close()
    return published


def import_catalog(source: Any, *, dry_run: bool = False, progress: Progress | None = None) -> ImportResult:
    """Import a catalog workbook (path, bytes or file object), all-or-nothing.

    Raises ``CatalogImportError`` listing every problem when the file is rejected; nothing is
    written then. With ``dry_run`` everything is checked (publication rules included) and rolled back.
    """
    errors: list[CatalogRowError] = []
    try:
        workbook = _open_workbook(source)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for files that are not XLSX
        raise CatalogImportError(
            [
                CatalogRowError(
                    "",
                    None,
                    "",
                    _("The file is not an XLSX workbook (%(reason)s).") % {"reason": type(exc).__name__},
                )
            ]
        ) from exc
    try:
        parsed = _read(workbook, errors, progress)
    finally:
        workbook.close()
    _check(parsed, errors)
    result = ImportResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            known = _resolve_departments(parsed, errors)
            if errors:
                raise CatalogImportError(errors)
            to_publish = _write(parsed, known, result, progress)
            # Bulk writes send no model signals: tell the catalog caches here.
            catalog_written.send(sender=ItemVersion)
            result.published = _publish(to_publish, errors, progress)
            if errors:
                raise CatalogImportError(errors)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return result


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@")


def export_catalog(dest: str | Path | IO[bytes], *, on: date | None = None, drafts: bool = False) -> int:
    """Write the catalog to ``dest``: each item's version in force on ``on`` (default today), or
    every draft version with ``drafts``. Returns the number of items written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    versions = (
        ItemVersion.objects.filter(status=ItemVersion.Status.DRAFT)
        if drafts
        else ItemVersion.objects.in_force(on)
    )
    version_ids = versions.values("pk")

    workbook = Workbook(write_only=True)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")

    def text_cell(ws, value: str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(_FORMULA_START):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"  # never a formula
            return cell
        return value

    def convert(ws, column: Column, value: Any):
        if value is None or value == "":
            return None
        if column.kind == BOOL:
            return YES if value else NO
        if column.kind == CHOICE:
            return dict(column.choices).get(value, value)
        if column.kind == DATE:
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = "yyyy-mm-dd"
            return cell
        if column.kind == TEXT:
            return text_cell(ws, str(value))
        return value

    def sheet(spec: SheetSpec):
        ws = workbook.create_sheet(spec.title)
        for index, c in enumerate(spec.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = c.width
            if c.choices:
                labels = ",".join(label for _code, label in c.choices)
                validation = DataValidation(
                    type="list", formula1=f'"{labels}"', allow_blank=True, showErrorMessage=False
                )
                validation.add(f"{get_column_letter(index)}3:{get_column_letter(index)}1048576")
                ws.data_validations.append(validation)
            elif c.kind == BOOL:
                validation = DataValidation(
                    type="list", formula1=f'"{YES},{NO}"', allow_blank=True, showErrorMessage=False
                )
                validation.add(f"{get_column_letter(index)}3:{get_column_letter(index)}1048576")
                ws.data_validations.append(validation)
        ws.freeze_panes = "B3"
        ws.row_dimensions[2].hidden = True
        titles = []
        for c in spec.columns:
            cell = WriteOnlyCell(ws, value=c.title)
            cell.font, cell.fill = header_font, header_fill
            titles.append(cell)
        ws.append(titles)
        ws.append([c.key for c in spec.columns])
        return ws

    def write_rows(spec: SheetSpec, rows: Iterable[dict[str, Any]]) -> int:
        ws = sheet(spec)
        count = 0
        for values in rows:
            ws.append([convert(ws, c, values.get(c.key)) for c in spec.columns])
            count += 1
        return count

    _readme(workbook)

    item_fields = {c.key: c.field for c in ITEMS.columns if c.field}
    item_rows = (
        versions.order_by("item__code")
        .values(
            *item_fields.values(),
            "status",
            "effective_from",
            item_code=F("item__code"),
            basic_code=F("item__basic_code"),
            department_code=F("department__code"),
        )
        .iterator(chunk_size=2000)
    )

    def items_iter():
        for values in item_rows:
            values["status"] = "draft" if values["status"] == ItemVersion.Status.DRAFT else "published"
            yield values

    count = write_rows(ITEMS, items_iter())
    for spec in CHILD_SHEETS:
        names = [c.field for c in spec.columns if c.field]
        extra: dict[str, Any] = {"item_code": F("version__item__code")}
        if spec is CO_DEPARTMENTS:
            extra["department_code"] = F("department__code")
        rows = (
            spec.model.objects.filter(version_id__in=version_ids)
            .order_by("version__item__code", "position", "pk")
            .values(*names, **extra)
            .iterator(chunk_size=5000)
        )
        write_rows(spec, rows)
    department_fields = [c.field for c in DEPARTMENTS.columns if c.field]
    write_rows(
        DEPARTMENTS,
        Department.objects.order_by("code")
        .values(*department_fields, parent_code=F("parent__code"))
        .iterator(),
    )
    workbook.save(dest if not isinstance(dest, Path) else str(dest))
    return count


def _readme(workbook) -> None:
    ws = workbook.create_sheet("说明")
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 90
    ws.append(["工作表", "内容"])
    notes = {
        ITEMS.title: "每行一个事项（实施编码唯一）；状态填“已发布”并填写生效日期时，导入后按发布规则发布，否则为草稿。",
        MATERIALS.title: "申请材料，按事项编码关联；同一事项内材料编码不可重复；行的顺序即材料顺序。",
        LEGAL_BASES.title: "设定依据和实施依据，按事项编码关联。",
        CO_DEPARTMENTS.title: "并联审批事项的协办部门及其环节时限。",
        SPECIAL_PROCEDURES.title: "事项可适用的特别程序（听证、检验、专家评审等）及最长时限，同一事项内种类不可重复。",
        FEES.title: "收费项目、金额和依据；不收费的事项无需填写。",
        FAQS.title: "常见问题及解答。",
        FORM_FIELDS.title: "申请表单字段；同一事项内字段名不可重复。",
        DEPARTMENTS.title: "部门（可选）：事项引用的部门须已在系统中或列在本表中；本表中的部门导入时新建或更新。",
    }
    for title, text in notes.items():
        ws.append([title, text])
    ws.append(
        ["", "第1行为中文列名，第2行（隐藏）为英文列键，导入时据此识别各列；整份文件有任何错误则全部不导入。"]
    )
