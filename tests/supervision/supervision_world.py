"""Shared set-up for the supervision tests (cards, complaints, ratings, pages): the case engine's
world (department, item with promised 10 / statutory 20 working days, officers, applicant) plus
a supervisor, and a clock the tests move. Import the fixtures into a test module to use them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from accounts.models import OfficerMembership
from approvals.cases import services
from approvals.supervision.models import Card
from approvals.supervision.sweep import run_sweep
from tests import factories
from tests.approvals.conftest import STANDARD_REMEDIES, Clock, build_world, pdf

Job = OfficerMembership.Job
__all__ = ["STANDARD_REMEDIES", "Job", "cards_of", "on_day", "pdf", "sweep_days", "world"]


@pytest.fixture
def on_day(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def world(db, on_day):
    w = build_world()
    office = factories.department(region_code="429901", name="电子监察室", is_supervision_office=True)
    w.supervisor = factories.officer(office, Job.SUPERVISOR)
    w.supervisor2 = factories.officer(office, Job.SUPERVISOR)
    w.office = office
    return w


def accepted_on(world, on_day, day: date, **kw):
    """A case accepted (and taken into review) on ``day``."""
    on_day.set(day)
    case = world.accepted(**kw)
    return services.start_review(case.pk, officer=world.reviewer)


def sweep_days(on_day, first: date, last: date) -> list:
    """Run the sweep once on every calendar day from ``first`` to ``last`` (the clock follows)."""
    runs = []
    d = first
    while d <= last:
        on_day.set(d, hour=23)
        runs.append(run_sweep(d))
        d += timedelta(days=1)
    return runs


def cards_of(case) -> dict[tuple[str, str], list[Card]]:
    out: dict[tuple[str, str], list[Card]] = {}
    for card in Card.objects.filter(case=case).order_by("pk"):
        out.setdefault((card.kind, card.rule), []).append(card)
    return out
