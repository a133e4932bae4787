from django import template

from approvals.notifications import services as notifications

register = template.Library()


@register.filter
def get(mapping, key):
    """``errors|get:"problems.0"``: a dict lookup with any key (dots included)."""
    if not mapping:
        return None
    return mapping.get(key)


@register.simple_tag
def unread_count(user) -> int:
    return notifications.unread_count(user) if user.is_authenticated else 0


@register.simple_tag
def field_errors(errors, *keys):
    """The errors of ``keys`` next to their field, announced to screen readers."""
    from django.utils.html import format_html, format_html_join

    messages = [m for key in keys for m in ((errors or {}).get(key) or [])]
    if not messages:
        return ""
    return format_html(
        '<ul class="errorlist" role="alert" data-field="{}">{}</ul>',
        keys[0], format_html_join("", "<li>{}</li>", ((m,) for m in messages)),
    )


@register.simple_tag(takes_context=True)
def sort_link(context, key, label):
    """A column header link toggling the sort on ``key`` (other filters kept)."""
    from django.utils.html import format_html

    current = context.get("sort")
    base = context.get("filters", "")
    target = f"-{key}" if current == key else key
    arrow = " ▲" if current == key else " ▼" if current == f"-{key}" else ""
    return format_html('<a href="?{}sort={}">{}{}</a>', f"{base}&" if base else "", target, label, arrow)
