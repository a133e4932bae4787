"""Shared fixtures. Tests marked ``postgres`` need real row locks and are skipped on SQLite;
``.ci/run`` fails on any skip, so CI always runs them against PostgreSQL."""

import pytest
from django.conf import settings


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    if _on_postgres():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The normal test database, plus the working-day calendar (every year the libraries
    confirm) loaded once into the in-memory clock. ``migrate``/``flush`` also re-seed an empty
    calendar (post_migrate), so transactional tests leave it in place for the next test."""
    from approvals.supervision import calendar
    from approvals.supervision.calendar_seed import seed_calendar

    with django_db_blocker.unblock():
        seed_calendar()
        calendar.reload()
