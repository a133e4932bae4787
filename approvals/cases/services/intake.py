"""Intake at the front desk (Art. 32): the one correction notice, acceptance (with pledge), refusal at intake, and
intake at the window for an applicant who came in person."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import OfficerMembership
from approvals.items.models import MaterialRequirement
from approvals.parallel import services as parallel

from .. import clock
from ..exceptions import coded
from ..kernel import CaseRef, fire, lock_case, log, raise_errors, require, required_text
from ..models import Case, CorrectionNotice, Pledge
from ..permissions import ensure_can
from ..rules import acceptance_date, check_remedies, current_codes, missing_pledgeable, pledge_offered
from .filing import attach_material, create_case, submit


def intake_at_window(
    *, officer, applicant, item_code: str, fields: dict, uploads: dict, pledge_declared: bool = False
) -> Case:
    """Intake at the window for an applicant who came in person: the front-desk officer files the
    case on the applicant's behalf (channel ``window``) with the scanned materials (``uploads``:
    material code → file) and submits it, all or nothing. The case belongs to the applicant; the
    log and the materials name the officer who did it. Pledgeable materials left out need the
    pledge declaration the applicant signed on paper (``pledge_declared``), as on every channel."""
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
        raise_errors(errors)
        return submit(case.pk, user=applicant, on_behalf_by=officer, pledge_declared=pledge_declared)


def request_correction(case_id: CaseRef, *, officer, problems: list[dict]) -> Case:
    """补正: ONE notice per intake listing every problem (material code, reason, expected)."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(officer, "request_correction", case)
        require(case, "request_correction")
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
            reason = required_text(str(problem.get("reason", "")), key, errors, _("Give the reason."))
            expected = required_text(str(problem.get("expected", "")), key, errors, _("Say what is expected."))
            cleaned.append({"material_code": code, "reason": reason, "expected": expected})
        raise_errors(errors)
        notice = CorrectionNotice.objects.create(
            case=case, round=case.round, issued_on=clock.today(), issued_at=clock.now(), officer=officer, problems=cleaned
        )
        before = fire(case, "request_correction")
        case.save()
        log(case, before, "request_correction", officer, details={"notice_id": notice.pk, "problems": cleaned})
    return case


def accept(case_id: CaseRef, *, officer, note: str = "") -> Case:
    """Submitted → accepted; the decision clocks start on the acceptance date."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(officer, "accept", case)
        require(case, "accept")
        raise_errors(coded({
            f"materials.{req.code}": _("%(name)s is missing: accept with pledge, or ask for it in a correction notice.")
            % {"name": req.name}
            for req in missing_pledgeable(case)
        }, "incomplete"))
        before = fire(case, "accept")
        case.accepted_on = acceptance_date(case)
        clock.refresh(case, before_review=True)
        case.save(update_fields=["state", "accepted_on", *clock.CLOCK_FIELDS])  # the busiest command
        log(case, before, "accept", officer, reason=note, details={"accepted_on": case.accepted_on.isoformat()})
        _open_department_tasks(case)
    return case


def _open_department_tasks(case: Case) -> None:
    """Joint items: the lead and every co-department get their task as the case is accepted."""
    if case.item_version.is_joint:
        parallel.open_round(case)


def accept_with_pledge(
    case_id: CaseRef, *, officer, pledged_material_codes: list[str], pledge_due: date, note: str = ""
) -> Case:
    """容缺受理: accepted while pledgeable materials that are missing (or were listed as defective)
    are supplied later, by ``pledge_due`` (no later than the promised decision due).
    Not offered to applicants with a bad-credit flag."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(officer, "accept_with_pledge", case)
        require(case, "accept_with_pledge")
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
        present = current_codes(case)
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
        raise_errors(errors)
        before = fire(case, "accept_with_pledge")
        case.accepted_on = acceptance_date(case)
        clock.refresh(case, before_review=True)
        if not isinstance(pledge_due, date) or pledge_due < clock.today():
            errors["pledge_due"] = [_("The pledge deadline must be a date from today on.")]
        elif pledge_due > case.decision_due_promised:
            errors["pledge_due"] = [
                _("The pledge deadline may not be after the promised decision date %(due)s.")
                % {"due": case.decision_due_promised.isoformat()}
            ]
        raise_errors(errors)
        Pledge.objects.create(case=case, material_codes=codes, due=pledge_due, pledged_at=clock.now(), officer=officer)
        clock.refresh(case)
        case.save()
        log(
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
        case = lock_case(case_id)
        ensure_can(officer, "not_accept", case)
        require(case, "not_accept")
        errors: dict[str, list[str]] = {}
        reasons = required_text(reasons, "reasons", errors, _("State the reasons."))
        remedies = check_remedies(remedies, errors)
        competent_organ = (competent_organ or "").strip()
        if outside_competence and not competent_organ:
            errors["competent_organ"] = [_("Name the competent organ the applicant should turn to.")]
        raise_errors(errors)
        before = fire(case, "not_accept")
        case.reasons, case.remedies, case.competent_organ = reasons, remedies, competent_organ
        case.decided_at = clock.now()
        case.save()
        log(
            case, before, "not_accept", officer, reason=reasons,
            details={"outside_competence": bool(outside_competence), "competent_organ": competent_organ},
        )
    return case
