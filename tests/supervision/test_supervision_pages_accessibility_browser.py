"""The dashboard in a real browser: the SVG charts render, a bar drills down to the cases, and
axe finds no serious or critical accessibility violation."""

from datetime import date

import pytest
from django.test import Client

from approvals.supervision.sweep import run_sweep
from tests import factories
from tests.approvals.conftest import Clock, build_world
from tests.browser import screenshot, serious_accessibility_violations
from tests.supervision.supervision_world import Job, accepted_on


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_is_accessible_and_drills_down(live_server, browser_page, monkeypatch):
    on_day = Clock(monkeypatch)
    world = build_world()
    supervisor = factories.officer(factories.department(name="电子监察室"), Job.SUPERVISOR)
    case = accepted_on(world, on_day, date(2026, 9, 16))
    on_day.set(date(2026, 10, 21))
    run_sweep(date(2026, 10, 21))

    client = Client()
    client.force_login(supervisor)
    browser_page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    browser_page.goto(f"{live_server.url}/supervision/")
    assert browser_page.locator("figure svg").count() == 3
    assert case.case_no in browser_page.locator("#overdue + table").inner_text()
    screenshot(browser_page, "supervision-dashboard")
    assert serious_accessibility_violations(browser_page) == []

    browser_page.locator("svg a[href*='state=in_review']").first.dispatch_event("click")
    browser_page.wait_for_url("**/supervision/cases/**")
    assert case.case_no in browser_page.content()
    assert serious_accessibility_violations(browser_page) == []
