"""Supervision office pages (/supervision/): dashboard, case drill-down and case view, cards with
their resolution and sign-off, complaint queue. Supervisors see everything; department heads
their own departments. The pages only read (``dashboard``) and call services (``cards``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.cases import clock
from approvals.models import State

from . import cards, dashboard
from .models import CardKind, CardRule, Complaint


class FilterForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    department = forms.TypedChoiceField(label=gettext_lazy("Department"), required=False, coerce=int, empty_value=None)
    item = forms.CharField(label=gettext_lazy("Item code"), required=False, max_length=60)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments")), *departments]


def _scope(request, departments=()):
    probe = dashboard.scope_for(request.user)
    if probe is None:
        raise PermissionDenied(_("The supervision pages are for the supervision office and department heads."))
    form = FilterForm(request.GET or None, departments=departments)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    scope = dashboard.scope_for(
        request.user, department=data.get("department"), item_code=data.get("item", ""),
        date_from=data.get("date_from"), date_to=data.get("date_to"),
    )
    return scope, form


def _department_choices(request) -> list[tuple[int, str]]:
    from approvals.items.models import Department

    qs = Department.objects.order_by("name")
    if not cards.is_supervisor(request.user):
        qs = qs.filter(pk__in=cards.head_department_ids(request.user))
    return list(qs.values_list("pk", "name"))


@login_required
def dashboard_view(request):
    scope, form = _scope(request, _department_choices(request))
    context = dashboard.dashboard(scope)
    context.update(form=form, scope=scope, query=scope.query(), is_supervisor=cards.is_supervisor(request.user))
    return render(request, "supervision/dashboard.html", context)


@login_required
def case_list_view(request):
    scope, form = _scope(request, _department_choices(request))
    state = request.GET.get("state", "")
    if state and state not in State.values:
        state = ""
    overdue = request.GET.get("overdue") == "1"
    page = Paginator(dashboard.case_list(scope, state=state, overdue=overdue), 50).get_page(request.GET.get("page"))
    return render(request, "supervision/cases.html", {
        "form": form, "page": page, "state": state, "state_label": dict(State.choices).get(state, ""),
        "overdue": overdue, "today": clock.today(),
    })


@login_required
def case_view(request, case_no: str):
    scope, _form = _scope(request)
    context = dashboard.case_view(scope, case_no)
    if context is None:
        raise Http404(_("No such case."))
    return render(request, "supervision/case.html", context)


@login_required
def card_list_view(request):
    scope, form = _scope(request, _department_choices(request))
    qs = dashboard.scoped_cards(scope).select_related("case", "department")
    kind = request.GET.get("kind", "")
    rule = request.GET.get("rule", "")
    if kind in CardKind.values:
        qs = qs.filter(kind=kind)
    if rule in CardRule.values:
        qs = qs.filter(rule=rule)
    if request.GET.get("open") == "1":
        qs = qs.filter(signed_off_at__isnull=True)
    page = Paginator(qs.order_by("-detected_on", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "supervision/cards.html", {
        "form": form, "page": page, "kind": kind, "kinds": CardKind.choices,
    })


class ResolveForm(forms.Form):
    explanation = forms.CharField(label=gettext_lazy("Written explanation"), widget=forms.Textarea(attrs={"rows": 4}))


@login_required
def card_view(request, card_id: int):
    if dashboard.scope_for(request.user) is None:
        raise PermissionDenied(_("The supervision pages are for the supervision office and department heads."))
    card = cards.visible_cards(request.user).select_related(
        "case", "department", "complaint", "resolved_by", "signed_off_by"
    ).filter(pk=card_id).first()
    if card is None:
        raise Http404(_("No such card."))
    form = ResolveForm(request.POST if request.method == "POST" and "explanation" in request.POST else None)
    if request.method == "POST":
        try:
            if "sign_off" in request.POST:
                cards.sign_off(card.pk, supervisor=request.user)
                messages.success(request, _("The card is signed off."))
                return redirect("supervision:card", card_id=card.pk)
            if form.is_valid():
                cards.resolve(card.pk, user=request.user, explanation=form.cleaned_data["explanation"])
                messages.success(request, _("The explanation is recorded."))
                return redirect("supervision:card", card_id=card.pk)
        except ValidationError as exc:
            for field_errors in exc.message_dict.values():
                for message in field_errors:
                    form.add_error(None, message)
    return render(request, "supervision/card.html", {
        "card": card, "form": form, "is_supervisor": cards.is_supervisor(request.user),
    })


@login_required
def complaint_list_view(request):
    scope, form = _scope(request, _department_choices(request))
    qs = dashboard.dated(Complaint.objects.all(), scope, "received_on").select_related("department", "case")
    state = request.GET.get("state", "")
    if state in Complaint.State.values:
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("-received_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "supervision/complaints.html", {
        "form": form, "page": page, "states": Complaint.State.choices, "state": state,
    })
