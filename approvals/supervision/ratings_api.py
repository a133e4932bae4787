"""Ratings API: ``/api/v1/ratings/`` (rate a delivered case, appeal, ruling) and
``/api/v1/rectification-tickets/`` (call back, rectify, follow-up rating)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from approvals.cases.api_views import EngineErrorsMixin
from approvals.models import Case

from . import ratings
from .models import Rating, RectificationTicket


class RatingSerializer(serializers.ModelSerializer):
    case_no = serializers.CharField(source="case.case_no", read_only=True)
    ticket = serializers.PrimaryKeyRelatedField(read_only=True, default=None)

    class Meta:
        model = Rating
        fields = [
            "id", "case_no", "department", "level", "comment", "rated_at", "appeal", "appeal_reason",
            "appealed_at", "ruling", "ruled_at", "ticket",
        ]
        read_only_fields = fields


class TicketSerializer(serializers.ModelSerializer):
    case_no = serializers.CharField(source="case.case_no", read_only=True)
    follow_up_level = serializers.IntegerField(read_only=True, allow_null=True, help_text="1 … 5, as ``level``.")

    class Meta:
        model = RectificationTicket
        fields = [
            "id", "rating", "case_no", "department", "state", "opened_on", "callback_due", "fix_due",
            "called_back_at", "callback_note", "fixed_at", "fix_note", "follow_up_level", "follow_up_comment",
            "follow_up_at",
        ]
        read_only_fields = fields


class RatingCreateInput(serializers.Serializer):
    case_no = serializers.CharField()
    level = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RatingAppealInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class RatingRulingInput(serializers.Serializer):
    malicious = serializers.BooleanField()
    ruling = serializers.CharField(allow_blank=True)


class TicketNoteInput(serializers.Serializer):
    note = serializers.CharField(allow_blank=True)


class TicketFollowUpInput(serializers.Serializer):
    level = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


def _rating(rating: Rating) -> dict:
    rating = Rating.objects.select_related("case", "ticket").get(pk=rating.pk)
    return RatingSerializer(rating).data


@extend_schema(tags=["supervision"])
class RatingViewSet(EngineErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RatingSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return ratings.visible_ratings(self.request.user).select_related("case", "ticket").order_by("-rated_at", "-pk")

    @extend_schema(request=RatingCreateInput, responses={201: RatingSerializer}, summary="Rate a delivered case (好差评)")
    def create(self, request):
        data = RatingCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        case_id = Case.objects.filter(case_no=data.validated_data["case_no"]).values_list("pk", flat=True).first()
        if case_id is None:
            raise Http404
        rating = ratings.rate(
            case_id, user=request.user, level=data.validated_data["level"], comment=data.validated_data["comment"]
        )
        return Response(_rating(rating), status=status.HTTP_201_CREATED)

    @extend_schema(request=RatingAppealInput, responses=RatingSerializer, summary="Appeal a malicious rating")
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        data = RatingAppealInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(_rating(ratings.appeal(int(pk), officer=request.user, reason=data.validated_data["reason"])))

    @extend_schema(request=RatingRulingInput, responses=RatingSerializer, summary="The supervision office rules")
    @action(detail=True, methods=["post"])
    def ruling(self, request, pk=None):
        data = RatingRulingInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(_rating(ratings.rule_appeal(int(pk), supervisor=request.user, **data.validated_data)))


@extend_schema(tags=["supervision"])
class TicketViewSet(EngineErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TicketSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return ratings.visible_tickets(self.request.user).select_related("case").order_by("-opened_on", "-pk")

    def _note_command(self, request, pk, fn):
        data = TicketNoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(TicketSerializer(fn(int(pk), officer=request.user, note=data.validated_data["note"])).data)

    @extend_schema(request=TicketNoteInput, responses=TicketSerializer, summary="Call the applicant back (1 working day)")
    @action(detail=True, methods=["post"], url_path="call-back")
    def call_back(self, request, pk=None):
        return self._note_command(request, pk, ratings.call_back)

    @extend_schema(request=TicketNoteInput, responses=TicketSerializer, summary="Record the rectification (15 working days)")
    @action(detail=True, methods=["post"])
    def rectify(self, request, pk=None):
        return self._note_command(request, pk, ratings.rectify)

    @extend_schema(request=TicketFollowUpInput, responses=TicketSerializer, summary="The applicant's follow-up rating")
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        data = TicketFollowUpInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(TicketSerializer(ratings.follow_up(int(pk), user=request.user, **data.validated_data)).data)
