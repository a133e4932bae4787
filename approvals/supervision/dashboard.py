"""Reads for the supervision office pages (a fixed number of queries each) and the server-rendered
SVG bar charts.

Scope: a supervisor sees everything; a department head sees their own department(s) only.
Filters: a period (``date_from``/``date_to``: applied to cards' detection dates, complaints'
receipt dates and ratings' dates; open cases and the overdue list are "as of today"), a
department and an item code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from approvals.cases import clock
from approvals.items.models import Department
from approvals.models import OPEN_STATES, Case, State, TransitionLog
from approvals.parallel.models import DepartmentTask

from . import calendar
from .cards import head_department_ids, is_supervisor
from .models import Card, CardKind, Complaint, Rating, RectificationTicket

#: Open states after submission (drafts are the applicant's own business).
WATCHED_STATES = tuple(s for s in OPEN_STATES if s != State.DRAFT)
KIND_COLOURS = {CardKind.PROMPT: "#1f6fb2", CardKind.YELLOW: "#b7791f", CardKind.RED: "#c53030"}
STATE_COLOUR = "#2b6cb0"


@dataclass(frozen=True)
class Scope:
    """What the user may see and what they filtered."""

    all_departments: bool
    department_ids: frozenset[int]
    department: int | None = None
    item_code: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def departments(self) -> frozenset[int] | None:
        """The department ids to restrict to, or None for all."""
        if self.department is not None:
            return frozenset({self.department}) if self.all_departments or self.department in self.department_ids else frozenset()
        return None if self.all_departments else self.department_ids

    def query(self, **extra) -> str:
        params = {
            "department": self.department or "",
            "item": self.item_code,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            **extra,
        }
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})


def scope_for(user, *, department=None, item_code="", date_from=None, date_to=None) -> Scope | None:
    """None when the user may not use the supervision pages (neither supervisor nor head)."""
    if is_supervisor(user):
        return Scope(True, frozenset(), department, item_code or "", date_from, date_to)
    heads = head_department_ids(user)
    if not heads:
        return None
    return Scope(False, frozenset(heads), department, item_code or "", date_from, date_to)


def _cases(scope: Scope) -> QuerySet[Case]:
    qs = Case.objects.all()
    depts = scope.departments()
    if depts is not None:
        qs = qs.filter(item_version__department_id__in=depts)
    if scope.item_code:
        qs = qs.filter(item_version__item__code=scope.item_code)
    return qs


def scoped_cards(scope: Scope) -> QuerySet[Card]:
    qs = Card.objects.all()
    depts = scope.departments()
    if depts is not None:
        qs = qs.filter(department_id__in=depts)
    if scope.item_code:
        qs = qs.filter(case__item_version__item__code=scope.item_code)
    if scope.date_from:
        qs = qs.filter(detected_on__gte=scope.date_from)
    if scope.date_to:
        qs = qs.filter(detected_on__lte=scope.date_to)
    return qs


def dated(qs: QuerySet, scope: Scope, date_field: str, case_prefix: str = "case__") -> QuerySet:
    depts = scope.departments()
    if depts is not None:
        qs = qs.filter(department_id__in=depts)
    if scope.item_code:
        qs = qs.filter(**{f"{case_prefix}item_version__item__code": scope.item_code})
    if scope.date_from:
        qs = qs.filter(**{f"{date_field}__gte": scope.date_from})
    if scope.date_to:
        qs = qs.filter(**{f"{date_field}__lte": scope.date_to})
    return qs


# --- charts ----------------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: int
    href: str
    colour: str
    x: float = 0
    width: float = 0
    y: float = 0
    text_y: float = 0
    value_x: float = 0


@dataclass
class BarChart:
    """A horizontal bar chart laid out here; ``supervision/_bar_chart.html`` draws it as SVG."""

    title: str
    bars: list[Bar]
    width: int = 560
    row: int = 28
    label_width: int = 170
    height: int = field(init=False)
    label_x: int = field(init=False)

    def __post_init__(self):
        top = max((b.value for b in self.bars), default=0) or 1
        room = self.width - self.label_width - 60
        for i, bar in enumerate(self.bars):
            bar.x = self.label_width
            bar.width = round(room * bar.value / top, 1)
            bar.y = 8 + i * self.row
            bar.text_y = bar.y + 15
            bar.value_x = bar.x + bar.width + 6
        self.height = 16 + max(len(self.bars), 1) * self.row
        self.label_x = self.label_width - 8


def calendar_status(today: date) -> dict:
    """The calendar's last confirmed year and the first date a deadline would fail on; ``warn``
    when next year is not confirmed yet."""
    years = calendar.confirmed_years()
    if years is None:
        return {"warn": True, "last_year": None, "first_failing": None}
    last = years[1]
    return {"warn": last < today.year + 1, "last_year": last, "first_failing": date(last + 1, 1, 1)}


def dashboard(scope: Scope, today: date | None = None) -> dict:
    """Everything the dashboard shows, in a fixed number of queries."""
    today = today or clock.today()
    cases = _cases(scope)
    open_rows = list(
        cases.filter(state__in=WATCHED_STATES)
        .values_list("state", "item_version__department_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_state: dict[str, int] = {}
    by_dept: dict[int, int] = {}
    for state, dept, n in open_rows:
        by_state[state] = by_state.get(state, 0) + n
        by_dept[dept] = by_dept.get(dept, 0) + n
    dept_names = dict(Department.objects.filter(pk__in=set(by_dept) | set(scope.department_ids)).values_list("pk", "name"))
    cards = scoped_cards(scope)
    colour_rows = dict(cards.values_list("kind").annotate(n=Count("id")).order_by())
    unsigned = dict(cards.filter(signed_off_at__isnull=True).values_list("kind").annotate(n=Count("id")).order_by())
    case_list = reverse("supervision:cases")
    card_list = reverse("supervision:cards")
    state_labels = dict(State.choices)
    state_chart = BarChart(
        _("Open cases by state"),
        [
            Bar(str(state_labels[s]), by_state.get(s, 0), f"{case_list}?{scope.query(state=s)}", STATE_COLOUR)
            for s in WATCHED_STATES
        ],
    )
    dept_chart = BarChart(
        _("Open cases by department"),
        [
            Bar(dept_names.get(d, str(d)), n, f"{case_list}?{scope.query(department=d)}", STATE_COLOUR)
            for d, n in sorted(by_dept.items(), key=lambda kv: -kv[1])[:12]
        ],
    )
    card_chart = BarChart(
        _("Warnings and cards by colour"),
        [
            Bar(str(label), colour_rows.get(kind, 0), f"{card_list}?{scope.query(kind=kind)}", KIND_COLOURS[kind])
            for kind, label in CardKind.choices
        ],
    )
    overdue = list(
        cases.filter(state__in=(State.ACCEPTED, State.ACCEPTED_WITH_PLEDGE, State.IN_REVIEW),
                     decision_due_promised__lt=today)
        .select_related("item_version", "item_version__department")
        .order_by("decision_due_promised", "pk")[:50]
    )
    complaints = list(
        dated(Complaint.objects.filter(state__in=(Complaint.State.RECEIVED, Complaint.State.TAKEN_UP)), scope, "received_on")
        .select_related("department", "case")
        .order_by("intake_due", "pk")[:50]
    )
    tickets = list(
        dated(RectificationTicket.objects.filter(state__in=(RectificationTicket.State.OPEN, RectificationTicket.State.CALLED_BACK)),
               scope, "opened_on")
        .select_related("case", "department", "rating")
        .order_by("callback_due", "pk")[:50]
    )
    appeals = list(
        dated(Rating.objects.filter(appeal=Rating.Appeal.PENDING), scope, "rated_on")
        .select_related("case", "department")
        .order_by("appealed_at", "pk")[:50]
    )
    return {
        "today": today,
        "calendar": calendar_status(today),
        "open_total": sum(by_state.values()),
        "state_chart": state_chart,
        "dept_chart": dept_chart,
        "card_chart": card_chart,
        "cards_by_kind": [
            {"kind": k, "label": label, "total": colour_rows.get(k, 0), "unsigned": unsigned.get(k, 0)}
            for k, label in CardKind.choices
        ],
        "overdue": overdue,
        "complaints": complaints,
        "tickets": tickets,
        "appeals": appeals,
        "departments": sorted(dept_names.items(), key=lambda kv: kv[1]) if not scope.all_departments
        else list(Department.objects.order_by("name").values_list("pk", "name")),
    }


def case_list(scope: Scope, *, state: str = "", overdue: bool = False, today: date | None = None) -> QuerySet[Case]:
    qs = _cases(scope).exclude(state=State.DRAFT)
    qs = qs.filter(state=state) if state else qs.filter(state__in=WATCHED_STATES)
    if overdue:
        qs = qs.filter(decision_due_promised__lt=today or clock.today())
    return qs.select_related("item_version", "item_version__department").order_by("decision_due_promised", "pk")


def case_view(scope: Scope, case_no: str, today: date | None = None) -> dict | None:
    """The case with its full timeline, clocks, every card, its complaints and its rating."""
    today = today or clock.today()
    case = (
        _cases(scope).select_related("item_version", "item_version__item", "item_version__department", "applicant")
        .filter(case_no=case_no).first()
    )
    if case is None:
        return None
    timeline = list(TransitionLog.objects.filter(case=case).select_related("actor").order_by("at", "pk"))
    cards = list(
        Card.objects.filter(Q(case=case)).select_related("department", "resolved_by", "signed_off_by")
        .order_by("detected_on", "pk")
    )
    clocks = []
    for label, due in (
        (_("Intake decision due"), case.intake_due),
        (_("Decision due (promised)"), case.decision_due_promised),
        (_("Decision due (statutory)"), case.decision_due_statutory),
        (_("Pledged materials due"), case.pledge_due),
        (_("Licence issue due"), case.licence_issue_due),
    ):
        if due is None:
            continue
        clocks.append({"label": label, "due": due, "left": clock.working_days_left(due, today)})
    return {
        "case": case,
        "timeline": timeline,
        "clocks": clocks,
        "cards": cards,
        "complaints": list(Complaint.objects.filter(case=case).order_by("received_at")),
        "rating": Rating.objects.filter(case=case).select_related("ticket").first(),
        "tasks": _tasks(case),
    }


def _tasks(case: Case) -> list:
    return list(DepartmentTask.objects.filter(case=case).select_related("department").order_by("round", "pk"))
