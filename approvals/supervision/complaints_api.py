"""Complaints API: ``/api/v1/complaints/``. Anyone may file one (the public anonymously);
the supervision office decides intake, assigns, notes, replies and closes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from approvals.cases.api_views import EngineErrorsMixin

from . import complaints
from .models import Complaint, ComplaintNote


class ComplaintNoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintNote
        fields = ["id", "author", "at", "text"]
        read_only_fields = fields


class ComplaintSerializer(serializers.ModelSerializer):
    case_no = serializers.CharField(source="case.case_no", default=None, read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    notes = ComplaintNoteSerializer(many=True, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id", "number", "source", "real_name", "case_no", "department", "department_name", "subject",
            "description", "state", "received_on", "intake_due", "intake_reason", "assigned_to", "reply_due",
            "reply", "replied_at", "outcome", "closed_at", "notes",
        ]
        read_only_fields = fields


class ComplaintSubmitInput(serializers.Serializer):
    subject = serializers.CharField(allow_blank=True, max_length=200)
    description = serializers.CharField(allow_blank=True)
    case_no = serializers.CharField(required=False, allow_blank=True, default="")
    verification_code = serializers.CharField(required=False, allow_blank=True, default="")
    department_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    real_name = serializers.BooleanField(required=False, default=False)
    complainant_name = serializers.CharField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(required=False, allow_blank=True, default="")


class ComplaintIntakeInput(serializers.Serializer):
    take_up = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ComplaintAssignInput(serializers.Serializer):
    assigned_to = serializers.IntegerField()


class ComplaintTextInput(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)


class ComplaintCloseInput(serializers.Serializer):
    outcome = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(tags=["supervision"])
class ComplaintViewSet(
    EngineErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ComplaintSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_permissions(self):
        return [AllowAny()] if self.action == "create" else [IsAuthenticated()]

    def get_queryset(self):
        qs = complaints.visible_complaints(self.request.user).select_related("case", "department")
        if self.action == "list":
            state = self.request.query_params.get("state")
            if state:
                qs = qs.filter(state=state)
        return qs.prefetch_related("notes").order_by("-received_at", "-pk")

    @extend_schema(request=ComplaintSubmitInput, responses={201: ComplaintSerializer}, summary="File a complaint (投诉)")
    def create(self, request):
        data = ComplaintSubmitInput(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = complaints.submit(user=request.user, **data.validated_data)
        return Response(ComplaintSerializer(complaint).data, status=status.HTTP_201_CREATED)

    def _answer(self, complaint_id: int):
        return Response(ComplaintSerializer(self.get_queryset().get(pk=complaint_id)).data)

    @extend_schema(request=ComplaintIntakeInput, responses=ComplaintSerializer, summary="Take up or decline (5 working days)")
    @action(detail=True, methods=["post"], url_path="decide-intake")
    def decide_intake(self, request, pk=None):
        data = ComplaintIntakeInput(data=request.data)
        data.is_valid(raise_exception=True)
        complaints.decide_intake(int(pk), supervisor=request.user, **data.validated_data)
        return self._answer(int(pk))

    @extend_schema(request=ComplaintAssignInput, responses=ComplaintSerializer, summary="Assign the investigation")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        data = ComplaintAssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        to = get_user_model().objects.filter(pk=data.validated_data["assigned_to"]).first()
        if to is None:
            raise Http404
        complaints.assign(int(pk), supervisor=request.user, to=to)
        return self._answer(int(pk))

    @extend_schema(request=ComplaintTextInput, responses=ComplaintSerializer, summary="Add an investigation note")
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        data = ComplaintTextInput(data=request.data)
        data.is_valid(raise_exception=True)
        complaints.add_note(int(pk), user=request.user, text=data.validated_data["text"])
        return self._answer(int(pk))

    @extend_schema(request=ComplaintTextInput, responses=ComplaintSerializer, summary="Reply to the complainant")
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        data = ComplaintTextInput(data=request.data)
        data.is_valid(raise_exception=True)
        complaints.reply(int(pk), user=request.user, text=data.validated_data["text"])
        return self._answer(int(pk))

    @extend_schema(request=ComplaintCloseInput, responses=ComplaintSerializer, summary="Close the complaint")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = ComplaintCloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        complaints.close(int(pk), supervisor=request.user, outcome=data.validated_data["outcome"])
        return self._answer(int(pk))
