"""Formatting of report values on pages and in the PDF."""

from django import template

register = template.Library()


@register.filter
def measure(row: dict, m) -> str:
    """``row|measure:m`` — the value of measure ``m`` formatted for its kind (— when undefined)."""
    value = row.get(m.key)
    if value is None:
        return "—"
    if m.fmt == "rate":
        return f"{value:.1%}"
    if m.fmt == "days":
        return f"{value:.1f}"
    if m.fmt == "number":
        return f"{value:.2f}"
    return str(value)
