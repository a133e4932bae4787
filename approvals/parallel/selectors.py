"""Reads of department tasks shared by the API and pages; constant query counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from approvals.cases.commands import DEPARTMENT_JOBS, TASK_COMMANDS
from approvals.cases.permissions import Offer, memberships, offers, visible_cases
from approvals.models import CaseMaterial

from .models import DepartmentTask, TaskAttachment, TaskLog


def department_ids(user) -> set[int]:
    """The departments whose tasks ``user`` works on."""
    if not user or not user.is_authenticated:
        return set()
    return {m.department_id for m in memberships(user) if m.job in DEPARTMENT_JOBS}


def _base() -> QuerySet[DepartmentTask]:
    return DepartmentTask.objects.with_due().select_related(
        "case", "case__item_version", "case__item_version__item", "department", "assignee"
    )


def tasks_for(user, *, state: str | None = None, due_before=None, item: str | None = None) -> QuerySet[DepartmentTask]:
    """The caller's departments' tasks, earliest due first (``effective_due``, see the model)."""
    qs = _base().filter(department_id__in=department_ids(user))
    if state:
        qs = qs.filter(state=state)
    if due_before:
        qs = qs.filter(effective_due__lte=due_before)
    if item:
        qs = qs.filter(case__item_version__item__code=item)
    return qs.order_by("effective_due", "pk")


@dataclass(frozen=True)
class TaskDetail:
    task: DepartmentTask
    log: list[TaskLog]
    attachments: list[TaskAttachment]
    changed_materials: list[CaseMaterial]  # supplied for this task's round (round > 1): what changed
    case_tasks: list[DepartmentTask]  # every department's task of the case, every round


def task_detail(task_id: int, user) -> TaskDetail:
    task = _base().filter(pk=task_id, department_id__in=department_ids(user)).first()
    if task is None:
        raise Http404(_("No such task."))
    return TaskDetail(
        task=task,
        log=list(TaskLog.objects.filter(task=task).select_related("actor").order_by("at", "pk")),
        attachments=list(TaskAttachment.objects.filter(task=task)),
        changed_materials=list(
            CaseMaterial.objects.filter(case_id=task.case_id, round=task.round, supplied_for="supplement")
            .order_by("requirement_code", "-uploaded_at")
            if task.round > 1 else []
        ),
        case_tasks=list(_base().filter(case_id=task.case_id).order_by("round", "role", "pk")),
    )


def case_tasks(case_no: str, user) -> list[DepartmentTask]:
    """Every department's task of a case the user may see (the applicant sees who holds it)."""
    case_id = visible_cases(user).filter(case_no=case_no).values_list("pk", flat=True).first()
    if case_id is None:
        raise Http404(_("No such case."))
    return list(_base().filter(case_id=case_id).order_by("round", "role", "pk"))


def task_offers(user, task: DepartmentTask) -> list[Offer]:
    """Which task commands ``user`` may fire on ``task`` now (and which a rule refuses, with why)."""
    roles = {m.job for m in memberships(user) if m.department_id == task.department_id and m.job in DEPARTMENT_JOBS}
    return offers(user, task, TASK_COMMANDS, roles)
