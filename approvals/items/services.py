"""Catalog commands: one function each. Versioning rules live here (domain.md section 2)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    FAQ,
    CoDepartment,
    Fee,
    FormField,
    Item,
    ItemVersion,
    LegalBasis,
    MaterialRequirement,
    SpecialProcedure,
)

# Child tables copied into a new draft version, in a fixed order.
CHILD_MODELS = (CoDepartment, LegalBasis, MaterialRequirement, SpecialProcedure, Fee, FAQ, FormField)


def publication_problems(version: ItemVersion) -> list[str]:
    """Every reason why ``version`` may not be published; empty when it may."""
    problems: list[str] = []
    if not version.legal_bases.exists():
        problems.append(_("It has no legal basis."))
    if not version.materials.exists():
        problems.append(_("It has no material list."))
    if version.statutory_limit_days is None:
        problems.append(_("It has no statutory time limit."))
    if version.promised_limit_days is None:
        problems.append(_("It has no promised time limit."))
    if (
        version.statutory_limit_days is not None
        and version.promised_limit_days is not None
        and version.promised_limit_days > version.statutory_limit_days
    ):
        problems.append(
            _("The promised limit (%(promised)s working days) is above the statutory limit (%(statutory)s).")
            % {"promised": version.promised_limit_days, "statutory": version.statutory_limit_days}
        )
    if version.is_joint:
        if not version.join_policy:
            problems.append(_("A joint item needs a join policy."))
        if not version.co_departments.exists():
            problems.append(_("A joint item needs at least one co-department."))
        elif version.co_departments.filter(department_id=version.department_id).exists():
            problems.append(_("The lead department cannot also be a co-department."))
    return problems


def publish(version_id: int, *, effective_from: date | None = None) -> ItemVersion:
    """Publish a draft version, in force from ``effective_from`` (default today).

    The version in force before it is superseded from that date. Refused, with every reason
    listed, when the version is incomplete.
    """
    with transaction.atomic():
        version = ItemVersion.objects.select_for_update().select_related("item").get(pk=version_id)
        if version.status != ItemVersion.Status.DRAFT:
            raise ValidationError(_("Only a draft version can be published."), code="not_draft")
        effective_from = effective_from or version.effective_from or timezone.localdate()
        problems = publication_problems(version)
        previous = (
            ItemVersion.objects.select_for_update()
            .filter(item=version.item, status__in=[ItemVersion.Status.PUBLISHED, ItemVersion.Status.RETIRED])
            .order_by("-effective_from", "-version")
            .first()
        )
        if (
            previous
            and previous.status == ItemVersion.Status.PUBLISHED
            and previous.effective_from
            and effective_from <= previous.effective_from
        ):
            problems.append(
                _("The effective date must be after %(date)s, when the current version took effect.")
                % {"date": previous.effective_from.isoformat()}
            )
        if (
            previous
            and previous.status == ItemVersion.Status.RETIRED
            and previous.effective_to
            and effective_from < previous.effective_to
        ):
            # Two versions in force on the same day would make "the version in force" ambiguous.
            problems.append(
                _("The effective date cannot be before %(date)s, when the retired version stops being in force.")
                % {"date": previous.effective_to.isoformat()}
            )
        if problems:
            raise ValidationError(problems, code="cannot_publish")
        if previous and previous.status == ItemVersion.Status.PUBLISHED:
            previous.supersede()
            previous.effective_to = effective_from
            previous.save(_lifecycle=True)
        version.publish()
        version.effective_from = effective_from
        version.published_at = timezone.now()
        version.save(_lifecycle=True)
    return version


def retire(version_id: int, *, effective_to: date | None = None) -> ItemVersion:
    """Withdraw a published item from ``effective_to`` (exclusive; default today)."""
    with transaction.atomic():
        version = ItemVersion.objects.select_for_update().get(pk=version_id)
        if version.status != ItemVersion.Status.PUBLISHED:
            raise ValidationError(_("Only the published version can be retired."), code="not_published")
        version.retire()
        version.effective_to = effective_to or timezone.localdate()
        version.save(_lifecycle=True)
    return version


def new_version(item_id: int) -> ItemVersion:
    """Start a new draft, copied from the item's latest version (its children included).

    An item has at most one draft at a time: the existing draft is returned if there is one.
    """
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item_id)
        latest = item.versions.order_by("-version").first()
        if latest is None:
            raise ValidationError(_("The item has no version to copy."), code="no_version")
        if latest.status == ItemVersion.Status.DRAFT:
            return latest
        source_pk = latest.pk
        draft = latest
        draft.pk = None
        draft.id = None
        draft._state.adding = True
        draft.version = latest.version + 1
        draft.status = ItemVersion.Status.DRAFT
        draft.effective_from = None
        draft.effective_to = None
        draft.published_at = None
        draft.save()
        for model in CHILD_MODELS:
            rows = list(model.objects.filter(version_id=source_pk))
            for row in rows:
                row.pk = None
                row.id = None
                row._state.adding = True
                row.version = draft
            model.objects.bulk_create(rows)
    return draft
