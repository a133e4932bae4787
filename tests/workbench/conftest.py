"""Fixtures for the workbench: the case engine's world (a department, its officers, an item, an
applicant, the clock at Fri 2026-09-18) and logged-in clients."""

import pytest
from django.test import Client

from tests.approvals.conftest import Clock, World, build_world, pdf  # noqa: F401


@pytest.fixture
def on_day(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def world(db, on_day) -> World:
    return build_world()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs what the block queued on commit (the notify task, eager)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def client_for(committed):
    """A logged-in client whose requests run their on-commit side effects, as after a real commit."""

    class CommittingClient(Client):
        def request(self, **request):
            with committed():
                return super().request(**request)

    def _client(user) -> Client:
        c = CommittingClient()
        c.force_login(user)
        return c

    return _client


@pytest.fixture
def fresh_page(_chromium):
    """``fresh_page()``: a page in a new browser context (its own cookies: one person each)."""
    from tests.browser import DESKTOP

    contexts = []

    def _page():
        context = _chromium.new_context(viewport=DESKTOP, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield _page
    for context in contexts:
        context.close()
