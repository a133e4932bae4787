"""The report facts (``facts.refresh``) follow the case log: an incremental refresh gives the same
figures as a rebuild from the whole log, corrections arriving later reach their submit facts, and
a log changed below the replayed tail forces a rebuild."""

from datetime import date

import pytest

from approvals.cases import services as case_services
from approvals.models import TransitionLog
from approvals.supervision.reports import facts, measures
from approvals.supervision.reports.models import ReportFact
from approvals.supervision.reports.periods import Period

from .conftest import _at

SEPTEMBER, OCTOBER = Period.month(2026, 9), Period.month(2026, 10)


@pytest.fixture
def no_tail(monkeypatch):
    """Replay nothing below the mark, so a refresh reads only the log rows added since the last one."""
    monkeypatch.setattr(facts, "TAIL", 0)


def figures(period):
    return {by: measures.aggregate(period, by, refresh=False) for by in measures.VIEWS}


def test_first_refresh_builds_then_nothing_new_is_read(month, no_tail):
    assert facts.refresh()["rebuilt"] is True
    counted = ReportFact.objects.count()
    # Submit, acceptance, not_accept, close and decide rows only (start_review, issue_licence …
    # are not facts): 9 submits (A…I), 6 acceptances (G, A, B, C, D, F deemed), E not accepted,
    # A closed, 5 decisions (G, A, B, C, D).
    assert counted == TransitionLog.objects.filter(command__in=facts.FACT_COMMANDS).count() == 9 + 6 + 1 + 1 + 5
    again = facts.refresh()
    assert (again["rebuilt"], again["facts"]) == (False, 0)
    assert ReportFact.objects.count() == counted


def test_incremental_refresh_equals_a_rebuild(month, on_day, no_tail):
    facts.refresh()
    w, cases = month.world, month.cases
    _at(on_day, date(2026, 10, 12), 9)
    case_services.request_correction(
        cases["H"].pk, officer=w.front_desk, problems=[{"material_code": "M01", "reason": "不清晰", "expected": "重新上传"}]
    )
    case_services.start_review(cases["F"].pk, officer=w.reviewer)
    case_services.decide(cases["F"].pk, officer=w.approver, approve=True)
    step = facts.refresh()
    assert step["rebuilt"] is False and step["facts"] == 1  # only F's decision is a new fact
    incremental = figures(OCTOBER), figures(SEPTEMBER)
    assert facts.refresh(rebuild=True)["rebuilt"] is True
    assert (figures(OCTOBER), figures(SEPTEMBER)) == incremental
    october = measures.totals(incremental[0][measures.BY_ITEM], supervision=True)
    # H received 10-01 and sent a correction notice 10-12; F (deemed accepted as of its receipt
    # 09-02) decided Mon 10-12: working days in (09-02, 09-30] = 20 (Sun 09-20 a make-up day, Fri
    # 09-25 off), then 10-08, 10-09, Sat 10-10 (make-up) and 10-12 (National Day 10-01…07 off) = 24,
    # more than the statutory 20: late and overdue.
    assert (october["received"], october["corrected"], october["decided"]) == (1, 1, 1)
    assert (october["on_time"], october["overdue"], october["used_sum"]) == (0, 1, 24)


def test_a_log_changed_below_the_tail_forces_a_rebuild(month, no_tail):
    facts.refresh()
    before = measures.totals(measures.aggregate(SEPTEMBER, measures.BY_ITEM), supervision=True)
    TransitionLog.objects.filter(case=month.cases["B"], command="submit").delete()  # tampering with history
    assert facts.refresh()["rebuilt"] is True
    after = measures.totals(measures.aggregate(SEPTEMBER, measures.BY_ITEM, refresh=False), supervision=True)
    assert (before["received"], after["received"]) == (7, 6)
