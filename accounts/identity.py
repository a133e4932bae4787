"""Identity numbers of applicants: the resident ID number (GB 11643, ISO 7064 MOD 11-2 check digit)
and the unified social credit code (GB 32100, MOD 31 check character)."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")


def resident_id_check_digit(first17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_resident_id(value: str) -> None:
    """Raise ValidationError unless ``value`` is a well-formed 18-digit resident ID number."""
    value = (value or "").strip().upper()
    if not _ID_RE.match(value):
        raise ValidationError(_("A resident ID number has 17 digits followed by a digit or X."), code="format")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("The date of birth in this ID number does not exist."), code="birth_date") from None
    if resident_id_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("The check digit of this ID number is wrong."), code="check_digit")


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def uscc_check_character(first17: str) -> str:
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """Raise ValidationError unless ``value`` is a well-formed unified social credit code."""
    value = (value or "").strip().upper()
    if not _USCC_RE.match(value):
        raise ValidationError(
            _("A unified social credit code has 18 characters (digits and capital letters except I, O, S, V, Z)."),
            code="format",
        )
    if uscc_check_character(value[:17]) != value[17]:
        raise ValidationError(_("The check character of this unified social credit code is wrong."), code="check_digit")


_PHONE_RE = re.compile(r"^1[3-9][0-9]{9}$")


def validate_mobile(value: str) -> None:
    if not _PHONE_RE.match((value or "").strip()):
        raise ValidationError(_("Enter an 11-digit mainland mobile number."), code="format")
