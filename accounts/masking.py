"""Masking of personal data for display and logs (domain.md section 6): one place for every rule."""

import re


def mask_id_number(value: str | None) -> str:
    """110***********1234: keep the first 3 and last 4 characters."""
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def mask_phone(value: str | None) -> str:
    """138****1234."""
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else "*" * len(value)


def mask_name(value: str | None) -> str:
    """张* (two characters), 欧阳** ... keep only the first character."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)


_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")


def mask_text(text: str) -> str:
    """Mask every ID number and mobile number that appears inside free text (logs, notes)."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(1)), text)
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(1)), text)
