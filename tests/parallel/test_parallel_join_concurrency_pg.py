"""The last two departments agree at the same instant, 100 times over (PostgreSQL, real threads,
a barrier before each pair): every time exactly one join transition and one decision."""

import threading

import pytest
from django.db import connection, transaction

from approvals.models import Case, State, TransitionLog
from approvals.parallel import services as parallel
from approvals.parallel.models import DepartmentTask, TaskState

from .conftest import build_joint_world

ROUNDS = 100


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_last_two_departments_agree_at_the_same_instant(on_day):
    # One item for all 100 cases; its only material is optional, so cases are filed without uploads.
    w = build_joint_world("all_agree", materials=(("M03", "optional"),))
    plan = []
    with transaction.atomic():  # one commit for the whole setup
        for _ in range(ROUNDS):
            case = w.in_review(codes=())
            parallel.agree(w.task(case, w.lead).pk, officer=w.lead.reviewer)
            plan.append((case.pk, [w.task(case, co).pk for co in w.cos]))
    officers = [co.reviewer for co in w.cos]
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def worker(idx: int) -> None:
        try:
            for _case_id, task_ids in plan:
                barrier.wait(timeout=30)
                try:
                    parallel.agree(task_ids[idx], officer=officers[idx])
                except Exception as exc:  # any failure is a finding
                    errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    ids = [case_id for case_id, _tasks in plan]
    assert set(Case.objects.filter(pk__in=ids).values_list("state", flat=True)) == {State.APPROVED}
    decisions = TransitionLog.objects.filter(case_id__in=ids, command="decide")
    assert decisions.count() == ROUNDS
    assert len(set(decisions.values_list("case_id", flat=True))) == ROUNDS
    assert set(DepartmentTask.objects.filter(case_id__in=ids).values_list("state", flat=True)) == {TaskState.AGREED}
