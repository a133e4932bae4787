"""Filters of the public catalog list (``GET /api/v1/items/``)."""

from __future__ import annotations

import re

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import ItemVersion

ONLINE_MIN_DEPTH = ItemVersion.OnlineDepth.APPLY


def online_capable() -> Q:
    """Items an applicant can apply for online: the online channel at depth 3 (apply online) or more."""
    return Q(channel_online=True, online_depth__gte=ONLINE_MIN_DEPTH)


class ItemVersionFilter(django_filters.FilterSet):
    department = django_filters.CharFilter(
        field_name="department__code", lookup_expr="exact", label=_("Implementing department code")
    )
    type = django_filters.ChoiceFilter(
        field_name="item_type", choices=ItemVersion.ItemType.choices, label=_("Item type")
    )
    q = django_filters.CharFilter(method="filter_keyword", label=_("Keyword in the item's name or code"))
    online = django_filters.BooleanFilter(
        method="filter_online", label=_("Can be applied for online (online channel, depth 3 or more)")
    )
    target = django_filters.ChoiceFilter(
        method="filter_target",
        choices=ItemVersion.Target.choices,
        label=_("Open to this kind of applicant (items for both included)"),
    )
    theme = django_filters.CharFilter(method="filter_theme", label=_("Theme (life or business event)"))

    class Meta:
        model = ItemVersion
        fields = ["department", "type", "q", "online", "target", "theme"]

    def filter_keyword(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(item__code__icontains=value) | Q(item__basic_code__icontains=value)
        )

    def filter_online(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(online_capable()) if value else queryset.exclude(online_capable())

    def filter_target(self, queryset, name, value):
        if value in (ItemVersion.Target.CITIZEN, ItemVersion.Target.BUSINESS):
            return queryset.filter(target__in=[value, ItemVersion.Target.BOTH])
        return queryset.filter(target=value)

    def filter_theme(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # ``themes`` is a comma-separated list: match one whole entry, ignoring spaces around commas.
        return queryset.filter(themes__iregex=rf"(^|,)\s*{re.escape(value)}\s*(,|$)")
