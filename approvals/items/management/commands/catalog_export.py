"""``manage.py catalog_export FILE [--on YYYY-MM-DD | --drafts]``: write the catalog as XLSX."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.items.xlsx import export_catalog


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("Enter the date as YYYY-MM-DD, not %(value)s.") % {"value": value}) from exc


class Command(BaseCommand):
    help = "Export the service catalog to an XLSX workbook: each item's version in force on a date, or all drafts."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the .xlsx workbook to write.")
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--on", help="Export the versions in force on this date (YYYY-MM-DD; default today)."
        )
        group.add_argument("--drafts", action="store_true", help="Export every draft version instead.")

    def handle(self, *args, file: str, on: str | None, drafts: bool, **options):
        day = _iso_date(on) if on else timezone.localdate()
        count = export_catalog(file, on=day, drafts=drafts)
        if drafts:
            self.stdout.write(
                _("%(count)d draft versions written to %(file)s.") % {"count": count, "file": file}
            )
        else:
            self.stdout.write(
                _("%(count)d items in force on %(date)s written to %(file)s.")
                % {"count": count, "date": day.isoformat(), "file": file}
            )
