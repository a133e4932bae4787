import pytest

from accounts.identity import validate_resident_id, validate_uscc
from approvals.items.models import ItemVersion
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_factories_build_valid_published_items_and_identities():
    version = f.item_version()
    assert version.status == ItemVersion.Status.PUBLISHED
    assert ItemVersion.objects.in_force().filter(pk=version.pk).exists()
    user = f.citizen()
    validate_resident_id(user.citizen_profile.id_number)
    validate_uscc(f.business(user).uscc)
