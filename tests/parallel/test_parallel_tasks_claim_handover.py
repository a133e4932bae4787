"""Claiming, two-level review → sign-off, reassignment by the head, step limits and a department's
own special procedure."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from approvals.cases.exceptions import Conflict
from approvals.models import SpecialProcedurePause, State
from approvals.notifications.models import Notification
from approvals.parallel import services as parallel
from approvals.parallel.models import TaskState
from approvals.supervision import calendar

from .conftest import build_joint_world


def test_only_the_department_claims_and_only_the_assignee_acts(joint):
    case = joint.accepted()
    task = joint.task(case, joint.cos[0])
    with pytest.raises(Http404):
        parallel.claim(task.pk, officer=joint.lead.reviewer)  # another department's task
    parallel.claim(task.pk, officer=joint.cos[0].reviewer)
    with pytest.raises(Conflict):
        parallel.claim(task.pk, officer=joint.cos[0].approver)  # already claimed
    with pytest.raises(PermissionDenied):
        parallel.start(task.pk, officer=joint.cos[0].approver)
    parallel.start(task.pk, officer=joint.cos[0].reviewer)
    assert joint.task(case, joint.cos[0]).state == TaskState.IN_REVIEW


def test_head_reassigns_and_the_new_officer_is_told(joint):
    case = joint.accepted()
    task = joint.task(case, joint.cos[0])
    with pytest.raises(PermissionDenied):
        parallel.reassign(task.pk, head=joint.cos[0].reviewer, to=joint.cos[0].approver)
    with pytest.raises(ValidationError):
        parallel.reassign(task.pk, head=joint.cos[0].head, to=joint.lead.reviewer)  # not of this department
    parallel.reassign(task.pk, head=joint.cos[0].head, to=joint.cos[0].approver)
    task.refresh_from_db()
    assert task.state == TaskState.CLAIMED and task.assignee == joint.cos[0].approver
    note = Notification.objects.get(recipient=joint.cos[0].approver, event="task_assigned")
    assert case.case_no in note.body


def test_two_level_approval_review_then_sign_off(db, on_day):
    w = build_joint_world("all_agree", two_level_approval=True)
    case = w.in_review()
    fire = w.cos[0]
    task = w.task(case, fire)
    with pytest.raises(PermissionDenied):  # a reviewer cannot finish alone
        parallel.disagree(task.pk, officer=fire.reviewer, opinion="不符合")
    parallel.hand_over(task.pk, officer=fire.reviewer, to=fire.approver, outcome="disagree", opinion="防火间距不足")
    task.refresh_from_db()
    assert task.assignee == fire.approver and task.state == TaskState.IN_REVIEW
    case.refresh_from_db()
    assert case.state == State.IN_REVIEW  # a proposal is not final
    parallel.sign_off(task.pk, officer=fire.approver)
    case.refresh_from_db()
    assert case.state == State.REFUSED and "防火间距不足" in case.reasons


def test_step_limit_gives_the_department_its_own_due(db, on_day):
    w = build_joint_world("all_agree", step_limits=(5, None))
    case = w.accepted()
    fire, env = w.task(case, w.cos[0]), w.task(case, w.cos[1])
    assert fire.due == calendar.add_working_days(case.accepted_on, 5) < case.decision_due_promised
    assert env.due == case.decision_due_promised


def test_department_special_procedure_pauses_its_task_and_the_case(db, on_day):
    w = build_joint_world("all_agree", step_limits=(5, None))
    case = w.in_review()
    fire = w.task(case, w.cos[0])
    step_due, case_due = fire.due, case.decision_due_promised
    on_day.set(date(2026, 9, 21))
    parallel.start_special_procedure(fire.pk, officer=w.cos[0].reviewer, kind="inspection",
                                     start=date(2026, 9, 21), expected_days=3, reason="现场消防检查")
    on_day.set(date(2026, 9, 23))
    parallel.end_special_procedure(fire.pk, officer=w.cos[0].reviewer, end=date(2026, 9, 22))
    fire.refresh_from_db()
    case.refresh_from_db()
    assert calendar.working_days_between(date(2026, 9, 20), date(2026, 9, 22)) == 2
    assert fire.step_due == calendar.add_working_days(step_due, 2)
    assert case.decision_due_promised == calendar.add_working_days(case_due, 2)
    assert SpecialProcedurePause.objects.get(case=case).task_link.task == fire


def test_co_department_officer_sees_the_case_but_not_its_case_commands(joint):
    from approvals.cases import services
    from approvals.cases.permissions import can_see, visible_cases

    case = joint.accepted()
    officer = joint.cos[1].reviewer
    assert can_see(officer, case)
    assert visible_cases(officer).filter(pk=case.pk).count() == 1
    with pytest.raises(PermissionDenied):
        services.start_review(case.pk, officer=officer)
