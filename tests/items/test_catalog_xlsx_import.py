"""Catalog import is all-or-nothing: every bad file is rejected with an error per sheet, row and
column, all errors are reported at once, and nothing is written."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from approvals.items import services
from approvals.items.models import (
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
from approvals.items.xlsx import SHEETS, CatalogImportError, import_catalog
from tests import factories as f

pytestmark = pytest.mark.django_db

CATALOG_MODELS = (
    Department,
    Item,
    ItemVersion,
    LegalBasis,
    MaterialRequirement,
    CoDepartment,
    SpecialProcedure,
    Fee,
    FAQ,
    FormField,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in CATALOG_MODELS}


def make_xlsx(
    sheets: dict[str, list[dict]], *, key_row: bool = True, drop: tuple[str, ...] = (), header=None
) -> bytes:
    """A workbook in the catalog template; ``drop`` removes columns (sheet_key.column_key)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in SHEETS:
        if spec.key not in sheets:
            continue
        ws = workbook.create_sheet(spec.title)
        columns = [c for c in spec.columns if f"{spec.key}.{c.key}" not in drop]
        ws.append([header(c) if header else c.title for c in columns])
        if key_row:
            ws.append([c.key for c in columns])
        for row in sheets[spec.key]:
            ws.append([row.get(c.key) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def departments():
    return f.department(code="330100-SCJG", name="市场监管局"), f.department(
        code="330100-XF", name="消防支队"
    )


def valid_sheets() -> dict[str, list[dict]]:
    return {
        "items": [
            {
                "item_code": "330100-A-001",
                "basic_code": "B-001",
                "name": "食品经营许可（新办）",
                "item_type": "行政许可",
                "department_code": "330100-SCJG",
                "statutory_limit_days": 20,
                "promised_limit_days": 10,
                "status": "草稿",
            },
            {
                "item_code": "330100-A-002",
                "basic_code": "B-002",
                "name": "公众聚集场所消防安全检查",
                "department_code": "330100-SCJG",
                "is_joint": "是",
                "join_policy": "会签",
                "statutory_limit_days": 45,
                "promised_limit_days": 30,
            },
        ],
        "materials": [
            {"item_code": "330100-A-001", "code": "M01", "name": "申请书", "copies": 1, "necessity": "必要"},
            {
                "item_code": "330100-A-001",
                "code": "M02",
                "name": "营业执照",
                "copies": 2,
                "necessity": "容缺",
            },
            {"item_code": "330100-A-002", "code": "M01", "name": "申请书"},  # same code, other item: fine
        ],
        "legal_bases": [
            {
                "item_code": "330100-A-001",
                "purpose": "设定依据",
                "law_name": "《中华人民共和国食品安全法》",
                "article": "第三十五条",
            },
            {"item_code": "330100-A-002", "law_name": "《中华人民共和国消防法》", "article": "第十五条"},
        ],
        "co_departments": [
            {"item_code": "330100-A-002", "department_code": "330100-XF", "step_limit_days": 10}
        ],
        "special_procedures": [
            {"item_code": "330100-A-002", "kind": "检验", "name": "现场检验", "max_working_days": 10}
        ],
        "fees": [{"item_code": "330100-A-002", "name": "检验费", "amount": 120.5}],
        "faqs": [{"item_code": "330100-A-001", "question": "能否网上办理？", "answer": "可以。"}],
        "form_fields": [
            {
                "item_code": "330100-A-001",
                "name": "shop_name",
                "label": "店名",
                "field_type": "文本",
                "required": "是",
            }
        ],
    }


def rejected(data: bytes) -> list[tuple]:
    """Import ``data``, expect a rejection with nothing written; return (sheet, row, column) triples."""
    before = counts()
    with pytest.raises(CatalogImportError) as exc:
        import_catalog(data)
    assert counts() == before
    assert exc.value.errors
    assert all(error.message for error in exc.value.errors)
    return [(e.sheet, e.row, e.column) for e in exc.value.errors]


def test_the_valid_file_imports_every_sheet(departments):
    before = counts()
    result = import_catalog(make_xlsx(valid_sheets()))
    after = counts()
    assert (result.items_created, result.versions_created, result.published) == (2, 2, 0)
    added = {name: after[name] - before[name] for name in after}
    assert added == {
        "Department": 0, "Item": 2, "ItemVersion": 2, "LegalBasis": 2, "MaterialRequirement": 3,
        "CoDepartment": 1, "SpecialProcedure": 1, "Fee": 1, "FAQ": 1, "FormField": 1,
    }  # fmt: skip
    version = ItemVersion.objects.get(item__code="330100-A-001")
    assert (version.status, version.version, version.item.basic_code) == ("draft", 1, "B-001")
    assert list(version.materials.values_list("code", "copies", "necessity", "position")) == [
        ("M01", 1, "required", 0),
        ("M02", 2, "pledgeable", 1),
    ]
    joint = ItemVersion.objects.get(item__code="330100-A-002")
    assert (joint.is_joint, joint.join_policy, str(joint.fees.get().amount)) == (True, "all_agree", "120.50")
    assert joint.co_departments.get().department.code == "330100-XF"


def test_codes_labels_and_loose_yes_no_are_accepted_and_titles_alone_identify_columns(departments):
    sheets = valid_sheets()
    sheets["items"][0].update(
        item_type="licence", is_joint="N", online_depth=4, fee_required="Y", statutory_limit_days="20"
    )
    sheets["items"][1].update(join_policy="all_agree", situation="Change (变更)")  # the model's own label
    sheets["materials"][0].update(necessity="optional", form="复印件")
    import_catalog(make_xlsx(sheets, key_row=False))  # row 1 titles only, data from row 2

    version = ItemVersion.objects.get(item__code="330100-A-001")
    assert (version.item_type, version.is_joint, version.online_depth, version.fee_required) == (
        "licence",
        False,
        4,
        True,
    )
    assert ItemVersion.objects.get(item__code="330100-A-002").situation == "change"
    assert version.materials.get(code="M01").form == "copy"


def test_english_keys_in_the_header_row_are_accepted(departments):
    import_catalog(make_xlsx(valid_sheets(), key_row=False, header=lambda c: c.key))
    assert ItemVersion.objects.filter(item__code__startswith="330100-A-").count() == 2


def test_departments_of_the_file_are_created_and_may_be_referenced(departments):
    sheets = valid_sheets()
    sheets["departments"] = [
        {
            "code": "330100-NEW",
            "name": "新设部门",
            "region_code": "330100",
            "parent_code": "330100-SCJG",
            "level": "市级",
        },
    ]
    sheets["co_departments"][0]["department_code"] = "330100-NEW"
    result = import_catalog(make_xlsx(sheets))
    assert result.departments_created == 1
    new = Department.objects.get(code="330100-NEW")
    assert new.parent.code == "330100-SCJG"
    assert CoDepartment.objects.get().department == new


def test_unknown_department_is_rejected(departments):
    sheets = valid_sheets()
    sheets["items"][1]["department_code"] = "NOPE"
    sheets["co_departments"][0]["department_code"] = "NOPE-2"
    assert rejected(make_xlsx(sheets)) == [("事项", 4, "实施部门编码"), ("协办部门", 3, "协办部门编码")]


def test_promised_limit_above_statutory_is_rejected(departments):
    sheets = valid_sheets()
    sheets["items"][0]["promised_limit_days"] = 25
    assert rejected(make_xlsx(sheets)) == [("事项", 3, "承诺办结时限（工作日）")]


def test_missing_required_column_is_rejected(departments):
    assert rejected(make_xlsx(valid_sheets(), drop=("items.name",))) == [("事项", 2, "事项名称")]
    assert rejected(make_xlsx(valid_sheets(), drop=("materials.code",), key_row=False)) == [
        ("申请材料", 1, "材料编码")
    ]


def test_missing_items_sheet_is_rejected(departments):
    sheets = valid_sheets()
    del sheets["items"]
    errors = rejected(make_xlsx(sheets))
    assert errors[0] == ("事项", None, "")


def test_empty_required_cell_is_rejected(departments):
    sheets = valid_sheets()
    sheets["legal_bases"][1]["law_name"] = "  "
    assert rejected(make_xlsx(sheets)) == [("法律依据", 4, "法律法规名称")]


@pytest.mark.parametrize(
    ("sheet", "index", "key", "value", "where"),
    [
        ("materials", 0, "copies", "两份", ("申请材料", 3, "份数")),
        ("items", 0, "statutory_limit_days", 20.5, ("事项", 3, "法定办结时限（工作日）")),
        ("items", 1, "visits_required", -1, ("事项", 4, "到办事现场次数")),
        ("fees", 0, "amount", "一百元", ("收费", 3, "收费金额（元）")),
        ("items", 0, "is_joint", "也许", ("事项", 3, "是否并联审批")),
        ("items", 0, "effective_from", "明年", ("事项", 3, "生效日期")),
        ("items", 0, "item_type", "行政处罚", ("事项", 3, "事项类型")),
        ("form_fields", 0, "name", "店 名", ("表单字段", 3, "字段名")),
        ("items", 0, "name", "长" * 201, ("事项", 3, "事项名称")),
    ],
)
def test_wrong_types_and_values_are_rejected_with_their_cell(departments, sheet, index, key, value, where):
    sheets = valid_sheets()
    sheets[sheet][index][key] = value
    assert rejected(make_xlsx(sheets)) == [where]


def test_duplicate_item_codes_are_rejected(departments):
    sheets = valid_sheets()
    sheets["items"][1]["item_code"] = "330100-A-001"
    errors = rejected(make_xlsx(sheets))
    assert ("事项", 4, "事项编码") in errors


def test_duplicate_material_codes_within_an_item_are_rejected(departments):
    sheets = valid_sheets()
    sheets["materials"][1]["code"] = "M01"
    assert rejected(make_xlsx(sheets)) == [("申请材料", 4, "材料编码")]


def test_duplicate_co_departments_and_special_procedures_within_an_item_are_rejected(departments):
    sheets = valid_sheets()
    sheets["co_departments"].append(dict(sheets["co_departments"][0]))
    sheets["special_procedures"].append(
        {"item_code": "330100-A-002", "kind": "inspection", "name": "再检验", "max_working_days": 5}
    )
    assert rejected(make_xlsx(sheets)) == [("协办部门", 4, "协办部门编码"), ("特别程序", 4, "特别程序种类")]


def test_child_rows_referencing_an_unknown_item_code_are_rejected(departments):
    sheets = valid_sheets()
    sheets["materials"].append({"item_code": "330100-Z-999", "code": "M01", "name": "申请书"})
    sheets["faqs"][0]["item_code"] = "330100-Z-998"
    assert rejected(make_xlsx(sheets)) == [("申请材料", 6, "事项编码"), ("常见问题", 3, "事项编码")]


@pytest.mark.parametrize(
    "payload", [b"not a spreadsheet", "事项编码,事项名称\nA,B\n".encode(), b"PK\x03\x04broken zip"]
)
def test_a_file_that_is_not_xlsx_is_rejected(departments, payload):
    assert rejected(payload) == [("", None, "")]


def test_every_error_of_the_file_is_reported_at_once(departments):
    sheets = valid_sheets()
    sheets["items"][0]["promised_limit_days"] = 99
    sheets["items"][1]["department_code"] = "NOPE"
    sheets["materials"][2]["copies"] = "x"
    sheets["fees"][0]["amount"] = "y"
    sheets["faqs"][0]["item_code"] = "Z"
    assert sorted(rejected(make_xlsx(sheets)), key=str) == sorted(
        [
            ("事项", 3, "承诺办结时限（工作日）"),
            ("事项", 4, "实施部门编码"),
            ("申请材料", 5, "份数"),
            ("收费", 3, "收费金额（元）"),
            ("常见问题", 3, "事项编码"),
        ],
        key=str,
    )


def test_a_publication_refused_by_the_service_rolls_back_the_whole_file(departments):
    sheets = valid_sheets()
    sheets["items"][0].update(status="已发布", effective_from=date(2026, 1, 1))
    sheets["items"][1].update(status="published", effective_from="2026-01-01")
    sheets["legal_bases"] = sheets["legal_bases"][:1]  # item 2 has no legal basis: it cannot be published
    assert rejected(make_xlsx(sheets)) == [("事项", 4, "状态")]


def test_a_published_row_needs_an_effective_date(departments):
    sheets = valid_sheets()
    sheets["items"][0]["status"] = "已发布"
    assert rejected(make_xlsx(sheets)) == [("事项", 3, "生效日期")]


def test_a_published_version_is_never_modified_by_an_import(departments):
    published = f.item_version(code="330100-A-001", dept=departments[0], effective_from=date(2025, 1, 1))
    snapshot = (published.name, list(published.materials.values_list("code", "name")))
    import_catalog(make_xlsx(valid_sheets()))
    published.refresh_from_db()
    assert published.status == ItemVersion.Status.PUBLISHED
    assert (published.name, list(published.materials.values_list("code", "name"))) == snapshot
    assert published.item.versions.get(version=2).name == "食品经营许可（新办）"
    assert services.publication_problems(published.item.versions.get(version=2)) == []


def test_dry_run_checks_everything_and_writes_nothing(departments):
    before = counts()
    sheets = valid_sheets()
    sheets["items"][0].update(status="已发布", effective_from=date(2026, 1, 1))
    result = import_catalog(make_xlsx(sheets), dry_run=True)
    assert (result.dry_run, result.items_created, result.published) == (True, 2, 1)
    assert counts() == before


def test_rows_beyond_a_wrong_dimension_record_are_still_read(departments):
    """Some generators write a too small <dimension>; openpyxl's read-only mode would stop there."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(make_xlsx(valid_sheets())))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data, replaced = re.subn(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:B2"/>', data)
                assert replaced == 1
            target.writestr(info, data)

    import_catalog(buffer.getvalue())
    assert MaterialRequirement.objects.count() == 3
