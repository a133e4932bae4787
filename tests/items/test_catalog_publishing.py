"""Publishing is refused, with every reason at once, while a version is incomplete."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from approvals.items import services
from approvals.items.models import CoDepartment, Item, ItemVersion
from tests import factories as f

pytestmark = pytest.mark.django_db


def _bare_draft(**kw) -> ItemVersion:
    """A draft with no legal basis, no materials and no time limits."""
    item = Item.objects.create(code=f"BARE{f.next_id():05d}", basic_code="B")
    return ItemVersion.objects.create(item=item, name="空事项", department=f.department(), **kw)


def _refusal(version: ItemVersion) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        services.publish(version.pk, effective_from=date(2026, 1, 1))
    version.refresh_from_db()
    assert version.status == ItemVersion.Status.DRAFT
    assert version.effective_from is None
    return exc.value.messages


@pytest.fixture(autouse=True)
def _english():
    # Assert the msgids; with a Chinese catalogue compiled the same messages come out translated.
    with translation.override("en"):
        yield


def test_an_empty_draft_is_refused_with_every_reason_listed_at_once():
    draft = _bare_draft(is_joint=True)

    reasons = _refusal(draft)

    assert reasons == [
        "It has no legal basis.",
        "It has no material list.",
        "It has no statutory time limit.",
        "It has no promised time limit.",
        "A joint item needs a join policy.",
        "A joint item needs at least one co-department.",
    ]
    assert services.publication_problems(draft) == reasons


def test_a_non_joint_draft_is_not_asked_for_a_join_policy():
    reasons = _refusal(_bare_draft(statutory_limit_days=20))
    assert reasons == ["It has no legal basis.", "It has no material list.", "It has no promised time limit."]


def test_promised_limit_above_the_statutory_one_is_refused_with_both_numbers():
    # The database check constraint forbids storing it; an import or form validating late could still try.
    draft = f.item_version(publish=False, statutory=20, promised=20)
    draft.promised_limit_days = 25

    problems = services.publication_problems(draft)

    assert problems == ["The promised limit (25 working days) is above the statutory limit (20)."]


def test_joint_item_lists_missing_policy_and_co_departments_together_with_other_gaps():
    draft = f.item_version(publish=False, statutory=45, promised=30, materials=())
    ItemVersion.objects.filter(pk=draft.pk).update(is_joint=True, join_policy="")

    reasons = _refusal(ItemVersion.objects.get(pk=draft.pk))

    assert reasons == [
        "It has no material list.",
        "A joint item needs a join policy.",
        "A joint item needs at least one co-department.",
    ]


def test_lead_department_cannot_be_its_own_co_department():
    lead = f.department()
    draft = f.item_version(publish=False, dept=lead, co_departments=(f.department(),))
    CoDepartment.objects.create(version=draft, department=lead, position=9)

    assert _refusal(draft) == ["The lead department cannot also be a co-department."]


def test_a_complete_joint_draft_publishes():
    draft = f.item_version(
        publish=False, co_departments=(f.department(), f.department()), join_policy="all_agree"
    )
    assert services.publication_problems(draft) == []
    assert services.publish(draft.pk, effective_from=date(2026, 1, 1)).status == ItemVersion.Status.PUBLISHED


def test_refusal_for_an_early_date_is_listed_with_the_other_reasons():
    v1 = f.item_version(effective_from=date(2026, 1, 1))
    v2 = services.new_version(v1.item_id)
    v2.legal_bases.all().delete()

    with pytest.raises(ValidationError) as exc:
        services.publish(v2.pk, effective_from=date(2025, 12, 31))

    assert exc.value.messages == [
        "It has no legal basis.",
        "The effective date must be after 2026-01-01, when the current version took effect.",
    ]
