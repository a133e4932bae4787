"""Review by the item's department: taking the case into review, special procedures (Art. 45), the one
extension (Art. 42)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import clock
from ..exceptions import coded
from ..kernel import CaseRef, conflict, fire, lock_case, log, raise_errors, require, required_text
from ..models import Case, CaseOpinion, Extension, State
from ..permissions import ensure_can
from ..rules import (
    begin_special_procedure,
    extension_refusal_code,
    finish_special_procedure,
    review_opinion_refusal,
)


def start_review(case_id: CaseRef, *, officer) -> Case:
    """Accepted (with or without pledge) → in review. Not automatic: the department takes the case."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(officer, "start_review", case)
        require(case, "start_review")
        before = fire(case, "start_review")
        case.save()
        log(case, before, "start_review", officer)
    return case


def start_special_procedure(
    case_id: CaseRef, *, officer, kind: str, start: date, expected_days: int, reason: str
) -> Case:
    """Art. 45: a procedure the item declares; its working days do not count (decision dues move)."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(officer, "start_special_procedure", case)
        begin_special_procedure(case, officer, kind=kind, start=start, expected_days=expected_days, reason=reason)
    return case


def end_special_procedure(case_id: CaseRef, *, officer, end: date) -> Case:
    """The running special procedure ends on ``end`` (inclusive); the dues are recomputed."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(officer, "end_special_procedure", case)
        finish_special_procedure(case, officer, end=end)
    return case


def request_extension(case_id: CaseRef, *, officer, days: int, reason: str) -> Case:
    """Ask for the one extension (Art. 42), before the original statutory due date."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(officer, "request_extension", case)
        require(case, "request_extension")
        version = case.item_version
        errors: dict[str, list[str]] = {}
        if (refusal := extension_refusal_code(case)) is not None:
            raise refusal
        if not isinstance(days, int) or not 1 <= days <= version.extension_days:
            errors["days"] = [_("An extension of 1 to %(max)s working days.") % {"max": version.extension_days}]
        reason = required_text(reason, "reason", errors, _("Give the reasons for the extension."))
        raise_errors(errors)
        Extension.objects.create(case=case, days=days, reason=reason, requested_by=officer, requested_on=clock.today())
        before = fire(case, "request_extension")
        case.save()
        log(case, before, "request_extension", officer, reason=reason, details={"days": days})
    return case


def approve_extension(case_id: CaseRef, *, head, note: str = "") -> Case:
    """The department head approves the pending extension, before the original due date."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(head, "approve_extension", case)
        require(case, "approve_extension")
        extension = Extension.objects.filter(case=case).first()
        if extension is None:
            raise ValidationError(coded({"extension": _("No extension was requested.")}, "no_request"))
        if extension.approved_on is not None:
            raise ValidationError(coded({"extension": _("The extension is already approved.")}, "already_approved"))
        if clock.today() > case.decision_due_statutory:
            raise ValidationError(
                coded({"extension": _("Too late: the original due date %(due)s has passed.")
                 % {"due": case.decision_due_statutory.isoformat()}}, "too_late")
            )
        old_due = case.decision_due_statutory
        extension.approved_by, extension.approved_on, extension.note = head, clock.today(), note
        extension.save(update_fields=["approved_by", "approved_on", "note"])
        before = fire(case, "approve_extension")
        clock.refresh(case)
        case.save()
        log(
            case, before, "approve_extension", head, reason=extension.reason,
            details={"days": extension.days, "old_due": old_due.isoformat(), "new_due": case.decision_due_statutory.isoformat()},
        )
    return case


def give_review_opinion(case_id: CaseRef, *, officer, proposal: bool, opinion: str) -> Case:
    """审查意见 on a single-department case in review: the outcome the reviewer proposes and why,
    for the officer who signs (under two-level approval the decision waits for it)."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(officer, "give_review_opinion", case)
        if case.item_version.is_joint or case.state != State.IN_REVIEW:
            raise conflict(case, "give_review_opinion", review_opinion_refusal(case, officer))
        errors: dict[str, list[str]] = {}
        opinion = required_text(opinion, "opinion", errors, _("Write the review opinion."))
        raise_errors(errors)
        CaseOpinion.objects.create(
            case=case, stage=CaseOpinion.Stage.REVIEW, officer=officer, opinion=opinion, at=clock.now(),
            proposal=Case.Decision.APPROVED if proposal else Case.Decision.REFUSED,
        )
    return case
