"""``python manage.py load_demo``: the demo catalog of 江城市, one login per role, the calendar.

Idempotent: each step creates only what is missing and leaves existing rows alone, so a second run
changes nothing and says so. Steps run in order; each is one transaction.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from django.core.management.base import BaseCommand, OutputWrapper

from approvals.items import demo_catalog, demo_users
from approvals.supervision.calendar_seed import seed_calendar
from approvals.supervision.models import CalendarYear


def load_catalog(stdout: OutputWrapper) -> int:
    result = demo_catalog.load_demo_catalog()
    stdout.write(
        f"Catalog: {result.departments} department(s), {result.items} item(s), {result.versions} version(s) created."
    )
    return result.created


def load_logins(stdout: OutputWrapper) -> int:
    result = demo_users.load_demo_users()
    stdout.write(
        f"Logins: {result.users} user(s), {result.memberships} officer job(s), {result.businesses} business(es) created."
    )
    return result.created


def load_calendar(stdout: OutputWrapper) -> int:
    """Seed the working-day calendar from the libraries, only when the calendar is empty."""
    if CalendarYear.objects.exists():
        stdout.write("Calendar: already present, left as it is.")
        return 0
    summary = seed_calendar(stdout=stdout)
    return len(summary.created_years)


# (name, step); a step writes one summary line and returns how many rows it created.
STEPS: tuple[tuple[str, Callable[[OutputWrapper], int]], ...] = (
    ("catalog", load_catalog),
    ("logins", load_logins),
    ("calendar", load_calendar),
)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Load the demo data of the fictional city 江城市: catalog, one login per role, calendar. Idempotent."
    )

    def handle(self, *args, **options):
        created = sum(step(self.stdout) for _name, step in STEPS)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {created} row(s) created."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo data already loaded: nothing changed."))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {demo_users.DEMO_PASSWORD}):")
        self.stdout.write(
            format_table(("username", "role", "department", "password"), demo_users.login_table())
        )
