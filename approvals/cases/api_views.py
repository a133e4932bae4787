"""The case API (``/api/v1/cases/``): thin views over ``approvals.cases.services`` and ``selectors``.

Each endpoint validates its input's shape, calls one service and renders. Errors of the engine
map to HTTP as follows:

- ``django.core.exceptions.ValidationError`` → 400, every problem listed (field → messages;
  problems not tied to a field under ``non_field_errors``);
- ``approvals.cases.exceptions.Conflict`` (not possible in the case's current state) → 409;
- ``Http404`` (the caller cannot see the case, or it does not exist) → 404;
- ``PermissionDenied`` (the caller sees the case but may not act) → 403.

Commands are one URL each, ``POST /api/v1/cases/{case_no}/{route}/``, read from the command table
(``approvals.cases.commands.CASE_COMMANDS``: its rows with a service and ``api`` set), each with the
input serializer built from the row's inputs (``api_inputs``); an unknown command has no route (404).
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ErrorDetail
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from approvals.documents.models import OfficialDocument
from approvals.documents.views import pdf_response
from approvals.items.models import SpecialProcedure

from . import commands, idempotency, selectors, services
from .api_inputs import api_rows, command_views
from .api_serializers import (
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseMaterialSerializer,
    CaseStateSerializer,
    CaseSummarySerializer,
    MaterialUploadSerializer,
)
from .exceptions import Conflict
from .models import (
    DECISION_CLOCK_STATES,
    Case,
    CorrectionNotice,
    Extension,
    Pledge,
    SpecialProcedurePause,
    State,
)
from .permissions import visible_cases

CASE_NO_REGEX = r"[0-9A-Za-z][0-9A-Za-z-]{0,31}"


class PDFRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; the PDF itself is a ``FileResponse``."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only errors pass through a renderer here: they are sent as JSON text.
        return JSONRenderer().render(data)


# --- error mapping ----------------------------------------------------------------------------


class ConflictError(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The case is not in a state that allows this command.")
    default_code = "conflict"


def api_exception(exc: Exception) -> Exception:
    """The DRF exception for an error of the case engine (others are returned unchanged)."""
    if isinstance(exc, DjangoValidationError):
        # Each message keeps the engine's error code (e.g. ``second_extension``) as its ErrorDetail code.
        if hasattr(exc, "error_dict"):
            detail = {
                (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): _details(errors)
                for field, errors in exc.error_dict.items()
            }
        else:
            detail = {api_settings.NON_FIELD_ERRORS_KEY: _details(exc.error_list)}
        return DRFValidationError(detail)
    if isinstance(exc, Conflict):
        return ConflictError({"detail": str(exc), "state": exc.state, "command": exc.command})
    return exc


def _details(errors) -> list[ErrorDetail]:
    return [ErrorDetail(message, code=error.code or "invalid") for error in errors for message in error.messages]


class EngineErrorsMixin:
    def handle_exception(self, exc):
        return super().handle_exception(api_exception(exc))


# --- shared helpers ---------------------------------------------------------------------------


_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()
_DATE_FIELDS = (
    "received_on", "intake_due", "accepted_on", "decision_due_promised", "decision_due_statutory", "pledge_due",
    "licence_issue_due", "decided_on",
)


def state_of(case: Case) -> dict:
    """The answer to create and to every command (``CaseStateSerializer``'s shape), from the case
    the service returned. Built by hand because it is on every write's path: a ModelSerializer
    instance costs more than the rest of the view (equality is pinned by a test)."""
    version = case.item_version
    data = {
        "case_no": case.case_no,
        "state": case.state,
        "state_display": str(case.get_state_display()),
        "round": case.round,
        "channel": case.channel,
        "item_code": version.item.code,
        "item_name": version.name,
        "department_code": version.department.code,
        "department_name": version.department.name,
        "created_at": _DATETIME.to_representation(case.created_at),
    }
    for name in _DATE_FIELDS:
        value = getattr(case, name)
        data[name] = _DATE.to_representation(value) if value is not None else None
    data["decision"] = case.decision
    return data


def case_id_of(case_no: str) -> int:
    """The primary key for a case number; visibility is checked by the service (404 / 403)."""
    pk = Case.objects.filter(case_no=case_no).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404(_("No such case."))
    return pk


@dataclass(frozen=True)
class DetailBundle:
    detail: selectors.CaseDetail
    pauses: list
    extension: Extension | None
    pledge: Pledge | None
    notices: list
    documents: list

    @property
    def case(self) -> Case:
        return self.detail.case


def declared_procedure(version_id: int) -> dict:
    """Annotations naming a pause's procedure and its legal basis, as the pinned version declares it."""
    declared = SpecialProcedure.objects.filter(version_id=version_id, kind=OuterRef("kind"))
    return {
        "procedure_name": Subquery(declared.values("name")[:1]),
        "legal_basis": Subquery(declared.values("legal_basis")[:1]),
    }


def detail_bundle(case_no: str, user) -> DetailBundle:
    """``selectors.case_detail`` plus the clock's records: a fixed number of queries."""
    detail = selectors.case_detail(case_no, user)
    case = detail.case
    return DetailBundle(
        detail=detail,
        pauses=list(
            SpecialProcedurePause.objects.filter(case=case)
            .annotate(**declared_procedure(case.item_version_id))
            .order_by("start", "pk")
        ),
        extension=Extension.objects.filter(case=case).first(),
        pledge=Pledge.objects.filter(case=case).first(),
        notices=list(CorrectionNotice.objects.filter(case=case).order_by("issued_at", "pk")),
        documents=list(OfficialDocument.objects.filter(case=case).order_by("created_at", "pk")),
    )


CASE_NO_PARAM = OpenApiParameter(
    "case_no", OpenApiTypes.STR, OpenApiParameter.PATH, description=gettext_lazy("Case number, e.g. 429901-2026-000123.")
)
IDEMPOTENCY_PARAM = OpenApiParameter(
    idempotency.HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=gettext_lazy(
        "Optional. The same key and body (same user) replay the first response without creating a second "
        "case; the same key with another body is refused with 422."
    ),
)
VALIDATION_400 = OpenApiResponse(
    OpenApiTypes.OBJECT, description=gettext_lazy("Invalid input: field → messages; others under non_field_errors.")
)
FORBIDDEN_403 = OpenApiResponse(description=gettext_lazy("You can see the case but may not do this."))
NOT_FOUND_404 = OpenApiResponse(description=gettext_lazy("No such case, or not one you may see."))
CONFLICT_409 = OpenApiResponse(
    inline_serializer(
        "CaseConflict",
        {"detail": serializers.CharField(), "state": serializers.CharField(), "command": serializers.CharField()},
    ),
    description=gettext_lazy("Not possible in the case's current state (someone may have moved it first)."),
)


# --- list, detail, create, upload -------------------------------------------------------------


class CaseFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=State.choices, label=gettext_lazy("State"))
    item = django_filters.CharFilter(field_name="item_version__item__code", label=gettext_lazy("Item code"))
    department = django_filters.CharFilter(
        field_name="item_version__department__code", label=gettext_lazy("Implementing department code")
    )
    due_before = django_filters.DateFilter(
        method="filter_due_before",
        label=gettext_lazy(
            "Due on or before this date (YYYY-MM-DD): the intake due of submitted cases, the promised "
            "decision due of accepted and in-review cases"
        ),
    )

    class Meta:
        model = Case
        fields = ["state", "item", "department", "due_before"]

    def filter_due_before(self, queryset, name, value):
        return queryset.filter(
            Q(state=State.SUBMITTED, intake_due__lte=value)
            | Q(state__in=DECISION_CLOCK_STATES, decision_due_promised__lte=value)
        )


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Cases you may see"),
        description=gettext_lazy("Your own cases, or for officers the cases of their desk; newest number first."),
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("One case with its clocks, materials, correction notice and timeline"),
        parameters=[CASE_NO_PARAM],
        responses={200: CaseDetailSerializer, 404: NOT_FOUND_404},
    ),
    create=extend_schema(
        summary=gettext_lazy("File a case (a draft, or submitted at once)"),
        parameters=[IDEMPOTENCY_PARAM],
        request=CaseCreateSerializer,
        responses={
            201: CaseStateSerializer,
            400: VALIDATION_400,
            403: OpenApiResponse(description=gettext_lazy("Only registered applicants file cases.")),
            422: OpenApiResponse(description=gettext_lazy("Idempotency-Key reused with a different body.")),
        },
    ),
)
@extend_schema(tags=["cases"])
class CaseViewSet(EngineErrorsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Case.objects.none()
    serializer_class = CaseSummarySerializer
    permission_classes = [IsAuthenticated]
    filterset_class = CaseFilter
    lookup_field = "case_no"
    lookup_value_regex = CASE_NO_REGEX

    def get_queryset(self):
        return selectors.cases_for(self.request.user).select_related("applicant__citizen_profile")

    def retrieve(self, request, case_no: str):
        return Response(CaseDetailSerializer(detail_bundle(case_no, request.user), context={"request": request}).data)

    @extend_schema(
        summary=gettext_lazy("Download an official document's PDF"),
        description=gettext_lazy(
            "The PDF of one of the case's documents (listed under ``documents`` in the case detail), for "
            "anyone who may see the case. A PDF not rendered yet is rendered now."
        ),
        parameters=[CASE_NO_PARAM, OpenApiParameter("document_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: NOT_FOUND_404},
    )
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>[0-9]+)",
            renderer_classes=[JSONRenderer, PDFRenderer])
    def document(self, request, case_no: str, document_id: str):
        case = visible_cases(request.user).filter(case_no=case_no).values_list("pk", flat=True).first()
        document = OfficialDocument.objects.filter(pk=document_id, case_id=case).first() if case else None
        if document is None:
            raise Http404(_("No such document."))
        return pdf_response(document, as_attachment=True)

    def create(self, request):
        key = idempotency.key_from(request)
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        def create_case():
            case = services.create_case(
                user=request.user,
                item_code=data["item_code"],
                fields=data["fields"],
                business_id=data["business_id"],
                channel=data["channel"],
                submit=data["submit"],
                pledge_declared=data["pledge_declared"],
            )
            return status.HTTP_201_CREATED, state_of(case), case

        if key is None:
            code, body, _case = create_case()
            replayed = False
        else:
            outcome = idempotency.run_once(request, key, create_case)
            code, body, replayed = outcome.status, outcome.body, outcome.replayed
        response = Response(body, status=code)
        response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{body['case_no']}/")
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    @extend_schema(
        summary=gettext_lazy("Upload a file for one material"),
        description=gettext_lazy(
            "multipart/form-data with requirement_code and file. Allowed in a draft, for the materials a "
            "correction notice lists, and for pledged materials."
        ),
        parameters=[CASE_NO_PARAM],
        request={"multipart/form-data": MaterialUploadSerializer},
        responses={
            201: CaseMaterialSerializer, 400: VALIDATION_400, 403: FORBIDDEN_403, 404: NOT_FOUND_404, 409: CONFLICT_409,
        },
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser], url_path="materials")
    def materials(self, request, case_no: str):
        serializer = MaterialUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        material = services.attach_material(
            case_id_of(case_no),
            user=request.user,
            requirement_code=serializer.validated_data["requirement_code"],
            upload=serializer.validated_data["file"],
        )
        return Response(CaseMaterialSerializer(material).data, status=status.HTTP_201_CREATED)


# --- commands ---------------------------------------------------------------------------------


#: The case commands the API serves: the table's rows with a service that take no file, in its order.
API_COMMANDS: tuple[commands.Command, ...] = api_rows(commands.CASE_COMMANDS)


class CaseCommandView(EngineErrorsMixin, APIView):
    """``POST /api/v1/cases/{case_no}/{route}/``; subclassed once per row of ``API_COMMANDS``."""

    permission_classes = [IsAuthenticated]
    command: commands.Command
    input: type[serializers.Serializer]

    def post(self, request, case_no: str):
        serializer = self.input(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = self.command.call(case_no, request.user, serializer.validated_data)
        return Response(state_of(case))


#: route → view, read by ``api_urls``.
COMMAND_VIEWS: dict[str, type[CaseCommandView]] = command_views(
    commands.CASE_COMMANDS, base=CaseCommandView, prefix="case", parameters=[CASE_NO_PARAM],
    responses={200: CaseStateSerializer, 400: VALIDATION_400, 403: FORBIDDEN_403, 404: NOT_FOUND_404,
               409: CONFLICT_409},
)
