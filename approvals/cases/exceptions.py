"""Errors of the case engine.

- ``Conflict``: the command is not allowed in the case's current state (typically someone else
  moved the case first). The API answers 409.
- Bad input: ``django.core.exceptions.ValidationError`` (field → messages), API 400.
- Access: ``django.http.Http404`` when the user cannot see the case, ``PermissionDenied`` when
  they can see it but may not act (403).
"""

from __future__ import annotations


class Conflict(Exception):
    """The case is not (or no longer) in a state that allows the command."""

    def __init__(self, message: str, *, state: str = "", command: str = "") -> None:
        super().__init__(message)
        self.state = state
        self.command = command


def coded(errors: dict, code: str) -> dict:
    """``{field: message}`` with each message wrapped as a ValidationError carrying ``code``, so the
    code survives in ``ValidationError(...).error_dict`` (a dict-level ``code=`` is dropped)."""
    from django.core.exceptions import ValidationError

    return {field: ValidationError(message, code=code) for field, message in errors.items()}
