"""The user of every signed-in request is loaded with the applicant's profile in one query, and the
profile's personal data (ID number, address) is not decrypted until something shows it."""

import pytest
from django.conf import settings
from django.test import Client

from accounts.backends import ProfileModelBackend
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_profile_comes_with_the_user_and_its_personal_data_stays_encrypted(django_assert_num_queries):
    citizen = factories.citizen()
    with django_assert_num_queries(1):
        user = ProfileModelBackend().get_user(citizen.pk)
        profile = user.citizen_profile
    assert profile.get_deferred_fields() == {"id_number", "address"}
    with django_assert_num_queries(1):  # read (and decrypted) only when asked for
        assert profile.masked_id_number[-4:] == citizen.citizen_profile.id_number[-4:]


def test_an_officer_has_no_profile_and_no_extra_query(django_assert_num_queries):
    officer = factories.officer(factories.department(), "front_desk")
    with django_assert_num_queries(1):
        assert not hasattr(ProfileModelBackend().get_user(officer.pk), "citizen_profile")


def test_a_session_opened_with_djangos_backend_stays_signed_in():
    """Sessions from before the backend changed name Django's ModelBackend (still listed)."""
    citizen = factories.citizen()
    client = Client()
    client.force_login(citizen, backend="django.contrib.auth.backends.ModelBackend")
    assert "django.contrib.auth.backends.ModelBackend" in settings.AUTHENTICATION_BACKENDS
    response = client.get("/api/v1/cases/")
    assert response.status_code == 200
