"""Filing: the applicant's draft, materials, submission, resubmission after correction, withdrawal."""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import BusinessAgent
from approvals.items import selectors as catalog
from approvals.items.models import ItemVersion, MaterialRequirement
from approvals.parallel import services as parallel

from .. import clock, files, inserts
from ..exceptions import coded
from ..forms_validation import clean_fields
from ..kernel import CaseRef, announce_on_commit, fire, lock_case, log, log_entry, raise_errors, require
from ..models import PLEDGE_TEXT, Case, CaseMaterial, CaseNumberSequence, PledgeDeclaration, State
from ..permissions import ensure_can
from ..rules import (
    current_codes,
    missing,
    missing_pledgeable,
    open_correction_notice,
    pledge_of,
    uploadable_materials,
)

VERIFICATION_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L


VERIFICATION_LENGTH = 10


def new_verification_code() -> str:
    """A case's public verification code (no look-alike characters)."""
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


def create_case(
    *,
    user,
    item_code: str,
    fields: dict,
    business_id: int | None = None,
    channel: str = Case.Channel.ONLINE,
    submit: bool = False,
    pledge_declared: bool = False,
    on: date | None = None,
) -> Case:
    """A draft case pinned to the item version in force ``on`` (default today); ``submit`` files it
    (with ``pledge_declared`` when the item has pledgeable materials: a new case has none of them)."""
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
    pledgeable: list[MaterialRequirement] = []
    if submit and not errors:
        # A new case has no materials yet: it can be filed at once only if none is required, and
        # every pledgeable one is missing (what ``rules.missing_pledgeable`` says of it).
        errors.update(missing(specs.form_fields, specs.materials, cleaned, present=set()))
        pledgeable = [req for req in specs.materials if req.necessity == MaterialRequirement.Necessity.PLEDGEABLE]
        errors.update(pledge_problem(pledgeable, pledge_declared))
    raise_errors(errors)
    # Everything is validated before the first write, so no savepoint of its own is needed:
    # an error from here on aborts the caller's transaction as a whole.
    region_code = version.department.region_code
    with transaction.atomic(savepoint=False):
        case = Case(
            verification_code=new_verification_code(),
            item_version=version,
            applicant=user,
            business=agent.business if agent else None,
            agent=agent,
            fields=cleaned,
            channel=channel,
        )
        if submit:
            fire(case, "submit")
            _start_intake_clock(case)
        first = (
            log_entry(case, State.DRAFT, "submit", user, details={"intake_due": case.intake_due.isoformat()})
            if submit else None
        )
        if not inserts.insert_numbered(case, region_code, on.year, first):
            # The ordinary path (SQLite, or the first filing of a region and year).
            case.case_no = allocate_case_no(region_code, on.year)
            inserts.insert(case)
            if first is not None:
                first.case = case  # the case has its primary key now
                inserts.insert(first)
        if pledgeable:
            declare_pledge(case, pledgeable, user=user)
        if first is not None:
            announce_on_commit([(case.pk, first.pk)])
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
        case = lock_case(case_id)
        ensure_can(user, "attach_material", case)
        allowed, supplied_for = uploadable_materials(case)
        pledge = pledge_of(case) if supplied_for == "pledge" else None
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


def submit(case_id: CaseRef, *, user, on_behalf_by=None, pledge_declared: bool = False) -> Case:
    """Draft → submitted; the intake clock starts on the receipt date (Asia/Shanghai).
    ``on_behalf_by``: the front-desk officer filing it at the window (the log names them).

    Pledgeable (容缺) materials may be missing, on every channel, only against the applicant's
    pledge declaration (``pledge_declared``: accepted online, signed on paper at the window); it is
    stored with the case in the same transaction."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(user, "submit", case)
        require(case, "submit")
        specs = catalog.application_specs(case.item_version)
        errors = missing(specs.form_fields, specs.materials, case.fields, current_codes(case))
        pledgeable = missing_pledgeable(case)
        errors.update(pledge_problem(pledgeable, pledge_declared))
        raise_errors(errors)
        before = fire(case, "submit")
        _start_intake_clock(case)
        case.save()
        if pledgeable:
            declare_pledge(case, pledgeable, user=user, recorded_by=on_behalf_by)
        details = {"intake_due": case.intake_due.isoformat()}
        if on_behalf_by is not None:
            details["on_behalf_of"] = case.applicant_id
        log(case, before, "submit", on_behalf_by or user, details=details)
    return case


def pledge_problem(pledgeable: list[MaterialRequirement], declared: bool) -> dict[str, list[str]]:
    """The submission's one pledge rule: without the pledgeable materials ``pledgeable`` (missing
    now), the application is filed only with the applicant's pledge declaration."""
    if not pledgeable or declared:
        return {}
    names = "、".join(f"{req.code} {req.name}" for req in pledgeable)
    return {"pledge_declared": [
        _("%(materials)s not supplied: to submit without them the applicant must accept the pledge "
          "declaration (承诺书).") % {"materials": names}
    ]}


def declare_pledge(case: Case, pledgeable: list[MaterialRequirement], *, user, recorded_by=None) -> PledgeDeclaration:
    """Store the declaration for the pledgeable materials missing at submission, verbatim."""
    return PledgeDeclaration.objects.create(
        case=case, user=user, recorded_by=recorded_by, material_codes=[req.code for req in pledgeable],
        text=PLEDGE_TEXT, declared_at=clock.now(),
    )


def resubmit(case_id: CaseRef, *, user) -> Case:
    """Correction requested → submitted once every listed material is replaced; that day the
    application is complete (and a new intake period runs from it)."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(user, "resubmit", case)
        require(case, "resubmit")
        notice = open_correction_notice(case)
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
        raise_errors(errors)
        before = fire(case, "resubmit")
        case.complete_on = clock.today()
        if notice:
            notice.completed_on = case.complete_on
            notice.save(update_fields=["completed_on"])
        clock.refresh(case)
        case.save()
        log(case, before, "resubmit", user, details={"complete_on": case.complete_on.isoformat()})
    return case


def withdraw(case_id: CaseRef, *, user, reason: str = "") -> Case:
    """The applicant withdraws an open case."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(user, "withdraw", case)
        require(case, "withdraw")
        before = fire(case, "withdraw")
        case.closed_at = clock.now()
        case.save()
        log(case, before, "withdraw", user, reason=reason)
        parallel.cancel_open_tasks([case.pk], actor=user, reason="withdraw")
    return case
