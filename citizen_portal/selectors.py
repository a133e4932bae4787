"""Reads of the portal: the public catalog (cached), the service-guide search, and an applicant's
cases with their next deadline and the department holding each.

Public catalog data is cached under a *generation* number that every catalog write bumps
(``signals.py``: any save or delete of an item version, its child rows or a department), and under
today's date, because the version in force changes at midnight when a new version takes effect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import BusinessAgent
from approvals.cases import clock
from approvals.items import selectors as catalog
from approvals.models import Case, State

GENERATION_KEY = "portal:catalog:generation"
CACHE_SECONDS = 6 * 3600

#: Life events of individuals and of businesses (the ``themes`` column of the catalog).
CITIZEN_THEMES = (
    ("birth", _("Birth")),
    ("schooling", _("Schooling")),
    ("employment", _("Employment")),
    ("housing", _("Housing")),
    ("retirement", _("Retirement")),
)
BUSINESS_THEMES = (
    ("startup", _("Starting up")),
    ("construction", _("Construction")),
    ("operation", _("Operation")),
    ("closure", _("Closure")),
)
THEMES = dict(CITIZEN_THEMES + BUSINESS_THEMES)

#: Words people add around an item's name that say nothing about which item they mean.
STOP_WORDS = (
    "怎么办理", "如何办理", "怎样办理", "在哪里办", "在哪办", "怎么办", "怎么", "如何", "怎样", "我要", "我想",
    "想要", "需要", "办理", "申请", "申领", "手续", "流程", "许可证", "许可", "证明", "的",
)
_SPACES = re.compile(r"[\s,，。、;；:：!！?？()（）“”\"'《》·]+")


# --- catalog cache -------------------------------------------------------------------------------


def catalog_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def bump_catalog_generation() -> None:
    """Invalidate every cached public catalog read (called on any catalog write)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def cache_key(*parts) -> str:
    return ":".join(["portal", str(catalog_generation()), clock.today().isoformat(), *map(str, parts)])


@dataclass(frozen=True)
class Entry:
    """One item in force, as listed in the guide."""

    code: str
    name: str
    main_item_name: str
    sub_item_name: str
    item_type: str
    situation: str
    target: str
    themes: tuple[str, ...]
    department_code: str
    department_name: str
    promised_limit_days: int | None
    statutory_limit_days: int | None
    visits_required: int
    online_depth: int
    channel_online: bool
    is_joint: bool

    @property
    def haystack(self) -> str:
        return " ".join(
            (self.name, self.main_item_name, self.sub_item_name, self.code, self.department_name)
        ).lower()


def catalog_entries() -> list[Entry]:
    """Every item in force today (one query on a cache miss)."""
    key = cache_key("entries")
    entries = cache.get(key)
    if entries is None:
        entries = [
            Entry(
                code=v.item.code,
                name=v.name,
                main_item_name=v.main_item_name,
                sub_item_name=v.sub_item_name,
                item_type=v.item_type,
                situation=v.situation,
                target=v.target,
                themes=tuple(v.theme_list),
                department_code=v.department.code,
                department_name=v.department.name,
                promised_limit_days=v.promised_limit_days,
                statutory_limit_days=v.statutory_limit_days,
                visits_required=v.visits_required,
                online_depth=v.online_depth,
                channel_online=v.channel_online,
                is_joint=v.is_joint,
            )
            for v in catalog.items_in_force(clock.today())
        ]
        cache.set(key, entries, CACHE_SECONDS)
    return entries


def departments_with_items() -> list[tuple[str, str, int]]:
    """(code, name, number of items in force) of each implementing department, by code."""
    counts: dict[str, list] = {}
    for e in catalog_entries():
        counts.setdefault(e.department_code, [e.department_code, e.department_name, 0])[2] += 1
    return [tuple(row) for _code, row in sorted(counts.items())]


def item_in_force(code: str):
    """The version of ``code`` in force today with every public child row, or None."""
    return catalog.item_version_in_force(code, clock.today())


# --- search --------------------------------------------------------------------------------------


def query_tokens(query: str) -> list[str]:
    """The query split on spaces and punctuation, with filler words removed (kept when nothing else is left)."""
    text = (query or "").strip().lower()[:100]
    parts = [p for p in _SPACES.split(text) if p]
    tokens: list[str] = []
    for part in parts:
        stripped = part
        for word in STOP_WORDS:
            stripped = stripped.replace(word, " ")
        tokens.extend(t for t in stripped.split() if t)
    return tokens or parts


def _grams(token: str) -> set[str]:
    if len(token) <= 2 or token.isascii():
        return {token}
    return {token[i : i + 2] for i in range(len(token) - 1)}


def search(query: str, entries: list[Entry] | None = None) -> list[Entry]:
    """Items whose name, main item, sub-item, code or department contain the query.

    Every token found → best match; otherwise tolerant: items containing at least half of the
    query's two-character pieces (so 餐饮店开办 finds 开办餐饮店, 食品经营证 finds 食品经营许可),
    best first."""
    entries = catalog_entries() if entries is None else entries
    tokens = query_tokens(query)
    if not tokens:
        return []
    grams = set().union(*(_grams(t) for t in tokens))
    scored: list[tuple[float, int, Entry]] = []
    for n, entry in enumerate(entries):
        hay = entry.haystack
        if all(t in hay for t in tokens):
            score = 2.0 + (1.0 if tokens[0] in entry.name.lower() else 0.0)
        else:
            score = sum(1 for g in grams if g in hay) / len(grams)
            if score < 0.5:
                continue
        scored.append((score, n, entry))
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [entry for _score, _n, entry in scored]


def browse(*, query: str = "", department: str = "", theme: str = "", target: str = "") -> list[Entry]:
    """The guide's list: search results or the catalog, filtered by department, theme and audience."""
    entries = search(query) if query.strip() else catalog_entries()
    if department:
        entries = [e for e in entries if e.department_code == department]
    if theme:
        entries = [e for e in entries if theme in e.themes]
    if target in ("citizen", "business"):
        entries = [e for e in entries if e.target in (target, "both")]
    return entries


# --- the applicant's cases -----------------------------------------------------------------------

_APPLICANT_HOLDS = {State.DRAFT, State.CORRECTION_REQUESTED, State.SUPPLEMENT_REQUESTED}
_FRONT_DESK_HOLDS = {State.SUBMITTED}
_DEPARTMENT_HOLDS = {State.ACCEPTED, State.ACCEPTED_WITH_PLEDGE, State.IN_REVIEW, State.APPROVED, State.ISSUED}


@dataclass(frozen=True)
class Deadline:
    label: str
    due: date


def next_deadline(case: Case) -> Deadline | None:
    """The next date that matters to the applicant for the case's current state."""
    if case.state == State.SUBMITTED and case.intake_due:
        return Deadline(_("Intake decision by"), case.intake_due)
    if case.state == State.ACCEPTED_WITH_PLEDGE and case.pledge_due:
        return Deadline(_("Pledged materials due"), case.pledge_due)
    if case.state in (State.ACCEPTED, State.ACCEPTED_WITH_PLEDGE, State.IN_REVIEW) and case.decision_due_promised:
        return Deadline(_("Decision promised by"), case.decision_due_promised)
    if case.state == State.APPROVED and case.licence_issue_due:
        return Deadline(_("Licence issued by"), case.licence_issue_due)
    return None


def holder(case: Case) -> str:
    """Who has the case now: the applicant, the front desk, or the implementing department."""
    if case.state in _APPLICANT_HOLDS:
        return str(_("You (the applicant)"))
    if case.state in _FRONT_DESK_HOLDS:
        return str(_("Front desk of the service centre"))
    if case.state in _DEPARTMENT_HOLDS:
        return case.item_version.department.name
    return "—"


FINISHED_STATES = (
    State.DELIVERED, State.CLOSED, State.WITHDRAWN, State.TERMINATED, State.NOT_ACCEPTED, State.REFUSED,
)


def my_cases(user, *, status: str = "", page: int | str = 1, per_page: int = 20) -> Page:
    """The user's own cases and those of every business they actively act for, newest first.

    Constant queries: agencies (1), count (1), page with item and department joined (1)."""
    business_ids = list(BusinessAgent.objects.filter(user=user, active=True).values_list("business_id", flat=True))
    mine = Q(applicant=user)
    if business_ids:
        mine |= Q(business_id__in=business_ids)
    qs = Case.objects.filter(mine).select_related("item_version", "item_version__department", "business")
    if status == "open":
        qs = qs.exclude(state__in=FINISHED_STATES)
    elif status == "finished":
        qs = qs.filter(state__in=FINISHED_STATES)
    qs = qs.only(
        "case_no", "state", "created_at", "received_on", "intake_due", "pledge_due", "decision_due_promised",
        "licence_issue_due", "applicant_id", "business_id", "business__name",
        "item_version__name", "item_version__department__name", "item_version__is_joint",
    ).order_by("-case_no")
    return Paginator(qs, per_page).get_page(page)
