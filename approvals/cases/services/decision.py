"""The decision (Art. 38) and what follows it: the licence (Art. 44), its delivery, closing; termination."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from approvals.parallel import services as parallel

from .. import clock
from ..exceptions import coded
from ..kernel import CaseRef, fire, lock_case, log, raise_errors, require, required_text
from ..models import Case, CaseOpinion
from ..permissions import ensure_can
from ..rules import apply_decision, review_missing


def decide(
    case_id: CaseRef, *, officer, approve: bool, reasons: str = "", remedies: str = "", conditions: str = "",
    opinion: str = "",
) -> Case:
    """准予 / 不予行政许可决定 (Art. 38). A refusal needs reasons and remedies.

    Joint items are decided through the join of the department tasks (``approvals.parallel``):
    under ``lead_decides`` this is the lead department's decision on its task; under the other
    policies the join decides and this command is refused (``Conflict``)."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(officer, "decide", case)
        if case.item_version.is_joint:
            return parallel.decide_joint_case(
                case, officer, approve=approve, reasons=reasons, remedies=remedies, conditions=conditions
            )
        if (missing_review := review_missing(case, officer)) is not None:
            raise ValidationError(coded({"opinion": missing_review}, "review_missing"))
        apply_decision(case, officer, approve=approve, reasons=reasons, remedies=remedies, conditions=conditions)
        # The signer's 审批意见 closes the opinion chain (their own words, or what the decision states).
        CaseOpinion.objects.create(
            case=case, stage=CaseOpinion.Stage.APPROVAL, officer=officer, proposal=case.decision, at=case.decided_at,
            opinion=(opinion or "").strip() or (case.conditions if approve else case.reasons) or str(_("Approved.")),
        )
    return case


def issue_licence(case_id: CaseRef, *, officer, licence_no: str = "") -> Case:
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(officer, "issue_licence", case)
        require(case, "issue_licence")
        before = fire(case, "issue_licence")
        case.licence_no = (licence_no or "").strip() or f"XK{case.case_no}"
        case.issued_at = clock.now()
        case.save()
        log_details = {"licence_no": case.licence_no}
        if case.licence_issue_due and clock.today() > case.licence_issue_due:
            # Art. 44: the licence is issued within 10 working days of the decision; a later issue
            # is still made, and flagged for supervision like a late decision.
            log_details["violation"] = "licence_issued_after_due"
        log(case, before, "issue_licence", officer, details=log_details)
    return case


def deliver(case_id: CaseRef, *, officer, method: str, tracking_no: str = "") -> Case:
    """Hand over the licence: at the window, by post (tracking number required) or electronically."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(officer, "deliver", case)
        require(case, "deliver")
        tracking_no = (tracking_no or "").strip()
        if method not in Case.DeliveryMethod.values:
            raise ValidationError({"method": _("Choose window, post or electronic.")})
        if method == Case.DeliveryMethod.POST and not tracking_no:
            raise ValidationError({"tracking_no": _("A postal delivery needs its tracking number.")})
        before = fire(case, "deliver")
        case.delivery_method, case.tracking_no, case.delivered_at = method, tracking_no, clock.now()
        case.save()
        log(case, before, "deliver", officer, details={"method": method, "tracking_no": tracking_no})
    return case


def close(case_id: CaseRef, *, officer) -> Case:
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(officer, "close", case)
        require(case, "close")
        before = fire(case, "close")
        case.closed_at = clock.now()
        case.save()
        log(case, before, "close", officer)
    return case


def terminate(case_id: CaseRef, *, officer, legal_reason: str) -> Case:
    """终止审查 for a stated legal reason."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(officer, "terminate", case)
        require(case, "terminate")
        errors: dict[str, list[str]] = {}
        legal_reason = required_text(legal_reason, "legal_reason", errors, _("State the legal reason."))
        raise_errors(errors)
        before = fire(case, "terminate")
        case.closed_at = clock.now()
        case.save()
        log(case, before, "terminate", officer, reason=legal_reason)
        parallel.cancel_open_tasks([case.pk], actor=officer, reason="terminate")
    return case
