"""Ratings (好差评) and rectification tickets (domain.md section 6).

- ``rate``: the applicant rates a case once, after delivery (or after a refusal / non-acceptance),
  five levels and an optional comment. "Dissatisfied" and "very dissatisfied" are bad ratings:
  they open a ``RectificationTicket`` (call back within 1 working day, rectify within 15) and the
  department's handling officers are told.
- ``call_back`` → ``rectify`` → ``follow_up`` (the applicant's one follow-up rating closes it).
- ``appeal``: the department says a rating is malicious; ``rule_appeal``: the supervision office
  rules; upheld, the rating no longer counts and its ticket is void.

Overdue call-backs and rectifications are raised as yellow cards by the sweep.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import OfficerMembership
from approvals.cases import clock
from approvals.cases.exceptions import Conflict
from approvals.cases.permissions import can_see, is_party
from approvals.models import Case, State

from .cards import department_ids, is_supervisor
from .models import Rating, RectificationTicket

RATABLE_STATES = (State.DELIVERED, State.CLOSED, State.REFUSED, State.NOT_ACCEPTED)
T = RectificationTicket.State
HANDLING_JOBS = (OfficerMembership.Job.REVIEWER, OfficerMembership.Job.APPROVER, OfficerMembership.Job.DEPARTMENT_HEAD)


def visible_ratings(user) -> QuerySet[Rating]:
    if not user or not user.is_authenticated:
        return Rating.objects.none()
    if is_supervisor(user):
        return Rating.objects.all()
    return Rating.objects.filter(Q(rater=user) | Q(department_id__in=department_ids(user)))


def visible_tickets(user) -> QuerySet[RectificationTicket]:
    if not user or not user.is_authenticated:
        return RectificationTicket.objects.none()
    if is_supervisor(user):
        return RectificationTicket.objects.all()
    return RectificationTicket.objects.filter(Q(rating__rater=user) | Q(department_id__in=department_ids(user)))


def _level(level, errors: dict, field: str = "level") -> int | None:
    """An int 1..5 (or its digit string); anything else is an error."""
    if isinstance(level, bool):
        level = None
    if isinstance(level, str) and level.strip().isdigit():
        level = int(level.strip())
    if not isinstance(level, int) or not 1 <= level <= 5:
        errors[field] = [_("Choose a level from 1 (very dissatisfied) to 5 (very satisfied).")]
        return None
    return level


def rate(case_id: int, *, user, level, comment: str = "") -> Rating:
    """One rating per case, by the applicant, once the case is delivered (or refused)."""
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("item_version").filter(pk=case_id).first()
        if case is None or not can_see(user, case):
            raise Http404(_("No such case."))
        if not is_party(user, case):
            raise PermissionDenied(_("Only the applicant rates a case."))
        if case.state not in RATABLE_STATES:
            raise Conflict(
                _("The case can be rated once it is delivered."), state=case.state, command="rate"
            )
        errors: dict[str, list[str]] = {}
        value = _level(level, errors)
        if errors:
            raise ValidationError(errors)
        if Rating.objects.filter(case=case).exists():
            raise ValidationError({"case": ValidationError(_("This case has already been rated."), code="already_rated")})
        now = clock.now()
        today = clock.local_date(now)
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    case=case, department_id=case.item_version.department_id, rater=user, level=value,
                    comment=(comment or "").strip(), rated_at=now, rated_on=today,
                )
        except IntegrityError:
            raise ValidationError(
                {"case": ValidationError(_("This case has already been rated."), code="already_rated")}
            ) from None
        if rating.is_bad:
            _open_ticket(rating, case, today)
    return rating


def _open_ticket(rating: Rating, case: Case, today) -> RectificationTicket:
    from approvals.notifications.services import notify

    callback_due, fix_due = clock.rectification_dues(today)
    ticket = RectificationTicket.objects.create(
        rating=rating, case=case, department_id=rating.department_id, opened_on=today,
        callback_due=callback_due, fix_due=fix_due,
    )
    officers = set(
        OfficerMembership.objects.filter(department_id=rating.department_id, job__in=HANDLING_JOBS).values_list(
            "user_id", flat=True
        )
    )
    if officers:
        notify(
            officers, "bad_rating",
            {"case_no": case.case_no, "item_name": case.item_version.name,
             "level": str(Rating.Level(rating.level).label), "callback_due": ticket.callback_due},
            dedup_key=f"rating:{rating.pk}:ticket",
        )
    return ticket


def _lock_ticket(ticket_id: int, user) -> RectificationTicket:
    ticket = visible_tickets(user).select_for_update(of=("self",)).filter(pk=ticket_id).first()
    if ticket is None:
        raise Http404(_("No such ticket."))
    return ticket


def _ensure_department(user, department_id: int) -> None:
    if not (is_supervisor(user) or department_id in department_ids(user)):
        raise PermissionDenied(_("Only the department concerned may do this."))


def _ticket_state(ticket: RectificationTicket, allowed: tuple, command: str) -> None:
    if ticket.state not in allowed:
        raise Conflict(
            _("The ticket is %(state)s; %(command)s is not possible now.")
            % {"state": ticket.get_state_display(), "command": command},
            state=ticket.state, command=command,
        )


def _note(note: str, field: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({field: _("Write what was done.")})
    return note


def call_back(ticket_id: int, *, officer, note: str) -> RectificationTicket:
    with transaction.atomic():
        ticket = _lock_ticket(ticket_id, officer)
        _ensure_department(officer, ticket.department_id)
        _ticket_state(ticket, (T.OPEN,), "call_back")
        ticket.callback_note = _note(note, "note")
        ticket.called_back_at, ticket.called_back_by, ticket.state = clock.now(), officer, T.CALLED_BACK
        ticket.save()
    return ticket


def rectify(ticket_id: int, *, officer, note: str) -> RectificationTicket:
    with transaction.atomic():
        ticket = _lock_ticket(ticket_id, officer)
        _ensure_department(officer, ticket.department_id)
        _ticket_state(ticket, (T.CALLED_BACK,), "rectify")
        ticket.fix_note = _note(note, "note")
        ticket.fixed_at, ticket.fixed_by, ticket.state = clock.now(), officer, T.FIXED
        ticket.save()
    return ticket


def follow_up(ticket_id: int, *, user, level, comment: str = "") -> RectificationTicket:
    """The applicant's one follow-up rating after the rectification; it closes the ticket."""
    with transaction.atomic():
        ticket = _lock_ticket(ticket_id, user)
        if ticket.rating.rater_id != user.pk:
            raise PermissionDenied(_("Only the applicant who rated gives the follow-up rating."))
        _ticket_state(ticket, (T.FIXED,), "follow_up")
        errors: dict[str, list[str]] = {}
        value = _level(level, errors)
        if errors:
            raise ValidationError(errors)
        ticket.follow_up_level, ticket.follow_up_comment = value, (comment or "").strip()
        ticket.follow_up_at, ticket.state = clock.now(), T.CLOSED
        ticket.save()
    return ticket


def _lock_rating(rating_id: int, user) -> Rating:
    rating = visible_ratings(user).select_for_update(of=("self",)).filter(pk=rating_id).first()
    if rating is None:
        raise Http404(_("No such rating."))
    return rating


def appeal(rating_id: int, *, officer, reason: str) -> Rating:
    """The department appeals a bad rating as malicious (once)."""
    with transaction.atomic():
        rating = _lock_rating(rating_id, officer)
        if rating.department_id not in department_ids(officer):
            raise PermissionDenied(_("Only the department concerned may appeal."))
        if not rating.is_bad:
            raise ValidationError({"rating": _("Only a bad rating can be appealed.")})
        if rating.appeal:
            raise ValidationError({"rating": ValidationError(_("This rating was already appealed."), code="appealed")})
        reason = (reason or "").strip()
        if len(reason) < 10:
            raise ValidationError({"reason": _("Explain why the rating is malicious (at least 10 characters).")})
        rating.appeal, rating.appeal_reason = Rating.Appeal.PENDING, reason
        rating.appealed_by, rating.appealed_at = officer, clock.now()
        rating.save()
    return rating


def rule_appeal(rating_id: int, *, supervisor, malicious: bool, ruling: str) -> Rating:
    """The supervision office's ruling; a malicious rating stops counting and voids its ticket."""
    with transaction.atomic():
        rating = _lock_rating(rating_id, supervisor)
        if not is_supervisor(supervisor):
            raise PermissionDenied(_("Only the supervision office rules on appeals."))
        if rating.appeal != Rating.Appeal.PENDING:
            raise Conflict(_("There is no pending appeal."), state=rating.appeal or "none", command="rule_appeal")
        ruling = (ruling or "").strip()
        if not ruling:
            raise ValidationError({"ruling": _("Give the reasons of the ruling.")})
        rating.appeal = Rating.Appeal.UPHELD if malicious else Rating.Appeal.REJECTED
        rating.ruling, rating.ruled_by, rating.ruled_at = ruling, supervisor, clock.now()
        rating.save()
        if malicious:
            RectificationTicket.objects.filter(rating=rating).exclude(state=T.CLOSED).update(state=T.VOID)
    return rating
