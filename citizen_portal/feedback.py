"""After the decision: the rating (好差评) and complaint forms on the case page and what the page
shows of them. The views that handle the forms (``views.rate``, ``views.complain``) call the
supervision office's services (``approvals.supervision.ratings`` and ``.complaints``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from approvals.models import State
from approvals.supervision import ratings
from approvals.supervision.models import Rating


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
        "complaints": list(case.complaints.filter(complainant=user).order_by("-received_at")),
    }
