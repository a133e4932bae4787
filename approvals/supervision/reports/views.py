"""Pages: the supervision office's reports (/reports/) and the public disclosure board and open
data (/public/). Views validate input, call one service or selector, render."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from approvals.supervision.cards import is_supervisor

from . import exports, measures, selectors, services
from .models import ReportRun
from .periods import Period, recent_periods


def _supervisor_only(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_supervisor(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- supervision office -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@_supervisor_only
def report_home(request):
    """Choose a month or quarter; the list of runs."""
    error = ""
    if request.method == "POST":
        try:
            period = Period.parse(request.POST.get("period", ""))
        except ValidationError as exc:
            error = " ".join(exc.message_dict.get("period", []))
        else:
            run = services.request_report(period, ReportRun.Scope.OFFICE, user=request.user)
            return redirect("reports:run", pk=run.pk)
    runs = ReportRun.objects.filter(scope=ReportRun.Scope.OFFICE).order_by("-start", "-end")[:50]
    return render(
        request,
        "reports/home.html",
        {"runs": runs, "periods": recent_periods(), "error": error, "value": request.POST.get("period", "")},
        status=400 if error else 200,
    )


@require_GET
@_supervisor_only
def run_detail(request, pk: int):
    run = get_object_or_404(ReportRun, pk=pk, scope=ReportRun.Scope.OFFICE)
    result = run.result if run.status == ReportRun.Status.DONE else None
    return render(
        request,
        "reports/run.html",
        {
            "run": run,
            "result": result,
            "measures": exports.report_measures(result) if result else (),
            "views": (("按部门", result["by_department"]), ("按事项", result["by_item"])) if result else (),
        },
    )


@require_GET
@_supervisor_only
def run_status(request, pk: int):
    run = get_object_or_404(ReportRun, pk=pk, scope=ReportRun.Scope.OFFICE)
    return JsonResponse(
        {"status": run.status, "progress": run.progress, "message": run.message, "done": run.status == ReportRun.Status.DONE}
    )


@require_GET
@_supervisor_only
def run_file(request, pk: int, fmt: str):
    run = get_object_or_404(ReportRun, pk=pk, scope=ReportRun.Scope.OFFICE, status=ReportRun.Status.DONE)
    stored = run.xlsx if fmt == "xlsx" else run.pdf
    if not stored:
        raise Http404
    return FileResponse(stored.open("rb"), as_attachment=True, filename=f"办件统计-{period_slug(run)}.{fmt}")


def period_slug(run: ReportRun) -> str:
    return services.period_of(run).slug


# --- public -----------------------------------------------------------------------------------

DISCLOSURE_PAGE_SIZE = 50


@require_GET
def disclosure_board(request):
    """办件公示: decided cases, newest first, applicants masked."""
    page = Paginator(selectors.disclosure_cases(), DISCLOSURE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [selectors.disclosure_row(case) for case in page.object_list]
    return render(request, "reports/disclosure.html", {"page": page, "rows": rows})


@require_GET
def open_data_index(request):
    return render(request, "reports/open_data.html", {"periods": recent_periods()})


def _period_from_slug(slug: str) -> Period:
    if "_" in slug:
        first, _sep, last = slug.partition("_")
        try:
            return Period.custom(date.fromisoformat(first), date.fromisoformat(last))
        except ValueError:
            raise ValidationError({"period": "bad date"}) from None
    return Period.parse(slug)


@require_GET
def open_data_custom(request):
    """The form on the index page: any period as two dates."""
    try:
        period = Period.custom(date.fromisoformat(request.GET.get("start", "")), date.fromisoformat(request.GET.get("end", "")))
    except (ValueError, ValidationError):
        return render(request, "reports/open_data.html", {"periods": recent_periods(), "error": True}, status=400)
    return redirect("public-reports:open-data-file", slug=period.slug, by=request.GET.get("by", "item"), fmt=request.GET.get("fmt", "csv"))


@require_GET
def open_data_file(request, slug: str, by: str, fmt: str):
    """Aggregates of any period, by item or department, as CSV or XLSX (no personal data).

    Served from the stored open-data run while the log is unchanged; otherwise the run is queued
    and the page says so (202) and refreshes itself.
    """
    if by not in measures.VIEWS or fmt not in ("csv", "xlsx"):
        raise Http404
    try:
        period = _period_from_slug(slug)
    except ValidationError:
        raise Http404 from None
    run = services.fresh_open_data(period)
    if run is None:
        current = ReportRun.objects.get(start=period.start, end=period.end, scope=ReportRun.Scope.OPEN)
        return render(request, "reports/preparing.html", {"run": current, "period": period}, status=202)
    filename = f"open-data-{period.slug}-{by}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(exports.open_data_csv(run.result, by), content_type="text/csv; charset=utf-8")
    else:
        response = FileResponse(run.xlsx.open("rb"), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def open_data_url(period: Period, by: str, fmt: str) -> str:
    return reverse("public-reports:open-data-file", kwargs={"slug": period.slug, "by": by, "fmt": fmt})
