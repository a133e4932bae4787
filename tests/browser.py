"""Browser-test harness: Debian's Chromium driven by Playwright, and an axe-core accessibility check.

Use the ``browser_page`` fixture (tests/conftest.py) together with pytest-django's ``live_server``.
Screenshots go to ``test-artifacts/screenshots/`` (kept as CI artefacts).
"""

from __future__ import annotations

import os
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1366, "height": 900}

_axe = Axe()


def serious_accessibility_violations(page) -> list[str]:
    """axe-core violations with impact serious or critical on the current page, as readable lines."""
    results = _axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def workbench_login(page, live_server, user, password: str = "pw") -> None:
    """Sign ``user`` in on the workbench's login page and wait for their first page."""
    page.goto(f"{live_server.url}/workbench/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/workbench/*/")
