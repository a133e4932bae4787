"""Cards API: ``/api/v1/supervision/cards/`` (list, detail, resolve, sign-off). Supervisors see
every card, department officers their departments' cards; nothing can be deleted or edited."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from approvals.cases.api_views import EngineErrorsMixin

from . import cards
from .models import Card, CardKind, CardRule


class CardSerializer(serializers.ModelSerializer):
    case_no = serializers.CharField(source="case.case_no", default=None, read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    complaint_number = serializers.CharField(source="complaint.number", default=None, read_only=True)

    class Meta:
        model = Card
        fields = [
            "id", "kind", "rule", "subject_type", "subject_id", "case_no", "task_id", "complaint_number", "ticket",
            "department", "department_name", "limit_date", "limit_days", "detected_on", "working_days_over",
            "raised_at", "details", "resolution", "resolved_by", "resolved_at", "signed_off_by", "signed_off_at",
        ]
        read_only_fields = fields


class CardResolveInput(serializers.Serializer):
    explanation = serializers.CharField(allow_blank=True, trim_whitespace=True)


class CardFilter(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CardKind.choices, required=False)
    rule = serializers.ChoiceField(choices=CardRule.choices, required=False)
    department = serializers.IntegerField(required=False)
    case_no = serializers.CharField(required=False)
    open = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema(tags=["supervision"])
class CardViewSet(EngineErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CardSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = cards.visible_cards(self.request.user).select_related("case", "department", "complaint")
        if self.action != "list":
            return qs
        f = CardFilter(data=self.request.query_params)
        f.is_valid(raise_exception=True)
        d = f.validated_data
        for key, lookup in (("kind", "kind"), ("rule", "rule"), ("department", "department_id"),
                            ("case_no", "case__case_no")):
            if d.get(key) not in (None, ""):
                qs = qs.filter(**{lookup: d[key]})
        if d.get("open") is not None:
            qs = qs.filter(signed_off_at__isnull=d["open"])
        return qs.order_by("-detected_on", "-pk")

    @extend_schema(request=CardResolveInput, responses=CardSerializer, summary="Explain a card in writing (once)")
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        data = CardResolveInput(data=request.data)
        data.is_valid(raise_exception=True)
        card = cards.resolve(int(pk), user=request.user, explanation=data.validated_data["explanation"])
        return Response(CardSerializer(card).data)

    @extend_schema(request=None, responses=CardSerializer, summary="Sign off an explained card (supervisor, once)")
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        card = cards.sign_off(int(pk), supervisor=request.user)
        return Response(CardSerializer(card).data)
