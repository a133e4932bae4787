"""Authentication backend: Django's ``ModelBackend``, loading an applicant's profile with the user.

Every request of a signed-in user loads the user row (``AuthenticationMiddleware``); the case
engine and the portal then ask for the citizen profile (only registered applicants file cases).
Joining it here turns two queries into one on every applicant request; officers simply have none.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ProfileModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = (
                user_model._default_manager.select_related("citizen_profile")
                # personal data is decrypted only where a page shows it (domain.md section 7)
                .defer("citizen_profile__id_number", "citizen_profile__address")
                .get(pk=user_id)
            )
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
