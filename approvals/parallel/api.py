"""Department task API: ``/api/v1/tasks/`` (the caller's departments), one URL per task command of
the command table (``approvals.cases.commands.TASK_COMMANDS``, inputs built by
``approvals.cases.api_inputs``) and ``/api/v1/cases/{case_no}/tasks/`` (who holds a case). The
applicant's ``resubmit-supplement`` is a case command, served by the case API. Errors map as in the
case API (400, 403, 404, 409)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.cases import commands
from approvals.cases.api_inputs import api_rows, command_views
from approvals.cases.api_views import (
    CONFLICT_409,
    FORBIDDEN_403,
    NOT_FOUND_404,
    VALIDATION_400,
    EngineErrorsMixin,
)

from . import selectors, services
from .models import DepartmentTask, TaskAttachment, TaskLog, TaskState

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


#: The task commands the API serves: the table's rows with a service that take no file, in its order.
API_COMMANDS: tuple[commands.Command, ...] = api_rows(commands.TASK_COMMANDS)


class TaskCommandView(EngineErrorsMixin, APIView):
    """``POST /api/v1/tasks/{id}/{route}/``; subclassed once per row of ``API_COMMANDS``."""

    permission_classes = [IsAuthenticated]
    command: commands.Command
    input: type[serializers.Serializer]

    def post(self, request, pk: int):
        serializer = self.input(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = self.command.call(pk, request.user, serializer.validated_data)
        task = selectors.tasks_for(request.user).filter(pk=task.pk).first() or task
        return Response(TaskSummarySerializer(task).data if hasattr(task, "effective_due") else {"id": task.pk})


#: route → view, read by ``api_urls``.
COMMAND_VIEWS: dict[str, type[TaskCommandView]] = command_views(
    commands.TASK_COMMANDS, base=TaskCommandView, prefix="task",
    responses={200: TaskSummarySerializer, 400: VALIDATION_400, 403: FORBIDDEN_403, 404: NOT_FOUND_404,
               409: CONFLICT_409},
)


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
