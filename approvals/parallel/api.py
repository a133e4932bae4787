"""Department task API: ``/api/v1/tasks/`` (the caller's departments), one URL per task command,
``/api/v1/cases/{case_no}/tasks/`` (who holds a case) and the applicant's
``/api/v1/cases/{case_no}/resubmit-supplement/``. Errors map as in the case API (400, 403, 404, 409)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.cases.api_views import (
    CONFLICT_409,
    FORBIDDEN_403,
    NOT_FOUND_404,
    VALIDATION_400,
    EngineErrorsMixin,
    case_id_of,
    state_of,
)

from . import selectors, services
from .models import DepartmentTask, TaskAttachment, TaskLog, TaskState

User = get_user_model()


# --- serializers --------------------------------------------------------------------------------


class TaskSummarySerializer(serializers.ModelSerializer):
    case_no = serializers.CharField(source="case.case_no")
    case_state = serializers.CharField(source="case.state")
    item_code = serializers.CharField(source="case.item_version.item.code")
    item_name = serializers.CharField(source="case.item_version.name")
    department_code = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    state_display = serializers.CharField(source="get_state_display")
    assignee = serializers.CharField(source="assignee.username", default=None)
    due = serializers.DateField(source="effective_due")

    class Meta:
        model = DepartmentTask
        fields = [
            "id", "case_no", "case_state", "item_code", "item_name", "department_code", "department_name", "role",
            "round", "state", "state_display", "assignee", "opened_on", "step_limit_days", "due", "part_result",
        ]


class CaseTaskSerializer(serializers.ModelSerializer):
    """What anyone who can see the case (the applicant too) sees of each department's task."""

    department_name = serializers.CharField(source="department.name")
    state_display = serializers.CharField(source="get_state_display")
    due = serializers.DateField(source="effective_due")

    class Meta:
        model = DepartmentTask
        fields = ["id", "department_name", "role", "round", "state", "state_display", "due", "finished_at", "part_result"]


class TaskLogSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = TaskLog
        fields = ["from_state", "to_state", "command", "actor", "at", "note", "details"]


class TaskAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskAttachment
        fields = ["id", "original_name", "size", "content_type", "sha256", "uploaded_at"]


class ChangedMaterialSerializer(serializers.Serializer):
    requirement_code = serializers.CharField()
    original_name = serializers.CharField()
    round = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()
    is_current = serializers.BooleanField()


class TaskDetailSerializer(serializers.Serializer):
    def to_representation(self, detail):
        data = TaskSummarySerializer(detail.task).data
        task = detail.task
        data.update(
            opinion=task.opinion, conditions=task.conditions, requests=task.requests, proposal=task.proposal,
            reviewed_by=task.reviewed_by_id, finished_at=serializers.DateTimeField().to_representation(task.finished_at)
            if task.finished_at else None,
            log=TaskLogSerializer(detail.log, many=True).data,
            attachments=TaskAttachmentSerializer(detail.attachments, many=True).data,
            changed_materials=ChangedMaterialSerializer(detail.changed_materials, many=True).data,
            case_tasks=TaskSummarySerializer(detail.case_tasks, many=True).data,
        )
        return data


class OpinionInput(serializers.Serializer):
    opinion = serializers.CharField(required=False, allow_blank=True, default="")


class ConditionsInput(OpinionInput):
    conditions = serializers.CharField(allow_blank=True)


class MaterialRequestSerializer(serializers.Serializer):
    material_code = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    expected = serializers.CharField(allow_blank=True)


class RequestsInput(serializers.Serializer):
    requests = MaterialRequestSerializer(many=True)


@extend_schema_field(OpenApiTypes.INT)
class OfficerField(serializers.PrimaryKeyRelatedField):
    """An officer's user id."""

    def get_queryset(self):
        return User.objects.filter(is_active=True)


class HandOverInput(serializers.Serializer):
    to = OfficerField()
    outcome = serializers.ChoiceField(choices=services.OUTCOMES)
    opinion = serializers.CharField(required=False, allow_blank=True, default="")
    conditions = serializers.CharField(required=False, allow_blank=True, default="")
    requests = MaterialRequestSerializer(many=True, required=False, default=list)


class ReassignInput(serializers.Serializer):
    to = OfficerField()


class TaskStartSpecialProcedureInput(serializers.Serializer):
    kind = serializers.CharField()
    start = serializers.DateField()
    expected_days = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True)


class TaskEndSpecialProcedureInput(serializers.Serializer):
    end = serializers.DateField()


class LeadDecideInput(serializers.Serializer):
    approve = serializers.BooleanField()
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    remedies = serializers.CharField(required=False, allow_blank=True, default="")
    conditions = serializers.CharField(required=False, allow_blank=True, default="")


class TaskEmptyInput(serializers.Serializer):
    pass


class AttachmentUpload(serializers.Serializer):
    file = serializers.FileField()


# --- views --------------------------------------------------------------------------------------


class TaskFilterInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=TaskState.choices, required=False)
    due_before = serializers.DateField(required=False)
    item = serializers.CharField(required=False)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Your departments' tasks, earliest due first"),
        parameters=[TaskFilterInput],
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("One task: opinion, log, attachments, what changed this round, every department's task"),
        responses={200: TaskSummarySerializer, 404: NOT_FOUND_404},
    ),
)
@extend_schema(tags=["tasks"])
class TaskViewSet(EngineErrorsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = TaskSummarySerializer
    permission_classes = [IsAuthenticated]
    queryset = DepartmentTask.objects.none()

    def get_queryset(self):
        filters = TaskFilterInput(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.tasks_for(self.request.user, **filters.validated_data)

    def retrieve(self, request, pk: int):
        return Response(TaskDetailSerializer(selectors.task_detail(int(pk), request.user)).data)


@dataclass(frozen=True)
class Command:
    path: str
    input: type[serializers.Serializer]
    call: Callable[[int, Any, dict], Any]
    summary: str


COMMANDS: tuple[Command, ...] = (
    Command("claim", TaskEmptyInput, lambda pk, u, d: services.claim(pk, officer=u), gettext_lazy("Claim a pending task")),
    Command("start", TaskEmptyInput, lambda pk, u, d: services.start(pk, officer=u), gettext_lazy("Start reviewing")),
    Command("agree", OpinionInput, lambda pk, u, d: services.agree(pk, officer=u, opinion=d["opinion"]),
            gettext_lazy("Agree")),
    Command("agree-with-conditions", ConditionsInput,
            lambda pk, u, d: services.agree_with_conditions(pk, officer=u, conditions=d["conditions"],
                                                            opinion=d["opinion"]),
            gettext_lazy("Agree with conditions")),
    Command("disagree", OpinionInput, lambda pk, u, d: services.disagree(pk, officer=u, opinion=d["opinion"]),
            gettext_lazy("Disagree (with reasons)")),
    Command("request-materials", RequestsInput,
            lambda pk, u, d: services.request_materials(pk, officer=u, requests=d["requests"]),
            gettext_lazy("Ask the applicant for materials (the round's combined notice)")),
    Command("hand-over", HandOverInput,
            lambda pk, u, d: services.hand_over(pk, officer=u, to=d["to"], outcome=d["outcome"], opinion=d["opinion"],
                                                conditions=d["conditions"], requests=d["requests"]),
            gettext_lazy("Two-level approval: hand over to an approver with a proposal")),
    Command("sign-off", TaskEmptyInput, lambda pk, u, d: services.sign_off(pk, officer=u),
            gettext_lazy("Two-level approval: sign off the reviewer's proposal")),
    Command("reassign", ReassignInput, lambda pk, u, d: services.reassign(pk, head=u, to=d["to"]),
            gettext_lazy("The department head reassigns the task")),
    Command("start-special-procedure", TaskStartSpecialProcedureInput,
            lambda pk, u, d: services.start_special_procedure(
                pk, officer=u, kind=d["kind"], start=d["start"], expected_days=d["expected_days"], reason=d["reason"]),
            gettext_lazy("Start a special procedure for this task (its days are not counted)")),
    Command("end-special-procedure", TaskEndSpecialProcedureInput,
            lambda pk, u, d: services.end_special_procedure(pk, officer=u, end=d["end"]),
            gettext_lazy("End this task's special procedure")),
    Command("decide", LeadDecideInput,
            lambda pk, u, d: services.lead_decide(pk, officer=u, approve=d["approve"], reasons=d["reasons"],
                                                  remedies=d["remedies"], conditions=d["conditions"]),
            gettext_lazy("Lead decides: approve or refuse the case with every opinion in")),
    Command("suspend", RequestsInput, lambda pk, u, d: services.suspend(pk, officer=u, requests=d["requests"]),
            gettext_lazy("Lead decides: suspend until the applicant supplies materials")),
)


class TaskCommandView(EngineErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]
    command: Command

    def post(self, request, pk: int):
        serializer = self.command.input(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = self.command.call(pk, request.user, serializer.validated_data)
        task = selectors.tasks_for(request.user).filter(pk=task.pk).first() or task
        return Response(TaskSummarySerializer(task).data if hasattr(task, "effective_due") else {"id": task.pk})


def _command_view(command: Command) -> type[TaskCommandView]:
    name = "Task" + "".join(part.capitalize() for part in command.path.split("-")) + "View"
    view = type(name, (TaskCommandView,), {"command": command, "__doc__": str(command.summary)})
    return extend_schema_view(
        post=extend_schema(
            operation_id="v1_tasks_" + command.path.replace("-", "_"),
            summary=command.summary,
            tags=["tasks"],
            request=None if command.input is TaskEmptyInput else command.input,
            responses={200: TaskSummarySerializer, 400: VALIDATION_400, 403: FORBIDDEN_403, 404: NOT_FOUND_404,
                       409: CONFLICT_409},
        )
    )(view)


COMMAND_VIEWS: dict[str, type[TaskCommandView]] = {c.path: _command_view(c) for c in COMMANDS}


@extend_schema(
    tags=["tasks"], summary=gettext_lazy("Attach a file to the task's opinion"),
    request={"multipart/form-data": AttachmentUpload},
    responses={201: TaskAttachmentSerializer, 400: VALIDATION_400, 403: FORBIDDEN_403, 404: NOT_FOUND_404,
               409: CONFLICT_409},
)
class TaskAttachmentView(EngineErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request, pk: int):
        serializer = AttachmentUpload(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = services.attach(pk, officer=request.user, upload=serializer.validated_data["file"])
        return Response(TaskAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["cases"], summary=gettext_lazy("Every department's task of the case, every round (who holds it)"),
    responses={200: CaseTaskSerializer(many=True), 404: NOT_FOUND_404},
)
class CaseTasksView(EngineErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, case_no: str):
        return Response(CaseTaskSerializer(selectors.case_tasks(case_no, request.user), many=True).data)


@extend_schema(
    tags=["cases"], request=None,
    summary=gettext_lazy("Resubmit after supplying every material of the supplementary notice (next round)"),
    responses={400: VALIDATION_400, 403: FORBIDDEN_403, 404: NOT_FOUND_404, 409: CONFLICT_409},
)
class ResubmitSupplementView(EngineErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, case_no: str):
        case = services.resubmit_supplement(case_id_of(case_no), user=request.user)
        return Response(state_of(case))
