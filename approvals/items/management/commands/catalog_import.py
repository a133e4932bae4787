"""``manage.py catalog_import FILE [--dry-run]``: import a catalog workbook, all-or-nothing.

Every rejected cell is printed (sheet, row, column, problem) and the command exits non-zero.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from approvals.items.xlsx import CatalogImportError, import_catalog


class Command(BaseCommand):
    help = "Import the service catalog from an XLSX workbook (template: docs/catalog_template.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the .xlsx workbook.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the whole file, publication rules included; write nothing.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not show progress bars.")

    def handle(self, *args, file: str, dry_run: bool, no_progress: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        stream = getattr(self.stderr, "_out", sys.stderr)  # tqdm needs the raw stream for its \r updates

        def progress(description: str, total: int | None):
            return tqdm(
                desc=description, total=total, unit=_("rows"), file=stream, leave=False, disable=no_progress
            )

        try:
            result = import_catalog(path, dry_run=dry_run, progress=progress)
        except CatalogImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
        summary = _(
            "%(items)d items: %(created)d new items, %(versions)d new draft versions, %(replaced)d drafts replaced, "
            "%(published)d published; departments: %(dept_created)d created, %(dept_updated)d updated."
        ) % {
            "items": result.items,
            "created": result.items_created,
            "versions": result.versions_created,
            "replaced": result.drafts_replaced,
            "published": result.published,
            "dept_created": result.departments_created,
            "dept_updated": result.departments_updated,
        }
        if dry_run:
            self.stdout.write(_("Dry run: the file is valid, nothing was written. ") + summary)
        else:
            self.stdout.write(self.style.SUCCESS(_("Catalog imported. ") + summary))
