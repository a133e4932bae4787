"""Parallel back-office processing (并联审批, domain.md section 5).

A joint item's case gets one ``DepartmentTask`` per department (the lead and every
co-department) and per round. Each task is its own django-fsm-2 machine; the rules (who may fire
a command, the join of the branches, rounds, clocks) live in ``approvals.parallel.services``.

Task state table (kept true by ``tests/parallel/test_parallel_task_state_table.py``, which
compares it with ``DepartmentTask.get_all_state_transitions()``):

=======================  ========================================  ======================  =====================
FSM method               from                                      to                      who
=======================  ========================================  ======================  =====================
claim                    pending                                   claimed                 department officer / head (reassign)
start                    claimed                                   in_review               assignee
agree                    in_review                                 agreed                  assignee (approver under two-level)
agree_with_conditions    in_review                                 agreed_with_conditions  assignee (approver under two-level)
disagree                 in_review                                 disagreed               assignee (approver under two-level)
request_materials        in_review, on_hold                        needs_materials         assignee (approver under two-level)
hold                     pending, claimed, in_review               on_hold                 system (another department asked for materials)
cancel                   pending, claimed, in_review, on_hold      cancelled               system (case decided, withdrawn, terminated, new round)
=======================  ========================================  ======================  =====================

Reassignment (``reassign``), the hand-over from reviewer to approver (``hand_over``), special
procedures and attachments change the assignee or the task's records, never its state; they are
written to the ``TaskLog`` like the transitions.

Finished states (``agreed``, ``agreed_with_conditions``, ``disagreed``, ``needs_materials``) and
``cancelled`` are final. Under the ``lead_decides`` policy the lead department's task carries the
case decision: ``agree`` is an approval, ``disagree`` a refusal, ``request_materials`` the
suspension until the applicant fixes the problem.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from approvals.models import Case


class TaskState(models.TextChoices):
    PENDING = "pending", _("Pending")
    CLAIMED = "claimed", _("Claimed")
    IN_REVIEW = "in_review", _("In review")
    AGREED = "agreed", _("Agreed")
    AGREED_WITH_CONDITIONS = "agreed_with_conditions", _("Agreed with conditions")
    DISAGREED = "disagreed", _("Disagreed")
    NEEDS_MATERIALS = "needs_materials", _("Needs materials")
    ON_HOLD = "on_hold", _("On hold")
    CANCELLED = "cancelled", _("Cancelled")


T = TaskState
#: Tasks still waiting for their department.
OPEN_TASK_STATES = (T.PENDING, T.CLAIMED, T.IN_REVIEW)
#: Tasks whose department has given its opinion.
FINISHED_TASK_STATES = (T.AGREED, T.AGREED_WITH_CONDITIONS, T.DISAGREED, T.NEEDS_MATERIALS)
#: Tasks that will never change again.
CLOSED_TASK_STATES = (*FINISHED_TASK_STATES, T.CANCELLED)
AGREEING_STATES = (T.AGREED, T.AGREED_WITH_CONDITIONS)

TASK_STATE_TABLE: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("claim", (T.PENDING,), T.CLAIMED),
    ("start", (T.CLAIMED,), T.IN_REVIEW),
    ("agree", (T.IN_REVIEW,), T.AGREED),
    ("agree_with_conditions", (T.IN_REVIEW,), T.AGREED_WITH_CONDITIONS),
    ("disagree", (T.IN_REVIEW,), T.DISAGREED),
    ("request_materials", (T.IN_REVIEW, T.ON_HOLD), T.NEEDS_MATERIALS),
    ("hold", OPEN_TASK_STATES, T.ON_HOLD),
    ("cancel", (*OPEN_TASK_STATES, T.ON_HOLD), T.CANCELLED),
)


class DepartmentTaskQuerySet(models.QuerySet):
    def with_due(self):
        """Annotate ``effective_due``: the task's own step due, never after the case's promised due."""
        case_due = models.F("case__decision_due_promised")
        return self.annotate(effective_due=Least(Coalesce("step_due", case_due), case_due))


class DepartmentTask(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead department (牵头)")
        CO = "co", _("Co-department")

    #: A department's part decision under the independent policy: the same choices as a case's decision.
    PartResult = Case.Decision

    case = models.ForeignKey("approvals.Case", on_delete=models.CASCADE, related_name="tasks")
    department = models.ForeignKey("items.Department", on_delete=models.PROTECT, related_name="tasks")
    round = models.PositiveSmallIntegerField(_("round"))
    role = models.CharField(_("role"), max_length=4, choices=Role.choices)
    state = FSMField(_("state"), max_length=24, choices=TaskState.choices, default=TaskState.PENDING, db_index=True)
    held_from = models.CharField(max_length=24, choices=TaskState.choices, blank=True, default="")

    opened_on = models.DateField(_("opened on"))
    step_limit_days = models.PositiveSmallIntegerField(_("step limit (working days)"), null=True, blank=True)
    step_due = models.DateField(
        _("step due"), null=True, blank=True,
        help_text=_("Due date of the department's own step limit (empty: the case's promised due)."),
    )

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="parallel_tasks"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("Two-level approval: the reviewer who handed the task over for sign-off."),
    )
    proposal = models.JSONField(
        _("reviewer's proposal"), default=dict, blank=True,
        help_text=_("Two-level approval: the outcome, opinion and conditions the reviewer proposes."),
    )
    opinion = models.TextField(_("opinion"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    requests = models.JSONField(_("requested materials"), default=list, blank=True)
    part_result = models.CharField(
        _("part decision"), max_length=10, choices=PartResult.choices, blank=True, default="",
        help_text=_("Independent policy: this department's decision on its own part."),
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DepartmentTaskQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "round", "role", "department_id"]
        verbose_name = _("department task")
        verbose_name_plural = _("department tasks")
        constraints = [
            models.UniqueConstraint(fields=["case", "department", "round"], name="one_task_per_department_round")
        ]
        indexes = [models.Index(fields=["department", "state"], name="task_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.department_id}#{self.round}"

    @property
    def due(self):
        case_due = self.case.decision_due_promised
        if self.step_due is None:
            return case_due
        return min(self.step_due, case_due) if case_due else self.step_due

    # --- transitions: state only ------------------------------------------------------------
    @transition(field=state, source=T.PENDING, target=T.CLAIMED)
    def claim(self) -> None: ...

    @transition(field=state, source=T.CLAIMED, target=T.IN_REVIEW)
    def start(self) -> None: ...

    @transition(field=state, source=T.IN_REVIEW, target=T.AGREED)
    def agree(self) -> None: ...

    @transition(field=state, source=T.IN_REVIEW, target=T.AGREED_WITH_CONDITIONS)
    def agree_with_conditions(self) -> None: ...

    @transition(field=state, source=T.IN_REVIEW, target=T.DISAGREED)
    def disagree(self) -> None: ...

    @transition(field=state, source=[T.IN_REVIEW, T.ON_HOLD], target=T.NEEDS_MATERIALS)
    def request_materials(self) -> None: ...

    @transition(field=state, source=list(OPEN_TASK_STATES), target=T.ON_HOLD)
    def hold(self) -> None: ...

    @transition(field=state, source=[*OPEN_TASK_STATES, T.ON_HOLD], target=T.CANCELLED)
    def cancel(self) -> None: ...


class TaskLog(models.Model):
    """Who did what on a task, when (append-only)."""

    task = models.ForeignKey(DepartmentTask, on_delete=models.CASCADE, related_name="log")
    from_state = models.CharField(max_length=24, choices=TaskState.choices)
    to_state = models.CharField(max_length=24, choices=TaskState.choices)
    command = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("task log entry")
        verbose_name_plural = _("task log")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.from_state} → {self.to_state} ({self.command})"


class TaskAttachment(models.Model):
    """A file attached to a department's opinion (same checks as case materials)."""

    task = models.ForeignKey(DepartmentTask, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="tasks/", max_length=200)
    original_name = models.CharField(_("original name"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("detected type"), max_length=8)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("task attachment")
        verbose_name_plural = _("task attachments")

    def __str__(self) -> str:
        return f"{self.task_id}/{self.original_name or self.pk}"


class TaskPause(models.Model):
    """Links a special procedure a department started for its own task to that task."""

    task = models.ForeignKey(DepartmentTask, on_delete=models.CASCADE, related_name="pauses")
    pause = models.OneToOneField("approvals.SpecialProcedurePause", on_delete=models.CASCADE, related_name="task_link")

    class Meta:
        verbose_name = _("task special procedure")
        verbose_name_plural = _("task special procedures")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.pause_id}"


class SupplementNotice(models.Model):
    """补充材料通知 during review: ONE notice per round combining every department's requests.

    ``requests`` lists ``{"department_id", "department", "task_id", "material_code", "reason",
    "expected"}``. The case's decision clocks do not run from ``issued_on`` to ``completed_on``
    (both inclusive, like a special procedure); ``approvals.cases.clock`` counts it as a pause.
    """

    case = models.ForeignKey("approvals.Case", on_delete=models.CASCADE, related_name="supplement_notices")
    round = models.PositiveSmallIntegerField()
    issued_on = models.DateField()
    issued_at = models.DateTimeField()
    requests = models.JSONField(default=list)
    revision = models.PositiveSmallIntegerField(default=1, help_text=_("Raised when a department adds requests."))
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["round"]
        verbose_name = _("supplementary materials notice")
        verbose_name_plural = _("supplementary materials notices")
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="one_supplement_notice_per_round"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(completed_on__isnull=True), name="one_open_supplement_notice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} round {self.round}"

    @property
    def material_codes(self) -> list[str]:
        return list(dict.fromkeys(r["material_code"] for r in self.requests))
