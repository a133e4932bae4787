"""会签 (all must agree): the case is approved when every department agrees, with the conditions
carried into the decision; one reasoned disagreement refuses it at once, attaching that opinion,
and cancels the other open tasks (their officers are told)."""

import pytest
from django.core.exceptions import ValidationError

from approvals.cases import services
from approvals.cases.exceptions import Conflict
from approvals.models import Case, State, TransitionLog
from approvals.parallel import services as parallel
from approvals.parallel.models import DepartmentTask, TaskLog, TaskState


def test_accepting_a_joint_case_opens_one_task_per_department(joint):
    case = joint.accepted()
    tasks = DepartmentTask.objects.filter(case=case)
    assert {(t.department_id, t.role, t.round, t.state) for t in tasks} == {
        (joint.lead.dept.pk, "lead", 1, "pending"),
        (joint.cos[0].dept.pk, "co", 1, "pending"),
        (joint.cos[1].dept.pk, "co", 1, "pending"),
    }
    assert all(t.due == case.decision_due_promised for t in tasks)


def test_first_task_started_takes_the_case_into_review(joint):
    case = joint.accepted()
    joint.take(case, joint.cos[1])
    case.refresh_from_db()
    assert case.state == State.IN_REVIEW
    entry = TransitionLog.objects.get(case=case, command="start_review")
    assert entry.actor == joint.cos[1].reviewer


def test_every_department_agrees_approves_with_all_conditions(joint):
    case = joint.in_review()
    parallel.agree(joint.task(case, joint.lead).pk, officer=joint.lead.reviewer, opinion="符合要求")
    parallel.agree_with_conditions(
        joint.task(case, joint.cos[0]).pk, officer=joint.cos[0].reviewer, conditions="开业前通过消防验收"
    )
    case.refresh_from_db()
    assert case.state == State.IN_REVIEW  # one department still reviewing
    parallel.agree_with_conditions(
        joint.task(case, joint.cos[1]).pk, officer=joint.cos[1].reviewer, conditions="安装油烟净化设施"
    )
    case.refresh_from_db()
    assert case.state == State.APPROVED and case.decision == Case.Decision.APPROVED
    assert "消防救援支队：开业前通过消防验收" in case.conditions
    assert "生态环境局：安装油烟净化设施" in case.conditions
    assert TransitionLog.objects.filter(case=case, command="decide").count() == 1


def test_one_reasoned_disagreement_refuses_and_cancels_the_others(joint, django_capture_on_commit_callbacks, hook_calls):
    case = joint.accepted()
    joint.take(case, joint.lead)
    joint.take(case, joint.cos[0])
    lead_task, fire_task, env_task = (joint.task(case, d) for d in joint.depts)
    parallel.claim(env_task.pk, officer=joint.cos[1].reviewer)  # claimed, not started
    parallel.agree(lead_task.pk, officer=joint.lead.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        parallel.disagree(fire_task.pk, officer=joint.cos[0].reviewer, opinion="疏散通道宽度不足1.4米，不符合GB 50016")
    case.refresh_from_db()
    assert case.state == State.REFUSED
    assert "消防救援支队" in case.reasons and "疏散通道宽度不足1.4米" in case.reasons
    assert "复议" in case.remedies and "诉讼" in case.remedies
    env_task.refresh_from_db()
    lead_task.refresh_from_db()
    assert env_task.state == TaskState.CANCELLED
    assert lead_task.state == TaskState.AGREED  # finished opinions stay as given
    decide_log = TransitionLog.objects.get(case=case, command="decide")
    assert decide_log.details["opinion_task_id"] == fire_task.pk
    assert decide_log.details["notify_officers"] == [joint.cos[1].reviewer.pk]
    assert TaskLog.objects.get(task=env_task, command="cancel").details["notify"] == [joint.cos[1].reviewer.pk]
    assert (case.pk, decide_log.pk) in hook_calls


def test_disagreement_without_reasons_is_refused_under_all_agree(joint):
    case = joint.in_review()
    with pytest.raises(ValidationError) as exc:
        parallel.disagree(joint.task(case, joint.cos[0]).pk, officer=joint.cos[0].reviewer, opinion=" ")
    assert "opinion" in exc.value.error_dict
    assert joint.task(case, joint.cos[0]).state == TaskState.IN_REVIEW


def test_case_decide_command_is_refused_for_a_joined_policy(joint):
    case = joint.in_review()
    with pytest.raises(Conflict):
        services.decide(case.pk, officer=joint.lead.approver, approve=True)


def test_withdrawal_cancels_every_open_task(joint):
    case = joint.in_review()
    services.withdraw(case.pk, user=joint.applicant, reason="不再经营")
    assert set(DepartmentTask.objects.filter(case=case).values_list("state", flat=True)) == {TaskState.CANCELLED}
