"""Who is told when department tasks end without their officer: under 会签 (all must agree) a
reasoned refusal cancels the other open tasks and every officer who had claimed one gets exactly
one message; a withdrawal does the same. Under the independent policy each department's part
decision reaches the applicant as its own message (domain.md section 5)."""

from approvals.cases import services
from approvals.cases.tasks import notify_case_changed
from approvals.models import State, TransitionLog
from approvals.notifications.models import Notification
from approvals.parallel import services as parallel


def in_app(user, event):
    return list(Notification.objects.filter(recipient=user, event=event, channel="in_app").order_by("pk"))


def test_all_agree_refusal_tells_each_officer_whose_claimed_task_was_cancelled(
    joint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = joint.accepted()
    lead, fire, env = joint.depts
    with django_capture_on_commit_callbacks(execute=True):
        joint.take(case, lead)  # in review
        parallel.claim(joint.task(case, env).pk, officer=env.approver)  # claimed, not started
        joint.take(case, fire)
    with django_capture_on_commit_callbacks(execute=True):
        parallel.disagree(joint.task(case, fire).pk, officer=fire.reviewer, opinion="疏散通道宽度不足1.4米")
    case.refresh_from_db()
    assert case.state == State.REFUSED

    for officer, department in ((lead.reviewer, lead.name), (env.approver, env.name)):
        [message] = in_app(officer, "task_cancelled")
        assert message.context["department"] == department and message.context["reason"] == "case_refused"
        assert case.case_no in message.subject and "another department disagreed" in message.body
    # The officer who refused, and officers who had claimed nothing, are not told of a cancellation.
    for officer in (fire.reviewer, env.reviewer, lead.approver, lead.head):
        assert in_app(officer, "task_cancelled") == []

    # The hook run again for the same decision (a retried task) adds nothing.
    decide = TransitionLog.objects.get(case=case, command="decide")
    notify_case_changed(case.pk, decide.pk)
    assert len(in_app(lead.reviewer, "task_cancelled")) == len(in_app(env.approver, "task_cancelled")) == 1


def test_withdrawal_tells_the_officers_who_had_claimed_a_task(joint, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = joint.accepted()
        joint.take(case, joint.cos[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(case.pk, user=joint.applicant, reason="不再经营")
    [message] = in_app(joint.cos[0].reviewer, "task_cancelled")
    assert message.context["reason"] == "withdraw" and "withdrew" in message.body
    assert in_app(joint.lead.reviewer, "task_cancelled") == []  # pending, nobody had claimed it


def test_independent_part_decisions_reach_the_applicant_one_message_per_department(
    independent, django_capture_on_commit_callbacks
):
    w = independent
    with django_capture_on_commit_callbacks(execute=True):
        case = w.in_review()
    lead, fire, env = w.depts
    with django_capture_on_commit_callbacks(execute=True):
        parallel.agree(w.task(case, lead).pk, officer=lead.reviewer, opinion="符合要求")
    assert [m.context["department"] for m in in_app(w.applicant, "part_decided")] == [lead.name]
    with django_capture_on_commit_callbacks(execute=True):
        parallel.agree_with_conditions(w.task(case, fire).pk, officer=fire.reviewer, conditions="开业前通过消防验收")
    with django_capture_on_commit_callbacks(execute=True):
        parallel.disagree(w.task(case, env).pk, officer=env.reviewer, opinion="排放口设置不合规")

    parts = in_app(w.applicant, "part_decided")
    assert [(m.context["department"], m.context["result"]) for m in parts] == [
        (lead.name, "approved"), (fire.name, "approved"), (env.name, "refused"),
    ]
    assert "开业前通过消防验收" in parts[1].body
    assert "refused" in parts[2].subject and "排放口设置不合规" in parts[2].body
    # Each part also went out by SMS (the applicant has a phone), and the case's own decision once.
    assert Notification.objects.filter(recipient=w.applicant, event="part_decided", channel="sms").count() == 3
    assert len(in_app(w.applicant, "case_refused")) == 1
    # Part decisions are no longer disguised as status changes.
    assert not [m for m in in_app(w.applicant, "case_status_changed") if m.context.get("note")]
