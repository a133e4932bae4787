"""Export → import gives back the same catalog, and import follows the versioning rules:
a new draft per item, an existing draft replaced, published versions never touched, rows marked
已发布 published through the catalog service from their 生效日期."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

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
from approvals.items.xlsx import ITEMS, SHEETS, CatalogImportError, export_catalog, import_catalog
from tests import factories as f

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 1)

VERSION_FIELDS = [c.field for c in ITEMS.columns if c.field] + ["effective_from", "status"]
CHILD_FIELDS = {
    "materials": [
        "code",
        "name",
        "form",
        "copies",
        "medium",
        "necessity",
        "source",
        "specification",
        "review_points",
        "legal_basis",
    ],
    "legal_bases": ["purpose", "law_name", "article", "text"],
    "co_departments": ["department__code", "step_limit_days"],
    "special_procedures": ["kind", "name", "max_working_days", "legal_basis", "counted_in_limit"],
    "fees": ["name", "amount", "amount_note", "basis"],
    "faqs": ["question", "answer"],
    "form_fields": ["name", "label", "field_type", "required", "choices", "help_text"],
}
DEPARTMENT_FIELDS = [
    "code", "name", "short_name", "level", "region_code", "parent__code", "uscc", "address", "phone",
    "complaint_phone", "office_hours", "is_supervision_office",
]  # fmt: skip


def snapshot(versions) -> dict:
    """The catalog as a clerk sees it: every field of each version and its ordered child rows."""
    out = {}
    for version in versions.select_related("item", "department").order_by("item__code"):
        entry = {name: getattr(version, name) for name in VERSION_FIELDS}
        entry["basic_code"] = version.item.basic_code
        entry["department"] = version.department.code
        for relation, fields in CHILD_FIELDS.items():
            entry[relation] = list(getattr(version, relation).order_by("position", "pk").values_list(*fields))
        out[version.item.code] = entry
    out["departments"] = list(Department.objects.order_by("code").values_list(*DEPARTMENT_FIELDS))
    return out


def sheet_values(data: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    values = {}
    for name in workbook.sheetnames:
        rows = list(workbook[name].iter_rows(values_only=True))
        width = max((len(row) for row in rows), default=0)
        values[name] = [
            tuple(row) + (None,) * (width - len(row)) for row in rows
        ]  # read-only mode trims empty tails
    workbook.close()
    return values


def export_bytes(**kw) -> bytes:
    buffer = io.BytesIO()
    export_catalog(buffer, **kw)
    return buffer.getvalue()


def wipe_catalog() -> None:
    for model in (MaterialRequirement, LegalBasis, CoDepartment, SpecialProcedure, Fee, FAQ, FormField):
        model.objects.all().delete()
    ItemVersion.objects.all().delete()
    Item.objects.all().delete()
    Department.objects.filter(parent__isnull=False).delete()
    Department.objects.all().delete()


@pytest.fixture
def catalog():
    """A small but complete catalog: a joint item with every kind of child row, a simple item,
    and a published item with a newer draft on top."""
    province = f.department(
        code="330000-SCJG", name="浙江省市场监督管理局", level=Department.Level.PROVINCE, region_code="330000"
    )
    lead = f.department(
        code="330100-SCJG",
        name="杭州市市场监督管理局",
        parent=province,
        uscc="11330100MB0000000X",
        address="杭州市解放东路18号",
        phone="0571-12345",
        office_hours="工作日 9:00-17:00",
    )
    fire = f.department(code="330100-XF", name="杭州市消防救援支队", short_name="消防")
    health = f.department(code="330100-WJ", name="杭州市卫生健康委员会", is_supervision_office=False)
    joint = f.item_version(
        code="330100-JOINT-001",
        dept=lead,
        name="公众聚集场所投入使用、营业前消防安全检查",
        co_departments=(fire, health),
        join_policy="lead_decides",
        statutory=45,
        promised=30,
        special_procedures=(("inspection", 10), ("expert_review", 15)),
        fields=(("shop_name", "text", True), ("area", "area", True), ("kind", "choice", False)),
        effective_from=date(2025, 1, 1),
        publish=False,
        item_type="licence",
        situation="change",
        target="business",
        themes="startup,operation",
        acceptance_conditions="=依法设立的企业\n且场所符合消防要求",
        quantity_limit="无",
        extension_days=15,
        fee_required=True,
        channel_post=True,
        online_depth=4,
        visits_required=1,
        address="杭州市民中心",
        enquiry_phone="12345",
        result_name="消防安全检查合格证",
        result_type="certificate",
        result_validity="长期",
        two_level_approval=True,
    )
    CoDepartment.objects.filter(version=joint, department=fire).update(step_limit_days=10)
    FormField.objects.filter(version=joint, name="kind").update(
        choices="餐饮|娱乐|商场", help_text="按营业执照填写"
    )
    LegalBasis.objects.create(
        version=joint,
        position=1,
        purpose="implementing",
        law_name="《中华人民共和国消防法》",
        article="第十五条",
        text="公众聚集场所……",
    )
    Fee.objects.create(
        version=joint,
        position=0,
        name="检验费",
        amount=Decimal("120.50"),
        amount_note="每次",
        basis="浙价费〔2020〕1号",
    )
    Fee.objects.create(version=joint, position=1, name="工本费", amount=None, amount_note="按实收取")
    FAQ.objects.create(
        version=joint, position=0, question="需要现场检查吗？", answer="需要，检查后10个工作日内出具结果。"
    )
    MaterialRequirement.objects.filter(version=joint, code="M01").update(
        form="original_and_copy",
        copies=2,
        medium="paper",
        source="government",
        specification="A4",
        review_points="签章齐全",
    )
    joint = services.publish(joint.pk, effective_from=date(2025, 1, 1))
    simple = f.item_version(
        code="330100-SIMPLE-002", dept=fire, effective_from=date(2026, 3, 15), special_procedures=()
    )
    layered = f.item_version(code="330100-LAYER-003", dept=health, effective_from=date(2025, 5, 1))
    draft = services.new_version(layered.item_id)
    ItemVersion.objects.filter(pk=draft.pk).update(name="草稿中的新名称")
    return {"joint": joint, "simple": simple, "layered": layered, "draft": draft}


def test_export_then_import_into_an_empty_database_gives_the_same_catalog(catalog):
    before = snapshot(ItemVersion.objects.in_force(ON))
    assert set(before) == {"330100-JOINT-001", "330100-SIMPLE-002", "330100-LAYER-003", "departments"}
    first = export_bytes(on=ON)

    wipe_catalog()
    assert ItemVersion.objects.count() == 0
    result = import_catalog(first)

    assert result.items_created == 3
    assert result.published == 3
    assert result.departments_created == 4
    assert snapshot(ItemVersion.objects.in_force(ON)) == before
    assert sheet_values(export_bytes(on=ON)) == sheet_values(first)


def test_export_writes_every_sheet_with_chinese_titles_a_key_row_and_labels(catalog):
    values = sheet_values(export_bytes(on=ON))
    for spec in SHEETS:
        assert values[spec.title][0] == tuple(c.title for c in spec.columns)
        assert values[spec.title][1] == tuple(c.key for c in spec.columns)
    items = {row[0]: dict(zip(values["事项"][1], row, strict=True)) for row in values["事项"][2:]}
    joint = items["330100-JOINT-001"]
    assert joint["item_type"] == "行政许可"
    assert joint["join_policy"] == "主办/协办"
    assert joint["is_joint"] == "是"
    assert joint["channel_post"] == "是"
    assert joint["online_depth"] == "四级：全程网办"
    assert joint["status"] == "已发布"
    assert joint["effective_from"].date() == date(2025, 1, 1)
    assert joint["acceptance_conditions"].startswith("=依法设立的企业")  # text, never a formula
    co_rows = [row for row in values["协办部门"][2:] if row[0] == "330100-JOINT-001"]
    assert co_rows == [("330100-JOINT-001", "330100-XF", 10), ("330100-JOINT-001", "330100-WJ", None)]


def test_export_on_a_date_picks_the_version_in_force_that_day(catalog):
    item = catalog["simple"].item
    draft = services.new_version(item.pk)
    ItemVersion.objects.filter(pk=draft.pk).update(name="2027年版")
    services.publish(draft.pk, effective_from=date(2027, 1, 1))

    def names(on):
        rows = sheet_values(export_bytes(on=on))["事项"][2:]
        return {row[0]: row[2] for row in rows}

    assert "330100-SIMPLE-002" not in names(date(2026, 1, 1))  # not yet in force
    assert names(date(2026, 6, 1))["330100-SIMPLE-002"] == catalog["simple"].name
    assert names(date(2027, 1, 1))["330100-SIMPLE-002"] == "2027年版"


def test_export_drafts_option_writes_only_drafts_marked_as_such(catalog):
    rows = sheet_values(export_bytes(drafts=True))["事项"][2:]
    assert [(row[0], row[2]) for row in rows] == [("330100-LAYER-003", "草稿中的新名称")]
    status_index = [c.key for c in ITEMS.columns].index("status")
    assert rows[0][status_index] == "草稿"


def _rewrite(data: bytes, edit) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _set(workbook, code: str, key: str, value, sheet: str = "事项") -> None:
    ws = workbook[sheet]
    keys = [cell.value for cell in ws[2]]
    for row in ws.iter_rows(min_row=3):
        if row[0].value == code:
            row[keys.index(key)].value = value


def test_import_of_a_published_item_creates_a_new_draft_and_leaves_the_published_version_alone(catalog):
    joint = catalog["joint"]
    before = snapshot(ItemVersion.objects.filter(pk=joint.pk))
    data = _rewrite(
        export_bytes(on=ON),
        lambda wb: (
            _set(wb, "330100-JOINT-001", "status", "草稿"),
            _set(wb, "330100-JOINT-001", "name", "新名称"),
        ),
    )
    # Only the joint item is kept in the file.
    data = _rewrite(data, lambda wb: _keep_only(wb, "330100-JOINT-001"))

    result = import_catalog(data)

    assert (result.versions_created, result.drafts_replaced, result.published) == (1, 0, 0)
    draft = joint.item.versions.get(version=2)
    assert draft.status == ItemVersion.Status.DRAFT
    assert draft.name == "新名称"
    assert draft.materials.count() == joint.materials.count()
    assert list(draft.co_departments.values_list("department__code", "step_limit_days")) == [
        ("330100-XF", 10),
        ("330100-WJ", None),
    ]
    assert snapshot(ItemVersion.objects.filter(pk=joint.pk)) == before  # untouched

    # A second import replaces the draft's content instead of stacking another draft.
    data2 = _rewrite(data, lambda wb: _set(wb, "330100-JOINT-001", "name", "再次修改"))
    data2 = _rewrite(data2, lambda wb: _delete_child_rows(wb, "申请材料", "330100-JOINT-001", keep=1))
    result = import_catalog(data2)
    assert (result.versions_created, result.drafts_replaced) == (0, 1)
    assert joint.item.versions.count() == 2
    draft2 = joint.item.versions.get(version=2)
    assert draft2.pk == draft.pk
    assert draft2.name == "再次修改"
    assert list(draft2.materials.values_list("code", flat=True)) == ["M01"]


def test_rows_marked_published_are_published_from_their_effective_date_and_supersede_the_old_version(catalog):
    simple = catalog["simple"]
    data = _rewrite(export_bytes(on=ON), lambda wb: _keep_only(wb, "330100-SIMPLE-002"))
    data = _rewrite(
        data,
        lambda wb: (
            _set(wb, "330100-SIMPLE-002", "effective_from", date(2026, 9, 1)),
            _set(wb, "330100-SIMPLE-002", "promised_limit_days", 5),
        ),
    )

    result = import_catalog(data)

    assert result.published == 1
    simple.refresh_from_db()
    assert simple.status == ItemVersion.Status.SUPERSEDED
    assert simple.effective_to == date(2026, 9, 1)
    new = simple.item.version_in_force(date(2026, 9, 1))
    assert (new.version, new.status, new.promised_limit_days) == (2, ItemVersion.Status.PUBLISHED, 5)
    assert simple.item.version_in_force(date(2026, 8, 31)).pk == simple.pk


def test_publication_rules_refuse_an_effective_date_not_after_the_current_one_and_nothing_is_written(catalog):
    counts = {m: m.objects.count() for m in (Item, ItemVersion, MaterialRequirement)}
    data = _rewrite(
        export_bytes(on=ON), lambda wb: _keep_only(wb, "330100-SIMPLE-002")
    )  # same effective date

    with pytest.raises(CatalogImportError) as exc:
        import_catalog(data)

    [error] = exc.value.errors
    assert (error.sheet, error.row, error.column) == ("事项", 3, "状态")
    assert "2026-03-15" in error.message
    assert {m: m.objects.count() for m in counts} == counts


def test_files_of_the_previous_version_are_kept_by_a_new_draft(catalog):
    simple = catalog["simple"]
    MaterialRequirement.objects.filter(version=simple, code="M01").update(blank_form="catalog/forms/m01.docx")
    ItemVersion.objects.filter(pk=simple.pk).update(result_sample="catalog/samples/licence.pdf")
    data = _rewrite(
        export_bytes(on=ON),
        lambda wb: (_keep_only(wb, "330100-SIMPLE-002"), _set(wb, "330100-SIMPLE-002", "status", "草稿")),
    )

    import_catalog(data)

    draft = simple.item.versions.get(version=2)
    assert draft.result_sample.name == "catalog/samples/licence.pdf"
    assert draft.materials.get(code="M01").blank_form.name == "catalog/forms/m01.docx"
    assert not draft.materials.get(code="M02").blank_form


def _keep_only(workbook, code: str) -> None:
    for spec in SHEETS:
        if spec.key == "departments":
            continue
        ws = workbook[spec.title]
        for index in range(ws.max_row, 2, -1):
            if ws.cell(index, 1).value != code:
                ws.delete_rows(index)


def _delete_child_rows(workbook, sheet: str, code: str, *, keep: int) -> None:
    ws = workbook[sheet]
    rows = [index for index in range(3, ws.max_row + 1) if ws.cell(index, 1).value == code]
    for index in reversed(rows[keep:]):
        ws.delete_rows(index)
