"""Officer workbench pages: server-rendered, each POST calls one service and renders its errors.

- Front desk (综合窗口): the intake queue, the case page with the materials checklist and the
  intake commands, intake at the window on behalf of an applicant.
- Department: the inbox of the department's cases, the joint items' department tasks, the case
  page with the review commands (special procedure, extension, decision drafted from the item's
  template, licence, delivery), the head's pending extensions and task reassignment.
- Every officer: the in-app message centre, uploaded files and issued documents (permission
  checked, never a public media URL), revealing personal data (audited in ``RevealLog``).

Applicants cannot use these pages (403), except the document download, which serves anyone who
can see the case.
"""

from __future__ import annotations

from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import OfficerMembership, User
from accounts.services import walk_in_applicant
from approvals.cases import clock, services
from approvals.cases.commands import DEPARTMENT_JOBS
from approvals.cases.exceptions import Conflict
from approvals.cases.permissions import can, can_see, memberships
from approvals.cases.selectors import case_detail
from approvals.documents.models import OfficialDocument
from approvals.documents.views import pdf_response
from approvals.items.models import ItemVersion
from approvals.models import ASSIGNABLE_STATES, Case, CaseMaterial, Extension, SpecialProcedurePause, State
from approvals.notifications import services as notifications
from approvals.parallel import selectors as task_selectors
from approvals.parallel import services as parallel
from approvals.parallel.models import OPEN_TASK_STATES, DepartmentTask, TaskState

from .models import DecisionTemplate, RevealLog

Job = OfficerMembership.Job
PAGE_SIZE = 20
QUEUE_STATES = (State.SUBMITTED, State.CORRECTION_REQUESTED)
INBOX_STATES = (
    State.ACCEPTED, State.ACCEPTED_WITH_PLEDGE, State.IN_REVIEW, State.SUPPLEMENT_REQUESTED, State.APPROVED,
    State.ISSUED,
)
QUEUE_SORTS = {"due": ("intake_due", "pk"), "-due": ("-intake_due", "-pk"), "received": ("received_at", "pk"),
               "case_no": ("case_no",), "-case_no": ("-case_no",)}
INBOX_SORTS = {"due": ("decision_due_promised", "pk"), "-due": ("-decision_due_promised", "-pk"),
               "received": ("received_at", "pk"), "case_no": ("case_no",), "-case_no": ("-case_no",)}
TASK_SORTS = {"due": ("effective_due", "pk"), "-due": ("-effective_due", "-pk"), "case_no": ("case__case_no",)}


# --- access -----------------------------------------------------------------------------------


def jobs_of(user) -> set[str]:
    return {m.job for m in memberships(user)}


def officer_required(view):
    """Logged in (else the workbench login page) and an officer (else 403)."""

    @wraps(view)
    @login_required(login_url="workbench:login")
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_superuser or jobs_of(request.user)):
            return render(request, "workbench/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


class LoginView(auth_views.LoginView):
    template_name = "workbench/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("workbench:home")


@officer_required
def home(request):
    jobs = jobs_of(request.user)
    if Job.FRONT_DESK in jobs:
        return redirect("workbench:queue")
    return redirect("workbench:inbox")


# --- lists ------------------------------------------------------------------------------------


def days_left(due: date | None) -> int | None:
    """Working days from today to ``due`` (negative when overdue): ``clock.working_days_left``."""
    return clock.working_days_left(due)


def urgency(left: int | None) -> str:
    if left is None:
        return ""
    if left < 0:
        return "overdue"
    if left <= 2:
        return "soon"
    return "ok"


def _page(request, qs, sorts: dict, default: str):
    sort = request.GET.get("sort") or default
    if sort not in sorts:
        sort = default
    paginator = Paginator(qs.order_by(*sorts[sort]), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filters = query.copy()
    filters.pop("sort", None)
    return page, sort, query.urlencode(), filters.urlencode()


def _rows(page, due_attr: str):
    rows = []
    for obj in page.object_list:
        due = getattr(obj, due_attr)
        left = days_left(due)
        rows.append({"obj": obj, "due": due, "left": left, "urgency": urgency(left)})
    return rows


def _case_filters(request, qs, states):
    state = request.GET.get("state", "")
    if state in states:
        qs = qs.filter(state=state)
    if item := request.GET.get("item", "").strip():
        qs = qs.filter(item_version__item__code=item)
    if channel := request.GET.get("channel", ""):
        qs = qs.filter(channel=channel)
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(case_no__startswith=q)
    return qs


def _list_qs(states):
    return (
        Case.objects.filter(state__in=states)
        .select_related("item_version", "applicant__citizen_profile")
        .defer("applicant__citizen_profile__id_number", "applicant__citizen_profile__address",
               "applicant__phone", "fields", "reasons", "remedies", "conditions")
    )


@officer_required
def queue(request):
    """The front desk's intake queue, earliest intake due first, with the working days left."""
    if Job.FRONT_DESK not in jobs_of(request.user) and not request.user.is_superuser:
        raise PermissionDenied
    qs = _case_filters(request, _list_qs(QUEUE_STATES), QUEUE_STATES)
    page, sort, query, filters = _page(request, qs, QUEUE_SORTS, "due")
    return render(request, "workbench/queue.html", {
        "page": page, "rows": _rows(page, "intake_due"), "sort": sort, "query": query, "filters": filters,
        "states": [(s.value, s.label) for s in QUEUE_STATES], "nav": "queue",
    })


def department_ids(user) -> set[int]:
    return {m.department_id for m in memberships(user) if m.job in DEPARTMENT_JOBS}


ASSIGNED_FILTERS = (("", gettext_lazy("All")), ("mine", gettext_lazy("Mine")), ("unassigned", gettext_lazy("Unassigned")))


def department_officers(department_id: int):
    return (
        User.objects.filter(memberships__department_id=department_id, memberships__job__in=DEPARTMENT_JOBS)
        .distinct().order_by("username")
    )


@officer_required
def inbox(request):
    """The department's cases awaiting work (single-department items and the lead's joint cases),
    earliest promised due first, coloured by the working days left."""
    versions = ItemVersion.objects.filter(department_id__in=department_ids(request.user)).values("pk")
    qs = _list_qs(INBOX_STATES).filter(item_version_id__in=versions).select_related("assignee")
    qs = _case_filters(request, qs, INBOX_STATES)
    assigned = request.GET.get("assigned", "")
    if assigned == "mine":
        qs = qs.filter(assignee=request.user)
    elif assigned == "unassigned":  # single-department cases nobody holds (joint ones go by task)
        qs = qs.filter(assignee__isnull=True, item_version__is_joint=False)
    page, sort, query, filters = _page(request, qs, INBOX_SORTS, "due")
    return render(request, "workbench/inbox.html", {
        "page": page, "rows": _rows(page, "decision_due_promised"), "sort": sort, "query": query, "filters": filters,
        "states": [(s.value, s.label) for s in INBOX_STATES], "nav": "inbox", "with_assigned": True,
        "assigned_choices": ASSIGNED_FILTERS,
    })


@officer_required
def tasks(request):
    """The department's tasks of joint items (every department, lead and co-departments)."""
    state = request.GET.get("state", "")
    qs = task_selectors.tasks_for(request.user, state=state or None, item=request.GET.get("item", "").strip() or None)
    if not state:
        qs = qs.filter(state__in=OPEN_TASK_STATES)
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(case__case_no__startswith=q)
    page, sort, query, filters = _page(request, qs, TASK_SORTS, "due")
    return render(request, "workbench/tasks.html", {
        "page": page, "rows": _rows(page, "effective_due"), "sort": sort, "query": query, "filters": filters, "nav": "tasks",
        "states": TaskState.choices,
    })


@officer_required
def extensions(request):
    """The department head's pending extension requests."""
    heads = {m.department_id for m in memberships(request.user) if m.job == Job.DEPARTMENT_HEAD}
    qs = (
        Extension.objects.filter(approved_on__isnull=True, case__item_version__department_id__in=heads,
                                 case__state=State.IN_REVIEW)
        .select_related("case", "case__item_version", "requested_by")
    )
    paginator = Paginator(qs.order_by("case__decision_due_statutory", "pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "workbench/extensions.html", {"page": page, "nav": "extensions"})


@officer_required
def message_centre(request):
    qs = notifications.inbox(request.user)
    if request.GET.get("unread") == "1":
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workbench/messages.html", {"page": page, "nav": "messages"})


@login_required(login_url="workbench:login")
def unread(request):
    """The message centre's unread count (the navigation badge fetches it)."""
    count = notifications.unread_count(request.user)
    return JsonResponse({"unread": count, "label": _("%(n)s unread messages") % {"n": count}})


@require_POST
@officer_required
def message_read(request, pk: int):
    notifications.mark_read(pk, user=request.user)
    return redirect("workbench:messages")


# --- the case page ------------------------------------------------------------------------------


def _checklist(detail, form=None) -> list[dict]:
    current = {m.requirement_code: m for m in detail.materials}
    form = form or {}
    rows = []
    for req in detail.case.item_version.materials.all():
        missing = req.code not in current and req.is_required
        rows.append({
            "req": req, "material": current.get(req.code),
            "verdict": form.get(f"verdict_{req.code}", "defective" if missing else "ok"),
            "reason": form.get(f"reason_{req.code}", _("Missing.") if missing else ""),
            "expected": form.get(f"expected_{req.code}", _("Supply this material.") if missing else ""),
        })
    return rows


def _decision_draft(case: Case) -> dict:
    template = DecisionTemplate.objects.filter(item_id=case.item_version.item_id).first()
    from approvals.cases.notices import applicant_name

    values = {**(case.fields or {}), "case_no": case.case_no, "item_name": case.item_version.name,
              "applicant_name": applicant_name(case), "received_on": case.received_on,
              "accepted_on": case.accepted_on}
    return {
        "conditions": DecisionTemplate.fill(template.approve_text, values) if template else "",
        "reasons": DecisionTemplate.fill(template.refuse_text, values) if template else "",
        "remedies": services.STANDARD_REMEDIES,
    }


def _case_context(request, case_no: str, *, errors=None, form=None, revealed=None):
    detail = case_detail(case_no, request.user)
    case = detail.case
    user = request.user
    profile = getattr(case.applicant, "citizen_profile", None)
    commands = [
        "request_correction", "accept", "accept_with_pledge", "not_accept", "start_review",
        "start_special_procedure", "end_special_procedure", "request_extension", "approve_extension", "decide",
        "issue_licence", "deliver", "close", "terminate",
    ]
    allowed = {c for c in commands if can(user, c, case)}
    extension = Extension.objects.filter(case=case).first()
    open_pause = SpecialProcedurePause.objects.filter(case=case, end__isnull=True).first()
    case_tasks = list(
        DepartmentTask.objects.with_due().filter(case=case).select_related("department", "assignee")
        .order_by("round", "role", "pk")
    )
    assignable = not case.item_version.is_joint and case.state in ASSIGNABLE_STATES
    can_reassign = assignable and can(user, "reassign_case", case)
    draft = _decision_draft(case)
    draft.update({k: v for k, v in (form or {}).items() if k in ("conditions", "reasons", "remedies")})
    return {
        "case": case, "detail": detail, "profile": profile, "allowed": allowed, "errors": errors or {},
        "form": form or {}, "revealed": revealed or {}, "checklist": _checklist(detail, form),
        "documents": list(OfficialDocument.objects.filter(case=case).order_by("created_at", "pk")),
        "extension": extension, "open_pause": open_pause, "tasks": case_tasks, "draft": draft,
        "procedures": list(case.item_version.special_procedures.all()),
        "pledgeable": [r for r in case.item_version.materials.all() if r.necessity == "pledgeable"],
        "pledge_offered": services.pledge_offered(case),
        "intake_left": days_left(case.intake_due), "decision_left": days_left(case.decision_due_promised),
        "today": clock.today(), "delivery_methods": Case.DeliveryMethod.choices, "State": State,
        "assignable": assignable, "can_reassign": can_reassign,
        "can_claim": assignable and case.assignee_id is None and can(user, "claim_case", case),
        "officers": list(department_officers(case.item_version.department_id)) if can_reassign else [],
        "nav": "queue" if Job.FRONT_DESK in jobs_of(user) else "inbox",
    }


@officer_required
def case_page(request, case_no: str):
    return render(request, "workbench/case.html", _case_context(request, case_no))


@require_POST
@officer_required
def reveal(request, case_no: str):
    """Show one personal-data field in full for this page view, and log that it was revealed."""
    detail = case_detail(case_no, request.user)
    field = request.POST.get("field", "")
    if field not in RevealLog.Field.values:
        raise Http404
    case = detail.case
    profile = getattr(case.applicant, "citizen_profile", None)
    value = {"id_number": profile.id_number if profile else "", "phone": case.applicant.phone,
             "address": profile.address if profile else ""}[field]
    RevealLog.objects.create(officer=request.user, case=case, field=field, ip_address=request.META.get("REMOTE_ADDR"))
    return render(request, "workbench/case.html", _case_context(request, case_no, revealed={field: value}))


def _date(value: str, field: str, errors: dict):
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        errors.setdefault(field, []).append(_("Enter a date as YYYY-MM-DD."))
        return None


def _int(value: str, field: str, errors: dict):
    try:
        return int((value or "").strip())
    except ValueError:
        errors.setdefault(field, []).append(_("Enter a whole number."))
        return None


def _correction_problems(post) -> list[dict]:
    codes = [k[len("verdict_"):] for k, v in post.items() if k.startswith("verdict_") and v == "defective"]
    return [{"material_code": c, "reason": post.get(f"reason_{c}", ""), "expected": post.get(f"expected_{c}", "")}
            for c in codes]


def _run(command: str, case: Case, user, post):
    """Call the one service for ``command``; ValidationError for bad form input, like the services."""
    errors: dict[str, list[str]] = {}
    pk = case.pk
    if command == "request_correction":
        return services.request_correction(pk, officer=user, problems=_correction_problems(post))
    if command == "accept":
        return services.accept(pk, officer=user, note=post.get("note", ""))
    if command == "accept_with_pledge":
        due = _date(post.get("pledge_due"), "pledge_due", errors)
        if errors:
            raise ValidationError(errors)
        return services.accept_with_pledge(pk, officer=user, pledged_material_codes=post.getlist("pledged"),
                                           pledge_due=due, note=post.get("note", ""))
    if command == "not_accept":
        return services.not_accept(pk, officer=user, reasons=post.get("reasons", ""), remedies=post.get("remedies", ""),
                                   competent_organ=post.get("competent_organ", ""),
                                   outside_competence=post.get("outside_competence") == "on")
    if command == "start_review":
        return services.start_review(pk, officer=user)
    if command == "start_special_procedure":
        start = _date(post.get("start"), "start", errors)
        days = _int(post.get("expected_days"), "expected_days", errors)
        if errors:
            raise ValidationError(errors)
        return services.start_special_procedure(pk, officer=user, kind=post.get("kind", ""), start=start,
                                                expected_days=days, reason=post.get("reason", ""))
    if command == "end_special_procedure":
        end = _date(post.get("end"), "end", errors)
        if errors:
            raise ValidationError(errors)
        return services.end_special_procedure(pk, officer=user, end=end)
    if command == "request_extension":
        days = _int(post.get("days"), "days", errors)
        if errors:
            raise ValidationError(errors)
        return services.request_extension(pk, officer=user, days=days, reason=post.get("extension_reason", ""))
    if command == "approve_extension":
        return services.approve_extension(pk, head=user, note=post.get("note", ""))
    if command == "decide":
        approve = post.get("outcome") == "approve"
        return services.decide(pk, officer=user, approve=approve, reasons=post.get("reasons", ""),
                               remedies=post.get("remedies", ""), conditions=post.get("conditions", ""))
    if command == "issue_licence":
        return services.issue_licence(pk, officer=user, licence_no=post.get("licence_no", ""))
    if command == "deliver":
        return services.deliver(pk, officer=user, method=post.get("method", ""), tracking_no=post.get("tracking_no", ""))
    if command == "close":
        return services.close(pk, officer=user)
    if command == "terminate":
        return services.terminate(pk, officer=user, legal_reason=post.get("legal_reason", ""))
    if command == "claim":
        return services.claim_case(pk, officer=user)
    if command == "reassign":
        to_user = User.objects.filter(pk=_int(post.get("to_user"), "to_user", errors) or 0).first()
        if errors:
            raise ValidationError(errors)
        return services.reassign_case(pk, head=user, to_user=to_user, reason=post.get("reason", ""))
    raise Http404


DONE_MESSAGES = {
    "request_correction": _("The correction notice was sent."),
    "accept": _("The application was accepted."),
    "accept_with_pledge": _("The application was accepted with a pledge."),
    "not_accept": _("The application was not accepted."),
    "claim": _("You now hold this case."),
    "reassign": _("The case was reassigned."),
}


@officer_required
def act(request, case_no: str, command: str):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    detail = case_detail(case_no, request.user)
    try:
        _run(command, detail.case, request.user, request.POST)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        ctx = _case_context(request, case_no, errors=errors, form=request.POST)
        ctx["failed"] = command
        messages.error(request, _("Not done: correct the fields marked below."))
        return render(request, "workbench/case.html", ctx, status=400)
    except Conflict as exc:
        messages.error(request, str(exc))
        return render(request, "workbench/case.html", _case_context(request, case_no), status=409)
    messages.success(request, DONE_MESSAGES.get(command, _("Done.")))
    return redirect("workbench:case", case_no=case_no)


# --- department tasks (joint items) -------------------------------------------------------------


def _task_context(request, task_id: int, *, errors=None, form=None):
    detail = task_selectors.task_detail(task_id, request.user)
    task = detail.task
    user = request.user
    jobs = {m.job for m in memberships(user) if m.department_id == task.department_id}
    officers = department_officers(task.department_id)
    return {
        "detail": detail, "task": task, "case": task.case, "errors": errors or {}, "form": form or {},
        "is_head": Job.DEPARTMENT_HEAD in jobs, "is_assignee": task.assignee_id == user.pk,
        "officers": officers, "procedures": list(task.case.item_version.special_procedures.all()),
        "materials": list(task.case.item_version.materials.all()), "today": clock.today(),
        "is_lead_decides": task.role == "lead" and task.case.item_version.join_policy == "lead_decides",
        "remedies": services.STANDARD_REMEDIES, "nav": "tasks",
    }


@officer_required
def task_page(request, task_id: int):
    return render(request, "workbench/task.html", _task_context(request, task_id))


def _run_task(command: str, task_id: int, user, post):
    errors: dict[str, list[str]] = {}
    if command == "claim":
        return parallel.claim(task_id, officer=user)
    if command == "start":
        return parallel.start(task_id, officer=user)
    if command == "agree":
        return parallel.agree(task_id, officer=user, opinion=post.get("opinion", ""))
    if command == "agree_with_conditions":
        return parallel.agree_with_conditions(task_id, officer=user, conditions=post.get("conditions", ""),
                                              opinion=post.get("opinion", ""))
    if command == "disagree":
        return parallel.disagree(task_id, officer=user, opinion=post.get("opinion", ""))
    if command == "request_materials":
        return parallel.request_materials(task_id, officer=user, requests=[{
            "material_code": post.get("material_code", ""), "reason": post.get("reason", ""),
            "expected": post.get("expected", ""),
        }])
    if command == "reassign":
        to = User.objects.filter(pk=_int(post.get("to"), "to", errors) or 0).first()
        if errors:
            raise ValidationError(errors)
        return parallel.reassign(task_id, head=user, to=to)
    if command == "sign_off":
        return parallel.sign_off(task_id, officer=user)
    if command == "lead_decide":
        return parallel.lead_decide(task_id, officer=user, approve=post.get("outcome") == "approve",
                                    reasons=post.get("reasons", ""), remedies=post.get("remedies", ""),
                                    conditions=post.get("conditions", ""))
    if command == "start_special_procedure":
        start = _date(post.get("start"), "start", errors)
        days = _int(post.get("expected_days"), "expected_days", errors)
        if errors:
            raise ValidationError(errors)
        return parallel.start_special_procedure(task_id, officer=user, kind=post.get("kind", ""), start=start,
                                                expected_days=days, reason=post.get("reason", ""))
    if command == "end_special_procedure":
        end = _date(post.get("end"), "end", errors)
        if errors:
            raise ValidationError(errors)
        return parallel.end_special_procedure(task_id, officer=user, end=end)
    raise Http404


@officer_required
def task_act(request, task_id: int, command: str):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    task_selectors.task_detail(task_id, request.user)  # 404 unless the user's department holds it
    try:
        _run_task(command, task_id, request.user, request.POST)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        messages.error(request, _("Not done: correct the fields marked below."))
        ctx = _task_context(request, task_id, errors=errors, form=request.POST)
        ctx["failed"] = command
        return render(request, "workbench/task.html", ctx, status=400)
    except Conflict as exc:
        messages.error(request, str(exc))
        return render(request, "workbench/task.html", _task_context(request, task_id), status=409)
    messages.success(request, _("Done."))
    return redirect("workbench:task", task_id=task_id)


# --- files ------------------------------------------------------------------------------------

INLINE_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png", "ofd": "application/ofd"}


@officer_required
def material_file(request, pk: int):
    """An uploaded material, inline, for officers who may see its case."""
    material = get_object_or_404(CaseMaterial.objects.select_related("case", "case__item_version"), pk=pk)
    if not can_see(request.user, material.case):
        raise Http404
    response = FileResponse(material.file.open("rb"), content_type=INLINE_TYPES.get(material.content_type))
    response["Content-Disposition"] = f'inline; filename="{material.requirement_code}-{material.pk}.{material.content_type}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required(login_url="workbench:login")
def document_pdf(request, pk: int):
    """An issued document's PDF for anyone who can see its case (applicant or staff); rendered now
    if its task has not run yet (rendering is idempotent)."""
    document = get_object_or_404(OfficialDocument.objects.select_related("case", "case__item_version"), pk=pk)
    if document.case is None or not can_see(request.user, document.case):
        raise Http404
    return pdf_response(document, as_attachment=bool(request.GET.get("download")),
                        filename=f"{document.kind}-{document.pk}.pdf")


# --- intake at the window ------------------------------------------------------------------------


@officer_required
def window_intake(request):
    """Intake at the window for an applicant who came in person: find them by ID number (or
    register them), fill the form, upload the scanned materials and submit in one step."""
    if Job.FRONT_DESK not in jobs_of(request.user) and not request.user.is_superuser:
        raise PermissionDenied
    versions = list(ItemVersion.objects.in_force(clock.today()).filter(channel_window=True)
                    .select_related("item", "department").order_by("item__code"))
    code = request.POST.get("item_code") or request.GET.get("item", "")
    version = next((v for v in versions if v.item.code == code), None)
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and version is not None:
        try:
            with transaction.atomic():
                applicant = walk_in_applicant(id_number=request.POST.get("id_number", ""),
                                              real_name=request.POST.get("real_name", ""),
                                              phone=request.POST.get("phone", ""))
                fields = {f.name: request.POST.get(f"field_{f.name}", "") for f in version.form_fields.all()}
                uploads = {req.code: request.FILES[f"file_{req.code}"] for req in version.materials.all()
                           if request.FILES.get(f"file_{req.code}")}
                case = services.intake_at_window(officer=request.user, applicant=applicant, item_code=code,
                                                 fields={k: v for k, v in fields.items() if v}, uploads=uploads)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        except PermissionDenied as exc:
            errors = {"id_number": [str(exc)]}
        else:
            messages.success(request, _("Case %(no)s was received at the window.") % {"no": case.case_no})
            return redirect("workbench:case", case_no=case.case_no)
        messages.error(request, _("Not done: correct the fields marked below."))
    return render(request, "workbench/window_intake.html", {
        "versions": versions, "version": version, "errors": errors, "form": request.POST,
        "form_fields": list(version.form_fields.all()) if version else [],
        "materials": list(version.materials.all()) if version else [], "nav": "window",
    }, status=400 if errors else 200)
