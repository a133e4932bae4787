"""Catalog versions: draft → published (immutable) → superseded / retired; the version in force on a date."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from approvals.items import services
from approvals.items.models import (
    FAQ,
    CoDepartment,
    Fee,
    FormField,
    ItemVersion,
    LegalBasis,
    MaterialRequirement,
    SpecialProcedure,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_publishing_a_draft_makes_it_published_and_in_force_from_its_effective_date():
    draft = f.item_version(publish=False)
    assert draft.status == ItemVersion.Status.DRAFT
    assert draft.item.version_in_force(date(2030, 1, 1)) is None

    published = services.publish(draft.pk, effective_from=date(2025, 3, 1))

    published.refresh_from_db()
    assert published.status == ItemVersion.Status.PUBLISHED
    assert published.effective_from == date(2025, 3, 1)
    assert published.effective_to is None
    assert published.published_at is not None
    assert draft.item.version_in_force(date(2025, 2, 28)) is None
    assert draft.item.version_in_force(date(2025, 3, 1)) == published


def test_only_a_draft_can_be_published():
    version = f.item_version()
    with pytest.raises(ValidationError) as exc:
        services.publish(version.pk, effective_from=date(2026, 1, 1))
    assert exc.value.code == "not_draft"


def test_a_published_version_refuses_field_changes_even_through_a_stale_copy():
    draft = f.item_version(publish=False)
    stale = ItemVersion.objects.get(pk=draft.pk)
    services.publish(draft.pk, effective_from=date(2025, 1, 1))

    fresh = ItemVersion.objects.get(pk=draft.pk)
    fresh.name = "改名"
    with pytest.raises(ValidationError):
        fresh.save()
    stale.promised_limit_days = 5
    with pytest.raises(ValidationError):
        stale.save()
    with pytest.raises(ValidationError):
        stale.delete()
    fresh.refresh_from_db()
    assert fresh.name != "改名"
    assert fresh.promised_limit_days == 10


def test_a_published_version_refuses_adding_changing_or_deleting_child_rows():
    draft = f.item_version(publish=False)
    legal_basis = draft.legal_bases.get()  # loaded while the version is a draft
    services.publish(draft.pk, effective_from=date(2025, 1, 1))
    version = ItemVersion.objects.get(pk=draft.pk)

    with pytest.raises(ValidationError):
        LegalBasis.objects.create(version=version, law_name="《另一部法规》")
    with pytest.raises(ValidationError):
        FAQ.objects.create(version=version, question="?", answer="!")
    legal_basis.article = "第一条"
    with pytest.raises(ValidationError):
        legal_basis.save()  # its cached version still says "draft"
    material = version.materials.first()
    with pytest.raises(ValidationError):
        material.delete()

    assert version.legal_bases.count() == 1
    assert version.legal_bases.get().article == "第三十二条"
    assert version.materials.count() == 3
    assert not version.faqs.exists()


def test_new_version_is_a_draft_copying_every_child_row():
    dept, co = f.department(), f.department()
    original = f.item_version(publish=False, dept=dept, co_departments=(co,), join_policy="lead_decides")
    Fee.objects.create(version=original, name="工本费", amount="10.00")
    FAQ.objects.create(version=original, question="要多久？", answer="十个工作日。")
    services.publish(original.pk, effective_from=date(2025, 1, 1))

    draft = services.new_version(original.item_id)

    assert draft.pk != original.pk
    assert draft.version == 2
    assert draft.status == ItemVersion.Status.DRAFT
    assert draft.effective_from is None and draft.published_at is None
    assert draft.name == original.name and draft.department == dept and draft.join_policy == "lead_decides"
    for model in (LegalBasis, MaterialRequirement, CoDepartment, SpecialProcedure, Fee, FAQ, FormField):
        originals = model.objects.filter(version_id=original.pk).count()
        assert originals > 0, model
        assert model.objects.filter(version=draft).count() == originals, model
    assert list(draft.materials.values_list("code", "necessity")) == list(
        MaterialRequirement.objects.filter(version_id=original.pk).values_list("code", "necessity")
    )
    assert draft.co_departments.get().department == co
    # The copy is editable; the original stays as it was.
    Fee.objects.filter(version=draft).get().delete()
    assert Fee.objects.filter(version_id=original.pk).count() == 1
    assert ItemVersion.objects.get(pk=original.pk).status == ItemVersion.Status.PUBLISHED
    # At most one draft at a time: asking again returns the same draft.
    assert services.new_version(original.item_id) == draft
    assert original.item.versions.count() == 2


def test_second_publication_supersedes_the_first_from_its_effective_date():
    v1 = f.item_version(effective_from=date(2025, 1, 1))
    v2 = services.new_version(v1.item_id)
    ItemVersion.objects.filter(pk=v2.pk).update(name="新名称")  # a draft edit

    services.publish(v2.pk, effective_from=date(2026, 7, 1))

    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.status == ItemVersion.Status.SUPERSEDED
    assert v1.effective_to == date(2026, 7, 1)
    assert v2.status == ItemVersion.Status.PUBLISHED
    item = v1.item
    assert item.version_in_force(date(2024, 12, 31)) is None
    assert item.version_in_force(date(2025, 1, 1)) == v1
    assert item.version_in_force(date(2026, 6, 30)) == v1
    assert item.version_in_force(date(2026, 7, 1)) == v2
    assert item.version_in_force(date(2030, 1, 1)) == v2
    assert ItemVersion.objects.in_force(date(2026, 6, 30)).filter(item=item).count() == 1
    assert ItemVersion.objects.in_force(date(2026, 7, 1)).filter(item=item).count() == 1


@pytest.mark.parametrize("effective", [date(2025, 1, 1), date(2024, 6, 1)])
def test_effective_date_not_after_the_current_one_is_refused(effective):
    v1 = f.item_version(effective_from=date(2025, 1, 1))
    v2 = services.new_version(v1.item_id)

    with pytest.raises(ValidationError) as exc:
        services.publish(v2.pk, effective_from=effective)

    assert any("2025-01-01" in m for m in exc.value.messages)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.status == ItemVersion.Status.PUBLISHED and v1.effective_to is None
    assert v2.status == ItemVersion.Status.DRAFT


def test_retire_withdraws_the_item_from_the_given_date():
    v1 = f.item_version(effective_from=date(2025, 1, 1))

    services.retire(v1.pk, effective_to=date(2026, 3, 1))

    v1.refresh_from_db()
    assert v1.status == ItemVersion.Status.RETIRED
    assert v1.item.version_in_force(date(2026, 2, 28)) == v1
    assert v1.item.version_in_force(date(2026, 3, 1)) is None
    with pytest.raises(ValidationError) as exc:
        services.retire(v1.pk)
    assert exc.value.code == "not_published"


def test_a_new_version_of_a_retired_item_cannot_overlap_the_retired_one():
    v1 = f.item_version(effective_from=date(2025, 1, 1))
    services.retire(v1.pk, effective_to=date(2026, 3, 1))
    v2 = services.new_version(v1.item_id)

    with pytest.raises(ValidationError) as exc:
        services.publish(v2.pk, effective_from=date(2026, 2, 1))
    assert any("2026-03-01" in m for m in exc.value.messages)

    services.publish(v2.pk, effective_from=date(2026, 3, 1))
    v1.refresh_from_db()
    assert v1.status == ItemVersion.Status.RETIRED  # not superseded: it was already withdrawn
    assert v1.item.version_in_force(date(2026, 2, 28)) == v1
    assert v1.item.version_in_force(date(2026, 3, 1)).pk == v2.pk


def test_application_specs_of_a_published_version_are_read_once_and_never_go_stale(django_assert_num_queries):
    from approvals.items.selectors import application_specs
    from approvals.items.services import new_version, publish

    first = f.item_version(fields=(("shop_name", "text", True),))
    codes = [m.code for m in application_specs(first).materials]
    with django_assert_num_queries(0):
        assert [m.code for m in application_specs(first).materials] == codes
    draft = new_version(first.item_id)
    MaterialRequirement.objects.create(version=draft, code="M09", name="新增材料", position=9)
    assert "M09" in [m.code for m in application_specs(draft).materials]  # drafts are read anew
    second = publish(draft.pk, effective_from=date(2026, 1, 1))
    assert [m.code for m in application_specs(second).materials] == [*codes, "M09"]
    assert [m.code for m in application_specs(first).materials] == codes
