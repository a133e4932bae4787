"""The command API's input serializers, built from the command table (``approvals.cases.commands``).

One builder serves the case API and the department task API: each ``Input`` of a row becomes one
DRF field by its ``kind``. The fields check types and formats only (a date is a date, a number a
number); what a command requires in which state is the service's rule. An ``Input``'s ``default``
is what the pages pre-fill (the standard remedies, today's date): the API takes an omitted text as
empty and leaves an omitted date to the service, so a client that sends no remedies is told they
are missing instead of having them filled in.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .commands import Command, Input


@extend_schema_field(OpenApiTypes.INT)
class OfficerField(serializers.PrimaryKeyRelatedField):
    """An officer's user id (any active user here; the service checks the department and job)."""

    def get_queryset(self):
        return get_user_model().objects.filter(is_active=True)


class MaterialIssueSerializer(serializers.Serializer):
    """One line of a correction notice (``problems``) or of a supplementary request (``requests``)."""

    material_code = serializers.CharField(max_length=30)
    reason = serializers.CharField(allow_blank=True)
    expected = serializers.CharField(allow_blank=True)


def input_field(spec: Input) -> serializers.Field:
    """The DRF field for one input of a command."""
    common = {"label": spec.label}
    if spec.help:
        common["help_text"] = spec.help
    kind = spec.kind
    if kind in ("text", "textarea"):
        if spec.required:
            # A blank value reaches the service, which names what is missing.
            return serializers.CharField(allow_blank=True, max_length=spec.max_length, **common)
        return serializers.CharField(
            required=False, allow_blank=True, default="", max_length=spec.max_length, **common
        )
    if kind == "date":
        return serializers.DateField(required=spec.required, **common)
    if kind == "int":
        return serializers.IntegerField(min_value=1, max_value=366, required=spec.required, **common)
    if kind == "bool":
        return serializers.BooleanField(required=False, default=False, **common)
    if kind == "decision":
        return serializers.BooleanField(required=True, **common)
    if kind == "choice":
        return serializers.ChoiceField(choices=spec.choices, required=spec.required, **common)
    if kind == "codes":
        return serializers.ListField(
            child=serializers.CharField(max_length=30), required=spec.required, **common
        )
    if kind in ("problems", "requests"):
        if spec.required:
            return MaterialIssueSerializer(many=True, **common)
        return MaterialIssueSerializer(many=True, required=False, default=list, **common)
    if kind == "officer":
        return OfficerField(required=spec.required, **common)
    raise ImproperlyConfigured(f"Input {spec.name!r} has an unknown kind {kind!r}.")


def input_serializer(prefix: str, row: Command) -> type[serializers.Serializer]:
    """The input serializer of one command row, named ``{prefix}{CamelName}Input`` (e.g.
    ``CaseAcceptWithPledgeInput``, ``TaskHandOverInput``): unique and stable for the OpenAPI schema."""
    name = prefix + "".join(part.capitalize() for part in row.name.split("_")) + "Input"
    fields = {spec.name: input_field(spec) for spec in row.inputs}
    return type(name, (serializers.Serializer,), {**fields, "__module__": __name__})
