"""Rules of department tasks that pages, the API and the services share (``approvals.parallel``).

Who holds a task and who may finish it (the assignee; under two-level approval an approver or head
after another officer's hand-over), which join policy applies, and the preconditions of the task
rows of the command table (``approvals.cases.commands``): each ``*_refusal(task, user)`` says why
the command cannot be fired on the task now beyond its FSM state and its roles (``None``: it can).
The task's ``case`` must be loaded.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from approvals.cases.commands import DEPARTMENT_JOBS, SIGNING_JOBS
from approvals.cases.permissions import memberships
from approvals.items.models import ItemVersion
from approvals.models import SpecialProcedurePause

from .models import FINISHED_TASK_STATES, OPEN_TASK_STATES, DepartmentTask, TaskState

Policy = ItemVersion.JoinPolicy


def jobs(user, department_id: int) -> set[str]:
    """The user's jobs in ``department_id``."""
    if not user or not user.is_authenticated:
        return set()
    return {m.job for m in memberships(user) if m.department_id == department_id}


def is_department_officer(user, department_id: int) -> bool:
    return bool(jobs(user, department_id) & set(DEPARTMENT_JOBS))


def policy(case) -> str:
    return case.item_version.join_policy or Policy.ALL_AGREE


def is_lead_deciding(task: DepartmentTask) -> bool:
    """Under 'lead decides' the lead department's task carries the case decision."""
    return policy(task.case) == Policy.LEAD_DECIDES and task.role == DepartmentTask.Role.LEAD


def assignee_refusal(task: DepartmentTask, user) -> str | None:
    if task.assignee_id != user.pk:
        return _("Only the officer who holds this task may do this; claim it or ask the head.")
    return None


def finish_refusal(task: DepartmentTask, user) -> str | None:
    """The assignee finishes; under two-level approval only an approver/head after a reviewer's hand-over."""
    if reason := assignee_refusal(task, user):
        return reason
    if task.case.item_version.two_level_approval:
        if not jobs(user, task.department_id) & set(SIGNING_JOBS):
            return _("Two-level approval: hand the task over to an approver for sign-off.")
        if task.reviewed_by_id is None or task.reviewed_by_id == user.pk:
            return _("Two-level approval: the task must be reviewed by another officer first.")
    return None


def opinion_refusal(task: DepartmentTask, user) -> str | None:
    """agree / agree with conditions / disagree: a department's opinion (not the lead's under 'lead decides')."""
    if is_lead_deciding(task):
        return _("Under 'lead decides' the lead department decides the case (decide or suspend).")
    return finish_refusal(task, user)


def waiting_for(task: DepartmentTask) -> list[str]:
    """The departments whose task of the case's round is not finished yet (``task`` aside)."""
    return list(
        DepartmentTask.objects.filter(case_id=task.case_id, round=task.case.round).exclude(pk=task.pk)
        .exclude(state__in=FINISHED_TASK_STATES).order_by("role", "pk").values_list("department__name", flat=True)
    )


def lead_refusal(task: DepartmentTask, user) -> str | None:
    """The lead decides under 'lead decides' (two-level: its approver after the hand-over), once every
    co-department of the round has given its opinion."""
    if not is_lead_deciding(task):
        return _("Only the lead department decides, under 'lead decides'.")
    if reason := finish_refusal(task, user):
        return reason
    if waiting := waiting_for(task):
        return _("Waiting for the opinions of: %(names)s.") % {"names": "、".join(waiting)}
    return None


def suspend_refusal(task: DepartmentTask, user) -> str | None:
    if not is_lead_deciding(task):
        return _("Only the lead department suspends, under 'lead decides'.")
    return finish_refusal(task, user)


def hand_over_refusal(task: DepartmentTask, user) -> str | None:
    if not task.case.item_version.two_level_approval:
        return _("This item has no two-level approval.")
    if task.state != TaskState.IN_REVIEW:
        return _("Only a task in review can be handed over.")
    if task.reviewed_by_id is not None and task.assignee_id != task.reviewed_by_id:
        return _("The task is waiting for sign-off.")
    return assignee_refusal(task, user)


def sign_off_refusal(task: DepartmentTask, user) -> str | None:
    if not task.proposal:
        return _("Nothing was handed over for sign-off.")
    if is_lead_deciding(task) and task.proposal.get("outcome") != "request_materials":
        # The lead's proposal is a draft decision: its approver decides (or suspends), not signs off.
        return _("Under 'lead decides' the lead department decides the case (decide or suspend).")
    if task.state not in (TaskState.IN_REVIEW, TaskState.ON_HOLD):
        return _("Only a task in review can be signed off.")
    return finish_refusal(task, user)


def reassign_refusal(task: DepartmentTask, user) -> str | None:
    if task.state not in OPEN_TASK_STATES:
        return _("Only an open task can be reassigned.")
    return None


def running_task_procedure(task: DepartmentTask) -> SpecialProcedurePause | None:
    return SpecialProcedurePause.objects.filter(task_link__task=task, end__isnull=True).first()


def procedure_refusal(task: DepartmentTask, user) -> str | None:
    if task.state != TaskState.IN_REVIEW:
        return _("Only a task in review can start a special procedure.")
    if not task.case.item_version.special_procedures.exists():
        return _("This item does not provide for a special procedure.")
    if SpecialProcedurePause.objects.filter(case_id=task.case_id, end__isnull=True).exists():
        return _("A special procedure is already running; end it first.")
    return assignee_refusal(task, user)


def no_running_procedure(task: DepartmentTask, user) -> str | None:
    if running_task_procedure(task) is None:
        return _("This task has no running special procedure.")
    return assignee_refusal(task, user)


def attach_refusal(task: DepartmentTask, user) -> str | None:
    if task.state not in OPEN_TASK_STATES:
        return _("The task is closed.")
    return assignee_refusal(task, user)
