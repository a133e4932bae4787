"""Public status lookup (domain.md section 4): a case number plus its verification code, no login.

Shows the state and the dates only, never personal data. A wrong code answers exactly like an
unknown case number (404, same body), and the code is compared in constant time, so the endpoint
tells nothing about which numbers exist. Both the API and the page share one throttle
(``PublicLookupThrottle``, scope ``public_case_lookup``, default 30 requests a minute per client
address; override with ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public_case_lookup"]``).
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from .api_serializers import PublicCaseStatusSerializer
from .models import Case, State

DEFAULT_RATE = "30/min"
MAX_INPUT = 32
_NO_CASE = "-" * 10  # compared against when the number is unknown, so both paths cost the same


class PublicLookupThrottle(AnonRateThrottle):
    """Per client address, logged in or not (an account must not lift the limit)."""

    scope = "public_case_lookup"

    def get_rate(self) -> str:
        rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {}) or {}
        return rates.get(self.scope) or DEFAULT_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def lookup(case_no: str | None, code: str | None) -> Case | None:
    """The filed case with this number and code, or None (unknown number, wrong code, or a draft)."""
    case_no = (case_no or "").strip()[:MAX_INPUT]
    code = (code or "").strip().upper()[:MAX_INPUT]
    case = None
    if case_no:
        case = (
            Case.objects.select_related("item_version", "item_version__department")
            .exclude(state=State.DRAFT)
            .filter(case_no=case_no)
            .first()
        )
    expected = case.verification_code if case is not None else _NO_CASE
    matches = hmac.compare_digest(expected.encode(), code.encode())
    return case if case is not None and matches and code else None


class PublicCaseStatusView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicLookupThrottle]

    @extend_schema(
        summary=gettext_lazy("Public status of a case (number + verification code, no login)"),
        tags=["public"],
        parameters=[
            OpenApiParameter("case_no", OpenApiTypes.STR, OpenApiParameter.PATH),
            OpenApiParameter(
                "code", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True,
                description=gettext_lazy("Verification code printed on the acceptance receipt."),
            ),
        ],
        responses={
            200: PublicCaseStatusSerializer,
            404: OpenApiResponse(description=gettext_lazy("Unknown number or wrong code (indistinguishable).")),
            429: OpenApiResponse(description=gettext_lazy("Too many lookups; try again later.")),
        },
    )
    def get(self, request, case_no: str):
        case = lookup(case_no, request.query_params.get("code"))
        if case is None:
            raise NotFound(_("No case with this number and verification code."))
        return Response(PublicCaseStatusSerializer(case).data)


@require_GET
@never_cache
def status_page(request):
    """``/status/?case_no=…&code=…``: the same lookup as a page."""
    case_no = request.GET.get("case_no", "")[:MAX_INPUT]
    code = request.GET.get("code", "")[:MAX_INPUT]
    context = {"case_no": case_no, "code": code, "case": None, "searched": bool(case_no or code)}
    status = 200
    if context["searched"]:
        if not PublicLookupThrottle().allow_request(request, None):
            return render(request, "approvals/public_status.html", {**context, "throttled": True}, status=429)
        context["case"] = lookup(case_no, code)
        if context["case"] is None:
            status = 404
    return render(request, "approvals/public_status.html", context, status=status)
