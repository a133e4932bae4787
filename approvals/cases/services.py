"""Case commands: one function each (domain.md section 4).

Every command: one transaction; lock the case (SELECT … FOR UPDATE); check the user may act
(``permissions.ensure_can``: 404 if they cannot see it, 403 if they may not act); check the state
(``Conflict`` otherwise, so a second concurrent command finds the new state and fails); validate
the input (``ValidationError`` listing every problem); fire the django-fsm transition; recompute
the dates with ``clock.refresh``; save; write one ``TransitionLog`` row; queue side effects on
commit with IDs only.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.models import BusinessAgent, OfficerMembership
from approvals.items import selectors as catalog
from approvals.items.models import ItemVersion, MaterialRequirement
from approvals.supervision import calendar

from . import clock, files, inserts
from .exceptions import Conflict, coded
from .forms_validation import clean_fields, missing_required
from .models import (
    ASSIGNABLE_STATES,
    PLEDGE_STATES,
    Case,
    CaseAssignment,
    CaseMaterial,
    CaseNumberSequence,
    CorrectionNotice,
    Extension,
    Pledge,
    SpecialProcedurePause,
    State,
    TransitionLog,
)
from .permissions import DEPARTMENT_JOBS, ensure_can

#: How commands name their case: the primary key, or the case number (the API's identifier), which
#: saves the API a look-up before the lock.
CaseRef = int | str

VERIFICATION_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
VERIFICATION_LENGTH = 10

#: Suggested remedies text for every refusal (Art. 38 and 《行政复议法》《行政诉讼法》).
STANDARD_REMEDIES = (
    "如不服本决定，可自收到本决定之日起六十日内依法申请行政复议（《中华人民共和国行政复议法》），"
    "或者在六个月内依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》）。"
)


# --- helpers ------------------------------------------------------------------------------------


def _lock(case_id: CaseRef) -> Case:
    """Lock the case row, found by primary key or by case number, in one query."""
    lookup = {"case_no": case_id} if isinstance(case_id, str) else {"pk": case_id}
    try:
        case = Case.objects.select_for_update().get(**lookup)
    except Case.DoesNotExist:
        raise Http404(_("No such case.")) from None
    # The pinned version with its item and department, from the catalog cache: the lock reads
    # the case row alone.
    case.item_version = catalog.version_of_case(case.item_version_id)
    return case


def _require(case: Case, method: str, command: str | None = None) -> None:
    """Raise ``Conflict`` unless the FSM transition ``method`` is possible from the current state."""
    if not can_proceed(getattr(case, method)):
        raise Conflict(
            _("The case is %(state)s; %(command)s is not possible now.")
            % {"state": case.get_state_display(), "command": command or method},
            state=case.state,
            command=command or method,
        )


def _fire(case: Case, method: str) -> str:
    """Fire the FSM transition; returns the state it left."""
    before = case.state
    getattr(case, method)()
    return before


def _log_entry(case: Case, from_state: str, command: str, actor, *, reason: str = "", details: dict | None = None):
    """The (unsaved) log row of a transition of ``case`` that has just fired."""
    return TransitionLog(
        case=case,
        from_state=from_state,
        to_state=case.state,
        command=command,
        actor=actor,
        at=clock.now(),
        reason=reason,
        round=case.round,
        details=details or {},
    )


def _log(case: Case, from_state: str, command: str, actor, *, reason: str = "", details: dict | None = None):
    entry = inserts.insert(_log_entry(case, from_state, command, actor, reason=reason, details=details))
    _notify_on_commit([(case.pk, entry.pk)])
    return entry


def _notify_on_commit(pairs: list[tuple[int, int]]) -> None:
    from .tasks import notify_case_changed

    def send():
        for case_id, log_id in pairs:
            notify_case_changed.delay(case_id, log_id)

    if pairs:
        transaction.on_commit(send)


def _required_text(value: str, field: str, errors: dict, message: str) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(message)
    return value


def _check_remedies(remedies: str, errors: dict) -> str:
    """A refusal states the rights to reconsideration (复议) and litigation (诉讼) with their limits."""
    remedies = _required_text(
        remedies, "remedies", errors, _("State the applicant's rights to reconsideration and litigation.")
    )
    if remedies:
        lowered = remedies.lower()
        if not (("复议" in remedies or "reconsideration" in lowered) and ("诉讼" in remedies or "litigation" in lowered)):
            errors.setdefault("remedies", []).append(
                _("The remedies must name both administrative reconsideration (复议) and litigation (诉讼).")
            )
    return remedies


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _current_codes(case: Case) -> set[str]:
    return set(CaseMaterial.objects.filter(case=case, is_current=True).values_list("requirement_code", flat=True))


def _open_notice(case: Case) -> CorrectionNotice | None:
    return CorrectionNotice.objects.filter(case=case, round=case.round, completed_on__isnull=True).first()


def _pledge(case: Case) -> Pledge | None:
    return Pledge.objects.filter(case=case).first()


def _new_verification_code() -> str:
    return "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_LENGTH))


def allocate_case_no(region_code: str, year: int) -> str:
    """Next number for region+year, e.g. 429901-2026-000123.

    One ``UPDATE … RETURNING`` increments the counter row and locks it until the caller's
    transaction ends, so numbers are unique and gap-free (a rolled-back filing gives its number back).
    """
    table = CaseNumberSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE region_code = %s AND year = %s RETURNING last",  # noqa: S608
            [region_code, year],
        )
        row = cursor.fetchone()
    if row is None:  # the first number of this region and year: create the counter
        try:
            with transaction.atomic():
                CaseNumberSequence.objects.create(region_code=region_code, year=year, last=1)
        except IntegrityError:  # another filing created it first
            return allocate_case_no(region_code, year)
        row = (1,)
    return f"{region_code}-{year}-{row[0]:06d}"


# --- applicant commands -----------------------------------------------------------------------


def create_case(
    *,
    user,
    item_code: str,
    fields: dict,
    business_id: int | None = None,
    channel: str = Case.Channel.ONLINE,
    submit: bool = False,
    on: date | None = None,
) -> Case:
    """A draft case pinned to the item version in force ``on`` (default today); ``submit`` files it."""
    if not hasattr(user, "citizen_profile"):
        raise PermissionDenied(_("Only a registered applicant may file a case."))
    on = on or clock.today()
    errors: dict[str, list[str]] = {}
    version = catalog.version_for_filing(item_code, on)
    if version is None:
        raise ValidationError(coded({"item_code": _("No item with this code is in force.")}, "no_item"))
    if channel not in Case.Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    elif channel == Case.Channel.ONLINE and not version.channel_online:
        errors["channel"] = [_("This item cannot be applied for online.")]
    elif channel == Case.Channel.WINDOW and not version.channel_window:
        errors["channel"] = [_("This item cannot be applied for at the window.")]
    agent = None
    if business_id is not None:
        agent = (
            BusinessAgent.objects.select_related("business")
            .filter(user=user, business_id=business_id, active=True)
            .first()
        )
        if agent is None or (agent.authorised_until is not None and agent.authorised_until < on):
            errors["business_id"] = [_("You are not an active agent of this business.")]
            agent = None
        elif version.target == ItemVersion.Target.CITIZEN:
            errors["business_id"] = [_("This item is for individuals only.")]
    elif version.target == ItemVersion.Target.BUSINESS:
        errors["business_id"] = [_("This item is for businesses: choose the business you act for.")]
    specs = catalog.application_specs(version)
    try:
        cleaned = clean_fields(specs.form_fields, fields or {})
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cleaned = {}
    if submit and not errors:
        # A new case has no materials yet: it can be filed at once only if none is required.
        errors.update(_missing(specs.form_fields, specs.materials, cleaned, present=set()))
    _raise(errors)
    # Everything is validated before the first write, so no savepoint of its own is needed:
    # an error from here on aborts the caller's transaction as a whole.
    region_code = version.department.region_code
    with transaction.atomic(savepoint=False):
        case = Case(
            verification_code=_new_verification_code(),
            item_version=version,
            applicant=user,
            business=agent.business if agent else None,
            agent=agent,
            fields=cleaned,
            channel=channel,
        )
        if submit:
            _fire(case, "submit")
            _start_intake_clock(case)
        first = (
            _log_entry(case, State.DRAFT, "submit", user, details={"intake_due": case.intake_due.isoformat()})
            if submit else None
        )
        if not inserts.insert_numbered(case, region_code, on.year, first):
            # The ordinary path (SQLite, or the first filing of a region and year).
            case.case_no = allocate_case_no(region_code, on.year)
            inserts.insert(case)
            if first is not None:
                first.case = case  # the case has its primary key now
                inserts.insert(first)
        if first is not None:
            _notify_on_commit([(case.pk, first.pk)])
    return case


def _start_intake_clock(case: Case) -> None:
    """Receipt: the intake clock starts on the calendar date of receipt in Asia/Shanghai (Art. 32)."""
    case.received_at = clock.now()
    case.received_on = clock.local_date(case.received_at)
    clock.refresh(case, before_review=True)


def attach_material(case_id: CaseRef, *, user, requirement_code: str, upload, on_behalf_by=None) -> CaseMaterial:
    """Upload a file for a material of the pinned version; earlier files stay in the history.

    Allowed in a draft (any material), while a correction notice is open (only the listed
    materials), while a supplementary-materials notice of a joint item is open (only the listed
    materials; they belong to the next round) and while a pledge is open (only the pledged materials).
    """
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(user, "attach_material", case)
        supplied_for = ""
        pledge = None
        if case.state == State.DRAFT:
            allowed = None
        elif case.state == State.CORRECTION_REQUESTED:
            notice = _open_notice(case)
            allowed = set(notice.material_codes) if notice else set()
            supplied_for = "correction"
        elif case.state == State.SUPPLEMENT_REQUESTED:
            from approvals.parallel.models import SupplementNotice

            notice = SupplementNotice.objects.filter(case=case, completed_on__isnull=True).first()
            allowed = set(notice.material_codes) if notice else set()
            supplied_for = "supplement"
        elif case.state in PLEDGE_STATES and (pledge := _pledge(case)) and pledge.fulfilled_at is None:
            allowed = set(pledge.material_codes)
            supplied_for = "pledge"
        else:
            raise Conflict(
                _("The case is %(state)s; materials cannot be changed now.") % {"state": case.get_state_display()},
                state=case.state,
                command="attach_material",
            )
        codes = set(MaterialRequirement.objects.filter(version=case.item_version).values_list("code", flat=True))
        if requirement_code not in codes:
            raise ValidationError({"requirement_code": _("This item has no material %(code)s.") % {"code": requirement_code}})
        if allowed is not None and requirement_code not in allowed:
            raise ValidationError(
                coded({"requirement_code": _("Only the materials listed in the notice may be supplied now; %(code)s is not listed.")
                 % {"code": requirement_code}}, "not_listed")
            )
        stored = CaseMaterial.objects.filter(case=case).aggregate(total=Sum("size"))["total"] or 0
        checked = files.check_upload(upload, case_id=case.pk, stored_bytes=stored)
        name = default_storage.save(checked.storage_name, upload)
        try:
            CaseMaterial.objects.filter(case=case, requirement_code=requirement_code, is_current=True).update(
                is_current=False
            )
            material = CaseMaterial.objects.create(
                case=case,
                requirement_code=requirement_code,
                file=name,
                original_name=(getattr(upload, "name", "") or "")[:255],
                sha256=checked.sha256,
                size=checked.size,
                content_type=checked.content_type,
                uploaded_at=clock.now(),
                uploaded_by=on_behalf_by or user,
                # Supplementary materials open the next review round (approvals.parallel).
                round=case.round + 1 if supplied_for == "supplement" else case.round,
                supplied_for=supplied_for,
            )
            if pledge is not None:
                supplied = set(
                    CaseMaterial.objects.filter(case=case, is_current=True, supplied_for="pledge").values_list(
                        "requirement_code", flat=True
                    )
                )
                if supplied >= set(pledge.material_codes):
                    pledge.fulfilled_at = clock.now()
                    pledge.save(update_fields=["fulfilled_at"])
        except Exception:
            default_storage.delete(name)
            raise
    return material


def _missing(form_fields, requirements, fields: dict, present: set[str]) -> dict[str, list[str]]:
    """Required fields and required materials not supplied. Pledgeable (容缺) materials may be
    missing at submission: the front desk then accepts with pledge or sends a correction notice."""
    missing = missing_required(form_fields, fields)
    for req in requirements:
        if req.necessity == MaterialRequirement.Necessity.REQUIRED and req.code not in present:
            missing[f"materials.{req.code}"] = [_("%(name)s is missing.") % {"name": req.name}]
    return missing


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
    supplied = _current_codes(case)
    return [req for req in pledgeable if req.code not in supplied]


def submit(case_id: CaseRef, *, user, on_behalf_by=None) -> Case:
    """Draft → submitted; the intake clock starts on the receipt date (Asia/Shanghai).
    ``on_behalf_by``: the front-desk officer filing it at the window (the log names them)."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(user, "submit", case)
        _require(case, "submit")
        specs = catalog.application_specs(case.item_version)
        _raise(_missing(specs.form_fields, specs.materials, case.fields, _current_codes(case)))
        before = _fire(case, "submit")
        _start_intake_clock(case)
        case.save()
        details = {"intake_due": case.intake_due.isoformat()}
        if on_behalf_by is not None:
            details["on_behalf_of"] = case.applicant_id
        _log(case, before, "submit", on_behalf_by or user, details=details)
    return case


def resubmit(case_id: CaseRef, *, user) -> Case:
    """Correction requested → submitted once every listed material is replaced; that day the
    application is complete (and a new intake period runs from it)."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(user, "resubmit", case)
        _require(case, "resubmit")
        notice = _open_notice(case)
        replaced = set(
            CaseMaterial.objects.filter(
                case=case, is_current=True, supplied_for="correction", round=case.round
            ).values_list("requirement_code", flat=True)
        )
        errors = {
            f"materials.{code}": [_("Material %(code)s listed in the correction notice is not replaced yet.") % {"code": code}]
            for code in (notice.material_codes if notice else [])
            if code not in replaced
        }
        _raise(errors)
        before = _fire(case, "resubmit")
        case.complete_on = clock.today()
        if notice:
            notice.completed_on = case.complete_on
            notice.save(update_fields=["completed_on"])
        clock.refresh(case)
        case.save()
        _log(case, before, "resubmit", user, details={"complete_on": case.complete_on.isoformat()})
    return case


def withdraw(case_id: CaseRef, *, user, reason: str = "") -> Case:
    """The applicant withdraws an open case."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(user, "withdraw", case)
        _require(case, "withdraw")
        before = _fire(case, "withdraw")
        case.closed_at = clock.now()
        case.save()
        _log(case, before, "withdraw", user, reason=reason)
        _close_department_tasks([case.pk], actor=user, reason="withdraw")
    return case


# --- intake (front desk) ----------------------------------------------------------------------


def intake_at_window(*, officer, applicant, item_code: str, fields: dict, uploads: dict) -> Case:
    """Intake at the window for an applicant who came in person: the front-desk officer files the
    case on the applicant's behalf (channel ``window``) with the scanned materials (``uploads``:
    material code → file) and submits it, all or nothing. The case belongs to the applicant; the
    log and the materials name the officer who did it."""
    if not any(m.job == OfficerMembership.Job.FRONT_DESK for m in officer.memberships.all()) and not officer.is_superuser:
        raise PermissionDenied(_("Only the front desk takes applications at the window."))
    with transaction.atomic():
        case = create_case(user=applicant, item_code=item_code, fields=fields, channel=Case.Channel.WINDOW)
        errors: dict[str, list[str]] = {}
        for code, upload in uploads.items():
            try:
                attach_material(case.pk, user=applicant, requirement_code=code, upload=upload, on_behalf_by=officer)
            except ValidationError as exc:
                errors[f"materials.{code}"] = exc.messages
        _raise(errors)
        return submit(case.pk, user=applicant, on_behalf_by=officer)



def request_correction(case_id: CaseRef, *, officer, problems: list[dict]) -> Case:
    """补正: ONE notice per intake listing every problem (material code, reason, expected)."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(officer, "request_correction", case)
        _require(case, "request_correction")
        if CorrectionNotice.objects.filter(case=case, round=case.round).exists():
            raise ValidationError(
                coded({"problems": _("A correction notice was already sent at this intake; a second one is not allowed.")}, "second_notice")
            )
        codes = set(case.item_version.materials.values_list("code", flat=True))
        errors: dict[str, list[str]] = {}
        cleaned: list[dict] = []
        if not problems:
            errors["problems"] = [_("List every missing or defective material.")]
        seen: set[str] = set()
        for i, problem in enumerate(problems or []):
            problem = problem if isinstance(problem, dict) else {}
            code = str(problem.get("material_code", "")).strip()
            key = f"problems.{i}"
            if code not in codes:
                errors.setdefault(key, []).append(_("%(code)s is not a material of this item.") % {"code": code})
            elif code in seen:
                errors.setdefault(key, []).append(_("%(code)s is listed twice.") % {"code": code})
            seen.add(code)
            reason = _required_text(str(problem.get("reason", "")), key, errors, _("Give the reason."))
            expected = _required_text(str(problem.get("expected", "")), key, errors, _("Say what is expected."))
            cleaned.append({"material_code": code, "reason": reason, "expected": expected})
        _raise(errors)
        notice = CorrectionNotice.objects.create(
            case=case, round=case.round, issued_on=clock.today(), issued_at=clock.now(), officer=officer, problems=cleaned
        )
        before = _fire(case, "request_correction")
        case.save()
        _log(case, before, "request_correction", officer, details={"notice_id": notice.pk, "problems": cleaned})
    return case


def _acceptance_date(case: Case) -> date:
    """Accepted on the day of the decision, or the day the application became complete."""
    return case.complete_on or clock.today()


def accept(case_id: CaseRef, *, officer, note: str = "") -> Case:
    """Submitted → accepted; the decision clocks start on the acceptance date."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(officer, "accept", case)
        _require(case, "accept")
        _raise(coded({
            f"materials.{req.code}": _("%(name)s is missing: accept with pledge, or ask for it in a correction notice.")
            % {"name": req.name}
            for req in missing_pledgeable(case)
        }, "incomplete"))
        before = _fire(case, "accept")
        case.accepted_on = _acceptance_date(case)
        clock.refresh(case, before_review=True)
        case.save(update_fields=["state", "accepted_on", *clock.CLOCK_FIELDS])  # the busiest command
        _log(case, before, "accept", officer, reason=note, details={"accepted_on": case.accepted_on.isoformat()})
        _open_department_tasks(case)
    return case


def _open_department_tasks(case: Case) -> None:
    """Joint items: the lead and every co-department get their task as the case is accepted."""
    if case.item_version.is_joint:
        from approvals.parallel import services as parallel

        parallel.open_round(case)


def _close_department_tasks(case_ids: list[int], *, actor=None, reason: str = "") -> None:
    """The case left review for good (withdrawn, terminated): its open department tasks are cancelled."""
    from approvals.parallel import services as parallel

    parallel.cancel_open_tasks(case_ids, actor=actor, reason=reason)


def pledge_offered(case: Case) -> bool:
    """容缺受理 is not offered to an applicant (citizen or business) flagged for bad credit."""
    profile = getattr(case.applicant, "citizen_profile", None)
    return not ((profile is not None and profile.bad_credit) or (case.business is not None and case.business.bad_credit))


def accept_with_pledge(
    case_id: CaseRef, *, officer, pledged_material_codes: list[str], pledge_due: date, note: str = ""
) -> Case:
    """容缺受理: accepted while pledgeable materials that are missing (or were listed as defective)
    are supplied later, by ``pledge_due`` (no later than the promised decision due).
    Not offered to applicants with a bad-credit flag."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(officer, "accept_with_pledge", case)
        _require(case, "accept_with_pledge")
        if not pledge_offered(case):
            raise ValidationError(
                coded({"pledge": _("Acceptance with pledge is not offered to applicants with a bad-credit flag.")}, "bad_credit")
            )
        errors: dict[str, list[str]] = {}
        codes = list(dict.fromkeys(str(c) for c in (pledged_material_codes or [])))
        if not codes:
            errors["pledged_material_codes"] = [_("Name the pledged materials.")]
        pledgeable = set(
            case.item_version.materials.filter(necessity=MaterialRequirement.Necessity.PLEDGEABLE).values_list(
                "code", flat=True
            )
        )
        present = _current_codes(case)
        listed = {code for n in CorrectionNotice.objects.filter(case=case) for code in n.material_codes}
        for code in codes:
            if code not in pledgeable:
                errors.setdefault("pledged_material_codes", []).append(
                    _("%(code)s may not be pledged.") % {"code": code}
                )
            elif code in present and code not in listed:
                errors.setdefault("pledged_material_codes", []).append(
                    _("%(code)s was supplied and not found defective; nothing to pledge.") % {"code": code}
                )
        _raise(errors)
        before = _fire(case, "accept_with_pledge")
        case.accepted_on = _acceptance_date(case)
        clock.refresh(case, before_review=True)
        if not isinstance(pledge_due, date) or pledge_due < clock.today():
            errors["pledge_due"] = [_("The pledge deadline must be a date from today on.")]
        elif pledge_due > case.decision_due_promised:
            errors["pledge_due"] = [
                _("The pledge deadline may not be after the promised decision date %(due)s.")
                % {"due": case.decision_due_promised.isoformat()}
            ]
        _raise(errors)
        Pledge.objects.create(case=case, material_codes=codes, due=pledge_due, pledged_at=clock.now(), officer=officer)
        clock.refresh(case)
        case.save()
        _log(
            case, before, "accept_with_pledge", officer, reason=note,
            details={"accepted_on": case.accepted_on.isoformat(), "pledged": codes, "pledge_due": pledge_due.isoformat()},
        )
        _open_department_tasks(case)
    return case


def not_accept(
    case_id: CaseRef,
    *,
    officer,
    reasons: str,
    remedies: str,
    competent_organ: str = "",
    outside_competence: bool = False,
) -> Case:
    """不予受理: written reasons and remedies; outside the organ's competence, name the competent organ."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(officer, "not_accept", case)
        _require(case, "not_accept")
        errors: dict[str, list[str]] = {}
        reasons = _required_text(reasons, "reasons", errors, _("State the reasons."))
        remedies = _check_remedies(remedies, errors)
        competent_organ = (competent_organ or "").strip()
        if outside_competence and not competent_organ:
            errors["competent_organ"] = [_("Name the competent organ the applicant should turn to.")]
        _raise(errors)
        before = _fire(case, "not_accept")
        case.reasons, case.remedies, case.competent_organ = reasons, remedies, competent_organ
        case.decided_at = clock.now()
        case.save()
        _log(
            case, before, "not_accept", officer, reason=reasons,
            details={"outside_competence": bool(outside_competence), "competent_organ": competent_organ},
        )
    return case


# --- review (department) ----------------------------------------------------------------------


def start_review(case_id: CaseRef, *, officer) -> Case:
    """Accepted (with or without pledge) → in review. Not automatic: the department takes the case."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(officer, "start_review", case)
        _require(case, "start_review")
        before = _fire(case, "start_review")
        case.save()
        _log(case, before, "start_review", officer)
    return case


def start_special_procedure(
    case_id: CaseRef, *, officer, kind: str, start: date, expected_days: int, reason: str
) -> Case:
    """Art. 45: a procedure the item declares; its working days do not count (decision dues move)."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(officer, "start_special_procedure", case)
        begin_special_procedure(case, officer, kind=kind, start=start, expected_days=expected_days, reason=reason)
    return case


def begin_special_procedure(
    case: Case, officer, *, kind: str, start: date, expected_days: int, reason: str
) -> SpecialProcedurePause:
    """The rule of ``start_special_procedure`` on a case already locked and permission-checked
    (also used by a department task of a joint item, ``approvals.parallel``)."""
    _require(case, "start_special_procedure")
    errors: dict[str, list[str]] = {}
    declared = case.item_version.special_procedures.filter(kind=kind).first()
    if declared is None:
        errors["kind"] = [_("This item does not provide for this special procedure.")]
    elif not isinstance(expected_days, int) or not 1 <= expected_days <= declared.max_working_days:
        errors["expected_days"] = [
            _("Expected duration: 1 to %(max)s working days.") % {"max": declared.max_working_days}
        ]
    reason = _required_text(reason, "reason", errors, _("Tell the applicant what is happening."))
    if not isinstance(start, date) or start < case.accepted_on or start > clock.today():
        errors["start"] = [_("The start date must lie between acceptance and today.")]
    if SpecialProcedurePause.objects.filter(case=case, end__isnull=True).exists():
        errors["kind"] = [_("A special procedure is already running; end it first.")]
    _raise(errors)
    pause = SpecialProcedurePause.objects.create(
        case=case, kind=kind, start=start, expected_days=expected_days, reason=reason, started_by=officer,
        pauses_clock=not declared.counted_in_limit,
    )
    before = _fire(case, "start_special_procedure")
    clock.refresh(case)
    case.save()
    _log(
        case, before, "start_special_procedure", officer, reason=reason,
        details={
            "pause_id": pause.pk, "kind": kind, "start": start.isoformat(), "expected_days": expected_days,
            "expected_end": clock.expected_pause_end(start, expected_days).isoformat(),
            "decision_due_statutory": case.decision_due_statutory.isoformat(),
        },
    )
    return pause


def end_special_procedure(case_id: CaseRef, *, officer, end: date) -> Case:
    """The running special procedure ends on ``end`` (inclusive); the dues are recomputed."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(officer, "end_special_procedure", case)
        finish_special_procedure(case, officer, end=end)
    return case


def finish_special_procedure(case: Case, officer, *, end: date, pause: SpecialProcedurePause | None = None):
    """The rule of ``end_special_procedure`` on a locked, permission-checked case; ``pause``
    defaults to the running one (a department task passes its own)."""
    _require(case, "end_special_procedure")
    if pause is None or pause.end is not None:
        pause = SpecialProcedurePause.objects.filter(case=case, end__isnull=True).first()
    if pause is None:
        raise Conflict(_("No special procedure is running."), state=case.state, command="end_special_procedure")
    if not isinstance(end, date) or end < pause.start or end > clock.today():
        raise ValidationError({"end": _("The end date must lie between the start and today.")})
    pause.end = end
    pause.save(update_fields=["end"])
    before = _fire(case, "end_special_procedure")
    clock.refresh(case)
    case.save()
    _log(
        case, before, "end_special_procedure", officer,
        details={
            "pause_id": pause.pk, "kind": pause.kind, "start": pause.start.isoformat(), "end": end.isoformat(),
            "working_days": clock.pause_working_days(pause.start, end) if pause.pauses_clock else 0,
            "decision_due_statutory": case.decision_due_statutory.isoformat(),
        },
    )
    return pause


def request_extension(case_id: CaseRef, *, officer, days: int, reason: str) -> Case:
    """Ask for the one extension (Art. 42), before the original statutory due date."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(officer, "request_extension", case)
        _require(case, "request_extension")
        version = case.item_version
        errors: dict[str, list[str]] = {}
        if not version.extension_allowed:
            raise ValidationError(coded({"days": _("This item allows no extension.")}, "no_extension"))
        if Extension.objects.filter(case=case).exists():
            raise ValidationError(coded({"days": _("The time limit can be extended only once.")}, "second_extension"))
        if clock.today() > case.decision_due_statutory:
            raise ValidationError(
                coded({"days": _("An extension must be decided before the due date %(due)s.")
                 % {"due": case.decision_due_statutory.isoformat()}}, "too_late")
            )
        if not isinstance(days, int) or not 1 <= days <= version.extension_days:
            errors["days"] = [_("An extension of 1 to %(max)s working days.") % {"max": version.extension_days}]
        reason = _required_text(reason, "reason", errors, _("Give the reasons for the extension."))
        _raise(errors)
        Extension.objects.create(case=case, days=days, reason=reason, requested_by=officer, requested_on=clock.today())
        before = _fire(case, "request_extension")
        case.save()
        _log(case, before, "request_extension", officer, reason=reason, details={"days": days})
    return case


def approve_extension(case_id: CaseRef, *, head, note: str = "") -> Case:
    """The department head approves the pending extension, before the original due date."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(head, "approve_extension", case)
        _require(case, "approve_extension")
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
        before = _fire(case, "approve_extension")
        clock.refresh(case)
        case.save()
        _log(
            case, before, "approve_extension", head, reason=extension.reason,
            details={"days": extension.days, "old_due": old_due.isoformat(), "new_due": case.decision_due_statutory.isoformat()},
        )
    return case


def decide(
    case_id: CaseRef, *, officer, approve: bool, reasons: str = "", remedies: str = "", conditions: str = ""
) -> Case:
    """准予 / 不予行政许可决定 (Art. 38). A refusal needs reasons and remedies.

    Joint items are decided through the join of the department tasks (``approvals.parallel``):
    under ``lead_decides`` this is the lead department's decision on its task; under the other
    policies the join decides and this command is refused (``Conflict``)."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(officer, "decide", case)
        if case.item_version.is_joint:
            from approvals.parallel import services as parallel

            return parallel.decide_joint_case(
                case, officer, approve=approve, reasons=reasons, remedies=remedies, conditions=conditions
            )
        apply_decision(case, officer, approve=approve, reasons=reasons, remedies=remedies, conditions=conditions)
    return case


def apply_decision(
    case: Case, officer, *, approve: bool, reasons: str = "", remedies: str = "", conditions: str = "",
    details: dict | None = None,
) -> Case:
    """The rule of ``decide`` on a case already locked and permission-checked (also the join of a
    joint item's department tasks); ``details`` are added to the log row."""
    method = "approve" if approve else "refuse"
    _require(case, method, "decide")
    errors: dict[str, list[str]] = {}
    if approve:
        pledge = _pledge(case)
        if pledge is not None and pledge.fulfilled_at is None:
            errors["pledge"] = [_("The pledged materials have not been supplied yet.")]
    else:
        reasons = _required_text(reasons, "reasons", errors, _("A refusal states its reasons."))
        remedies = _check_remedies(remedies, errors)
    if SpecialProcedurePause.objects.filter(case=case, end__isnull=True).exists():
        errors["special_procedure"] = [_("End the running special procedure first.")]
    _raise(errors)
    before = _fire(case, method)
    case.decision = Case.Decision.APPROVED if approve else Case.Decision.REFUSED
    case.decided_at = clock.now()
    case.decided_on = clock.today()
    case.reasons, case.remedies, case.conditions = (reasons or "").strip(), (remedies or "").strip(), conditions
    clock.refresh(case)
    case.save()
    log_details = {"approve": bool(approve), "decided_on": case.decided_on.isoformat(), **(details or {})}
    if case.decision_due_statutory and case.decided_on > case.decision_due_statutory:
        log_details["violation"] = "decided_after_statutory_due"
    _log(case, before, "decide", officer, reason=case.reasons, details=log_details)
    return case


def issue_licence(case_id: CaseRef, *, officer, licence_no: str = "") -> Case:
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(officer, "issue_licence", case)
        _require(case, "issue_licence")
        before = _fire(case, "issue_licence")
        case.licence_no = (licence_no or "").strip() or f"XK{case.case_no}"
        case.issued_at = clock.now()
        case.save()
        log_details = {"licence_no": case.licence_no}
        if case.licence_issue_due and clock.today() > case.licence_issue_due:
            # Art. 44: the licence is issued within 10 working days of the decision; a later issue
            # is still made, and flagged for supervision like a late decision.
            log_details["violation"] = "licence_issued_after_due"
        _log(case, before, "issue_licence", officer, details=log_details)
    return case


def deliver(case_id: CaseRef, *, officer, method: str, tracking_no: str = "") -> Case:
    """Hand over the licence: at the window, by post (tracking number required) or electronically."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(officer, "deliver", case)
        _require(case, "deliver")
        tracking_no = (tracking_no or "").strip()
        if method not in Case.DeliveryMethod.values:
            raise ValidationError({"method": _("Choose window, post or electronic.")})
        if method == Case.DeliveryMethod.POST and not tracking_no:
            raise ValidationError({"tracking_no": _("A postal delivery needs its tracking number.")})
        before = _fire(case, "deliver")
        case.delivery_method, case.tracking_no, case.delivered_at = method, tracking_no, clock.now()
        case.save()
        _log(case, before, "deliver", officer, details={"method": method, "tracking_no": tracking_no})
    return case


def close(case_id: CaseRef, *, officer) -> Case:
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(officer, "close", case)
        _require(case, "close")
        before = _fire(case, "close")
        case.closed_at = clock.now()
        case.save()
        _log(case, before, "close", officer)
    return case


def terminate(case_id: CaseRef, *, officer, legal_reason: str) -> Case:
    """终止审查 for a stated legal reason."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(officer, "terminate", case)
        _require(case, "terminate")
        errors: dict[str, list[str]] = {}
        legal_reason = _required_text(legal_reason, "legal_reason", errors, _("State the legal reason."))
        _raise(errors)
        before = _fire(case, "terminate")
        case.closed_at = clock.now()
        case.save()
        _log(case, before, "terminate", officer, reason=legal_reason)
        _close_department_tasks([case.pk], actor=officer, reason="terminate")
    return case


# --- assignment (single-department items) -------------------------------------------------------


def _assignable(case: Case, command: str) -> None:
    """Only a single-department case in the department's inbox states is claimed or reassigned."""
    if case.item_version.is_joint:
        raise Conflict(
            _("A joint item is assigned through its department tasks, not as a whole case."),
            state=case.state, command=command,
        )
    if case.state not in ASSIGNABLE_STATES:
        raise Conflict(
            _("The case is %(state)s; %(command)s is not possible now.")
            % {"state": case.get_state_display(), "command": command},
            state=case.state, command=command,
        )


def _assign(case: Case, command: str, actor, to_user, *, reason: str = "") -> CaseAssignment:
    entry = CaseAssignment.objects.create(
        case=case, command=command, state=case.state, actor=actor, from_user_id=case.assignee_id, to_user=to_user,
        reason=reason, at=clock.now(),
    )
    case.assignee = to_user
    case.save(update_fields=["assignee"])
    return entry


def claim_case(case_id: CaseRef, *, officer) -> Case:
    """An officer of the item's department takes an unassigned single-department case.

    Claiming a case one already holds is a no-op (a double click or a retry): nothing is written.
    A case someone else holds is a ``Conflict``: only the department head reassigns it.
    """
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(officer, "claim_case", case)
        _assignable(case, "claim_case")
        if case.assignee_id == officer.pk:
            return case
        if case.assignee_id is not None:
            raise Conflict(_("Another officer already holds this case."), state=case.state, command="claim_case")
        _assign(case, CaseAssignment.Command.CLAIM, officer, officer)
    return case


def reassign_case(case_id: CaseRef, *, head, to_user, reason: str) -> Case:
    """The department head gives a single-department case to another officer of the department."""
    with transaction.atomic():
        case = _lock(case_id)
        ensure_can(head, "reassign_case", case)
        _assignable(case, "reassign_case")
        errors: dict[str, list[str]] = {}
        is_officer = to_user is not None and OfficerMembership.objects.filter(
            user=to_user, department_id=case.item_version.department_id, job__in=DEPARTMENT_JOBS
        ).exists()
        if not is_officer:
            errors["to_user"] = [_("Choose an officer of this department.")]
        elif to_user.pk == case.assignee_id:
            errors["to_user"] = [_("This officer already holds the case.")]
        reason = _required_text(reason, "reason", errors, _("Give the reason for the reassignment."))
        _raise(errors)
        _assign(case, CaseAssignment.Command.REASSIGN, head, to_user, reason=reason)
    return case


# --- periodic sweep ---------------------------------------------------------------------------


def sweep_intake_deadlines(today: date | None = None) -> dict[str, int]:
    """Deemed acceptance (Art. 32) and missed pledges, set-based.

    1. Every ``submitted`` case whose intake due date has passed is accepted as of the day it was
       received (or became complete): one locking SELECT of (id, start, version) tuples, the
       decision dues computed vectorised with ``calendar.add_working_days_many`` (no pause or
       extension can exist before acceptance, so ``due_date`` reduces to it), one UPDATE per
       distinct (start, dues) group — a handful, not one per case — with the state in the WHERE
       clause, and one bulk INSERT of log rows flagged ``{"violation": "deemed_acceptance"}``.
    2. Every case with an unfulfilled pledge past its deadline is terminated, with notice.

    The candidate rows are locked with ``SKIP LOCKED``: a second sweep running at the same time
    skips them, and once the first commits their state no longer matches; so two sweeps never
    transition (or log) a case twice.
    """
    today = today or clock.today()
    result = {"deemed_accepted": 0, "pledges_expired": 0, "skipped": 0}
    with transaction.atomic():
        result.update(_deem_accepted(today))
    with transaction.atomic():
        result["pledges_expired"] = _expire_pledges(today)
    return result


def _deem_accepted(today: date) -> dict[str, int]:
    rows = list(
        Case.objects.select_for_update(skip_locked=True)
        .filter(state=State.SUBMITTED, intake_due__lt=today)
        .order_by("pk")
        .values_list("pk", "received_on", "complete_on", "item_version_id", "round", "intake_due")
    )
    if not rows:
        return {"deemed_accepted": 0, "skipped": 0}
    versions = ItemVersion.objects.in_bulk({r[3] for r in rows})
    starts = [r[2] or r[1] for r in rows]
    limits = [clock.limits(versions[r[3]]) for r in rows]
    skipped = 0
    try:
        promised = calendar.add_working_days_many(starts, [p for p, _s in limits])
        statutory = calendar.add_working_days_many(starts, [s for _p, s in limits])
        dues = list(zip(promised.tolist(), statutory.tolist(), strict=True))
    except calendar.CalendarNotConfirmed:
        # Fall back row by row only to find which ones cannot be computed; those stay submitted.
        dues = []
        for start, (p, s) in zip(starts, limits, strict=True):
            try:
                dues.append((calendar.add_working_days(start, p), calendar.add_working_days(start, s)))
            except calendar.CalendarNotConfirmed:
                dues.append(None)
                skipped += 1
    groups: dict[tuple, list[int]] = defaultdict(list)
    for row, start, due in zip(rows, starts, dues, strict=True):
        if due is not None:
            groups[(start, *due)].append(row[0])
    done: set[int] = set()
    for (start, promised_due, statutory_due), ids in groups.items():
        Case.objects.filter(pk__in=ids, state=State.SUBMITTED).update(
            state=State.ACCEPTED,
            accepted_on=start,
            deemed_accepted=True,
            decision_due_promised=promised_due,
            decision_due_statutory=statutory_due,
        )
        done.update(ids)
    at = clock.now()
    logs = TransitionLog.objects.bulk_create(
        [
            TransitionLog(
                case_id=pk,
                from_state=State.SUBMITTED,
                to_state=State.ACCEPTED,
                command="deem_accepted",
                actor=None,
                at=at,
                reason="",
                round=rnd,
                details={"violation": "deemed_acceptance", "intake_due": due.isoformat(), "accepted_on": start.isoformat()},
            )
            for (pk, _r, _c, _v, rnd, due), start in zip(rows, starts, strict=True)
            if pk in done
        ]
    )
    _notify_on_commit([(entry.case_id, entry.pk) for entry in logs if entry.pk])
    joint = [r[0] for r in rows if r[0] in done and versions[r[3]].is_joint]
    if joint:
        from approvals.parallel import services as parallel

        parallel.open_rounds_in_bulk(joint)
    return {"deemed_accepted": len(done), "skipped": skipped}


def _expire_pledges(today: date) -> int:
    rows = list(
        Case.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(state__in=PLEDGE_STATES, pledge__fulfilled_at__isnull=True, pledge__due__lt=today)
        .order_by("pk")
        .values_list("pk", "state", "round", "pledge__material_codes", "pledge__due")
    )
    if not rows:
        return 0
    ids = [r[0] for r in rows]
    now = clock.now()
    Case.objects.filter(pk__in=ids, state__in=PLEDGE_STATES).update(state=State.TERMINATED, closed_at=now)
    logs = TransitionLog.objects.bulk_create(
        [
            TransitionLog(
                case_id=pk,
                from_state=state,
                to_state=State.TERMINATED,
                command="expire_pledge",
                actor=None,
                at=now,
                reason=_("The pledged materials were not supplied by %(due)s.") % {"due": due.isoformat()},
                round=rnd,
                details={"reason": "pledge_missed", "pledged": codes, "pledge_due": due.isoformat(), "notice": True},
            )
            for pk, state, rnd, codes, due in rows
        ]
    )
    _notify_on_commit([(entry.case_id, entry.pk) for entry in logs if entry.pk])
    _close_department_tasks(ids, reason="expire_pledge")
    return len(ids)
