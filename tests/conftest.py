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


@pytest.fixture(autouse=True)
def _fresh_catalog_cache():
    """Each test starts with an empty catalog cache (``approvals.items.selectors``): a test's rolled
    back rows must not be served to the next test, whose rows may reuse their primary keys."""
    from approvals.items import selectors

    selectors.catalog_changed()
    yield


@pytest.fixture(scope="session")
def _chromium():
    """One headless Debian Chromium for the session (Playwright drives it; no browser download).

    Playwright's sync API keeps an event loop running in the test thread, which Django would take
    for an async context; the test code itself stays synchronous, so that check is switched off.
    """
    import os

    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_chromium):
    """A fresh browser context (desktop size, Chinese) and page; use with ``live_server``."""
    from tests.browser import DESKTOP

    context = _chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(_chromium):
    """A 375 px wide phone-sized page."""
    from tests.browser import PHONE

    context = _chromium.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
