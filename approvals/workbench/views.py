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
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import OfficerMembership, User
from accounts.services import walk_in_applicant
from approvals.cases import clock, commands, services
from approvals.cases.commands import DEPARTMENT_JOBS, OUTCOMES, SIGNING_JOBS
from approvals.cases.exceptions import Conflict
from approvals.cases.notices import applicant_name
from approvals.cases.permissions import can_see, case_offers, memberships
from approvals.cases.rules import running_procedure
from approvals.cases.selectors import case_detail
from approvals.documents.models import OfficialDocument
from approvals.documents.views import pdf_response
from approvals.items.models import ItemVersion
from approvals.models import ASSIGNABLE_STATES, Case, CaseMaterial, CaseOpinion, Extension, State
from approvals.notifications import services as notifications
from approvals.parallel import selectors as task_selectors
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


def with_holder(qs):
    """Annotate the holder's (``assignee``'s) department and job in the list's own statement, so a
    list names holders (王审核（市场监督管理局 · 审核人）) without another query."""
    jobs = OfficerMembership.objects.filter(user_id=OuterRef("assignee_id")).order_by("department__name", "job")
    return qs.annotate(
        holder_department=Subquery(jobs.values("department__name")[:1]),
        holder_job=Subquery(jobs.values("job")[:1]),
    )


def holder_label(obj) -> str:
    """The holder of an annotated list row (``with_holder``) by name, department and job."""
    user = obj.assignee
    if user is None:
        return ""
    name = user.get_full_name() or user.get_username()
    if not obj.holder_job:
        return name
    return f"{name}（{obj.holder_department} · {Job(obj.holder_job).label}）"


def _rows(page, due_attr: str):
    rows = []
    for obj in page.object_list:
        due = getattr(obj, due_attr)
        left = days_left(due)
        rows.append({"obj": obj, "due": due, "left": left, "urgency": urgency(left),
                     "assignee": holder_label(obj) if hasattr(obj, "holder_job") else ""})
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
    qs = with_holder(_list_qs(INBOX_STATES).filter(item_version_id__in=versions).select_related("assignee"))
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
    qs = with_holder(
        task_selectors.tasks_for(request.user, state=state or None, item=request.GET.get("item", "").strip() or None)
    )
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


def officer_labels(user_ids) -> dict[int, str]:
    """Officers by name with their department and job (``王审核（市场监督管理局 · 审核人）``), in one query."""
    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    parts: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    rows = (
        OfficerMembership.objects.filter(user_id__in=ids)
        .select_related("user", "department").order_by("user_id", "department__name", "job")
    )
    for m in rows:
        names[m.user_id] = m.user.get_full_name() or m.user.get_username()
        parts.setdefault(m.user_id, []).append(f"{m.department.name} · {m.get_job_display()}")
    labels = {pk: f"{names[pk]}（{'；'.join(jobs)}）" for pk, jobs in parts.items()}
    for user in User.objects.filter(pk__in=ids - set(labels)):
        labels[user.pk] = user.get_full_name() or user.get_username()
    return labels


def _decision_draft(case: Case) -> dict:
    template = DecisionTemplate.objects.filter(item_id=case.item_version.item_id).first()
    values = {**(case.fields or {}), "case_no": case.case_no, "item_name": case.item_version.name,
              "applicant_name": applicant_name(case), "received_on": case.received_on,
              "accepted_on": case.accepted_on}
    return {
        "conditions": DecisionTemplate.fill(template.approve_text, values) if template else "",
        "reasons": DecisionTemplate.fill(template.refuse_text, values) if template else "",
    }


def _sources(version, department_id: int, user, case: Case) -> dict:
    """The options of the command forms' inputs (``Input.source``)."""
    staff: dict[int, set[str]] = {}
    for user_id, job in OfficerMembership.objects.filter(
        department_id=department_id, job__in=DEPARTMENT_JOBS
    ).values_list("user_id", "job"):
        staff.setdefault(user_id, set()).add(job)
    labels = officer_labels(staff)
    officers = sorted(staff, key=lambda pk: labels[pk])
    current = {m.requirement_code: m for m in case.materials.all() if m.is_current}
    requirements = list(version.materials.all())
    materials = [
        {"code": r.code, "label": f"{r.code} {r.name}", "material": current.get(r.code),
         "missing": r.code not in current and r.is_required}
        for r in requirements
    ]
    return {
        "procedures": [(p.kind, f"{p.name}（≤{p.max_working_days}）") for p in version.special_procedures.all()],
        "delivery_methods": list(Case.DeliveryMethod.choices),
        "pledgeable": [(r.code, f"{r.code} {r.name}") for r in requirements if r.necessity == "pledgeable"],
        "materials": materials,
        "department_officers": [(pk, labels[pk]) for pk in officers],
        "signers": [(pk, labels[pk]) for pk in officers if pk != user.pk and staff[pk] & set(SIGNING_JOBS)],
        "outcomes": [(v, str(label)) for v, label in OUTCOMES],
    }


def _forms(request, offers, *, url, initial: dict, sources: dict, failed: str = "", errors=None, form=None):
    """The command forms of a page: one per possible command (inputs, values, their errors), plus the
    commands a rule refuses now, with the reason."""
    forms, refused = [], []
    for offer in offers:
        row = offer.command
        if row.upload:  # a file is taken by its own upload page or endpoint, not by a command form
            continue
        mine = failed == row.name
        if offer.reason is not None:
            refused.append({"command": row, "reason": offer.reason, "id": f"refused-{row.route}"})
            continue
        values = form if mine and form is not None else {}
        fields = []
        for spec in row.inputs:
            value = values.get(spec.name) if mine else None
            if value is None:
                value = initial.get(spec.name, "today" if spec.default == "today" else spec.default)
            if value == "today":
                value = clock.today().isoformat()
            fields.append({"spec": spec, "value": value, "options": sources.get(spec.source, []),
                           "errors": _errors_for(errors if mine else None, spec.name)})
        used = {spec.name for spec in row.inputs}
        general = [(key, msgs) for key, msgs in ((errors or {}).items() if mine else ()) if not _belongs(key, used)]
        forms.append({"command": row, "url": url(row), "fields": fields, "errors": general, "failed": mine,
                      "id": row.route})
    if failed and not any(f["failed"] for f in forms):
        # The refused command has no form on the page (a rule or its state refuses it now): its
        # reasons are shown with the commands, each under its own key.
        row = next((o.command for o in offers if o.command.name == failed), None)
        refused.insert(0, {"command": row, "errors": list((errors or {}).items()), "id": f"failed-{failed}",
                           "reason": ""})
    return forms, refused


def _belongs(key: str, names: set[str]) -> bool:
    return key.split(".")[0] in names


def _errors_for(errors, name: str) -> list[str]:
    return [m for key, msgs in (errors or {}).items() if key.split(".")[0] == name for m in msgs]


def _case_context(request, case_no: str, *, errors=None, form=None, failed: str = "", revealed=None):
    detail = case_detail(case_no, request.user)
    case = detail.case
    user = request.user
    version = case.item_version
    profile = getattr(case.applicant, "citizen_profile", None)
    labels = dict(version.form_fields.values_list("name", "label"))
    opinions = list(CaseOpinion.objects.filter(case=case))
    actors = officer_labels([e.actor_id for e in detail.timeline] + [case.assignee_id] + [o.officer_id for o in opinions])
    timeline_names = commands.timeline_labels()
    forms, refused = _forms(
        request, case_offers(user, case),
        url=lambda row: reverse("workbench:act", args=[case.case_no, row.route.replace("-", "_")]),
        initial=_decision_draft(case), sources=_sources(version, version.department_id, user, case),
        failed=failed, errors=errors, form=form,
    )
    return {
        "case": case, "detail": detail, "profile": profile, "errors": errors or {}, "revealed": revealed or {},
        "current": {m.requirement_code: m for m in detail.materials},
        "fields": [(labels.get(name, name), value) for name, value in (case.fields or {}).items()],
        "timeline": [{"entry": e, "label": timeline_names.get(e.command) or commands.label(e.command),
                      "actor": actors.get(e.actor_id, "")} for e in detail.timeline],
        "assignee": actors.get(case.assignee_id, ""), "forms": forms, "refused": refused,
        "opinions": [{"entry": o, "officer": actors.get(o.officer_id, "")} for o in opinions],
        "documents": list(OfficialDocument.objects.filter(case=case).order_by("created_at", "pk")),
        "extension": Extension.objects.filter(case=case).first(), "open_pause": running_procedure(case),
        "tasks": list(
            DepartmentTask.objects.with_due().filter(case=case).select_related("department", "assignee")
            .order_by("round", "role", "pk")
        ),
        "assignable": not version.is_joint and case.state in ASSIGNABLE_STATES,
        "intake_left": days_left(case.intake_due), "decision_left": days_left(case.decision_due_promised),
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


def parse_inputs(row, post) -> dict:
    """The command's inputs from a form POST (names and kinds from the command table); a badly
    formed date or number is a ``ValidationError`` on its field, like the services' errors."""
    errors: dict[str, list[str]] = {}
    data: dict = {}
    for spec in row.inputs:
        raw = post.get(spec.name, "")
        if spec.kind == "date":
            try:
                data[spec.name] = date.fromisoformat(raw.strip())
            except ValueError:
                errors[spec.name] = [_("Enter a date as YYYY-MM-DD.")]
        elif spec.kind == "int":
            try:
                data[spec.name] = int(raw.strip())
            except ValueError:
                errors[spec.name] = [_("Enter a whole number.")]
        elif spec.kind == "bool":
            data[spec.name] = raw in ("on", "1", "true")
        elif spec.kind == "decision":
            data[spec.name] = raw != "refuse"
        elif spec.kind == "codes":
            data[spec.name] = post.getlist(spec.name)
        elif spec.kind in ("problems", "requests"):
            # One row per material: verdict_<code> ("defective" picks it), reason_<code>, expected_<code>.
            codes = [k[len("verdict_"):] for k, v in post.items() if k.startswith("verdict_") and v == "defective"]
            data[spec.name] = [{"material_code": c, "reason": post.get(f"reason_{c}", ""),
                                "expected": post.get(f"expected_{c}", "")} for c in codes]
        elif spec.kind == "officer":
            pk = raw.strip()
            data[spec.name] = User.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
        else:
            data[spec.name] = raw
    if errors:
        raise ValidationError(errors)
    return data


def _find(rows, segment: str):
    row = next((r for r in rows if r.route.replace("-", "_") == segment and r.service and not r.upload), None)
    if row is None:
        raise Http404
    return row


def _run(request, row, ref, render_page):
    """Fire ``row`` for the POST; a refusal is shown next to its form (never a bare error page)."""
    try:
        row.call(ref, request.user, parse_inputs(row, request.POST))
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        messages.error(request, _("Not done: %(command)s — see the reasons next to the form.")
                       % {"command": row.label})
        return render_page(errors, 400)
    except (Conflict, PermissionDenied) as exc:
        messages.error(request, _("Not done: %(command)s — see the reasons next to the form.")
                       % {"command": row.label})
        return render_page({"__all__": [str(exc)]}, 409 if isinstance(exc, Conflict) else 403)
    messages.success(request, str(row.done) if row.done else _("Done."))
    return None


@require_POST
@officer_required
def act(request, case_no: str, command: str):
    row = _find(commands.CASE_COMMANDS, command)
    detail = case_detail(case_no, request.user)

    def page(errors, status):
        ctx = _case_context(request, case_no, errors=errors, form=request.POST, failed=row.name)
        return render(request, "workbench/case.html", ctx, status=status)

    return _run(request, row, detail.case.pk, page) or redirect("workbench:case", case_no=case_no)


# --- department tasks (joint items) -------------------------------------------------------------


def _task_context(request, task_id: int, *, errors=None, form=None, failed: str = ""):
    detail = task_selectors.task_detail(task_id, request.user)
    task = detail.task
    case = task.case
    user = request.user
    version = case.item_version
    labels = dict(version.form_fields.values_list("name", "label"))
    actors = officer_labels([e.actor_id for e in detail.log] + [t.assignee_id for t in detail.case_tasks]
                            + [task.reviewed_by_id])
    forms, refused = _forms(
        request, task_selectors.task_offers(user, task),
        url=lambda row: reverse("workbench:task_act", args=[task.pk, row.route.replace("-", "_")]),
        initial={"conditions": task.proposal.get("conditions", "") if task.proposal else ""},
        sources=_sources(version, task.department_id, user, case), failed=failed, errors=errors, form=form,
    )
    return {
        "detail": detail, "task": task, "case": case, "errors": errors or {}, "forms": forms, "refused": refused,
        "fields": [(labels.get(name, name), value) for name, value in (case.fields or {}).items()],
        "actors": actors, "assignee": actors.get(task.assignee_id, ""),
        "log": [{"entry": e, "label": commands.label(e.command, commands.TASK), "actor": actors.get(e.actor_id, "")}
                for e in detail.log],
        "proposal_outcome": dict(OUTCOMES).get(task.proposal.get("outcome")) if task.proposal else "",
        "reviewer": actors.get(task.reviewed_by_id, ""), "nav": "tasks",
    }


@officer_required
def task_page(request, task_id: int):
    return render(request, "workbench/task.html", _task_context(request, task_id))


@require_POST
@officer_required
def task_act(request, task_id: int, command: str):
    row = _find(commands.TASK_COMMANDS, command)
    task_selectors.task_detail(task_id, request.user)  # 404 unless the user's department holds it

    def page(errors, status):
        ctx = _task_context(request, task_id, errors=errors, form=request.POST, failed=row.name)
        return render(request, "workbench/task.html", ctx, status=status)

    return _run(request, row, task_id, page) or redirect("workbench:task", task_id=task_id)


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
                                                 fields={k: v for k, v in fields.items() if v}, uploads=uploads,
                                                 pledge_declared=request.POST.get("pledge_declared") == "on")
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        except PermissionDenied as exc:
            errors = {"id_number": [str(exc)]}
        else:
            messages.success(request, _("Case %(no)s was received at the window.") % {"no": case.case_no})
            return redirect("workbench:case", case_no=case.case_no)
        messages.error(request, _("Not done: correct the fields marked below."))
    materials = list(version.materials.all()) if version else []
    return render(request, "workbench/window_intake.html", {
        "versions": versions, "version": version, "errors": errors, "form": request.POST,
        "form_fields": list(version.form_fields.all()) if version else [], "materials": materials,
        "pledgeable": [m for m in materials if m.necessity == "pledgeable"],
        "nav": "window",
    }, status=400 if errors else 200)
