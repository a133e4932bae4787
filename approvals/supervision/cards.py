"""Card commands (domain.md section 6) and who may see them.

Cards are raised only by the sweep (``sweep.run_sweep``). Afterwards exactly two writes are
possible, each once: the department's written explanation (``resolve``) and a supervisor's
sign-off (``sign_off``, by someone other than the person who explained). Nothing is ever deleted.

Also here: the two facts the sweep's rules need that the case engine does not record — a fee
charged on a case (``record_fee``) and the reason an online item was handled at the window
(``record_offline_reason``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import OfficerMembership
from approvals.cases import clock
from approvals.cases.commands import DEPARTMENT_JOBS
from approvals.cases.permissions import can_see
from approvals.models import Case

from .models import Card, FeeCharge, OfflineHandlingReason

Job = OfficerMembership.Job


# --- access --------------------------------------------------------------------------------------


def _jobs(user) -> list[tuple[int, str]]:
    cached = getattr(user, "_supervision_jobs", None)
    if cached is None:
        cached = list(OfficerMembership.objects.filter(user=user).values_list("department_id", "job"))
        user._supervision_jobs = cached
    return cached


def is_supervisor(user) -> bool:
    """A member of the supervision office (or a superuser)."""
    if not user or not user.is_authenticated:
        return False
    return user.is_superuser or any(job == Job.SUPERVISOR for _d, job in _jobs(user))


def department_ids(user, jobs=DEPARTMENT_JOBS) -> set[int]:
    return {d for d, job in _jobs(user) if job in jobs}


def head_department_ids(user) -> set[int]:
    return department_ids(user, (Job.DEPARTMENT_HEAD,))


def visible_cards(user) -> QuerySet[Card]:
    """Supervisors see every card; department officers the cards of their departments."""
    if is_supervisor(user):
        return Card.objects.all()
    if not user or not user.is_authenticated:
        return Card.objects.none()
    return Card.objects.filter(department_id__in=department_ids(user))


def _lock_card(card_id: int, user) -> Card:
    card = visible_cards(user).select_for_update(of=("self",)).filter(pk=card_id).first()
    if card is None:
        raise Http404(_("No such card."))
    return card


# --- commands ------------------------------------------------------------------------------------


def resolve(card_id: int, *, user, explanation: str) -> Card:
    """Write the explanation of a card (once): an officer of its department or a supervisor."""
    with transaction.atomic():
        card = _lock_card(card_id, user)
        if not (is_supervisor(user) or card.department_id in department_ids(user)):
            raise PermissionDenied(_("You may not explain this card."))
        if card.resolved_at is not None:
            raise ValidationError({"explanation": ValidationError(_("This card is already explained."), code="resolved")})
        explanation = (explanation or "").strip()
        if len(explanation) < 10:
            raise ValidationError({"explanation": _("Explain in writing what happened and what was done (at least 10 characters).")})
        card.resolution, card.resolved_by, card.resolved_at = explanation, user, clock.now()
        card.save(update_fields=["resolution", "resolved_by", "resolved_at"])
    return card


def sign_off(card_id: int, *, supervisor) -> Card:
    """A supervisor signs off an explained card (once; not the person who explained it)."""
    with transaction.atomic():
        card = _lock_card(card_id, supervisor)
        if not is_supervisor(supervisor):
            raise PermissionDenied(_("Only the supervision office signs off cards."))
        if card.resolved_at is None:
            raise ValidationError({"card": ValidationError(_("The card has no written explanation yet."), code="unresolved")})
        if card.signed_off_at is not None:
            raise ValidationError({"card": ValidationError(_("This card is already signed off."), code="signed_off")})
        if card.resolved_by_id == supervisor.pk:
            raise ValidationError(
                {"card": ValidationError(_("The sign-off must come from someone other than the author of the explanation."), code="same_person")}
            )
        card.signed_off_by, card.signed_off_at = supervisor, clock.now()
        card.save(update_fields=["signed_off_by", "signed_off_at"])
    return card


def _officer_case(case_id: int, user) -> Case:
    case = Case.objects.select_related("item_version").filter(pk=case_id).first()
    if case is None or not can_see(user, case):
        raise Http404(_("No such case."))
    jobs = _jobs(user)
    if not (
        user.is_superuser
        or any(job == Job.FRONT_DESK for _d, job in jobs)
        or case.item_version.department_id in department_ids(user)
    ):
        raise PermissionDenied(_("Only the front desk or the item's department records this."))
    return case


def record_fee(case_id: int, *, officer, amount, basis: str = "", charged_on=None) -> FeeCharge:
    """Record a fee charged on a case. A fee on an item that charges none is raised as a red card
    by the next sweep (rule ``illegal_fee``): the record is kept either way."""
    with transaction.atomic():
        case = _officer_case(case_id, officer)
        try:
            value = Decimal(str(amount))
        except (InvalidOperation, ValueError):
            value = None
        if value is None or not value.is_finite() or value <= 0:
            raise ValidationError({"amount": _("Enter a positive amount in yuan.")})
        return FeeCharge.objects.create(
            case=case, amount=value, basis=(basis or "").strip()[:300], charged_on=charged_on or clock.today(),
            recorded_by=officer, recorded_at=clock.now(),
        )


def record_offline_reason(case_id: int, *, officer, reason: str) -> OfflineHandlingReason:
    """Why a case of an online item is handled at the window (must be recorded before intake ends)."""
    with transaction.atomic():
        case = _officer_case(case_id, officer)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("State why the case is handled at the window.")})
        if case.channel != Case.Channel.WINDOW:
            raise ValidationError({"reason": _("The case was filed online; no reason is needed.")})
        if OfflineHandlingReason.objects.filter(case=case).exists():
            raise ValidationError({"reason": _("A reason is already recorded for this case.")})
        return OfflineHandlingReason.objects.create(
            case=case, reason=reason, recorded_by=officer, recorded_at=clock.now()
        )
