"""Portal commands: registration, business agents, and the steps of the online application that
the case engine does not already own. Every case transition goes through ``approvals.cases.services``.

- ``register_citizen`` / ``register_business`` / ``add_agent`` / ``deactivate_agent``: accounts.
- ``start_application``: the wizard's first POST. It carries a per-draft token; the token is the
  key of an ``approvals.IdempotencyRecord`` inserted in the same transaction as the draft, so a
  double click or a refresh returns the same draft instead of creating a second case.
- ``save_draft_fields``: the applicant edits the application fields of their draft (validated
  against the pinned version by ``approvals.cases.forms_validation``).
- ``submit_application``: submits the draft with ``approvals.cases.services.submit``, passing on
  whether the applicant accepted the pledge declaration (the engine's rule, on every channel).
"""

from __future__ import annotations

import hashlib
import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from accounts import crypto
from accounts.identity import validate_mobile, validate_resident_id, validate_uscc
from accounts.models import Business, BusinessAgent, CitizenProfile, User
from approvals.cases import services as cases
from approvals.cases.exceptions import Conflict
from approvals.cases.forms_validation import clean_fields
from approvals.cases.permissions import ensure_can
from approvals.models import Case, IdempotencyRecord, State

TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@+-]{3,40}$")


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _add(errors: dict, field: str, exc: ValidationError) -> None:
    errors.setdefault(field, []).extend(exc.messages)


# --- accounts ---------------------------------------------------------------------------------


def _check_person(errors: dict, *, username: str, password: str, real_name: str, id_number: str, phone: str,
                  email: str) -> None:
    if not USERNAME_RE.match(username):
        errors.setdefault("username", []).append(
            _("Use 3 to 40 letters, digits or the characters _ . @ + - for the user name.")
        )
    elif User.objects.filter(username__iexact=username).exists():
        errors.setdefault("username", []).append(_("This user name is taken; choose another."))
    if not real_name or len(real_name) > 50:
        errors.setdefault("real_name", []).append(_("Enter your real name as on your ID card (at most 50 characters)."))
    try:
        validate_resident_id(id_number)
    except ValidationError as exc:
        _add(errors, "id_number", exc)
    else:
        if CitizenProfile.objects.filter(id_number_digest=crypto.digest(id_number)).exists():
            errors.setdefault("id_number", []).append(
                _("An account is already registered with this ID number; log in or reset your password.")
            )
    try:
        validate_mobile(phone)
    except ValidationError as exc:
        _add(errors, "phone", exc)
    try:
        validate_password(password, User(username=username, email=email))
    except ValidationError as exc:
        _add(errors, "password", exc)


def register_citizen(*, username: str, password: str, real_name: str, id_number: str, phone: str,
                     email: str = "") -> User:
    """A natural person's account: real name, resident ID number (check digit verified), mobile phone."""
    username, real_name = (username or "").strip(), (real_name or "").strip()
    id_number, phone, email = (id_number or "").strip().upper(), (phone or "").strip(), (email or "").strip()
    errors: dict[str, list[str]] = {}
    _check_person(errors, username=username, password=password, real_name=real_name, id_number=id_number,
                  phone=phone, email=email)
    _raise(errors)
    try:
        with transaction.atomic():
            user = User.objects.create_user(username, email=email, password=password, phone=phone)
            CitizenProfile.objects.create(user=user, real_name=real_name, id_number=id_number)
    except IntegrityError:  # registered concurrently with the same user name or ID number
        raise ValidationError({"username": [_("This account was just registered; log in instead.")]}) from None
    return user


def _check_business(errors: dict, *, name: str, uscc: str, legal_representative: str, role: str) -> None:
    if not name or len(name) > 200:
        errors.setdefault("business_name", []).append(_("Enter the business name as on its licence."))
    try:
        validate_uscc(uscc)
    except ValidationError as exc:
        _add(errors, "uscc", exc)
    else:
        if Business.objects.filter(uscc=uscc).exists():
            errors.setdefault("uscc", []).append(
                _("This business is already registered; ask its legal representative to add you as an agent.")
            )
    if not legal_representative or len(legal_representative) > 50:
        errors.setdefault("legal_representative", []).append(_("Enter the legal representative's name."))
    if role not in BusinessAgent.Role.values:
        errors.setdefault("role", []).append(_("Say whether you are the legal representative or an authorised agent."))


def register_business(*, user: User, name: str, uscc: str, legal_representative: str, role: str) -> Business:
    """Register a business for a logged-in citizen, who becomes its first agent."""
    if not hasattr(user, "citizen_profile"):
        raise PermissionDenied(_("Register as a citizen first."))
    name, uscc = (name or "").strip(), (uscc or "").strip().upper()
    legal_representative = (legal_representative or "").strip()
    errors: dict[str, list[str]] = {}
    _check_business(errors, name=name, uscc=uscc, legal_representative=legal_representative, role=role)
    if role == BusinessAgent.Role.LEGAL_REPRESENTATIVE and legal_representative != user.citizen_profile.real_name:
        errors.setdefault("role", []).append(
            _("Only %(name)s, the legal representative named above, can register as legal representative.")
            % {"name": legal_representative}
        )
    _raise(errors)
    try:
        with transaction.atomic():
            business = Business.objects.create(name=name, uscc=uscc, legal_representative=legal_representative)
            BusinessAgent.objects.create(business=business, user=user, role=role)
    except IntegrityError:
        raise ValidationError({"uscc": [_("This business was just registered by someone else.")]}) from None
    return business


def register_business_account(*, username: str, password: str, real_name: str, id_number: str, phone: str,
                              email: str = "", business_name: str, uscc: str, legal_representative: str,
                              role: str) -> tuple[User, Business]:
    """A new person's account and the business they act for, checked together, created together."""
    username, real_name = (username or "").strip(), (real_name or "").strip()
    id_number, phone, email = (id_number or "").strip().upper(), (phone or "").strip(), (email or "").strip()
    business_name, uscc = (business_name or "").strip(), (uscc or "").strip().upper()
    legal_representative = (legal_representative or "").strip()
    errors: dict[str, list[str]] = {}
    _check_person(errors, username=username, password=password, real_name=real_name, id_number=id_number,
                  phone=phone, email=email)
    _check_business(errors, name=business_name, uscc=uscc, legal_representative=legal_representative, role=role)
    if role == BusinessAgent.Role.LEGAL_REPRESENTATIVE and legal_representative and legal_representative != real_name:
        errors.setdefault("role", []).append(
            _("Only %(name)s, the legal representative named above, can register as legal representative.")
            % {"name": legal_representative}
        )
    _raise(errors)
    with transaction.atomic():
        user = register_citizen(username=username, password=password, real_name=real_name, id_number=id_number,
                                phone=phone, email=email)
        business = register_business(user=user, name=business_name, uscc=uscc,
                                     legal_representative=legal_representative, role=role)
    return user, business


def _agency(user: User, business_id: int) -> BusinessAgent:
    agency = BusinessAgent.objects.filter(user=user, business_id=business_id, active=True).first()
    if agency is None:
        raise Http404(_("No such business."))
    return agency


def add_agent(*, by: User, business_id: int, username: str, id_number: str) -> BusinessAgent:
    """An active agent of a business authorises another registered citizen to act for it.

    The new agent is named by user name *and* ID number, which must belong to the same account."""
    _agency(by, business_id)
    username, id_number = (username or "").strip(), (id_number or "").strip().upper()
    profile = (
        CitizenProfile.objects.select_related("user")
        .filter(user__username__iexact=username, id_number_digest=crypto.digest(id_number))
        .first()
    )
    if profile is None:
        raise ValidationError({"username": [_("No registered citizen has this user name and ID number.")]})
    agent, created = BusinessAgent.objects.get_or_create(
        business_id=business_id, user=profile.user, defaults={"role": BusinessAgent.Role.AGENT}
    )
    if not created:
        if agent.active:
            raise ValidationError({"username": [_("This person already acts for the business.")]})
        agent.active = True
        agent.save(update_fields=["active"])
    return agent


def deactivate_agent(*, by: User, agent_id: int) -> BusinessAgent:
    """The legal representative withdraws an agent's authority (the agent keeps the record)."""
    agent = BusinessAgent.objects.filter(pk=agent_id).first()
    if agent is None:
        raise Http404(_("No such agent."))
    mine = _agency(by, agent.business_id)
    if mine.role != BusinessAgent.Role.LEGAL_REPRESENTATIVE:
        raise PermissionDenied(_("Only the legal representative may withdraw an agent's authority."))
    if agent.pk == mine.pk:
        raise ValidationError({"agent": [_("The legal representative cannot withdraw their own authority.")]})
    agent.active = False
    agent.save(update_fields=["active"])
    return agent


# --- the application wizard --------------------------------------------------------------------


def start_application(*, user: User, item_code: str, token: str, business_id: int | None = None) -> Case:
    """The draft for this wizard token: created by the first request, returned by every repeat."""
    if not TOKEN_RE.match(token or ""):
        raise ValidationError({"token": [_("This form has expired; open the application page again.")]})
    key = f"portal-apply:{token}"
    print_ = hashlib.sha256(f"{item_code}\n{business_id or ''}".encode()).hexdigest()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(user=user, key=key, fingerprint=print_)
        except IntegrityError:
            # The same form was posted before (double click, refresh): its draft is committed by now.
            record = IdempotencyRecord.objects.select_related("case").get(user=user, key=key)
            if record.fingerprint != print_ or record.case is None:
                raise ValidationError(
                    {"token": [_("This form has expired; open the application page again.")]}
                ) from None
            return record.case
        case = cases.create_case(user=user, item_code=item_code, fields={}, business_id=business_id)
        record.case = case
        record.response_status = 201
        record.response_body = {"case_no": case.case_no}
        record.save(update_fields=["case", "response_status", "response_body"])
    return case


def _locked_draft(case_id: int, user: User, command: str) -> Case:
    case = Case.objects.select_for_update(of=("self",)).select_related("item_version").filter(pk=case_id).first()
    if case is None:
        raise Http404(_("No such case."))
    ensure_can(user, command, case)
    if case.state != State.DRAFT:
        raise Conflict(
            _("The case is %(state)s; the application can no longer be changed.") % {"state": case.get_state_display()},
            state=case.state,
            command=command,
        )
    return case


def save_draft_fields(case_id: int, *, user: User, fields: dict) -> Case:
    """Replace the application fields of a draft; values are checked against the pinned version.

    Empty values are dropped (a draft may be incomplete); submission checks the required ones."""
    with transaction.atomic():
        case = _locked_draft(case_id, user, "submit")
        case.fields = clean_fields(list(case.item_version.form_fields.all()), fields)
        case.save(update_fields=["fields"])
    return case


def missing_pledgeable_codes(case: Case) -> list[str]:
    """Codes of the pledgeable (容缺) materials the applicant has not supplied (the engine's rule)."""
    return [req.code for req in cases.missing_pledgeable(case)]


def submit_application(case_id: int, *, user: User, pledge_declared: bool = False) -> Case:
    """Submit the draft. When pledgeable materials are left out, the engine requires the pledge
    declaration (``pledge_declared``) and stores it with the case in the submission's transaction."""
    return cases.submit(case_id, user=user, pledge_declared=pledge_declared)
