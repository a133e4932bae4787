"""Application fields validated against the pinned version's ``FormField`` rows.

``clean_fields`` checks the values that are present (unknown names refused: collect only what the
item needs); ``missing_required`` lists the required fields that are empty, for submission.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from approvals.items.models import FormField

T = FormField.FieldType
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_value(field: FormField, value):
    """The cleaned value, or raise ValueError with a user-facing reason."""
    kind = field.field_type
    if kind == T.NUMBER:
        if isinstance(value, bool):
            raise ValueError(_("Enter a number."))
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValueError(_("Enter a number."))
        return str(number)
    if kind == T.AREA:
        try:
            area = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(_("Enter an area in square metres.")) from None
        if isinstance(value, bool) or not area.is_finite() or area <= 0:
            raise ValueError(_("The area must be a positive number of square metres."))
        return str(area)
    if kind == T.DATE:
        try:
            return date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    if kind == T.CHOICE:
        choices = field.choice_list
        if str(value) not in choices:
            raise ValueError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)})
        return str(value)
    if kind == T.PHONE:
        phone = str(value).strip().replace(" ", "")
        if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
            raise ValueError(_("Enter a mobile number (11 digits) or a landline such as 0571-87654321."))
        return phone
    if kind == T.BOOLEAN:
        if isinstance(value, bool):
            return value
        if str(value).lower() in {"true", "1", "yes"}:
            return True
        if str(value).lower() in {"false", "0", "no"}:
            return False
        raise ValueError(_("Answer yes or no."))
    if not isinstance(value, str | int | float):
        raise ValueError(_("Enter text."))
    text = str(value).strip()
    limit = 5000 if kind == T.LONG_TEXT else 500
    if len(text) > limit:
        raise ValueError(_("At most %(limit)s characters.") % {"limit": limit})
    return text


def clean_fields(form_fields, data: dict) -> dict:
    """Validate the present values of ``data``; every problem is reported at once."""
    if not isinstance(data, dict):
        raise ValidationError({"fields": _("The application fields must be an object.")}, code="invalid")
    by_name = {f.name: f for f in form_fields}
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for name, value in data.items():
        field = by_name.get(name)
        if field is None:
            errors[f"fields.{name}"] = [_("This item has no such field.")]
            continue
        if _empty(value):
            continue
        try:
            cleaned[name] = _clean_value(field, value)
        except ValueError as exc:
            errors[f"fields.{name}"] = [str(exc)]
    if errors:
        raise ValidationError(errors, code="invalid")
    return cleaned


def missing_required(form_fields, data: dict) -> dict[str, list[str]]:
    """field key → message for each required field without a value."""
    return {
        f"fields.{f.name}": [_("%(label)s is required.") % {"label": f.label}]
        for f in form_fields
        if f.required and _empty(data.get(f.name))
    }
