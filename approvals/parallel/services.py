"""Department tasks of joint items and their join (并联审批, domain.md section 5).

Every command locks the **case row first** (``SELECT … FOR UPDATE``), then works on the task:
all commands of one case are serialised by that one lock, so two departments finishing at the
same moment run one after the other and the second one sees the first one's outcome; the join
therefore fires exactly once. Check order as in the case engine: 404 (cannot see) → 403 (may not
act) → ``Conflict`` (wrong state) → ``ValidationError`` (bad input).

Rules chosen here (the issue asked to decide them):

- **Tasks** open when the case is accepted (also by the deemed-acceptance sweep), one per
  department (lead + co-departments) and round. The case goes ``accepted → in_review`` when the
  first department starts its task (or the lead uses the case's ``start_review``).
- **Due dates**: a co-department with ``CoDepartment.step_limit_days`` is due that many working
  days after its task opened (moved by the special procedures it started itself); the effective due
  is never after the case's promised due, which applies alone without a step limit.
- **Two-level approval** (``ItemVersion.two_level_approval``): a reviewer cannot finish a task; they
  ``hand_over`` to an approver of the department with a proposal, and an approver or head other
  than the reviewer finishes it (``sign_off`` adopts the proposal, or they give their own outcome).
  A disagreement is *final* once so finished.
- **all_agree** (会签): approved when every task of the round agreed (conditions of every
  "agreed with conditions" are carried into the decision); refused as soon as one department's
  disagreement (reasons are mandatory) is final: its opinion becomes the decision's reasons, every
  other open task is cancelled and the officers who had claimed one are told.
- **lead_decides** (主办/协办): co-departments give opinions; a disagreement without reasons is
  recorded and counts as agreement. The lead decides (``decide``: approve with the carried
  conditions, or refuse attaching the reasoned disagreements) only once every co-department of
  the round has given its opinion; or suspends (``suspend``) with a materials request.
- **independent**: each department's outcome is its own part decision (agree = part approved,
  disagree with reasons = part refused), logged on the case as ``decide_part`` and notified to
  the applicant separately. The case is decided when every department's part is decided:
  approved only if every part is approved, otherwise refused listing the refused parts with their
  reasons. Reason: the item is one licence (one case, one decision document, Art. 38); a licence
  whose required parts were refused cannot be granted, and a refusal must state its reasons
  (section 4), which are the refused parts' reasons. A part decided in an earlier round is a
  decision already notified, so a new round reopens only the departments still undecided.
- **Rounds** (supplementary materials): the first department asking for materials issues the
  round's notice at once (the applicant can start immediately; the clock stops from the notice
  date), the case goes to ``supplement_requested`` and the other open tasks go ``on_hold``. Until
  the applicant resubmits, a department whose held task had been claimed may add its own
  requests to the **same** notice (``amend_supplement``; one notice per round, revision raised).
  Resubmission (every listed material supplied) ends the pause, cancels the held tasks and opens
  round n+1: a new task for every department, showing the materials supplied for that round.
- **No re-opening of the original submission** (section 4, "a later notice may not raise a
  problem with something that was already in the original submission"): a request may name a
  material that is missing, or one supplied after acceptance (pledged or supplementary); a
  material that was part of the accepted application (supplied with it or in the intake
  correction) is refused (code ``original_material``). Substantive objections to it are a
  disagreement, not a reason to stop the clock.
- **Special procedures**: a department's assignee may start one for its task; it is the case's
  special procedure (pauses the case clocks, one at a time per case as in the case engine) and is
  linked to the task, whose step due moves too.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils.translation import gettext as _

from approvals.cases import clock, files
from approvals.cases.commands import (
    COMMANDS,
    DEPARTMENT_JOBS,
    OUTCOMES,
    SIGNING_JOBS,
    STANDARD_REMEDIES,
    TASK,
)
from approvals.cases.exceptions import Conflict, coded
from approvals.cases.kernel import fire, lock_case, log, raise_errors, require, required_text
from approvals.cases.permissions import ensure_can, refusal
from approvals.cases.rules import apply_decision, begin_special_procedure, finish_special_procedure
from approvals.items.models import ItemVersion
from approvals.models import Case, CaseMaterial, SpecialProcedurePause, State
from approvals.supervision import calendar

from . import notices
from .models import (
    AGREEING_STATES,
    FINISHED_TASK_STATES,
    OPEN_TASK_STATES,
    DepartmentTask,
    SupplementNotice,
    TaskAttachment,
    TaskLog,
    TaskPause,
    TaskState,
)
from .rules import assignee_refusal, finish_refusal, is_department_officer, jobs
from .rules import policy as join_policy

Policy = ItemVersion.JoinPolicy
REVIEW_STATES = (State.ACCEPTED, State.ACCEPTED_WITH_PLEDGE, State.IN_REVIEW)
OUTCOME_NAMES = tuple(value for value, _label in OUTCOMES)


# --- helpers ------------------------------------------------------------------------------------


def _lock_task(task_id: int, user, command: str) -> tuple[Case, DepartmentTask]:
    """Lock the case, then the task; 404 unless ``user`` is an officer of the task's department,
    403 unless their job there may fire ``command`` (its row of the command table)."""
    case_id = DepartmentTask.objects.filter(pk=task_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Http404(_("No such task."))
    case = lock_case(case_id)
    task = DepartmentTask.objects.select_for_update().select_related("department").get(pk=task_id)
    task.case = case
    if not (user.is_superuser or is_department_officer(user, task.department_id)):
        raise Http404(_("No such task."))
    if not (user.is_superuser or jobs(user, task.department_id) & set(COMMANDS[TASK][command].who)):
        raise refusal(command, TASK)
    return case, task


def _ensure_assignee(user, task: DepartmentTask) -> None:
    if reason := assignee_refusal(task, user):
        raise PermissionDenied(reason)


def _ensure_may_finish(user, case: Case, task: DepartmentTask) -> None:
    """The assignee finishes; under two-level approval only an approver/head after a reviewer's hand-over."""
    if reason := finish_refusal(task, user):
        raise PermissionDenied(reason)


def _log_task(task: DepartmentTask, from_state: str, command: str, actor, *, note: str = "", details=None) -> TaskLog:
    return TaskLog.objects.create(
        task=task, from_state=from_state, to_state=task.state, command=command, actor=actor, at=clock.now(),
        note=note, details=details or {},
    )


def _fire(task: DepartmentTask, method: str, command: str, actor, *, note: str = "", details=None) -> TaskLog:
    require(task, method, command)
    before = fire(task, method)
    task.save()
    return _log_task(task, before, command, actor, note=note, details=details)


def _round_tasks(case: Case) -> list[DepartmentTask]:
    return list(
        DepartmentTask.objects.select_related("department").filter(case=case, round=case.round).order_by("role", "pk")
    )


def _departments(version: ItemVersion) -> list[tuple[int, str, int | None]]:
    lead = [(version.department_id, DepartmentTask.Role.LEAD, None)]
    co = [(c.department_id, DepartmentTask.Role.CO, c.step_limit_days) for c in version.co_departments.all()]
    return lead + co


def _step_due(task: DepartmentTask) -> date | None:
    pauses = [
        (p.start, p.end or clock.expected_pause_end(p.start, p.expected_days))
        for p in SpecialProcedurePause.objects.filter(task_link__task=task, pauses_clock=True)
    ]
    return clock.task_step_due(task.case, task.opened_on, task.step_limit_days, pauses)


# --- opening and closing rounds (called by the case engine) -----------------------------------


def open_round(case: Case, *, departments: set[int] | None = None) -> list[DepartmentTask]:
    """Create the tasks of the case's current round (all departments, or only ``departments``)."""
    opened_on = clock.today() if case.round > 1 else case.accepted_on
    tasks = []
    for department_id, role, step in _departments(case.item_version):
        if departments is not None and department_id not in departments:
            continue
        task = DepartmentTask(
            case=case, department_id=department_id, round=case.round, role=role, opened_on=opened_on,
            step_limit_days=step,
        )
        task.step_due = clock.task_step_due(case, opened_on, step)
        tasks.append(task)
    return DepartmentTask.objects.bulk_create(tasks)


def open_rounds_in_bulk(case_ids: list[int]) -> int:
    """The deemed-acceptance sweep: round-1 tasks for many joint cases (vectorised step dues, one INSERT)."""
    cases = list(Case.objects.filter(pk__in=case_ids).values_list("pk", "accepted_on", "item_version_id", "round"))
    versions = {
        v.pk: v
        for v in ItemVersion.objects.filter(pk__in={c[2] for c in cases}).prefetch_related("co_departments")
    }
    rows = [
        (pk, accepted_on, rnd, dept, role, step)
        for pk, accepted_on, version_id, rnd in cases
        for dept, role, step in _departments(versions[version_id])
    ]
    stepped = [i for i, r in enumerate(rows) if r[5] is not None]
    dues: dict[int, date] = {}
    if stepped:
        values = calendar.add_working_days_many([rows[i][1] for i in stepped], [rows[i][5] for i in stepped])
        dues = dict(zip(stepped, values.tolist(), strict=True))
    DepartmentTask.objects.bulk_create(
        [
            DepartmentTask(
                case_id=pk, department_id=dept, round=rnd, role=role, opened_on=accepted_on, step_limit_days=step,
                step_due=dues.get(i),
            )
            for i, (pk, accepted_on, rnd, dept, role, step) in enumerate(rows)
        ],
        ignore_conflicts=True,
    )
    return len(rows)


def cancel_open_tasks(case_ids: list[int], *, actor=None, reason: str = "", exclude: int | None = None) -> list[int]:
    """Cancel every open or held task of ``case_ids`` set-based; return the officers who had claimed one
    (they are told, see ``notices``)."""
    qs = DepartmentTask.objects.filter(case_id__in=case_ids, state__in=(*OPEN_TASK_STATES, TaskState.ON_HOLD))
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    rows = list(qs.values_list("pk", "state", "assignee_id", "case_id"))
    if not rows:
        return []
    DepartmentTask.objects.filter(pk__in=[r[0] for r in rows]).update(state=TaskState.CANCELLED, finished_at=clock.now())
    now = clock.now()
    told = sorted({r[2] for r in rows if r[2]})
    TaskLog.objects.bulk_create(
        [
            TaskLog(
                task_id=pk, from_state=state, to_state=TaskState.CANCELLED, command="cancel", actor=actor, at=now,
                note=reason, details={"reason": reason, "notify": [assignee] if assignee else []},
            )
            for pk, state, assignee, _case in rows
        ]
    )
    return told


# --- claim, start, reassign, hand over --------------------------------------------------------


def claim(task_id: int, *, officer) -> DepartmentTask:
    """An officer of the department takes a pending task."""
    with transaction.atomic():
        _case, task = _lock_task(task_id, officer, "claim")
        require(task, "claim")
        task.assignee, task.claimed_at = officer, clock.now()
        _fire(task, "claim", "claim", officer)
    return task


def start(task_id: int, *, officer) -> DepartmentTask:
    """The assignee starts the review; the first task started takes the case into review."""
    with transaction.atomic():
        case, task = _lock_task(task_id, officer, "start")
        _ensure_assignee(officer, task)
        require(task, "start")
        if case.state not in REVIEW_STATES:
            raise Conflict(_("The case is not under review."), state=case.state, command="start")
        if case.state != State.IN_REVIEW:
            before = fire(case, "start_review")
            case.save()
            log(case, before, "start_review", officer, details={"task_id": task.pk})
        _fire(task, "start", "start", officer)
    return task


def reassign(task_id: int, *, head, to) -> DepartmentTask:
    """The department head gives an open task to another officer of the department."""
    with transaction.atomic():
        _case, task = _lock_task(task_id, head, "reassign")
        if task.state not in OPEN_TASK_STATES:
            raise Conflict(_("Only an open task can be reassigned."), state=task.state, command="reassign")
        if to is None or not jobs(to, task.department_id) & set(DEPARTMENT_JOBS):
            raise ValidationError({"to": _("Choose an officer of this department.")})
        previous = task.assignee_id
        task.assignee, task.claimed_at = to, clock.now()
        if task.state == TaskState.PENDING:
            entry = _fire(task, "claim", "reassign", head, details={"from": previous, "to": to.pk})
        else:
            task.save()
            entry = _log_task(task, task.state, "reassign", head, details={"from": previous, "to": to.pk})
        notices.task_assigned(task, to, entry)
    return task


def hand_over(task_id: int, *, officer, to, outcome: str, opinion: str = "", conditions: str = "",
              requests: list[dict] | None = None) -> DepartmentTask:
    """Two-level approval: the reviewer proposes an outcome and hands the task to an approver."""
    with transaction.atomic():
        case, task = _lock_task(task_id, officer, "hand_over")
        _ensure_assignee(officer, task)
        if task.state != TaskState.IN_REVIEW:
            raise Conflict(_("Only a task in review can be handed over."), state=task.state, command="hand_over")
        if not case.item_version.two_level_approval:
            raise Conflict(_("This item has no two-level approval."), state=task.state, command="hand_over")
        errors: dict[str, list[str]] = {}
        if to is None or to.pk == officer.pk or not jobs(to, task.department_id) & set(SIGNING_JOBS):
            errors["to"] = [_("Choose another officer of this department who signs (approver or head).")]
        if outcome not in OUTCOME_NAMES:
            errors["outcome"] = [_("Propose agree, agree_with_conditions, disagree or request_materials.")]
        raise_errors(errors)
        task.reviewed_by, task.assignee = officer, to
        task.proposal = {
            "outcome": outcome, "opinion": (opinion or "").strip(), "conditions": (conditions or "").strip(),
            "requests": requests or [],
        }
        task.save()
        entry = _log_task(task, task.state, "hand_over", officer, note=task.proposal["opinion"],
                          details={"to": to.pk, "proposal": task.proposal})
        notices.task_assigned(task, to, entry)
    return task


def sign_off(task_id: int, *, officer) -> DepartmentTask:
    """Two-level approval: the approver adopts the reviewer's proposal as the department's outcome."""
    with transaction.atomic():
        case, task = _lock_task(task_id, officer, "sign_off")
        if not task.proposal:
            raise Conflict(_("Nothing was handed over for sign-off."), state=task.state, command="sign_off")
        p = task.proposal
        if p["outcome"] == "request_materials":
            _request_materials(case, task, officer, p.get("requests") or [])
        else:
            _finish(case, task, officer, p["outcome"], opinion=p.get("opinion", ""), conditions=p.get("conditions", ""))
    return task


# --- opinions and the join ----------------------------------------------------------------------


def agree(task_id: int, *, officer, opinion: str = "") -> DepartmentTask:
    with transaction.atomic():
        case, task = _lock_task(task_id, officer, "agree")
        _finish(case, task, officer, "agree", opinion=opinion)
    return task


def agree_with_conditions(task_id: int, *, officer, conditions: str, opinion: str = "") -> DepartmentTask:
    with transaction.atomic():
        case, task = _lock_task(task_id, officer, "agree_with_conditions")
        _finish(case, task, officer, "agree_with_conditions", opinion=opinion, conditions=conditions)
    return task


def disagree(task_id: int, *, officer, opinion: str = "") -> DepartmentTask:
    with transaction.atomic():
        case, task = _lock_task(task_id, officer, "disagree")
        _finish(case, task, officer, "disagree", opinion=opinion)
    return task


def _finish(case: Case, task: DepartmentTask, officer, outcome: str, *, opinion: str = "", conditions: str = "") -> None:
    """Record a department's opinion, then run the join (the case row is locked by the caller)."""
    _ensure_may_finish(officer, case, task)
    require(task, outcome)
    policy = join_policy(case)
    if policy == Policy.LEAD_DECIDES and task.role == DepartmentTask.Role.LEAD:
        raise Conflict(
            _("Under 'lead decides' the lead department decides the case (decide or suspend)."),
            state=task.state, command=outcome,
        )
    if case.state != State.IN_REVIEW:
        raise Conflict(_("The case is not in review."), state=case.state, command=outcome)
    errors: dict[str, list[str]] = {}
    opinion, conditions = (opinion or "").strip(), (conditions or "").strip()
    if outcome == "agree_with_conditions" and not conditions:
        errors["conditions"] = [_("State the conditions.")]
    if outcome == "disagree" and not opinion and policy != Policy.LEAD_DECIDES:
        errors["opinion"] = [_("A disagreement states its reasons.")]
    if SpecialProcedurePause.objects.filter(task_link__task=task, end__isnull=True).exists():
        errors["special_procedure"] = [_("End your special procedure first.")]
    raise_errors(errors)
    task.opinion, task.conditions = opinion, conditions
    task.finished_at, task.finished_by = clock.now(), officer
    details = {}
    if outcome == "disagree" and not opinion:
        details["counts_as_agreement"] = True
    if policy == Policy.INDEPENDENT:
        task.part_result = (
            DepartmentTask.PartResult.REFUSED if outcome == "disagree" else DepartmentTask.PartResult.APPROVED
        )
    _fire(task, outcome, outcome, officer, note=opinion, details=details)
    _join(case, task, officer)


def _join(case: Case, task: DepartmentTask, actor) -> None:
    """Evaluate the item's join policy after ``task`` finished; the case row is locked."""
    policy = join_policy(case)
    tasks = _round_tasks(case)
    if policy == Policy.ALL_AGREE:
        if task.state == TaskState.DISAGREED:
            told = cancel_open_tasks([case.pk], actor=actor, reason="case_refused", exclude=task.pk)
            apply_decision(
                case, actor, approve=False,
                reasons=_("%(department)s disagrees: %(opinion)s") % {"department": task.department.name, "opinion": task.opinion},
                remedies=STANDARD_REMEDIES,
                details={"join": policy, "opinion_task_id": task.pk, "department": task.department.name,
                         "opinion": task.opinion, "notify_officers": told},
            )
        elif all(t.state in AGREEING_STATES for t in tasks):
            apply_decision(
                case, actor, approve=True, conditions=_conditions(tasks),
                details={"join": policy, "tasks": [t.pk for t in tasks]},
            )
    elif policy == Policy.INDEPENDENT:
        before = fire(case, "decide_part")
        case.save()
        log(
            case, before, "decide_part", actor, reason=task.opinion,
            details={"task_id": task.pk, "department": task.department.name, "result": task.part_result,
                     "conditions": task.conditions},
        )
        latest = _latest_parts(case)
        if all(t.part_result for t in latest):
            refused = [t for t in latest if t.part_result == DepartmentTask.PartResult.REFUSED]
            apply_decision(
                case, actor, approve=not refused,
                reasons="\n".join(
                    _("%(department)s refused its part: %(opinion)s") % {"department": t.department.name, "opinion": t.opinion}
                    for t in refused
                ),
                remedies=STANDARD_REMEDIES if refused else "",
                conditions=_conditions(latest),
                details={"join": policy, "parts": {t.department.name: t.part_result for t in latest}},
            )
    # lead_decides: a co-department's opinion is recorded; the lead decides (``lead_decide``).


def _conditions(tasks: list[DepartmentTask]) -> str:
    return "\n".join(
        f"{t.department.name}：{t.conditions}" for t in tasks if t.state == TaskState.AGREED_WITH_CONDITIONS
    )


def _latest_parts(case: Case) -> list[DepartmentTask]:
    """Independent policy: each department's latest task (a part decided earlier stays decided)."""
    latest: dict[int, DepartmentTask] = {}
    for t in DepartmentTask.objects.select_related("department").filter(case=case).order_by("round", "pk"):
        if t.department_id not in latest or not latest[t.department_id].part_result:
            latest[t.department_id] = t
    return list(latest.values())


def lead_decide(task_id: int, *, officer, approve: bool, reasons: str = "", remedies: str = "",
                conditions: str = "") -> DepartmentTask:
    """``lead_decides``: the lead department approves or refuses, having every co-department's opinion."""
    with transaction.atomic():
        case, task = _lock_task(task_id, officer, "lead_decide")
        _ensure_may_finish(officer, case, task)
        _lead_decide(case, task, officer, approve=approve, reasons=reasons, remedies=remedies, conditions=conditions)
    return task


def decide_joint_case(case: Case, officer, *, approve: bool, reasons: str = "", remedies: str = "",
                      conditions: str = "") -> Case:
    """The case engine's ``decide`` on a joint item (case locked, officer may decide for the lead)."""
    if join_policy(case) != Policy.LEAD_DECIDES:
        raise Conflict(
            _("This joint case is decided by the join of the departments' opinions."),
            state=case.state, command="decide",
        )
    task = DepartmentTask.objects.select_for_update().select_related("department").filter(
        case=case, round=case.round, role=DepartmentTask.Role.LEAD
    ).first()
    if task is None or task.state != TaskState.IN_REVIEW:
        raise Conflict(_("The lead department's task is not in review."), state=case.state, command="decide")
    task.case = case
    _lead_decide(case, task, officer, approve=approve, reasons=reasons, remedies=remedies, conditions=conditions)
    return case


def _lead_decide(case: Case, task: DepartmentTask, officer, *, approve: bool, reasons: str, remedies: str,
                 conditions: str) -> None:
    if join_policy(case) != Policy.LEAD_DECIDES or task.role != DepartmentTask.Role.LEAD:
        raise Conflict(_("Only the lead department decides, under 'lead decides'."), state=task.state, command="decide")
    method = "agree" if approve else "disagree"
    require(task, method, "decide")
    if case.state != State.IN_REVIEW:
        raise Conflict(_("The case is not in review."), state=case.state, command="decide")
    tasks = _round_tasks(case)
    waiting = [t.department.name for t in tasks if t.pk != task.pk and t.state not in FINISHED_TASK_STATES]
    if waiting:
        raise ValidationError(
            coded({"task": _("Waiting for the opinions of: %(names)s.") % {"names": "、".join(waiting)}}, "opinions_missing")
        )
    reasoned = [t for t in tasks if t.pk != task.pk and t.state == TaskState.DISAGREED and t.opinion]
    own_conditions = (conditions or "").strip()
    carried = "\n".join(filter(None, [_conditions(tasks), own_conditions]))
    reasons = (reasons or "").strip()
    attached = "\n".join(
        _("%(department)s disagrees: %(opinion)s") % {"department": t.department.name, "opinion": t.opinion}
        for t in reasoned
    )
    full_reasons = reasons if approve else "\n".join(filter(None, [reasons, attached]))
    task.opinion, task.conditions = reasons, own_conditions
    task.finished_at, task.finished_by = clock.now(), officer
    _fire(task, method, "decide", officer, note=reasons)
    apply_decision(
        case, officer, approve=approve, reasons=full_reasons, remedies=remedies or "",
        conditions=carried if approve else "",
        details={
            "join": Policy.LEAD_DECIDES, "lead_task_id": task.pk,
            "opinions": {t.department.name: t.state for t in tasks if t.pk != task.pk},
            "attached_opinions": [t.pk for t in reasoned] if not approve else [],
            "unreasoned_disagreements": [t.pk for t in tasks if t.state == TaskState.DISAGREED and not t.opinion],
        },
    )


# --- supplementary materials (rounds) -----------------------------------------------------------


def request_materials(task_id: int, *, officer, requests: list[dict]) -> DepartmentTask:
    """A department asks the applicant for materials (see the module docstring for the round rule)."""
    with transaction.atomic():
        case, task = _lock_task(task_id, officer, "request_materials")
        _request_materials(case, task, officer, requests)
    return task


def suspend(task_id: int, *, officer, requests: list[dict]) -> DepartmentTask:
    """``lead_decides``: the lead suspends the case until the applicant fixes the problem."""
    with transaction.atomic():
        case, task = _lock_task(task_id, officer, "suspend")
        if join_policy(case) != Policy.LEAD_DECIDES or task.role != DepartmentTask.Role.LEAD:
            raise Conflict(_("Only the lead department suspends, under 'lead decides'."), state=task.state,
                           command="suspend")
        _request_materials(case, task, officer, requests, command="suspend")
    return task


def _clean_requests(case: Case, task: DepartmentTask, requests) -> list[dict]:
    codes = set(case.item_version.materials.values_list("code", flat=True))
    original = set(
        CaseMaterial.objects.filter(case=case, is_current=True, supplied_for__in=("", "correction")).values_list(
            "requirement_code", flat=True
        )
    )
    errors: dict[str, list] = {}
    cleaned: list[dict] = []
    if not requests:
        errors["requests"] = [_("List the materials you need.")]
    seen: set[str] = set()
    for i, item in enumerate(requests or []):
        item = item if isinstance(item, dict) else {}
        key = f"requests.{i}"
        code = str(item.get("material_code", "")).strip()
        if code not in codes:
            errors.setdefault(key, []).append(_("%(code)s is not a material of this item.") % {"code": code})
        elif code in seen:
            errors.setdefault(key, []).append(_("%(code)s is listed twice.") % {"code": code})
        elif code in original:
            errors.setdefault(key, []).append(
                ValidationError(
                    _("%(code)s was part of the accepted application; a later notice may not re-open it. "
                      "Disagree with reasons instead.") % {"code": code},
                    code="original_material",
                )
            )
        seen.add(code)
        reason = required_text(str(item.get("reason", "")), key, errors, _("Give the reason."))
        expected = required_text(str(item.get("expected", "")), key, errors, _("Say what is expected."))
        cleaned.append({
            "department_id": task.department_id, "department": task.department.name, "task_id": task.pk,
            "material_code": code, "reason": reason, "expected": expected,
        })
    raise_errors(errors)
    return cleaned


def _request_materials(case: Case, task: DepartmentTask, officer, requests, *, command: str = "request_materials"):
    _ensure_may_finish(officer, case, task)
    require(task, "request_materials", command)
    if case.state == State.IN_REVIEW and task.state == TaskState.IN_REVIEW:
        cleaned = _clean_requests(case, task, requests)
        notice = SupplementNotice.objects.create(
            case=case, round=case.round, issued_on=clock.today(), issued_at=clock.now(), requests=cleaned
        )
        task.requests, task.finished_at, task.finished_by = cleaned, clock.now(), officer
        _fire(task, "request_materials", command, officer, details={"notice_id": notice.pk})
        for other in _round_tasks(case):
            if other.state in OPEN_TASK_STATES:
                other.held_from = other.state
                _fire(other, "hold", "hold", officer, details={"notice_id": notice.pk, "by_task_id": task.pk})
        before = fire(case, "request_supplement")
        clock.refresh(case)
        case.save()
        log(case, before, "request_supplement", officer,
                           details={"notice_id": notice.pk, "requests": cleaned})
    elif case.state == State.SUPPLEMENT_REQUESTED and task.state == TaskState.ON_HOLD and task.round == case.round:
        notice = SupplementNotice.objects.select_for_update().get(case=case, round=case.round, completed_on__isnull=True)
        cleaned = _clean_requests(case, task, requests)
        already = {(r["material_code"], r["department_id"]) for r in notice.requests}
        notice.requests = notice.requests + [r for r in cleaned if (r["material_code"], r["department_id"]) not in already]
        notice.revision += 1
        notice.save(update_fields=["requests", "revision"])
        task.requests, task.finished_at, task.finished_by = cleaned, clock.now(), officer
        _fire(task, "request_materials", command, officer, details={"notice_id": notice.pk})
        before = fire(case, "amend_supplement")
        case.save()
        log(case, before, "amend_supplement", officer,
                           details={"notice_id": notice.pk, "revision": notice.revision, "requests": cleaned})
    else:
        raise Conflict(_("Materials can be requested while the case is in review."), state=case.state, command=command)


def resubmit_supplement(case_id: int, *, user) -> Case:
    """The applicant has supplied every listed material: the pause ends and round n+1 opens."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(user, "resubmit", case)
        require(case, "resubmit_supplement")
        notice = SupplementNotice.objects.select_for_update().get(case=case, completed_on__isnull=True)
        supplied = set(
            CaseMaterial.objects.filter(
                case=case, is_current=True, supplied_for="supplement", round=case.round + 1
            ).values_list("requirement_code", flat=True)
        )
        raise_errors({
            f"materials.{code}": [_("Material %(code)s listed in the notice is not supplied yet.") % {"code": code}]
            for code in notice.material_codes
            if code not in supplied
        })
        notice.completed_on = clock.today()
        notice.save(update_fields=["completed_on"])
        cancel_open_tasks([case.pk], actor=user, reason="next_round")
        case.round += 1
        before = fire(case, "resubmit_supplement")
        clock.refresh(case)
        case.save()
        log(case, before, "resubmit_supplement", user,
                           details={"notice_id": notice.pk, "supplied": sorted(supplied)})
        departments = None
        if join_policy(case) == Policy.INDEPENDENT:
            departments = {t.department_id for t in _latest_parts(case) if not t.part_result}
        open_round(case, departments=departments)
    return case


# --- special procedures and attachments -------------------------------------------------------


def start_special_procedure(task_id: int, *, officer, kind: str, start: date, expected_days: int,
                            reason: str) -> DepartmentTask:
    """The assignee starts a special procedure for the task: the case's and the task's clocks pause."""
    with transaction.atomic():
        case, task = _lock_task(task_id, officer, "start_special_procedure")
        _ensure_assignee(officer, task)
        if task.state != TaskState.IN_REVIEW:
            raise Conflict(_("Only a task in review can start a special procedure."), state=task.state,
                           command="start_special_procedure")
        pause = begin_special_procedure(
            case, officer, kind=kind, start=start, expected_days=expected_days, reason=reason
        )
        TaskPause.objects.create(task=task, pause=pause)
        task.step_due = _step_due(task)
        task.save(update_fields=["step_due"])
        _log_task(task, task.state, "start_special_procedure", officer, note=reason,
                  details={"pause_id": pause.pk, "kind": kind})
    return task


def end_special_procedure(task_id: int, *, officer, end: date) -> DepartmentTask:
    with transaction.atomic():
        case, task = _lock_task(task_id, officer, "end_special_procedure")
        _ensure_assignee(officer, task)
        pause = SpecialProcedurePause.objects.filter(task_link__task=task, end__isnull=True).first()
        if pause is None:
            raise Conflict(_("This task has no running special procedure."), state=task.state,
                           command="end_special_procedure")
        finish_special_procedure(case, officer, end=end, pause=pause)
        task.step_due = _step_due(task)
        task.save(update_fields=["step_due"])
        _log_task(task, task.state, "end_special_procedure", officer, details={"pause_id": pause.pk, "end": str(end)})
    return task


def attach(task_id: int, *, officer, upload) -> TaskAttachment:
    """The assignee attaches a file to the department's opinion (same checks as case materials)."""
    with transaction.atomic():
        case, task = _lock_task(task_id, officer, "attach")
        _ensure_assignee(officer, task)
        if task.state not in OPEN_TASK_STATES:
            raise Conflict(_("The task is closed."), state=task.state, command="attach")
        stored = (CaseMaterial.objects.filter(case=case).aggregate(total=Sum("size"))["total"] or 0) + (
            TaskAttachment.objects.filter(task__case=case).aggregate(total=Sum("size"))["total"] or 0
        )
        checked = files.check_upload(upload, case_id=case.pk, stored_bytes=stored)
        name = default_storage.save(checked.storage_name.replace("cases/", "tasks/", 1), upload)
        try:
            attachment = TaskAttachment.objects.create(
                task=task, file=name, original_name=(getattr(upload, "name", "") or "")[:255], sha256=checked.sha256,
                size=checked.size, content_type=checked.content_type, uploaded_at=clock.now(), uploaded_by=officer,
            )
            _log_task(task, task.state, "attach", officer, details={"attachment_id": attachment.pk})
        except Exception:
            default_storage.delete(name)
            raise
    return attachment
