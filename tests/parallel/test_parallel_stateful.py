"""Random interleavings of department commands (Hypothesis stateful testing), for each join policy:

- no decision before the policy is satisfied, and none missed once it is (all_agree, independent);
- never two decisions;
- every task of a case that left review (decided, withdrawn) is closed;
- a refused command changes nothing; the case log uses only documented edges.

Each example runs inside a savepoint rolled back at teardown (one world per policy).
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from approvals.cases import services
from approvals.cases.exceptions import Conflict
from approvals.models import Case, State, TransitionLog, documented_edges
from approvals.parallel import services as parallel
from approvals.parallel.models import AGREEING_STATES, CLOSED_TASK_STATES, DepartmentTask, TaskState

from .conftest import STANDARD_REMEDIES, build_joint_world, pdf

REFUSALS = (Conflict, ValidationError, PermissionDenied, Http404)
EDGES = documented_edges()
OUT_OF_REVIEW = {State.APPROVED, State.REFUSED, State.WITHDRAWN, State.TERMINATED}
DEPT = st.integers(0, 2)


class JoinMachine(RuleBasedStateMachine):
    world = None
    policy = ""

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.case = self.world.accepted()

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    def _snapshot(self):
        return (
            Case.objects.filter(pk=self.case.pk).values_list("state", flat=True).get(),
            sorted(DepartmentTask.objects.filter(case=self.case).values_list("pk", "state")),
            TransitionLog.objects.filter(case=self.case).count(),
        )

    def _do(self, command, *args, **kwargs):
        before = self._snapshot()
        try:
            command(*args, **kwargs)
        except REFUSALS:
            assert self._snapshot() == before

    def _task(self, i):
        return self.world.task(self.case, self.world.depts[i])

    # --- rules --------------------------------------------------------------------------------
    @rule(i=DEPT, foreign=st.booleans())
    def claim_and_start(self, i, foreign):
        dept = self.world.depts[(i + 1) % 3 if foreign else i]
        task = self._task(i)
        self._do(parallel.claim, task.pk, officer=dept.reviewer)
        self._do(parallel.start, task.pk, officer=dept.reviewer)

    @rule(i=DEPT)
    def agree(self, i):
        self._do(parallel.agree, self._task(i).pk, officer=self.world.depts[i].reviewer)

    @rule(i=DEPT)
    def agree_with_conditions(self, i):
        self._do(parallel.agree_with_conditions, self._task(i).pk, officer=self.world.depts[i].reviewer,
                 conditions=f"条件{i}")

    @rule(i=DEPT, reasoned=st.booleans())
    def disagree(self, i, reasoned):
        self._do(parallel.disagree, self._task(i).pk, officer=self.world.depts[i].reviewer,
                 opinion="不符合条件" if reasoned else "")

    @rule(i=DEPT)
    def request_materials(self, i):
        self._do(parallel.request_materials, self._task(i).pk, officer=self.world.depts[i].reviewer,
                 requests=[{"material_code": "M03", "reason": "缺少", "expected": "补充"}])

    @rule(approve=st.booleans())
    def lead_decides(self, approve):
        self._do(parallel.lead_decide, self._task(0).pk, officer=self.world.lead.reviewer, approve=approve,
                 reasons="" if approve else "不予许可", remedies=STANDARD_REMEDIES)

    @rule()
    def applicant_supplies_and_resubmits(self):
        self._do(services.attach_material, self.case.pk, user=self.world.applicant, requirement_code="M03",
                 upload=pdf())
        self._do(parallel.resubmit_supplement, self.case.pk, user=self.world.applicant)

    @rule(go=st.integers(0, 6))
    def withdraw(self, go):
        if go == 0:
            self._do(services.withdraw, self.case.pk, user=self.world.applicant)

    # --- invariants ---------------------------------------------------------------------------
    @invariant()
    def join_is_exact(self):
        case = Case.objects.get(pk=self.case.pk)
        decisions = list(TransitionLog.objects.filter(case=case, command="decide"))
        assert len(decisions) <= 1
        tasks = list(DepartmentTask.objects.filter(case=case, round=case.round))
        states = {t.department_id: t.state for t in tasks}
        if self.policy == "all_agree":
            all_agree = len(tasks) == 3 and all(s in AGREEING_STATES for s in states.values())
            reasoned_no = any(t.state == TaskState.DISAGREED and t.opinion for t in tasks)
            assert (case.state == State.APPROVED) == (all_agree and case.state != State.WITHDRAWN)
            assert (case.state == State.REFUSED) == reasoned_no
        elif self.policy == "lead_decides":
            if decisions:
                lead = next(t for t in tasks if t.role == "lead")
                assert lead.state in (TaskState.AGREED, TaskState.DISAGREED)
                assert all(s in CLOSED_TASK_STATES for s in states.values())
        else:
            latest: dict[int, DepartmentTask] = {}
            for t in DepartmentTask.objects.filter(case=case).order_by("round", "pk"):
                if t.department_id not in latest or not latest[t.department_id].part_result:
                    latest[t.department_id] = t
            parts = [t.part_result for t in latest.values()]
            decided = len(parts) == 3 and all(parts)
            if case.state != State.WITHDRAWN:
                assert bool(decisions) == decided
            if decisions:
                assert (case.state == State.APPROVED) == all(p == "approved" for p in parts)

    @invariant()
    def tasks_of_a_case_out_of_review_are_closed(self):
        state = Case.objects.filter(pk=self.case.pk).values_list("state", flat=True).get()
        if state in OUT_OF_REVIEW:
            open_ = DepartmentTask.objects.filter(case=self.case).exclude(state__in=CLOSED_TASK_STATES)
            assert not open_.exists()

    @invariant()
    def case_log_uses_documented_edges(self):
        for row in TransitionLog.objects.filter(case=self.case).order_by("at", "pk"):
            assert (row.from_state, row.to_state, row.command) in EDGES, row


@pytest.mark.django_db
@pytest.mark.parametrize("policy", ["all_agree", "lead_decides", "independent"])
def test_random_interleavings_keep_the_join_exact(policy, on_day):
    world = build_joint_world(policy)
    machine = type("Machine", (JoinMachine,), {"world": world, "policy": policy})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=25,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
            database=None,
        ),
    )
