"""The command API's views and input serializers, built from the command table (``approvals.cases.commands``).

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
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
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


def api_rows(rows) -> tuple[Command, ...]:
    """The rows an API serves on generic routes: those with a service that take no file."""
    return tuple(row for row in rows if row.service and not row.upload)


def command_views(rows, *, base: type, prefix: str, responses: dict, parameters=()) -> dict[str, type]:
    """``route → view`` for the API rows of ``rows``: a subclass of ``base`` (whose ``post`` calls
    ``self.command.call`` with ``self.input``'s data) per row, documented with operation id
    ``v1_{prefix}s_{route}`` under the tag ``{prefix}s`` (``prefix``: ``case`` or ``task``)."""
    views = {}
    for row in api_rows(rows):
        camel = prefix.capitalize() + "".join(part.capitalize() for part in row.route.split("-"))
        view = type(camel + "CommandView", (base,), {
            "command": row, "input": input_serializer(prefix.capitalize(), row), "__doc__": str(row.summary),
            "__module__": base.__module__,
        })
        views[row.route] = extend_schema_view(
            post=extend_schema(
                operation_id=f"v1_{prefix}s_" + row.route.replace("-", "_"),
                summary=row.summary,
                tags=[f"{prefix}s"],
                parameters=list(parameters),
                request=view.input if row.inputs else None,
                responses=responses,
            )
        )(view)
    return views
