"""Random command sequences (Hypothesis stateful testing) never break the case's invariants:

- every log row's (from, to, command) is an edge of the documented state table, the rows chain
  (each starts where the previous ended) and the last one ends in the case's state;
- a refused command changes nothing (state and log untouched);
- the stored dues equal a recomputation by the clock from the case's facts;
- the applicant's timeline is exactly the log.

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
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from approvals import clock, selectors, services
from approvals.exceptions import Conflict
from approvals.models import STATE_TABLE, Case, TransitionLog, documented_edges

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
        self.case = self.world.submitted()  # submission itself is covered by the intake tests
        self.state = "submitted"

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
    @rule(approve=st.booleans(), reasons=st.sampled_from(["", "不符合条件"]))
    def decide(self, approve, reasons):
        self._do(services.decide, officer=self.w.approver, approve=approve, reasons=reasons, remedies=STANDARD_REMEDIES)

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
    @rule(go=st.integers(0, 5))
    def withdraw(self, go):
        if go == 0:
            self._do(services.withdraw, user=self.w.applicant)

    @when("terminate")
    @rule(go=st.integers(0, 5))
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
    def stored_dues_equal_the_clock_and_the_timeline_is_the_log(self):
        detail = selectors.case_detail(self.case.case_no, self.w.applicant)
        case = detail.case
        assert {name: getattr(case, name) for name in clock.CLOCK_FIELDS} == clock.expected(case)
        assert [e.pk for e in detail.timeline] == list(
            TransitionLog.objects.filter(case=self.case).order_by("at", "pk").values_list("pk", flat=True)
        )


@pytest.mark.django_db
def test_random_command_sequences_keep_the_invariants(on_day):
    world = build_world()
    machine = type("Machine", (CaseMachine,), {"world": world, "on_day": on_day})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
            database=None,
        ),
    )
