"""Random command sequences (Hypothesis stateful testing) never break the case's invariants:

- every log row's (from, to, command) is an edge of the documented state table, the rows chain
  (each starts where the previous ended) and the last one ends in the case's state;
- a refused command changes nothing (state and log untouched);
- the stored dues equal a recomputation by the clock from the case's facts, and each one is also
  checked against the calendar table itself, by a naive day-by-day count written here (working
  days after the start, skipping paused days), not by the clock module;
- the applicant's timeline, in the selector and in ``GET /api/v1/cases/{case_no}/``, is exactly
  the log.

Each example starts from a draft (with or without its required materials, so submission is driven
too) or from a case already submitted or in review.

Each example runs inside a savepoint that is rolled back at teardown, so the examples share one
test database (SQLite or PostgreSQL) and one item, and stay fast.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from rest_framework.test import APIClient

from approvals.cases import clock, selectors, services
from approvals.cases.exceptions import Conflict
from approvals.models import (
    STATE_TABLE,
    Case,
    Extension,
    SpecialProcedurePause,
    TransitionLog,
    documented_edges,
)
from approvals.supervision.models import CalendarDay

from .conftest import STANDARD_REMEDIES, build_world, pdf

EDGES = documented_edges()
SOURCES = {method: {str(s) for s in sources} for method, sources, _target in STATE_TABLE}


def when(*methods):
    """Enable a rule only in states where one of the FSM ``methods`` may fire (deeper sequences)."""
    states = set().union(*(SOURCES[m] for m in methods))
    return precondition(lambda self: self.state in states)


REFUSALS = (Conflict, ValidationError, PermissionDenied, Http404)  # officers cannot see drafts


class CaseMachine(RuleBasedStateMachine):
    world = None
    on_day = None

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.on_day.set(date(2026, 9, 18))
        self.api = APIClient()
        self.api.force_authenticate(self.world.applicant)

    @initialize(start=st.sampled_from(["in_review", "submitted", "complete_draft", "draft"]))
    def file_a_case(self, start):
        """A draft without or with its required materials (``submit`` is refused until M01 and M02
        are attached), or a case already driven to ``submitted`` or ``in_review`` through the
        services, so that short examples also reach the review commands."""
        self.case = {
            "draft": lambda: self.world.new_case(),
            "complete_draft": lambda: self.world.complete(self.world.new_case()),
            "submitted": self.world.submitted,
            "in_review": self.world.in_review,
        }[start]()
        self.state = start.removeprefix("complete_")

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    # --- driving ------------------------------------------------------------------------------
    def _do(self, command, *args, **kwargs) -> bool:
        """Run a command; a refusal must change nothing. True if it was refused."""
        before = self.state
        logs = TransitionLog.objects.filter(case=self.case).count()
        try:
            command(self.case.pk, *args, **kwargs)
        except REFUSALS:
            assert Case.objects.filter(pk=self.case.pk).values_list("state", flat=True).get() == before
            assert TransitionLog.objects.filter(case=self.case).count() == logs
            return True
        finally:
            self.state = Case.objects.filter(pk=self.case.pk).values_list("state", flat=True).get()
        return False

    @rule(command=st.sampled_from(["submit", "resubmit", "accept", "start_review", "issue_licence", "close"]))
    def command_in_a_wrong_state_is_refused(self, command):
        if self.state in SOURCES[command]:
            return
        actor = {"submit": "applicant", "resubmit": "applicant", "accept": "front_desk"}.get(command, "reviewer")
        assert self._do(getattr(services, command), **{
            "user" if actor == "applicant" else "officer": getattr(self.w, actor)
        })

    @property
    def w(self):
        return self.world

    @rule(days=st.integers(1, 5))
    def time_passes(self, days):
        self.on_day.set(clock.today() + timedelta(days=days))

    @when("submit")
    @rule()
    def submit(self):
        self._do(services.submit, user=self.w.applicant)

    @when("request_correction")
    @rule(code=st.sampled_from(["M01", "M02"]))
    def request_correction(self, code):
        self._do(services.request_correction, officer=self.w.front_desk,
                 problems=[{"material_code": code, "reason": "不清晰", "expected": "清晰件"}])

    @precondition(lambda self: self.state in {"draft", "correction_requested", "accepted_with_pledge", "in_review"})
    @rule(code=st.sampled_from(["M01", "M02", "M03"]))
    def attach(self, code):
        self._do(services.attach_material, user=self.w.applicant, requirement_code=code, upload=pdf())

    @when("resubmit")
    @rule()
    def resubmit(self):
        self._do(services.resubmit, user=self.w.applicant)

    @when("accept")
    @rule()
    def accept(self):
        self._do(services.accept, officer=self.w.front_desk)

    @when("accept_with_pledge")
    @rule(days=st.integers(0, 10))
    def accept_with_pledge(self, days):
        self._do(services.accept_with_pledge, officer=self.w.front_desk, pledged_material_codes=["M02"],
                 pledge_due=clock.today() + timedelta(days=days))

    @when("not_accept")
    @rule(reasons=st.sampled_from(["", "材料不符合法定形式"]), go=st.integers(0, 3))
    def not_accept(self, reasons, go):
        if go == 0:
            self._do(services.not_accept, officer=self.w.front_desk, reasons=reasons, remedies=STANDARD_REMEDIES)

    @when("start_review")
    @rule()
    def start_review(self):
        self._do(services.start_review, officer=self.w.reviewer)

    @when("start_special_procedure")
    @rule(kind=st.sampled_from(["inspection", "hearing"]), days=st.integers(1, 12))
    def start_special_procedure(self, kind, days):
        self._do(services.start_special_procedure, officer=self.w.reviewer, kind=kind, start=clock.today(),
                 expected_days=days, reason="现场检验")

    @when("end_special_procedure")
    @rule()
    def end_special_procedure(self):
        self._do(services.end_special_procedure, officer=self.w.reviewer, end=clock.today())

    @when("request_extension")
    @rule(days=st.integers(1, 12))
    def request_extension(self, days):
        self._do(services.request_extension, officer=self.w.reviewer, days=days, reason="情况复杂")

    @when("approve_extension")
    @rule()
    def approve_extension(self):
        self._do(services.approve_extension, head=self.w.head)

    @when("approve")
    @rule(approve=st.booleans(), reasons=st.sampled_from(["", "不符合条件"]), go=st.integers(0, 3))
    def decide(self, approve, reasons, go):
        if go == 0:  # not at once: let the review's pauses and extension happen first
            self._do(
                services.decide, officer=self.w.approver, approve=approve, reasons=reasons, remedies=STANDARD_REMEDIES
            )

    @when("issue_licence")
    @rule()
    def issue_licence(self):
        self._do(services.issue_licence, officer=self.w.reviewer)

    @when("deliver")
    @rule(method=st.sampled_from(["window", "post", "electronic"]))
    def deliver(self, method):
        self._do(services.deliver, officer=self.w.front_desk, method=method, tracking_no="")

    @when("close")
    @rule()
    def close(self):
        self._do(services.close, officer=self.w.reviewer)

    @when("withdraw")
    @rule(go=st.integers(0, 11))  # rarely: a withdrawn case ends the interesting part of a run
    def withdraw(self, go):
        if go == 0:
            self._do(services.withdraw, user=self.w.applicant)

    @when("terminate")
    @rule(go=st.integers(0, 11))
    def terminate(self, go):
        if go == 0:
            self._do(services.terminate, officer=self.w.reviewer, legal_reason="依法终止")

    @rule()
    def sweep(self):
        services.sweep_intake_deadlines()
        self.state = Case.objects.filter(pk=self.case.pk).values_list("state", flat=True).get()

    # --- invariants ---------------------------------------------------------------------------
    @invariant()
    def only_documented_edges_and_a_chained_log(self):
        rows = list(TransitionLog.objects.filter(case=self.case).order_by("at", "pk"))
        state = "draft"
        for row in rows:
            assert (row.from_state, row.to_state, row.command) in EDGES, row
            assert row.from_state == state
            state = row.to_state
        assert self.state == state

    @invariant()
    def stored_dues_equal_the_clock_and_the_calendar(self):
        case = Case.objects.select_related("item_version").get(pk=self.case.pk)
        stored = {name: getattr(case, name) for name in clock.CLOCK_FIELDS}
        assert stored == clock.expected(case)
        assert stored == naive_dues(case), (case.state, stored)

    @invariant()
    def the_timeline_is_the_log_in_the_selector_and_the_api(self):
        log = list(TransitionLog.objects.filter(case=self.case).order_by("at", "pk"))
        detail = selectors.case_detail(self.case.case_no, self.w.applicant)
        assert [e.pk for e in detail.timeline] == [row.pk for row in log]
        response = self.api.get(f"/api/v1/cases/{self.case.case_no}/")
        assert response.status_code == 200
        body = response.json()
        assert [(e["command"], e["from_state"], e["to_state"], e["round"]) for e in body["timeline"]] == [
            (row.command, row.from_state, row.to_state, row.round) for row in log
        ]
        assert body["state"] == self.state


def naive_dues(case) -> dict:
    """The clock fields recomputed without ``approvals.cases.clock`` or the calendar module: a period of
    N working days after ``start`` ends on the N-th day after ``start`` that is a working day in
    the calendar table and not inside a pause (a special procedure, both ends inclusive; a running
    one up to its expected end, its expected-days-th working day counted from its first day)."""
    working = set(CalendarDay.objects.filter(is_working_day=True).values_list("date", flat=True))

    def after(start, n, pauses=()):
        day = start
        while n > 0:
            day += timedelta(days=1)
            if day in working and not any(first <= day <= last for first, last in pauses):
                n -= 1
        return day

    version = case.item_version
    out = dict.fromkeys(clock.CLOCK_FIELDS)
    start = case.complete_on or case.received_on
    if start is not None:
        out["intake_due"] = after(start, version.acceptance_limit_days)
    if case.accepted_on is not None:
        pauses = [
            (p.start, p.end or after(p.start - timedelta(days=1), p.expected_days))
            for p in SpecialProcedurePause.objects.filter(case=case, pauses_clock=True)
        ]
        extension = Extension.objects.filter(case=case, approved_on__isnull=False).first()
        extra = extension.days if extension else 0
        out["decision_due_promised"] = after(case.accepted_on, version.promised_limit_days + extra, pauses)
        out["decision_due_statutory"] = after(case.accepted_on, version.statutory_limit_days + extra, pauses)
    pledge = getattr(case, "pledge", None)
    if pledge is not None:
        out["pledge_due"] = pledge.due
    if case.decision == Case.Decision.APPROVED:
        out["licence_issue_due"] = after(case.decided_on, version.licence_issue_limit_days)
    return out


@pytest.mark.django_db
def test_random_command_sequences_keep_the_invariants(on_day):
    world = build_world()
    machine = type("Machine", (CaseMachine,), {"world": world, "on_day": on_day})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=40,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
            database=None,
        ),
    )
