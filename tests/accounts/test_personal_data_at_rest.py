import pytest
from django.db import IntegrityError, connection

from accounts.models import CitizenProfile, User

pytestmark = pytest.mark.django_db


def test_id_number_and_phone_are_encrypted_in_the_database_and_plain_in_python():
    user = User.objects.create_user("zhangsan", password="x", phone="13812341234")
    CitizenProfile.objects.create(user=user, real_name="张三", id_number="11010519491231002x", address="北京市东城区某街1号")
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, address FROM accounts_citizenprofile")
        raw_id, raw_address = cur.fetchone()
        cur.execute("SELECT phone FROM accounts_user WHERE id = %s", [user.pk])
        (raw_phone,) = cur.fetchone()
    assert "11010519491231002X" not in raw_id and "东城区" not in raw_address and "1381234" not in raw_phone
    profile = CitizenProfile.objects.get(user=user)
    assert profile.id_number == "11010519491231002X"
    assert profile.masked_id_number == "110***********002X"
    assert User.objects.get(pk=user.pk).phone == "13812341234"


def test_one_profile_per_id_number_through_the_digest():
    a = User.objects.create_user("a", password="x")
    b = User.objects.create_user("b", password="x")
    CitizenProfile.objects.create(user=a, real_name="甲", id_number="11010519491231002X")
    with pytest.raises(IntegrityError):
        CitizenProfile.objects.create(user=b, real_name="乙", id_number="11010519491231002x")
