"""Pages of the citizen and business portal. Each view checks its input, calls one service and
renders; the rules live in ``citizen_portal.services`` and ``approvals.cases.services``."""

from __future__ import annotations

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import BusinessAgent
from approvals.cases import files
from approvals.cases import services as cases
from approvals.cases.commands import timeline_labels
from approvals.cases.exceptions import Conflict
from approvals.cases.forms_validation import missing_required
from approvals.cases.permissions import is_party
from approvals.cases.selectors import case_detail as engine_case_detail
from approvals.documents.models import OfficialDocument
from approvals.documents.views import pdf_response
from approvals.items.models import ItemVersion
from approvals.models import OPEN_STATES, PLEDGE_TEXT, Case, CorrectionNotice, State
from approvals.notifications.models import Notification
from approvals.supervision import complaints, ratings
from approvals.supervision.reports.selectors import item_on_time_rate

from . import feedback, forms, selectors, services

LOGIN_URL = reverse_lazy("portal:login")
#: A joint case's review round waiting for supplementary materials (approvals.parallel).
SUPPLEMENT_REQUESTED = State.SUPPLEMENT_REQUESTED
ACCEPT = ".pdf,.jpg,.jpeg,.png,.ofd"


def applicant_required(view):
    """Logged in with a citizen profile (officers and administrators use the back office)."""

    @wraps(view)
    @login_required(login_url=LOGIN_URL)
    def wrapper(request, *args, **kwargs):
        if not hasattr(request.user, "citizen_profile"):
            return render(request, "citizen_portal/not_applicant.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


# --- public catalog ------------------------------------------------------------------------------


def home(request):
    entries = selectors.catalog_entries()
    return render(request, "citizen_portal/home.html", {
        "citizen_themes": selectors.CITIZEN_THEMES,
        "business_themes": selectors.BUSINESS_THEMES,
        "departments": selectors.departments_with_items(),
        "popular": [e for e in entries if e.channel_online][:6],
        "item_count": len(entries),
    })


def guide(request):
    query = request.GET.get("q", "").strip()[:100]
    department = request.GET.get("dept", "")[:30]
    theme = request.GET.get("theme", "")[:30]
    target = request.GET.get("target", "")[:10]
    departments = selectors.departments_with_items()
    context = {
        "query": query,
        "department": department,
        "department_name": next((name for code, name, _n in departments if code == department), ""),
        "theme": theme,
        "theme_name": selectors.THEMES.get(theme, ""),
        "target": target,
        "departments": departments,
        "citizen_themes": selectors.CITIZEN_THEMES,
        "business_themes": selectors.BUSINESS_THEMES,
        "filtered": bool(query or department or theme or target),
    }
    # The result list is public: its rendered HTML is cached per query and catalog generation.
    key = selectors.cache_key("guide", get_language(), hashlib.sha256(
        "\n".join((query, department, theme, target)).encode()).hexdigest())
    results_html = cache.get(key)
    if results_html is None:
        results = selectors.browse(query=query, department=department, theme=theme, target=target)
        results_html = render_to_string("citizen_portal/guide/_results.html", {**context, "results": results})
        cache.set(key, results_html, selectors.CACHE_SECONDS)
    return render(request, "citizen_portal/guide/list.html", {**context, "results_html": results_html})


def item_detail(request, code: str):
    """Every public field of the version in force; the body is cached per catalog generation."""
    key = selectors.cache_key("item", code, get_language())
    body = cache.get(key)
    if body is None:
        version = selectors.item_in_force(code)
        if version is None:
            raise Http404(_("No item with this code is in force."))
        body = render_to_string("citizen_portal/guide/_item_body.html", {
            "v": version,
            "materials": list(version.materials.all()),
            "on_time": item_on_time_rate(code),
            "themes": [(t, selectors.THEMES.get(t, t)) for t in version.theme_list],
        }, request=None)
        title = version.name
        cache.set(key, (title, body), selectors.CACHE_SECONDS)
    else:
        title, body = body
    return render(request, "citizen_portal/guide/item.html", {"code": code, "title": title, "body": body})


def item_file(request, code: str, material_code: str, kind: str):
    """Blank form or filled sample of a material of the version in force."""
    version = selectors.item_in_force(code)
    material = next((m for m in version.materials.all() if m.code == material_code), None) if version else None
    if material is None or kind not in ("form", "sample"):
        raise Http404
    stored = material.blank_form if kind == "form" else material.sample
    if not stored:
        raise Http404
    return FileResponse(stored.open("rb"), as_attachment=True, filename=stored.name.rsplit("/", 1)[-1])


# --- accounts ------------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "citizen_portal/accounts/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("portal:my-cases")


def register(request):
    return render(request, "citizen_portal/accounts/register.html")


def _person_kwargs(data: dict) -> dict:
    return {k: data.get(k, "") for k in ("username", "password", "real_name", "id_number", "phone", "email")}


@require_http_methods(["GET", "POST"])
def register_citizen(request):
    form = forms.PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.register_citizen(**_person_kwargs(form.cleaned_data))
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect(request.GET.get("next") or "portal:home")
    return render(request, "citizen_portal/accounts/register_form.html", {"form": form, "kind": "citizen"})


@require_http_methods(["GET", "POST"])
def register_business(request):
    form = forms.BusinessAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, _business = services.register_business_account(
                **_person_kwargs(data), business_name=data["business_name"], uscc=data["uscc"],
                legal_representative=data["legal_representative"], role=data["role"],
            )
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, _("Welcome! Your account and your business are registered."))
            return redirect("portal:profile")
    return render(request, "citizen_portal/accounts/register_form.html", {"form": form, "kind": "business"})


@applicant_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    business_form = forms.BusinessForm(request.POST if request.POST.get("action") == "business" else None)
    agent_form = forms.AgentForm(request.POST if request.POST.get("action") == "agent" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "business" and business_form.is_valid():
                d = business_form.cleaned_data
                services.register_business(user=user, name=d["business_name"], uscc=d["uscc"],
                                           legal_representative=d["legal_representative"], role=d["role"])
                messages.success(request, _("The business is registered; you can now apply for it."))
                return redirect("portal:profile")
            if action == "agent" and agent_form.is_valid():
                business_id = _int(request.POST.get("business_id"))
                services.add_agent(by=user, business_id=business_id, **agent_form.cleaned_data)
                messages.success(request, _("The agent can now act for the business."))
                return redirect("portal:profile")
            if action == "deactivate":
                services.deactivate_agent(by=user, agent_id=_int(request.POST.get("agent_id")))
                messages.success(request, _("The agent's authority is withdrawn."))
                return redirect("portal:profile")
        except ValidationError as exc:
            forms.apply_errors(business_form if action == "business" else agent_form, exc)
    agencies = list(
        BusinessAgent.objects.filter(user=user, active=True).select_related("business").order_by("business__name")
    )
    others = BusinessAgent.objects.filter(business_id__in=[a.business_id for a in agencies]).select_related(
        "user", "user__citizen_profile"
    ).order_by("business_id", "role", "pk")
    team: dict[int, list] = {}
    for agent in others:
        team.setdefault(agent.business_id, []).append(agent)
    return render(request, "citizen_portal/accounts/profile.html", {
        "profile": user.citizen_profile,
        "agencies": [(a, team.get(a.business_id, [])) for a in agencies],
        "business_form": business_form,
        "agent_form": agent_form,
        "agent_business_id": _int(request.POST.get("business_id")) if request.POST.get("action") == "agent" else None,
    })


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


PASSWORD_RESET = {
    "reset": auth_views.PasswordResetView.as_view(
        template_name="citizen_portal/accounts/password_reset.html",
        email_template_name="citizen_portal/accounts/password_reset_email.txt",
        subject_template_name="citizen_portal/accounts/password_reset_subject.txt",
        success_url=reverse_lazy("portal:password-reset-done"),
    ),
    "done": auth_views.PasswordResetDoneView.as_view(template_name="citizen_portal/accounts/password_reset_done.html"),
    "confirm": auth_views.PasswordResetConfirmView.as_view(
        template_name="citizen_portal/accounts/password_reset_confirm.html",
        success_url=reverse_lazy("portal:password-reset-complete"),
    ),
    "complete": auth_views.PasswordResetCompleteView.as_view(
        template_name="citizen_portal/accounts/password_reset_complete.html"
    ),
}


# --- the application wizard ---------------------------------------------------------------------


@applicant_required
@require_http_methods(["GET", "POST"])
def apply_start(request, code: str):
    """Choose who applies (yourself or a business you act for), then the draft is created once."""
    version = selectors.item_in_force(code)
    if version is None:
        raise Http404(_("No item with this code is in force."))
    agencies = list(
        BusinessAgent.objects.filter(user=request.user, active=True).select_related("business").order_by("business__name")
    )
    errors: list[str] = []
    if request.method == "POST":
        business_id = request.POST.get("business_id") or None
        try:
            case = services.start_application(
                user=request.user, item_code=code, token=request.POST.get("token", ""),
                business_id=int(business_id) if business_id and business_id.isdigit() else None,
            )
        except ValidationError as exc:
            errors = [m for ms in exc.message_dict.values() for m in ms]
        else:
            return redirect("portal:apply-fields", case_no=case.case_no)
    drafts = Case.objects.filter(applicant=request.user, state=State.DRAFT, item_version__item__code=code).order_by("-case_no")
    return render(request, "citizen_portal/apply/start.html", {
        "v": version,
        "token": uuid.uuid4().hex,
        "agencies": agencies,
        "for_citizen": version.target != ItemVersion.Target.BUSINESS,
        "for_business": version.target != ItemVersion.Target.CITIZEN,
        "drafts": list(drafts[:5]),
        "errors": errors,
    })


def _own_case(request, case_no: str):
    """The case page data for a party (applicant or active agent); anyone else gets 404."""
    detail = engine_case_detail(case_no, request.user)
    if not is_party(request.user, detail.case):
        raise Http404(_("No such case."))
    return detail


def _draft(request, case_no: str):
    detail = _own_case(request, case_no)
    if detail.case.state != State.DRAFT:
        return detail, redirect("portal:case", case_no=case_no)
    return detail, None


STEPS = (
    ("fields", gettext_lazy("Application details")),
    ("materials", gettext_lazy("Materials")),
    ("review", gettext_lazy("Review and submit")),
)


def _prefill(case: Case) -> dict:
    """Applicant details from the profile for the item's fields that ask for them."""
    user = case.applicant
    profile = user.citizen_profile
    values = {"applicant_name": profile.real_name, "name": profile.real_name, "phone": user.phone,
              "contact_phone": user.phone, "mobile": user.phone}
    if profile.address:
        values["address"] = profile.address
    if case.business_id:
        b = case.business
        values.update(company_name=b.name, unit_name=b.name, operator_name=b.name, uscc=b.uscc,
                      legal_representative=b.legal_representative)
        if b.address:
            values["address"] = b.address
    return values


@applicant_required
@require_http_methods(["GET", "POST"])
def apply_fields(request, case_no: str):
    detail, moved = _draft(request, case_no)
    if moved:
        return moved
    case = detail.case
    specs = list(case.item_version.form_fields.all())
    initial = dict(case.fields) if case.fields else _prefill(case)
    form = forms.ApplicationFieldsForm(specs, initial, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.save_draft_fields(case.pk, user=request.user, fields=form.values())
        except ValidationError as exc:
            forms.apply_errors(form, exc, prefix="fields.")
        except Conflict:
            return redirect("portal:case", case_no=case_no)
        else:
            if request.POST.get("go") == "save":
                messages.success(request, _("Draft saved. You can come back to it from My cases."))
                return redirect("portal:apply-fields", case_no=case_no)
            missing = missing_required(specs, case.fields)
            if not missing:
                return redirect("portal:apply-materials", case_no=case_no)
            forms.apply_errors(form, ValidationError(missing), prefix="fields.")
    return render(request, "citizen_portal/apply/fields.html", {
        "case": case, "form": form, "steps": STEPS, "step": "fields",
        "profile": case.applicant.citizen_profile,
    })


def _material_rows(case: Case, current, *, allowed: set[str] | None):
    by_code = {m.requirement_code: m for m in current}
    return [
        {"req": req, "file": by_code.get(req.code), "locked": allowed is not None and req.code not in allowed}
        for req in case.item_version.materials.all()
    ]


@applicant_required
def apply_materials(request, case_no: str):
    detail, moved = _draft(request, case_no)
    if moved:
        return moved
    return render(request, "citizen_portal/apply/materials.html", {
        "case": detail.case, "rows": _material_rows(detail.case, detail.materials, allowed=None),
        "steps": STEPS, "step": "materials", "accept": ACCEPT, "max_bytes": files.max_upload_bytes(),
        "back": reverse("portal:apply-materials", args=[case_no]),
    })


def _wants_json(request) -> bool:
    return request.headers.get("x-requested-with") == "fetch" or "application/json" in request.headers.get("accept", "")


@applicant_required
@require_POST
def upload_material(request, case_no: str, code: str):
    """One file for one material (the wizard, a correction notice or a pledge). The type is checked
    by content and the size against the limits by the case engine; a failure changes nothing."""
    detail = _own_case(request, case_no)
    back = request.POST.get("next") or reverse("portal:case", args=[case_no])
    if not back.startswith("/"):
        back = reverse("portal:case", args=[case_no])
    form = forms.UploadForm(request.POST, request.FILES)
    status, errors, material = 200, [], None
    if not form.is_valid():
        status, errors = 400, [_("Choose a file to upload.")]
    else:
        try:
            material = cases.attach_material(detail.case.pk, user=request.user, requirement_code=code,
                                             upload=form.cleaned_data["file"])
        except ValidationError as exc:
            status, errors = 400, [m for ms in exc.message_dict.values() for m in ms]
        except Conflict as exc:
            status, errors = 409, [str(exc)]
    if _wants_json(request):
        if errors:
            return JsonResponse({"ok": False, "errors": errors}, status=status)
        return JsonResponse({"ok": True, "code": code, "name": material.original_name, "size": material.size})
    if errors:
        for message in errors:
            messages.error(request, f"{code}: {message}")
    else:
        messages.success(request, _("%(name)s uploaded.") % {"name": material.original_name})
    return redirect(back)


@applicant_required
@require_http_methods(["GET", "POST"])
def apply_review(request, case_no: str):
    detail, moved = _draft(request, case_no)
    if moved:
        return moved
    case = detail.case
    form = forms.ReviewForm(request.POST if request.method == "POST" else None)
    problems: dict[str, list[str]] = {}
    pledgeable = services.missing_pledgeable_codes(case)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_application(case.pk, user=request.user, pledge_declared=form.cleaned_data["pledge"])
        except ValidationError as exc:
            problems = exc.message_dict
            if "pledge_declared" in problems:  # the engine's rule, shown next to the check box
                form.add_error("pledge", problems.pop("pledge_declared"))
        except Conflict:
            pass  # submitted by an earlier click: show the case
        else:
            messages.success(request, _("Your application is submitted. Case number: %(no)s.") % {"no": case_no})
            return redirect("portal:case", case_no=case_no)
        case.refresh_from_db()
        if case.state != State.DRAFT:
            return redirect("portal:case", case_no=case_no)
    specs = list(case.item_version.form_fields.all())
    field_rows = [(spec, case.fields.get(spec.name), problems.get(f"fields.{spec.name}")) for spec in specs]
    rows = _material_rows(case, detail.materials, allowed=None)
    for row in rows:
        row["problems"] = problems.get(f"materials.{row['req'].code}")
    return render(request, "citizen_portal/apply/review.html", {
        "case": case, "form": form, "steps": STEPS, "step": "review", "field_rows": field_rows, "rows": rows,
        "pledgeable": pledgeable, "pledge_text": PLEDGE_TEXT, "problems": problems,
        "profile": case.applicant.citizen_profile,
    })


# --- my cases ------------------------------------------------------------------------------------


@applicant_required
def my_cases(request):
    status = request.GET.get("status", "")
    page = selectors.my_cases(request.user, status=status if status in ("open", "finished") else "",
                              page=request.GET.get("page", 1))
    prefix = reverse("portal:my-cases")
    rows = [
        {
            "case": c, "url": f"{prefix}{c.case_no}/", "state": c.get_state_display(),
            "deadline": selectors.next_deadline(c), "holder": selectors.holder(c),
        }
        for c in page.object_list
    ]
    return render(request, "citizen_portal/cases/list.html", {"page": page, "rows": rows, "status": status})


def _department_tasks(case: Case, user) -> list[dict] | None:
    """Each department's task of a joint case (approvals.parallel), newest round first."""
    from approvals.parallel.selectors import case_tasks

    tasks = case_tasks(case.case_no, user)
    return [
        {
            "department": t.department.name,
            "role": t.get_role_display(),
            "round": t.round,
            "state": t.state,
            "state_label": t.get_state_display(),
            "due": t.effective_due,  # the task's own due, never after the case's promised due
            "part_result": t.get_part_result_display() if t.part_result else "",
        }
        for t in sorted(tasks, key=lambda t: (-t.round, t.role != "lead", t.pk))
    ]


def _supplement_notice(case: Case):
    """The open supplementary-materials notice of a joint case's review round, if any."""
    from approvals.parallel.models import SupplementNotice

    return SupplementNotice.objects.filter(case=case, completed_on__isnull=True).first()


def _feedback(request, case: Case) -> dict | None:
    """Rating and complaint forms (approvals.supervision services), with a failed POST's form."""
    return feedback.context(case, request.user, **getattr(request, "_feedback_forms", {}))


@applicant_required
def case_page(request, case_no: str):
    detail = _own_case(request, case_no)
    case = detail.case
    notice = (
        CorrectionNotice.objects.filter(case=case, round=case.round, completed_on__isnull=True).first()
        if case.state == State.CORRECTION_REQUESTED else None
    )
    supplement = _supplement_notice(case) if case.state == SUPPLEMENT_REQUESTED else None
    pledge = getattr(case, "pledge", None) if case.state in (State.ACCEPTED_WITH_PLEDGE, State.IN_REVIEW) else None
    if pledge is not None and pledge.fulfilled_at is not None:
        pledge = None
    if notice:
        allowed = set(notice.material_codes)
    elif supplement:
        allowed = set(supplement.material_codes)
    else:
        allowed = set(pledge.material_codes) if pledge else set()
    documents = list(
        OfficialDocument.objects.filter(case_no=case.case_no).select_related("department").order_by("issued_on", "pk")
    )
    notes = list(
        Notification.objects.filter(
            recipient=request.user, channel=Notification.Channel.IN_APP, context__case_no=case.case_no
        ).order_by("-created_at")[:20]
    )
    labels = timeline_labels()
    timeline = [(entry, labels.get(entry.command, entry.command)) for entry in detail.timeline]
    return render(request, "citizen_portal/cases/detail.html", {
        "case": case,
        "timeline": timeline,
        "rows": _material_rows(case, detail.materials, allowed=allowed),
        "notice": notice,
        "problems": {p["material_code"]: p for p in (notice.problems if notice else
                     supplement.requests if supplement else [])},
        "supplement": supplement,
        "pledge": pledge,
        "can_upload": bool(allowed),
        "documents": documents,
        "notes": notes,
        "deadline": selectors.next_deadline(case),
        "holder": selectors.holder(case),
        "can_withdraw": case.state in OPEN_STATES,
        "tasks": _department_tasks(case, request.user) if case.item_version.is_joint else None,
        "feedback": _feedback(request, case),
        "accept": ACCEPT,
        "max_bytes": files.max_upload_bytes(),
        "back": reverse("portal:case", args=[case_no]),
        "public_base": settings.PUBLIC_BASE_URL,
    })


@applicant_required
@require_POST
def resubmit(request, case_no: str):
    detail = _own_case(request, case_no)
    try:
        if detail.case.state == SUPPLEMENT_REQUESTED:
            from approvals.parallel.services import resubmit_supplement

            resubmit_supplement(detail.case.pk, user=request.user)
        else:
            cases.resubmit(detail.case.pk, user=request.user)
    except ValidationError as exc:
        for ms in exc.message_dict.values():
            for m in ms:
                messages.error(request, m)
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The corrected materials are submitted."))
    return redirect("portal:case", case_no=case_no)


@applicant_required
@require_http_methods(["GET", "POST"])
def withdraw(request, case_no: str):
    detail = _own_case(request, case_no)
    form = forms.WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cases.withdraw(detail.case.pk, user=request.user, reason=form.cleaned_data["reason"])
        except Conflict as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The application is withdrawn."))
        return redirect("portal:case", case_no=case_no)
    return render(request, "citizen_portal/cases/withdraw.html", {"case": detail.case, "form": form})


# --- after the decision: rating and complaint (approvals.supervision) ---------------------------


def _rerender(request, case_no: str, **forms_):
    """The case page again, showing the failed form with its errors."""
    request.method = "GET"
    request._feedback_forms = forms_
    return case_page(request, case_no)


@require_POST
def rate(request, case_no: str):
    detail = _own_case(request, case_no)
    form = feedback.RatingForm(request.POST, auto_id="rate_%s")
    if form.is_valid():
        try:
            ratings.rate(detail.case.pk, user=request.user, level=form.cleaned_data["level"],
                         comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc))
            return redirect("portal:case", case_no=case_no)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("portal:case", case_no=case_no)
    return _rerender(request, case_no, rating_form=form)


@require_POST
def complain(request, case_no: str):
    detail = _own_case(request, case_no)
    form = feedback.ComplaintForm(request.POST, auto_id="complaint_%s")
    if form.is_valid():
        try:
            complaint = complaints.submit(
                user=request.user, case_no=detail.case.case_no, real_name=True,
                complainant_name=request.user.citizen_profile.real_name, **form.cleaned_data,
            )
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("Your complaint %(no)s is received; the supervision office decides within "
                                        "5 working days whether to take it up.") % {"no": complaint.number})
            return redirect("portal:case", case_no=case_no)
    return _rerender(request, case_no, complaint_form=form)


@applicant_required
def document_download(request, case_no: str, document_id: int):
    detail = _own_case(request, case_no)
    document = OfficialDocument.objects.filter(pk=document_id, case_no=detail.case.case_no).first()
    if document is None:
        raise Http404
    return pdf_response(document, as_attachment=True)


@applicant_required
def material_download(request, case_no: str, material_id: int):
    detail = _own_case(request, case_no)
    material = next((m for m in detail.history if m.pk == material_id), None)
    if material is None:
        raise Http404
    extension = files.EXTENSIONS.get(material.content_type, "bin")
    return FileResponse(material.file.open("rb"), as_attachment=True,
                        filename=f"{case_no}-{material.requirement_code}.{extension}")


# --- public lookups -------------------------------------------------------------------------------


def check(request):
    """Status lookup (number + verification code) and document verification, without login."""
    verify_form = forms.VerifyForm(request.GET if "verify" in request.GET else None)
    if verify_form.is_bound and verify_form.is_valid():
        return redirect("documents:verify", code=verify_form.cleaned_data["code"].strip().upper())
    return render(request, "citizen_portal/public/check.html", {
        "status_form": forms.StatusLookupForm(), "verify_form": verify_form,
    })

