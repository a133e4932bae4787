"""Account commands shared by the portal and the workbench."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import crypto
from .identity import validate_resident_id
from .models import CitizenProfile, User


def walk_in_applicant(*, id_number: str, real_name: str = "", phone: str = "") -> User:
    """The applicant who came to the window: found by ID number (through its keyed digest), or
    registered on the spot without a password (they can claim the account online later).
    Raises ValidationError with every problem (``id_number``, ``real_name``, ``phone``)."""
    id_number = (id_number or "").strip().upper()
    try:
        validate_resident_id(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    profile = CitizenProfile.objects.select_related("user").filter(id_number_digest=crypto.digest(id_number)).first()
    if profile:
        return profile.user
    errors: dict[str, list[str]] = {}
    name = (real_name or "").strip()
    if not name:
        errors["real_name"] = [_("A new applicant needs their real name.")]
    user = User(username=f"w{crypto.digest(id_number)[:20]}", phone=(phone or "").strip())
    user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    user.save()
    CitizenProfile.objects.create(user=user, real_name=name, id_number=id_number)
    return user
