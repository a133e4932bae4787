"""Complaint commands (投诉, domain.md section 6). The states are in ``models.Complaint``.

- ``submit``: an applicant (about their case) or a member of the public (about a case, with its
  verification code, or about a department); anonymous complaints are allowed, real-name ones
  give a name and a way to answer.
- ``decide_intake``: the supervision office takes it up or declines it, with reasons, within 5
  working days of receipt (``intake_due``); taking it up starts the reply limit
  (``COMPLAINT_REPLY_LIMIT_DAYS``, default 15 working days, ``reply_due``).
- ``assign``, ``add_note`` (investigation notes, append-only), ``reply`` (required before a
  real-name complaint is closed), ``close``.

Overdue intake decisions and replies are raised as yellow cards by the sweep.
"""

from __future__ import annotations

from uuid import uuid4

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import OfficerMembership
from approvals.cases import clock
from approvals.cases.exceptions import Conflict
from approvals.cases.permissions import is_party
from approvals.items.models import Department
from approvals.models import Case, State

from . import calendar
from .cards import department_ids, is_supervisor
from .models import Complaint, ComplaintNote

S = Complaint.State


def visible_complaints(user) -> QuerySet[Complaint]:
    """Supervisors: all; department officers: their departments'; complainants: their own."""
    if not user or not user.is_authenticated:
        return Complaint.objects.none()
    if is_supervisor(user):
        return Complaint.objects.all()
    return Complaint.objects.filter(
        Q(complainant=user) | Q(department_id__in=department_ids(user)) | Q(assigned_to=user)
    )


def _required(value: str, field: str, errors: dict, message: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(message)
    elif max_length and len(value) > max_length:
        errors.setdefault(field, []).append(_("At most %(n)s characters.") % {"n": max_length})
    return value


def submit(
    *,
    user=None,
    subject: str,
    description: str,
    case_no: str = "",
    verification_code: str = "",
    department_id: int | None = None,
    real_name: bool = False,
    complainant_name: str = "",
    contact_phone: str = "",
) -> Complaint:
    """File a complaint about a case (``case_no``) or a department (``department_id``)."""
    from accounts.identity import validate_mobile

    errors: dict[str, list[str]] = {}
    subject = _required(subject, "subject", errors, _("Give the complaint a subject."), 200)
    description = _required(description, "description", errors, _("Describe what happened."))
    user = user if user is not None and user.is_authenticated else None
    case = None
    source = Complaint.Source.PUBLIC
    if case_no:
        case = Case.objects.select_related("item_version").filter(case_no=case_no.strip()).first()
        party = case is not None and user is not None and is_party(user, case)
        if case is None or case.state == State.DRAFT or not (
            party or (verification_code and verification_code.strip().upper() == case.verification_code)
        ):
            errors["case_no"] = [_("No case with this number and verification code.")]
            case = None
        elif party:
            source = Complaint.Source.APPLICANT
    department = None
    if case is not None:
        department = case.item_version.department
    elif department_id:
        department = Department.objects.filter(pk=department_id).first()
        if department is None:
            errors["department_id"] = [_("Unknown department.")]
    elif not case_no:
        errors["department_id"] = [_("Name the case or the department the complaint is about.")]
    complainant_name = (complainant_name or "").strip()[:50]
    contact_phone = (contact_phone or "").strip()
    if real_name:
        if not complainant_name:
            errors["complainant_name"] = [_("A real-name complaint gives the complainant's name.")]
        if user is None and not contact_phone:
            errors["contact_phone"] = [_("Give a mobile phone number for the reply.")]
    if contact_phone:
        try:
            validate_mobile(contact_phone)
        except ValidationError as exc:
            errors["contact_phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    today = clock.local_date(now)
    try:
        intake_due = clock.complaint_intake_due(today)
    except calendar.CalendarNotConfirmed as exc:
        raise ValidationError({"calendar": ValidationError(exc.message, code="calendar_not_confirmed")}) from exc
    with transaction.atomic():
        complaint = Complaint.objects.create(
            number=f"tmp-{uuid4().hex[:20]}",
            source=source, complainant=user, real_name=bool(real_name), complainant_name=complainant_name,
            contact_phone=contact_phone, case=case, department=department, subject=subject,
            description=description, received_at=now, received_on=today, intake_due=intake_due,
        )
        complaint.number = f"TS{today:%Y%m%d}{complaint.pk:08d}"
        Complaint.objects.filter(pk=complaint.pk).update(number=complaint.number)
    return complaint


def _lock(complaint_id: int, user) -> Complaint:
    complaint = visible_complaints(user).select_for_update(of=("self",)).filter(pk=complaint_id).first()
    if complaint is None:
        raise Http404(_("No such complaint."))
    return complaint


def _state(complaint: Complaint, allowed: tuple, command: str) -> None:
    if complaint.state not in allowed:
        raise Conflict(
            _("The complaint is %(state)s; %(command)s is not possible now.")
            % {"state": complaint.get_state_display(), "command": command},
            state=complaint.state, command=command,
        )


def _ensure_supervisor(user) -> None:
    if not is_supervisor(user):
        raise PermissionDenied(_("Only the supervision office may do this."))


def _ensure_handler(user, complaint: Complaint) -> None:
    if not (is_supervisor(user) or complaint.assigned_to_id == user.pk):
        raise PermissionDenied(_("Only the supervision office or the assigned officer may do this."))


def decide_intake(complaint_id: int, *, supervisor, take_up: bool, reason: str = "") -> Complaint:
    """Take the complaint up (the reply limit starts) or decline it with written reasons."""
    with transaction.atomic():
        complaint = _lock(complaint_id, supervisor)
        _ensure_supervisor(supervisor)
        _state(complaint, (S.RECEIVED,), "decide_intake")
        reason = (reason or "").strip()
        if not take_up and not reason:
            raise ValidationError({"reason": _("State why the complaint is not taken up.")})
        today = clock.today()
        complaint.intake_decided_at, complaint.intake_decided_by = clock.now(), supervisor
        complaint.intake_reason = reason
        if take_up:
            complaint.state = S.TAKEN_UP
            complaint.reply_due = clock.complaint_reply_due(today)
        else:
            complaint.state = S.DECLINED
        complaint.save()
    return complaint


def assign(complaint_id: int, *, supervisor, to) -> Complaint:
    """Give the investigation to a supervisor or an officer of the department complained about."""
    with transaction.atomic():
        complaint = _lock(complaint_id, supervisor)
        _ensure_supervisor(supervisor)
        _state(complaint, (S.TAKEN_UP,), "assign")
        jobs = OfficerMembership.objects.filter(user=to)
        if not jobs.filter(Q(job=OfficerMembership.Job.SUPERVISOR) | Q(department=complaint.department_id)).exists():
            raise ValidationError({"assigned_to": _("Assign a supervisor or an officer of the department concerned.")})
        complaint.assigned_to, complaint.assigned_at = to, clock.now()
        complaint.save(update_fields=["assigned_to", "assigned_at"])
    return complaint


def add_note(complaint_id: int, *, user, text: str) -> ComplaintNote:
    with transaction.atomic():
        complaint = _lock(complaint_id, user)
        _ensure_handler(user, complaint)
        _state(complaint, (S.TAKEN_UP,), "add_note")
        text = (text or "").strip()
        if not text:
            raise ValidationError({"text": _("Write the note.")})
        return ComplaintNote.objects.create(complaint=complaint, author=user, at=clock.now(), text=text)


def reply(complaint_id: int, *, user, text: str) -> Complaint:
    """The written reply to the complainant (required for real-name complaints)."""
    with transaction.atomic():
        complaint = _lock(complaint_id, user)
        _ensure_handler(user, complaint)
        _state(complaint, (S.TAKEN_UP,), "reply")
        text = (text or "").strip()
        if len(text) < 10:
            raise ValidationError({"reply": _("Write the reply (at least 10 characters).")})
        complaint.reply, complaint.replied_at, complaint.replied_by = text, clock.now(), user
        complaint.state = S.REPLIED
        complaint.save()
        if complaint.complainant_id:
            from approvals.notifications.services import notify

            notify(
                [complaint.complainant_id], "complaint_replied",
                {"number": complaint.number, "subject": complaint.subject},
                dedup_key=f"complaint:{complaint.pk}:replied",
            )
    return complaint


def close(complaint_id: int, *, supervisor, outcome: str = "") -> Complaint:
    """Close; a real-name complaint that was taken up must have been answered first."""
    with transaction.atomic():
        complaint = _lock(complaint_id, supervisor)
        _ensure_supervisor(supervisor)
        allowed = (S.REPLIED, S.DECLINED) if complaint.real_name else (S.REPLIED, S.DECLINED, S.TAKEN_UP)
        if complaint.state == S.TAKEN_UP and complaint.real_name:
            raise ValidationError(
                {"reply": ValidationError(_("A real-name complainant must get a reply before closure."), code="reply_required")}
            )
        _state(complaint, allowed, "close")
        outcome = (outcome or "").strip()
        if complaint.state == S.TAKEN_UP and not outcome:
            raise ValidationError({"outcome": _("Record the outcome of the investigation.")})
        complaint.outcome, complaint.closed_at, complaint.closed_by = outcome, clock.now(), supervisor
        complaint.state = S.CLOSED
        complaint.save()
    return complaint
