"""Application fields are validated against the pinned version's form fields."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from approvals.cases import services
from approvals.items.models import FormField
from tests import factories


@pytest.fixture
def version(world):
    return factories.item_version(
        dept=world.dept,
        fields=(
            ("shop_name", "text", True),
            ("area", "area", True),
            ("staff", "number", False),
            ("opened", "date", False),
            ("kind", "choice", False),
            ("phone", "phone", False),
        ),
        publish=False,
    )


def _publish(version):
    FormField.objects.filter(version=version, name="kind").update(choices="餐饮|零售")
    from approvals.items import services as catalog

    return catalog.publish(version.pk, effective_from=date(2025, 1, 1))


def test_valid_values_are_cleaned(world, version):
    version = _publish(version)
    case = services.create_case(
        user=world.applicant,
        item_code=version.item.code,
        fields={"shop_name": " 面馆 ", "area": "12.50", "staff": 3, "opened": "2026-09-01", "kind": "餐饮",
                "phone": "0571-87654321"},
    )
    assert case.fields == {"shop_name": "面馆", "area": "12.50", "staff": "3", "opened": "2026-09-01",
                           "kind": "餐饮", "phone": "0571-87654321"}


def test_every_bad_value_is_reported_at_once(world, version):
    version = _publish(version)
    with pytest.raises(ValidationError) as exc:
        services.create_case(
            user=world.applicant,
            item_code=version.item.code,
            fields={"area": "-3", "staff": "many", "opened": "01/09/2026", "kind": "工业", "phone": "12345",
                    "income": "1"},
        )
    assert set(exc.value.message_dict) == {
        "fields.area", "fields.staff", "fields.opened", "fields.kind", "fields.phone", "fields.income"
    }


def test_zero_area_is_refused(world, version):
    version = _publish(version)
    with pytest.raises(ValidationError) as exc:
        services.create_case(user=world.applicant, item_code=version.item.code, fields={"area": "0"})
    assert "fields.area" in exc.value.message_dict
