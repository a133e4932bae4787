"""Reads shared by pages and the API, with their queries decided here (constant query counts)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Case, CaseMaterial, TransitionLog
from .permissions import visible_cases

LIST_FILTERS = ("state", "item_version__item__code", "channel", "applicant", "business")


def cases_for(user, **filters) -> QuerySet[Case]:
    """The cases ``user`` may see, newest number first; ``filters`` among ``LIST_FILTERS``
    (plus ``state__in``). Item, department, applicant and business are joined, not fetched lazily."""
    qs = visible_cases(user).select_related(
        "item_version", "item_version__item", "item_version__department", "applicant", "business"
    )
    allowed = {*LIST_FILTERS, "state__in"}
    unknown = set(filters) - allowed
    if unknown:
        raise ValueError(f"unknown filters: {sorted(unknown)}")
    return qs.filter(**{k: v for k, v in filters.items() if v not in (None, "")}).order_by("-case_no")


@dataclass(frozen=True)
class CaseDetail:
    case: Case
    timeline: list[TransitionLog]
    materials: list[CaseMaterial]  # current file per requirement
    history: list[CaseMaterial]  # every uploaded version, newest first


def case_detail(case_no: str, user) -> CaseDetail:
    """One case with its timeline (the transition log) and its materials; ``Http404`` if the user
    cannot see it. A fixed number of queries whatever the size of the case."""
    case = (
        visible_cases(user)
        .select_related(
            "item_version", "item_version__item", "item_version__department", "applicant", "business", "agent"
        )
        .prefetch_related(
            Prefetch("log", queryset=TransitionLog.objects.select_related("actor").order_by("at", "pk")),
            Prefetch("materials", queryset=CaseMaterial.objects.order_by("requirement_code", "-uploaded_at", "-pk")),
        )
        .filter(case_no=case_no)
        .first()
    )
    if case is None:
        raise Http404(_("No such case."))
    history = list(case.materials.all())
    return CaseDetail(
        case=case,
        timeline=list(case.log.all()),
        materials=[m for m in history if m.is_current],
        history=history,
    )
