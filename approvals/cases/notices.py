"""What each logged case command announces: the applicant's notification and the official document.

``announce(log_id)`` is called by the ``notify_case_changed`` task after the command committed. In
one transaction it writes the notifications (``approvals.notifications.services.notify``: in-app,
email and SMS per the event's channels) and issues the document (``approvals.documents``); both are
keyed by the transition-log row (``case:<id>:log:<id>``), so running it again for the same row adds
nothing. The document's PDF is rendered by its own task after commit.

Which event and which document a command announces is its row of the command table
(``approvals.cases.commands``: ``event``, ``document``); this module builds their contents. A
``decide`` announces ``case_approved`` or ``case_refused`` with the approval or refusal decision;
every row whose event is ``case_status_changed`` tells the applicant the new state; a row with no
event (``resubmit``, ``request_extension``, …) tells the applicant nothing.

Besides, departments are told of new work (``task_assigned``): every pending department task of
the case's current round (joint items, ``approvals.parallel``; keyed per task, so a new round's
tasks are announced once), the item's department when a single-department case is accepted, and
the department head when an extension is requested. ``decide_part`` (independent join policy)
reaches the applicant as its own ``part_decided`` message naming the department and its part
decision. When a command cancelled a joint case's open tasks (the all-agree refusal, withdrawal,
termination, a missed pledge, a new round), each officer who had claimed one of them gets one
``task_cancelled`` message (keyed per cancel row of the task log).
"""

from __future__ import annotations

import logging
from datetime import date

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import translation

from accounts.models import OfficerMembership
from approvals.documents import services as documents
from approvals.documents.models import OfficialDocument
from approvals.notifications import services as notifications
from approvals.notifications.models import Notification
from approvals.parallel.models import DepartmentTask, TaskLog, TaskState

from . import clock, commands
from .commands import DEPARTMENT_JOBS, HEAD
from .models import Case, CaseOpinion, CorrectionNotice, Extension, SpecialProcedurePause, TransitionLog

logger = logging.getLogger(__name__)

Kind = OfficialDocument.Kind

#: The commands that start the decision clocks (the department is told of new work).
ACCEPTING = commands.by_event("case_accepted")
#: Commands that may cancel a joint case's open department tasks (``parallel.cancel_open_tasks``).
CANCELLING = commands.cancelling()


@shared_task(name="approvals.tasks.notify_case_changed", ignore_result=True)
def notify_case_changed(case_id: int, log_id: int) -> None:
    """The side effects of a transition, queued on commit: the applicant's notifications, the
    official document and the department's new work (``announce``).

    Idempotent: everything it writes is keyed by the transition-log row, so re-running it for the
    same row (a retried or duplicated task) writes nothing new.
    """
    written = announce(log_id)
    logger.info("case %s changed (transition log %s): %s", case_id, log_id, written)


def dedup_key(log: TransitionLog) -> str:
    return f"case:{log.case_id}:log:{log.pk}"


def applicant_name(case: Case) -> str:
    """Masked: documents and notifications never carry personal data in full."""
    if case.business_id:
        return case.business.name
    profile = getattr(case.applicant, "citizen_profile", None)
    return profile.masked_name if profile else case.applicant.get_username()


def _material_names(case: Case) -> dict[str, str]:
    return dict(case.item_version.materials.values_list("code", "name"))


def _state_label(case: Case) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(case.get_state_display())


def _base_context(case: Case) -> dict:
    return {
        "case_no": case.case_no,
        "item_name": case.item_version.name,
        "applicant_name": applicant_name(case),
        "received_on": case.received_on,
        "accepted_on": case.accepted_on,
    }


def _plan(case: Case, log: TransitionLog) -> tuple[str | None, dict, str | None, dict]:
    """(event, event context, document kind, document context) for one log row."""
    base = _base_context(case)
    details = log.details or {}
    cmd = log.command
    row = commands.logged(cmd)
    if row is None or not row.event:  # the table names no applicant event for it (e.g. resubmit)
        return None, {}, None, {}
    if row.event == "case_status_changed":
        return "case_status_changed", {**base, "state": _state_label(case)}, None, {}
    if cmd == "submit":
        return "case_submitted", base, None, {}
    if cmd == "request_correction":
        names = _material_names(case)
        problems = details.get("problems")
        if problems is None:
            notice = CorrectionNotice.objects.filter(pk=details.get("notice_id")).first()
            problems = notice.problems if notice else []
        listed = [
            {"material": f"{names.get(p['material_code'], p['material_code'])}（{p['material_code']}）",
             "reason": p["reason"], "expected": p["expected"]}
            for p in problems
        ]
        return ("correction_requested", {**base, "problem_count": len(listed)},
                Kind.CORRECTION_NOTICE, {**base, "problems": listed})
    if cmd in ACCEPTING:
        names = _material_names(case)
        current = sorted(set(case.materials.filter(is_current=True).values_list("requirement_code", flat=True)))
        doc = {**base, "decision_due": case.decision_due_promised, "materials": [names.get(c, c) for c in current]}
        if cmd == "accept_with_pledge":
            doc.update(pledged_materials=[names.get(c, c) for c in details.get("pledged", [])],
                       pledge_due=details.get("pledge_due"))
        return "case_accepted", {**base, "decision_due": case.decision_due_promised}, Kind.ACCEPTANCE_RECEIPT, doc
    if cmd == "not_accept":
        return ("case_not_accepted", base, Kind.NOT_ACCEPTED_NOTICE,
                {**base, "reasons": case.reasons, "remedies": case.remedies, "competent_organ": case.competent_organ})
    if cmd == "start_special_procedure":
        pause = SpecialProcedurePause.objects.filter(pk=details.get("pause_id")).first()
        declared = case.item_version.special_procedures.filter(kind=details.get("kind")).first()
        procedure = declared.name if declared else details.get("kind", "")
        doc = {
            **base, "procedure": procedure, "expected_days": details.get("expected_days"),
            "reason": pause.reason if pause else log.reason, "start": details.get("start"),
            "basis": declared.legal_basis if declared else "",
        }
        event_ctx = {**base, "procedure": procedure, "expected_days": details.get("expected_days")}
        return "special_procedure_started", event_ctx, Kind.SPECIAL_PROCEDURE_NOTICE, doc
    if cmd == "approve_extension":
        extension = Extension.objects.filter(case=case).first()
        due = details.get("new_due") or case.decision_due_statutory
        ctx = {**base, "days": details.get("days"), "decision_due": due}
        return ("extension_approved", ctx, Kind.EXTENSION_NOTICE,
                {**ctx, "reason": extension.reason if extension else log.reason})
    if cmd == "decide":
        chain = _opinion_chain(case)
        if details.get("approve"):
            return ("case_approved", base, Kind.APPROVAL_DECISION,
                    {**base, "conditions": case.conditions, "licence_issue_due": case.licence_issue_due,
                     "opinion_chain": chain})
        return ("case_refused", base, Kind.REFUSAL_DECISION,
                {**base, "reasons": case.reasons, "remedies": case.remedies, "opinions": _opinions(case),
                 "opinion_chain": chain})
    if cmd == "decide_part":
        ctx = {**base, "department": details.get("department", ""), "result": details.get("result", ""),
               "reason": log.reason, "conditions": details.get("conditions", "")}
        return "part_decided", ctx, None, {}
    if cmd == "issue_licence":
        issued = _local_day(log)
        fields = [{"label": k, "value": v} for k, v in (case.fields or {}).items()]
        labels = dict(case.item_version.form_fields.values_list("name", "label"))
        for f in fields:
            f["label"] = labels.get(f["label"], f["label"])
        doc = {
            **base, "holder": case.business.name if case.business_id else base["applicant_name"],
            "licence_no": case.licence_no, "conditions": case.conditions, "fields": fields,
            "valid_from": issued, "valid_until": clock.licence_valid_until(case.item_version, issued),
            "validity": case.item_version.result_validity,
        }
        return "licence_issued", base, Kind.LICENCE, doc
    if row.event == "case_terminated":
        return "case_terminated", {**base, "reason": log.reason or "—"}, None, {}
    return None, {}, None, {}


def _local_day(log: TransitionLog) -> date:
    return clock.local_date(log.at)


def _opinion_chain(case: Case) -> list[dict]:
    """A single-department case's 审查意见 and 审批意见, in order, for the decision's file."""
    with translation.override(settings.LANGUAGE_CODE):
        return [
            {"stage": str(o.get_stage_display()), "officer": o.officer.get_full_name() or o.officer.get_username(),
             "proposal": str(o.get_proposal_display()), "opinion": o.opinion, "on": _chinese_date(clock.local_date(o.at))}
            for o in CaseOpinion.objects.filter(case=case).select_related("officer")
        ]


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _opinions(case: Case) -> list[dict]:
    """The departments' written opinions of the case's last round (joint items), for a refusal."""
    tasks = DepartmentTask.objects.filter(case=case, round=case.round).exclude(opinion="").select_related("department")
    return [{"department": t.department.name, "opinion": t.opinion} for t in tasks]


def _department_officers(department_id: int, jobs) -> list[int]:
    return list(
        OfficerMembership.objects.filter(department_id=department_id, job__in=jobs)
        .values_list("user_id", flat=True)
        .distinct()
    )


def announce(log_id: int) -> dict:
    """Notify and issue what ``log_id`` calls for; idempotent. Returns what it wrote (for logs/tests)."""
    log = TransitionLog.objects.filter(pk=log_id).select_related("case").first()
    if log is None:
        return {}
    out: dict = {"notifications": [], "document": None}
    with transaction.atomic():
        case = (
            Case.objects.select_related(
                "item_version", "item_version__item", "item_version__department", "applicant",
                "applicant__citizen_profile", "business",
            ).get(pk=log.case_id)
        )
        event, event_ctx, kind, doc_ctx = _plan(case, log)
        key = dedup_key(log)
        if event:
            out["notifications"] += notifications.notify([case.applicant_id], event, event_ctx, dedup_key=key)
        if kind:
            document = documents.issue_document(
                kind, department_id=case.item_version.department_id, case_no=case.case_no, case_id=case.pk,
                context=doc_ctx, dedup_key=f"log:{log.pk}", issued_on=_local_day(log), render=False,
                queue=getattr(settings, "CASE_DOCUMENTS_RENDER_ON_COMMIT", True),
            )
            out["document"] = document.pk
        if log.command in CANCELLING:
            out["notifications"] += _announce_cancelled_tasks(case)
        # New work for the departments: one message per department task (joint items), or to the
        # item's department when a single-department case is accepted.
        out["notifications"] += _announce_tasks(case)
        if log.command in ACCEPTING and case.decision_due_promised and not case.item_version.is_joint:
            officers = _department_officers(case.item_version.department_id, DEPARTMENT_JOBS)
            if officers:
                out["notifications"] += notifications.notify(
                    officers, "task_assigned", {"case_no": case.case_no, "item_name": case.item_version.name,
                                                "due": case.decision_due_promised}, dedup_key=f"{key}:task",
                )
        if log.command == "request_extension":
            heads = _department_officers(case.item_version.department_id, (HEAD,))
            if heads:
                out["notifications"] += notifications.notify(
                    heads, "task_assigned", {"case_no": case.case_no, "item_name": case.item_version.name,
                                             "due": case.decision_due_statutory}, dedup_key=f"{key}:head",
                )
    return out


def _announce_tasks(case: Case) -> list[int]:
    """Tell each department of its pending tasks of the current round (keyed per task: once)."""
    written: list[int] = []
    tasks = DepartmentTask.objects.with_due().filter(case=case, round=case.round, state=TaskState.PENDING)
    for task in tasks:
        officers = _department_officers(task.department_id, DEPARTMENT_JOBS)
        if officers and task.effective_due:
            written += notifications.notify(
                officers, "task_assigned",
                {"case_no": case.case_no, "item_name": case.item_version.name, "due": task.effective_due},
                dedup_key=f"task:{task.pk}:opened",
            )
    return written


def _announce_cancelled_tasks(case: Case) -> list[int]:
    """Tell the officers who had claimed a task that it was cancelled (keyed per task log row: once).

    ``parallel.cancel_open_tasks`` names them in the cancel rows' ``details.notify``; the rows
    already announced (their in-app message exists) are skipped in one query.
    """
    rows = [
        entry for entry in TaskLog.objects.filter(task__case=case, command="cancel").select_related("task__department")
        if (entry.details or {}).get("notify")
    ]
    if not rows:
        return []
    done = set(
        Notification.objects.filter(
            event="task_cancelled",
            dedup_key__in=[f"task-log:{e.pk}:cancelled:{u}:in_app" for e in rows for u in e.details["notify"]],
        ).values_list("dedup_key", flat=True)
    )
    written: list[int] = []
    for entry in rows:
        officers = [u for u in entry.details["notify"] if f"task-log:{entry.pk}:cancelled:{u}:in_app" not in done]
        if officers:
            written += notifications.notify(
                officers, "task_cancelled",
                {"case_no": case.case_no, "item_name": case.item_version.name,
                 "department": entry.task.department.name, "reason": entry.details.get("reason") or "cancelled"},
                dedup_key=f"task-log:{entry.pk}:cancelled",
            )
    return written
