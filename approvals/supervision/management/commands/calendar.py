"""``manage.py calendar status | seed | import FILE``: the working-day calendar (domain.md section 3)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from approvals.supervision import calendar
from approvals.supervision.calendar_import import import_schedule
from approvals.supervision.calendar_seed import library_versions, library_years, seed_calendar
from approvals.supervision.models import CalendarDay, CalendarYear


class Command(BaseCommand):
    help = "Working-day calendar: show its confirmed years, seed it from the libraries, import a schedule."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="Confirmed years and the first date a deadline cannot reach.")
        sub.add_parser("seed", help="Add every year the holidays/chinesecalendar libraries confirm.")
        imp = sub.add_parser("import", help="Import a CSV/XLSX schedule (date, kind, note).")
        imp.add_argument("file")
        imp.add_argument("--user", help="Username recorded in the change log.")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_status(self, **_options):
        years = list(CalendarYear.objects.values_list("year", "source"))
        if not years:
            self.stdout.write(
                "No confirmed years: every deadline computation fails. Run `manage.py calendar seed`."
            )
            return
        first, last = years[0][0], years[-1][0]
        self.stdout.write(f"Confirmed years: {first}–{last} ({len(years)} years)")
        counts = {
            y: CalendarDay.objects.filter(date__year=y, is_working_day=True).count()
            for y in range(max(first, last - 2), last + 1)
        }
        sources = dict(years)
        for y, n in counts.items():
            self.stdout.write(f"  {y}: {n} working days (source: {sources[y]})")
        self.stdout.write(
            f"First date that would fail: {date(last + 1, 1, 1).isoformat()} (confirm {last + 1})"
        )
        self.stdout.write(f"Last date before the calendar: {date(first - 1, 12, 31).isoformat()}")
        lib = library_years()
        self.stdout.write(f"Libraries ({library_versions()}) confirm {lib.start}–{lib.stop - 1}.")
        self.stdout.write(f"Calendar version: {calendar.current_version()}")

    def do_seed(self, **_options):
        seed_calendar(stdout=self.stdout)

    def do_import(self, *, file, user=None, **_options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"No such user: {user}")
        try:
            result = import_schedule(path.read_bytes(), path.name, user=by)
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError("Nothing was imported.") from exc
        if result.new_years:
            self.stdout.write(f"Confirmed year(s): {', '.join(map(str, result.new_years))}")
        self.stdout.write(f"Adjusted {result.adjusted} day(s) of already confirmed years.")
