"""Benchmark: catalog XLSX import against a raw openpyxl read of the same file.

Generates a catalog workbook (default 5,000 items × 10 materials, 2 legal bases each, 20
departments in the departments sheet, every item marked 已发布 with an effective date), then times

  (a) baseline: openpyxl read_only load + iterate every row of every sheet;
  (b) ``approvals.items.xlsx.import_catalog`` of that file into the database, publication included;

and prints items/s for both and the ratio (b)/(a) in time.

Database: DATABASE_URL when set (the rows it creates are deleted again at the end unless --keep),
else a throwaway SQLite file under var/ that is migrated first.

    .venv/bin/python bench/catalog_import.py [--items 5000] [--materials 10] [--drafts] [--keep]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PREFIX = "BENCH"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--materials", type=int, default=10)
    parser.add_argument(
        "--drafts", action="store_true", help="Mark rows 草稿 (no publication) instead of 已发布."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the imported rows (and the SQLite file).")
    return parser.parse_args()


def setup_database() -> Path | None:
    """Point Django at the benchmark database; returns the throwaway SQLite path if one is used."""
    if os.environ.get("DATABASE_URL"):
        return None
    path = ROOT / "var" / "bench_catalog_import.sqlite3"
    path.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return path


def generate(path: Path, *, items: int, materials: int, drafts: bool) -> None:
    from openpyxl import Workbook

    from approvals.items.xlsx import DEPARTMENTS, ITEMS, LEGAL_BASES, MATERIALS

    workbook = Workbook(write_only=True)

    def sheet(spec):
        ws = workbook.create_sheet(spec.title)
        ws.append([c.title for c in spec.columns])
        ws.append([c.key for c in spec.columns])
        return ws, [c.key for c in spec.columns]

    ws, keys = sheet(DEPARTMENTS)
    for d in range(20):
        values = {
            "code": f"{PREFIX}-D{d:02d}",
            "name": f"基准测试部门{d}",
            "region_code": "330100",
            "level": "市级",
        }
        ws.append([values.get(k) for k in keys])
    status, effective = ("草稿", None) if drafts else ("已发布", date(2026, 1, 1))
    ws, keys = sheet(ITEMS)
    for i in range(items):
        values = {
            "item_code": f"{PREFIX}-{i:06d}",
            "basic_code": f"{PREFIX}-B{i:06d}",
            "name": f"基准测试事项{i}",
            "item_type": "行政许可",
            "situation": "新办",
            "department_code": f"{PREFIX}-D{i % 20:02d}",
            "acceptance_conditions": "申请人符合法定条件。",
            "statutory_limit_days": 20,
            "promised_limit_days": 10,
            "fee_required": "否",
            "online_depth": "四级：全程网办",
            "address": "市民中心",
            "enquiry_phone": "12345",
            "result_name": "许可证",
            "status": status,
            "effective_from": effective,
        }
        ws.append([values.get(k) for k in keys])
    ws, keys = sheet(MATERIALS)
    for i in range(items):
        for m in range(materials):
            values = {
                "item_code": f"{PREFIX}-{i:06d}",
                "code": f"M{m + 1:02d}",
                "name": f"申请材料{m + 1}",
                "form": "原件",
                "copies": 1,
                "necessity": "必要" if m < 5 else "容缺",
                "source": "申请人自备",
                "specification": "A4纸，加盖公章",
            }
            ws.append([values.get(k) for k in keys])
    ws, keys = sheet(LEGAL_BASES)
    for i in range(items):
        for purpose, law in (("设定依据", "《中华人民共和国行政许可法》"), ("实施依据", "《某某条例》")):
            values = {
                "item_code": f"{PREFIX}-{i:06d}",
                "purpose": purpose,
                "law_name": law,
                "article": "第十二条",
                "text": "……",
            }
            ws.append([values.get(k) for k in keys])
    workbook.save(path)


def raw_read(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = 0
    for ws in workbook.worksheets:
        for _row in ws.iter_rows(values_only=True):
            rows += 1
    workbook.close()
    return rows


def cleanup() -> None:
    from django.db import transaction

    from approvals.items.models import Department, Item, ItemVersion
    from approvals.items.services import CHILD_MODELS

    with transaction.atomic():
        versions = ItemVersion.objects.filter(item__code__startswith=f"{PREFIX}-")
        for model in CHILD_MODELS:
            model.objects.filter(version__in=versions).delete()
        versions.delete()
        Item.objects.filter(code__startswith=f"{PREFIX}-").delete()
        Department.objects.filter(code__startswith=f"{PREFIX}-").delete()


def main() -> None:
    args = parse_args()
    sqlite_path = setup_database()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from approvals.items.models import Item, ItemVersion, MaterialRequirement
    from approvals.items.xlsx import import_catalog

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"Database: {engine} ({settings.DATABASES['default']['NAME']})")
    call_command("migrate", verbosity=0)
    if Item.objects.filter(code__startswith=f"{PREFIX}-").exists():
        cleanup()

    path = ROOT / "var" / "bench_catalog.xlsx"
    started = time.perf_counter()
    generate(path, items=args.items, materials=args.materials, drafts=args.drafts)
    print(
        f"Generated {path.name}: {args.items} items × {args.materials} materials, "
        f"{'drafts' if args.drafts else 'published'}, {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f}s"
    )

    started = time.perf_counter()
    rows = raw_read(path)
    raw_seconds = time.perf_counter() - started

    started = time.perf_counter()
    result = import_catalog(path)
    import_seconds = time.perf_counter() - started

    assert result.versions_created == args.items, result
    assert (
        MaterialRequirement.objects.filter(version__item__code__startswith=f"{PREFIX}-").count()
        == args.items * args.materials
    )
    if not args.drafts:
        assert result.published == args.items
        assert (
            ItemVersion.objects.in_force(date(2026, 1, 1)).filter(item__code__startswith=f"{PREFIX}-").count()
            == args.items
        )

    print()
    print(
        f"(a) raw openpyxl read   : {raw_seconds:7.2f} s  {args.items / raw_seconds:9.0f} items/s  ({rows} rows)"
    )
    print(
        f"(b) catalog import      : {import_seconds:7.2f} s  {args.items / import_seconds:9.0f} items/s  ({result.published} published)"
    )
    print(f"ratio (b)/(a) in time   : {import_seconds / raw_seconds:7.2f} ×")

    if not args.keep:
        cleanup()
        if sqlite_path:
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
