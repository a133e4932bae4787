"""After the decision: the rating (好差评) and complaint forms on the case page, handled by the
supervision office's services (``approvals.supervision.ratings`` and ``.complaints``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from approvals.cases.exceptions import Conflict
from approvals.models import State
from approvals.supervision import complaints, ratings
from approvals.supervision.models import Rating

from .forms import apply_errors


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=gettext_lazy("How satisfied are you with the handling of this case?"),
        choices=[(level.value, level.label) for level in reversed(Rating.Level)], coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose a level from 1 (very dissatisfied) to 5 (very satisfied).")},
    )
    comment = forms.CharField(label=gettext_lazy("Comment (optional)"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ComplaintForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    description = forms.CharField(label=gettext_lazy("What happened?"), widget=forms.Textarea(attrs={"rows": 4}))


def context(case, user, *, rating_form=None, complaint_form=None) -> dict | None:
    if case.state == State.DRAFT:
        return None
    rating = Rating.objects.filter(case=case).first()
    return {
        "rating": rating,
        "can_rate": rating is None and case.state in ratings.RATABLE_STATES,
        "rating_form": rating_form or RatingForm(auto_id="rate_%s"),
        "complaint_form": complaint_form or ComplaintForm(auto_id="complaint_%s"),
        "complaints": list(case.complaints.filter(complainant=user).order_by("-received_at"))
        if hasattr(case, "complaints") else [],
    }


def _rerender(request, case_no: str, **forms_):
    from .views import case_page

    request.method = "GET"
    request._feedback_forms = forms_
    return case_page(request, case_no)


@require_POST
def rate(request, case_no: str):
    from .views import _own_case

    detail = _own_case(request, case_no)
    form = RatingForm(request.POST, auto_id="rate_%s")
    if form.is_valid():
        try:
            ratings.rate(detail.case.pk, user=request.user, level=form.cleaned_data["level"],
                         comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc))
            return redirect("portal:case", case_no=case_no)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("portal:case", case_no=case_no)
    return _rerender(request, case_no, rating_form=form)


@require_POST
def complain(request, case_no: str):
    from .views import _own_case

    detail = _own_case(request, case_no)
    form = ComplaintForm(request.POST, auto_id="complaint_%s")
    if form.is_valid():
        try:
            complaint = complaints.submit(
                user=request.user, case_no=detail.case.case_no, real_name=True,
                complainant_name=request.user.citizen_profile.real_name, **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your complaint %(no)s is received; the supervision office decides within "
                                        "5 working days whether to take it up.") % {"no": complaint.number})
            return redirect("portal:case", case_no=case_no)
    return _rerender(request, case_no, complaint_form=form)


