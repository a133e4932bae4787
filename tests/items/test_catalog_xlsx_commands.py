"""``manage.py catalog_import`` and ``catalog_export``: per-row errors and a failing exit on a bad
file, a dry run that writes nothing, and an export a clerk can open."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from approvals.items.models import Item, ItemVersion, MaterialRequirement
from tests import factories as f
from tests.items.test_catalog_xlsx_import import counts, make_xlsx, valid_sheets

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments():
    return f.department(code="330100-SCJG"), f.department(code="330100-XF")


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_command_imports_a_valid_file(departments, tmp_path):
    path = tmp_path / "catalog.xlsx"
    path.write_bytes(make_xlsx(valid_sheets()))
    out, _err = run("catalog_import", str(path), "--no-progress")
    assert "Catalog imported" in out
    assert ItemVersion.objects.filter(status="draft").count() == 2
    assert MaterialRequirement.objects.count() == 3


def test_import_command_prints_each_error_and_fails_writing_nothing(departments, tmp_path):
    sheets = valid_sheets()
    sheets["items"][1]["department_code"] = "NOPE"
    sheets["materials"][0]["copies"] = "两份"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(make_xlsx(sheets))
    before = counts()
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 error"):
        call_command("catalog_import", str(path), stdout=io.StringIO(), stderr=err)

    lines = [line for line in err.getvalue().splitlines() if "[" in line]
    assert any(line.startswith("事项 row 4 [实施部门编码]") and "NOPE" in line for line in lines)
    assert any(line.startswith("申请材料 row 3 [份数]") for line in lines)
    assert counts() == before


def test_import_dry_run_writes_nothing(departments, tmp_path):
    path = tmp_path / "catalog.xlsx"
    path.write_bytes(make_xlsx(valid_sheets()))
    out, _err = run("catalog_import", str(path), "--dry-run")
    assert "Dry run" in out
    assert Item.objects.count() == 0


def test_import_of_a_missing_file_fails(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("catalog_import", str(tmp_path / "missing.xlsx"))


def test_export_command_writes_the_versions_in_force_on_a_date(tmp_path):
    old = f.item_version(code="330100-E-001", effective_from=date(2025, 1, 1))
    f.item_version(code="330100-E-002", effective_from=date(2026, 7, 1))
    path = tmp_path / "out.xlsx"

    out, _err = run("catalog_export", str(path), "--on", "2026-01-01")

    assert "1 items in force on 2026-01-01" in out
    workbook = load_workbook(path, read_only=True)
    assert [row[0] for row in workbook["事项"].iter_rows(min_row=3, values_only=True)] == [old.item.code]


def test_export_command_rejects_a_bad_date(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("catalog_export", str(tmp_path / "out.xlsx"), "--on", "01/02/2026")
