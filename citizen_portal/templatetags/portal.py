"""Template helpers: accessible form widgets (errors and help linked to their field)."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def widget(field):
    """The field's widget with ``aria-describedby`` naming its help text and error, and ``aria-invalid``."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    attrs = {}
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if getattr(field.field, "show_required", field.field.required):
        attrs["aria-required"] = "true"
    return mark_safe(field.as_widget(attrs=attrs))  # noqa: S308 - Django's own widget rendering


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def public_board_url() -> str:
    """The public disclosure board's address, when it is installed (approvals.supervision.reports)."""
    from django.urls import Resolver404, resolve

    try:
        resolve("/public/")
    except Resolver404:
        return ""
    return "/public/"
