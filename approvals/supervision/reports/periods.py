"""Report periods: a calendar month, a quarter, or any run of days (open data). Dates are local
(Asia/Shanghai); a period covers ``start`` … ``end`` inclusive, i.e. the instants
``[start 00:00, end + 1 day 00:00)`` in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from approvals.cases import clock

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    kind: str  # "month", "quarter" or "custom" (ReportRun.Kind values)
    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = date(year, month, 1)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return cls("month", first, nxt - timedelta(days=1))

    @classmethod
    def quarter(cls, year: int, q: int) -> Period:
        first = date(year, 3 * (q - 1) + 1, 1)
        last_month = Period.month(year, 3 * q)
        return cls("quarter", first, last_month.end)

    @classmethod
    def custom(cls, start: date, end: date) -> Period:
        if end < start:
            raise ValidationError({"end": _("The period ends before it starts.")})
        return cls("custom", start, end)

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026-03`` (a month) or ``2026-Q1`` (a quarter)."""
        text = (text or "").strip()
        if m := _MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            if 1 <= month <= 12 and 2000 <= year <= 2100:
                return cls.month(year, month)
        elif m := _QUARTER.match(text):
            year = int(m[1])
            if 2000 <= year <= 2100:
                return cls.quarter(year, int(m[2]))
        raise ValidationError({"period": _("Give a month as 2026-03 or a quarter as 2026-Q1.")})

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"

    @property
    def slug(self) -> str:
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware instants ``[start 00:00, end+1 00:00)`` in Asia/Shanghai."""
        lo = dt.datetime.combine(self.start, dt.time(), tzinfo=clock.SHANGHAI)
        hi = dt.datetime.combine(self.end + timedelta(days=1), dt.time(), tzinfo=clock.SHANGHAI)
        return lo, hi

    def is_closed(self, today: date | None = None) -> bool:
        """The period is over: no event can be dated inside it any more."""
        return self.end < (today or clock.today())


def recent_periods(today: date | None = None, months: int = 12) -> list[Period]:
    """The last ``months`` closed months and the quarters they cover, newest first."""
    today = today or clock.today()
    y, m = today.year, today.month
    out: list[Period] = []
    quarters: list[Period] = []
    for _i in range(months):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append(Period.month(y, m))
        if m % 3 == 0:
            quarters.append(Period.quarter(y, m // 3))
    return out + quarters
