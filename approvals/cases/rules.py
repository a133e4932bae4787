"""Rules of the case engine that work on a case already locked and permission-checked.

The services (``approvals.cases.services``) and the department tasks of joint items
(``approvals.parallel``) share these; each legal rule is here once, named after its concept:

- what a refusal must state (``check_remedies``), what an application lacks (``missing``,
  ``missing_pledgeable``), who is offered acceptance with pledge (``pledge_offered``), which
  materials may be uploaded now (``uploadable_materials``), the acceptance date
  (``acceptance_date``);
- the decision (``apply_decision``) and special procedures (``begin_special_procedure``,
  ``finish_special_procedure``), fired by a case command or by a department task;
- preconditions of the command table (``*_refusal``): why a command cannot be fired on a case now
  beyond its FSM state, in words for the officer (``None`` when it can).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from approvals.items import selectors as catalog
from approvals.items.models import MaterialRequirement
from approvals.parallel.models import SupplementNotice

from . import clock
from .exceptions import Conflict, coded
from .forms_validation import missing_required
from .kernel import conflict, fire, log, raise_errors, require, required_text
from .models import (
    ASSIGNABLE_STATES,
    PLEDGE_STATES,
    Case,
    CaseMaterial,
    CaseOpinion,
    CorrectionNotice,
    Extension,
    Pledge,
    SpecialProcedurePause,
    State,
)

# --- what an application holds --------------------------------------------------------------------


def current_codes(case: Case) -> set[str]:
    return set(CaseMaterial.objects.filter(case=case, is_current=True).values_list("requirement_code", flat=True))


def open_correction_notice(case: Case) -> CorrectionNotice | None:
    return CorrectionNotice.objects.filter(case=case, round=case.round, completed_on__isnull=True).first()


def pledge_of(case: Case) -> Pledge | None:
    return Pledge.objects.filter(case=case).first()


def missing(form_fields, requirements, fields: dict, present: set[str]) -> dict[str, list[str]]:
    """Required fields and required materials not supplied. Pledgeable (容缺) materials may be
    missing at submission: the front desk then accepts with pledge or sends a correction notice."""
    absent = missing_required(form_fields, fields)
    for req in requirements:
        if req.necessity == MaterialRequirement.Necessity.REQUIRED and req.code not in present:
            absent[f"materials.{req.code}"] = [_("%(name)s is missing.") % {"name": req.name}]
    return absent


def missing_pledgeable(case: Case) -> list[MaterialRequirement]:
    """Pledgeable (容缺) materials of the pinned version not supplied yet (at most one query), in display
    order: the application may be filed without them against a pledge, but it is not complete
    until they arrive or the front desk accepts it with a pledge."""
    pledgeable = [
        req for req in catalog.application_specs(case.item_version).materials
        if req.necessity == MaterialRequirement.Necessity.PLEDGEABLE
    ]
    if not pledgeable:  # most items: nothing to look up
        return []
    supplied = current_codes(case)
    return [req for req in pledgeable if req.code not in supplied]


def uploadable_materials(case: Case) -> tuple[set[str] | None, str]:
    """Which materials may be uploaded now, and what for: ``(None, "")`` any material (a draft);
    ``(codes, "correction")`` those an open correction notice lists; ``(codes, "supplement")`` those
    of a joint item's open supplementary-materials notice (they belong to the next round);
    ``(codes, "pledge")`` the pledged ones while the pledge is open. Raises ``Conflict`` otherwise."""
    if case.state == State.DRAFT:
        return None, ""
    if case.state == State.CORRECTION_REQUESTED:
        notice = open_correction_notice(case)
        return (set(notice.material_codes) if notice else set()), "correction"
    if case.state == State.SUPPLEMENT_REQUESTED:
        notice = SupplementNotice.objects.filter(case=case, completed_on__isnull=True).first()
        return (set(notice.material_codes) if notice else set()), "supplement"
    if case.state in PLEDGE_STATES and (pledge := pledge_of(case)) and pledge.fulfilled_at is None:
        return set(pledge.material_codes), "pledge"
    raise conflict(case, "attach_material", _("The case is %(state)s; materials cannot be changed now.")
                   % {"state": case.get_state_display()})


def pledge_offered(case: Case) -> bool:
    """容缺受理 is not offered to an applicant (citizen or business) flagged for bad credit."""
    profile = getattr(case.applicant, "citizen_profile", None)
    return not ((profile is not None and profile.bad_credit) or (case.business is not None and case.business.bad_credit))


def acceptance_date(case: Case) -> date:
    """Accepted on the day of the decision, or the day the application became complete."""
    return case.complete_on or clock.today()


def check_remedies(remedies: str, errors: dict) -> str:
    """A refusal states the rights to reconsideration (复议) and litigation (诉讼) with their limits."""
    remedies = required_text(
        remedies, "remedies", errors, _("State the applicant's rights to reconsideration and litigation.")
    )
    if remedies:
        lowered = remedies.lower()
        if not (("复议" in remedies or "reconsideration" in lowered) and ("诉讼" in remedies or "litigation" in lowered)):
            errors.setdefault("remedies", []).append(
                _("The remedies must name both administrative reconsideration (复议) and litigation (诉讼).")
            )
    return remedies


def running_procedure(case: Case) -> SpecialProcedurePause | None:
    return SpecialProcedurePause.objects.filter(case=case, end__isnull=True).first()


# --- the decision and special procedures (a case command, or a department task) -----------------


def apply_decision(
    case: Case, officer, *, approve: bool, reasons: str = "", remedies: str = "", conditions: str = "",
    details: dict | None = None,
) -> Case:
    """准予 / 不予行政许可决定 (Art. 38) on a locked, permission-checked case (``decide``, or the join
    of a joint item's department tasks); a refusal needs reasons and remedies. ``details`` are
    added to the log row."""
    method = "approve" if approve else "refuse"
    require(case, method, "decide")
    errors: dict[str, list[str]] = {}
    if approve:
        pledge = pledge_of(case)
        if pledge is not None and pledge.fulfilled_at is None:
            errors["pledge"] = [_("The pledged materials have not been supplied yet.")]
    else:
        reasons = required_text(reasons, "reasons", errors, _("A refusal states its reasons."))
        remedies = check_remedies(remedies, errors)
    if running_procedure(case) is not None:
        errors["special_procedure"] = [_("End the running special procedure first.")]
    raise_errors(errors)
    before = fire(case, method)
    case.decision = Case.Decision.APPROVED if approve else Case.Decision.REFUSED
    case.decided_at = clock.now()
    case.decided_on = clock.today()
    case.reasons, case.remedies, case.conditions = (reasons or "").strip(), (remedies or "").strip(), conditions
    clock.refresh(case)
    case.save()
    log_details = {"approve": bool(approve), "decided_on": case.decided_on.isoformat(), **(details or {})}
    if case.decision_due_statutory and case.decided_on > case.decision_due_statutory:
        log_details["violation"] = "decided_after_statutory_due"
    log(case, before, "decide", officer, reason=case.reasons, details=log_details)
    return case


def begin_special_procedure(
    case: Case, officer, *, kind: str, start: date, expected_days: int, reason: str
) -> SpecialProcedurePause:
    """Art. 45: a procedure the item declares, on a locked, permission-checked case; its working
    days do not count (the decision dues move)."""
    require(case, "start_special_procedure")
    errors: dict[str, list[str]] = {}
    declared = case.item_version.special_procedures.filter(kind=kind).first()
    if declared is None:
        errors["kind"] = [_("This item does not provide for this special procedure.")]
    elif not isinstance(expected_days, int) or not 1 <= expected_days <= declared.max_working_days:
        errors["expected_days"] = [
            _("Expected duration: 1 to %(max)s working days.") % {"max": declared.max_working_days}
        ]
    reason = required_text(reason, "reason", errors, _("Tell the applicant what is happening."))
    if not isinstance(start, date) or start < case.accepted_on or start > clock.today():
        errors["start"] = [_("The start date must lie between acceptance and today.")]
    if running_procedure(case) is not None:
        errors["kind"] = [_("A special procedure is already running; end it first.")]
    raise_errors(errors)
    pause = SpecialProcedurePause.objects.create(
        case=case, kind=kind, start=start, expected_days=expected_days, reason=reason, started_by=officer,
        pauses_clock=not declared.counted_in_limit,
    )
    before = fire(case, "start_special_procedure")
    clock.refresh(case)
    case.save()
    log(
        case, before, "start_special_procedure", officer, reason=reason,
        details={
            "pause_id": pause.pk, "kind": kind, "start": start.isoformat(), "expected_days": expected_days,
            "expected_end": clock.expected_pause_end(start, expected_days).isoformat(),
            "decision_due_statutory": case.decision_due_statutory.isoformat(),
        },
    )
    return pause


def finish_special_procedure(case: Case, officer, *, end: date, pause: SpecialProcedurePause | None = None):
    """The running special procedure ends on ``end`` (inclusive) and the dues are recomputed, on a
    locked, permission-checked case; ``pause`` defaults to the running one (a task passes its own)."""
    require(case, "end_special_procedure")
    if pause is None or pause.end is not None:
        pause = running_procedure(case)
    if pause is None:
        raise conflict(case, "end_special_procedure", _("No special procedure is running."))
    if not isinstance(end, date) or end < pause.start or end > clock.today():
        raise ValidationError({"end": _("The end date must lie between the start and today.")})
    pause.end = end
    pause.save(update_fields=["end"])
    before = fire(case, "end_special_procedure")
    clock.refresh(case)
    case.save()
    log(
        case, before, "end_special_procedure", officer,
        details={
            "pause_id": pause.pk, "kind": pause.kind, "start": pause.start.isoformat(), "end": end.isoformat(),
            "working_days": clock.pause_working_days(pause.start, end) if pause.pauses_clock else 0,
            "decision_due_statutory": case.decision_due_statutory.isoformat(),
        },
    )
    return pause


def extension_refusal_code(case: Case) -> ValidationError | None:
    """Why the one extension (Art. 42) cannot be requested now, as the coded error the service raises."""
    version = case.item_version
    if not version.extension_allowed:
        return ValidationError(coded({"days": _("This item allows no extension.")}, "no_extension"))
    if Extension.objects.filter(case=case).exists():
        return ValidationError(coded({"days": _("The time limit can be extended only once.")}, "second_extension"))
    if case.decision_due_statutory and clock.today() > case.decision_due_statutory:
        return ValidationError(
            coded({"days": _("An extension must be decided before the due date %(due)s.")
                   % {"due": case.decision_due_statutory.isoformat()}}, "too_late")
        )
    return None


# --- preconditions of the command table ------------------------------------------------------------


def _first_message(error: ValidationError) -> str:
    return next(iter(error.messages), "")


def upload_refusal(case: Case, user) -> str | None:
    try:
        uploadable_materials(case)
    except Conflict as exc:
        return str(exc)
    return None


def correction_refusal(case: Case, user) -> str | None:
    if CorrectionNotice.objects.filter(case=case, round=case.round).exists():
        return _("A correction notice was already sent at this intake; a second one is not allowed.")
    return None


def pledge_refusal(case: Case, user) -> str | None:
    if not pledge_offered(case):
        return _("Acceptance with pledge is not offered to applicants with a bad-credit flag.")
    if not any(r.necessity == MaterialRequirement.Necessity.PLEDGEABLE for r in case.item_version.materials.all()):
        return _("This item has no pledgeable material.")
    return None


def procedure_refusal(case: Case, user) -> str | None:
    if not case.item_version.special_procedures.exists():
        return _("This item does not provide for a special procedure.")
    if running_procedure(case) is not None:
        return _("A special procedure is already running; end it first.")
    return None


def no_running_procedure(case: Case, user) -> str | None:
    return None if running_procedure(case) is not None else _("No special procedure is running.")


def extension_refusal(case: Case, user) -> str | None:
    error = extension_refusal_code(case)
    return _first_message(error) if error else None


def no_pending_extension(case: Case, user) -> str | None:
    extension = Extension.objects.filter(case=case).first()
    if extension is None:
        return _("No extension was requested.")
    if extension.approved_on is not None:
        return _("The extension is already approved.")
    return None


def review_missing(case: Case, officer) -> str | None:
    """Two-level approval (审查, then 审批 by another officer) of a single-department case: the
    decision needs a review opinion given by someone other than the signer."""
    version = case.item_version
    if version.is_joint or not version.two_level_approval:
        return None
    if CaseOpinion.objects.filter(case=case, stage=CaseOpinion.Stage.REVIEW).exclude(officer=officer).exists():
        return None
    return _("Two-level approval: the decision is signed after another officer's review opinion.")


def case_decision_refusal(case: Case, user) -> str | None:
    """A joint item is decided through its department tasks (the lead's task under 'lead decides');
    under two-level approval a single-department case waits for another officer's review opinion."""
    if case.item_version.is_joint:
        return _("This joint case is decided through the departments' tasks.")
    return review_missing(case, user)


def review_opinion_refusal(case: Case, user) -> str | None:
    if case.item_version.is_joint:
        return _("On a joint item each department gives its opinion on its task.")
    if case.state != State.IN_REVIEW:
        return _("The case is %(state)s; a review opinion is given during the review.") % {
            "state": case.get_state_display()
        }
    return None


def claim_refusal(case: Case, user) -> str | None:
    if case.item_version.is_joint:
        return _("A joint item is assigned through its department tasks, not as a whole case.")
    if case.state not in ASSIGNABLE_STATES:
        return _("The case is %(state)s; it cannot be claimed now.") % {"state": case.get_state_display()}
    if case.assignee_id == user.pk:
        return _("You already hold this case.")
    if case.assignee_id is not None:
        return _("Another officer already holds this case.")
    return None


def reassign_refusal(case: Case, user) -> str | None:
    if case.item_version.is_joint:
        return _("A joint item is assigned through its department tasks, not as a whole case.")
    if case.state not in ASSIGNABLE_STATES:
        return _("The case is %(state)s; it cannot be reassigned now.") % {"state": case.get_state_display()}
    return None
