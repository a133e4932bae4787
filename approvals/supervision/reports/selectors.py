"""Public reads of the reports: the disclosure board (办件公示) and an item's on-time rate.

``disclosure_cases()`` fetches a page with one query (plus the paginator's count): the case, its
item version, item, department, applicant profile and business are joined. Masking follows
``accounts.masking`` (names 张*, ID numbers 110***********1234); no phone number or address is read.

``item_on_time_rate(code)`` is what the portal's item page shows (``citizen_portal.views``).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet, Subquery

from accounts import masking
from approvals.cases import clock
from approvals.items.models import Item
from approvals.models import Case

from .models import ReportFact
from .periods import Period

#: How long an item's on-time rate is served from the cache (the facts it reads are refreshed by
#: every report build and nightly by the ``refresh_report_facts`` task).
ON_TIME_CACHE_SECONDS = 3600


def disclosure_cases() -> QuerySet[Case]:
    return (
        Case.objects.exclude(decision="")
        .select_related(
            "item_version", "item_version__item", "item_version__department", "applicant__citizen_profile", "business"
        )
        .only(
            "case_no", "decision", "received_on", "accepted_on", "decided_on", "decided_at",
            "item_version__name", "item_version__item__code", "item_version__department__name",
            "applicant__citizen_profile__real_name", "applicant__citizen_profile__id_number",
            "business__name", "business__uscc",
        )
        .order_by("-decided_at", "-pk")
    )


def disclosure_row(case: Case) -> dict:
    if case.business_id:
        applicant = case.business.name
        identifier = masking.mask_id_number(case.business.uscc)
    else:
        profile = getattr(case.applicant, "citizen_profile", None)
        applicant = masking.mask_name(profile.real_name) if profile else ""
        identifier = masking.mask_id_number(profile.id_number) if profile else ""
    return {
        "case_no": case.case_no,
        "item": case.item_version.name,
        "item_code": case.item_version.item.code,
        "department": case.item_version.department.name,
        "decision": case.get_decision_display(),
        "received_on": case.received_on,
        "decided_on": case.decided_on,
        "applicant": applicant,
        "identifier": identifier,
    }


class OnTimeRate(float):
    """An on-time rate: a float in [0, 1] that also carries what the portal prints, ``rate``
    (``"92.5%"``) and ``period`` (the window). Always true, so a rate of 0 is still shown."""

    period: str
    decided: int

    def __new__(cls, value: float, *, period: str = "", decided: int = 0) -> OnTimeRate:
        obj = super().__new__(cls, value)
        obj.period, obj.decided = period, decided
        return obj

    def __bool__(self) -> bool:
        return True

    @property
    def rate(self) -> str:
        return f"{self:.1%}"


def on_time_window(today: date | None = None) -> Period:
    """The last 12 closed calendar months (Asia/Shanghai): from the first day of the month a year
    before the current one to the last day of the previous month."""
    today = today or clock.today()
    end = today.replace(day=1) - timedelta(days=1)
    return Period.custom(date(end.year - 1 + (end.month == 12), end.month % 12 + 1, 1), end)


def item_on_time_rate(item_code: str) -> OnTimeRate | None:
    """The share of the item's decisions made on time over the last 12 closed months, or ``None``.

    Decisions (``decide`` log rows) dated in ``on_time_window()``; on time as in the reports
    (``measures``: working days used ≤ promised limit + approved extension days), over the
    decisions whose working days could be counted (dates inside the confirmed calendar). ``None``
    when there is no such decision (no rate rather than 0). The value is a float (``OnTimeRate``)
    carrying ``rate`` (text) and ``period`` for the portal.

    One indexed query on the report facts (partial index ``(item_id, at)`` on decisions), cached
    for ``ON_TIME_CACHE_SECONDS``; the facts are as of their last refresh (every report build, and
    nightly), never refreshed here, so a public page never writes.
    """
    window = on_time_window()
    key = f"reports:on-time:{window.start:%Y-%m}:{item_code}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None  # () caches "no rate"
    lo, hi = window.bounds()
    item = Item.objects.filter(code=item_code).values("pk")[:1]
    found = (
        ReportFact.objects.filter(command="decide", item_id=Subquery(item), at__gte=lo, at__lt=hi)
        .exclude(used__isnull=True)
        .aggregate(timed=Count("pk"), on_time=Count("pk", filter=Q(used__lte=F("promised") + F("ext"))))
    )
    rate = None
    if found["timed"]:
        label = f"{window.start.year}年{window.start.month}月至{window.end.year}年{window.end.month}月"
        rate = OnTimeRate(found["on_time"] / found["timed"], period=label, decided=found["timed"])
    cache.set(key, rate if rate is not None else (), ON_TIME_CACHE_SECONDS)
    return rate
