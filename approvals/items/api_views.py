"""Public, read-only catalog API (domain.md section 2): departments, items in force, version history.

Anyone may read; nothing here writes (the catalog is maintained in the admin).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import selectors
from .api_serializers import (
    DepartmentSerializer,
    ItemVersionDetailSerializer,
    ItemVersionListSerializer,
    ItemVersionSummarySerializer,
    OnDateQuerySerializer,
)
from .filters import ItemVersionFilter

CODE_PATH = OpenApiParameter(
    "code", OpenApiTypes.STR, OpenApiParameter.PATH, description=_("Implementation code of the item.")
)
ON_QUERY = OpenApiParameter(
    "on",
    OpenApiTypes.DATE,
    OpenApiParameter.QUERY,
    required=False,
    description=_("Show the version in force on this date (YYYY-MM-DD); default today (Asia/Shanghai)."),
)


@extend_schema_view(
    list=extend_schema(summary=_("List departments"), tags=["catalog"]),
    retrieve=extend_schema(summary=_("One department, by code"), tags=["catalog"]),
)
class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.departments()


@extend_schema_view(
    list=extend_schema(
        summary=_("Items in force today"),
        description=_("The version in force today of each item, filtered and paginated."),
        tags=["catalog"],
    ),
    retrieve=extend_schema(
        summary=_("One item, in force today or on a given date"),
        parameters=[CODE_PATH, ON_QUERY],
        responses={
            200: ItemVersionDetailSerializer,
            400: OpenApiResponse(description=_("``on`` is not a valid date (YYYY-MM-DD).")),
            404: OpenApiResponse(description=_("No such item, or no version of it in force on that date.")),
        },
        tags=["catalog"],
    ),
)
class ItemViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_class = ItemVersionFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return selectors.items_in_force()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ItemVersionDetailSerializer
        if self.action == "versions":
            return ItemVersionSummarySerializer
        return ItemVersionListSerializer

    def get_object(self):
        query = OnDateQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        version = selectors.item_version_in_force(self.kwargs["code"], query.validated_data.get("on"))
        if version is None:
            raise Http404
        return version

    @extend_schema(
        summary=_("Versions of an item"),
        description=_("Every published, superseded or retired version of the item, newest first."),
        parameters=[CODE_PATH],
        responses={
            200: ItemVersionSummarySerializer(many=True),
            404: OpenApiResponse(description=_("No such item, or none of its versions is published yet.")),
        },
        tags=["catalog"],
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def versions(self, request, code=None):
        versions = list(selectors.item_versions(code))
        if not versions:
            raise Http404
        return Response(self.get_serializer(versions, many=True).data)
