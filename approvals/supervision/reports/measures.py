"""Every measure of the transparency reports (domain.md section 6), defined in one place.

Source: the case event log (``approvals.TransitionLog``) alone, plus, per log row, the case's
pinned item version (limits, visits, department) and the case's channel. A log row belongs to a
period when its ``at`` instant falls in ``[start 00:00, end + 1 day 00:00)`` Asia/Shanghai. Rows
are grouped by item (``Item``) or by the item version's implementing department (for a joint item,
the lead department). Everything is computed set-based in SQL, the same text on SQLite and
PostgreSQL apart from JSON access (``sql.Dialect``): ``facts.refresh`` derives from the log one fact
row per counted log row, carrying the values defined below (incrementally: only the log rows
added since the last refresh, plus a replayed tail, are read), and a report is one grouped query
per view over the period's fact rows (``fact_sql``).

Counts (log rows dated in the period):

- **received** (收件): ``submit`` rows; a case is submitted once (a resubmission after a correction
  notice is not a new receipt).
- **accepted** (受理): ``accept``, ``accept_with_pledge`` and ``deem_accepted`` rows; of which
  **deemed** (``deem_accepted``, the intake violation ``details.violation = deemed_acceptance``)
  and **pledged** (``accept_with_pledge``, 容缺受理).
- **not accepted** (不予受理): ``not_accept`` rows.
- **decided** (办结/作出决定): ``decide`` rows; of which **approved** (``to_state = approved``).
- **closed** (归档): ``close`` rows.
- **corrected**: received cases (``submit`` in the period) that have a ``request_correction`` row
  dated before the period's end. **Correction rate** = corrected ÷ received.
- **online** (网上申请): received cases whose channel is ``online``. **Online rate** = online ÷ received.
- **visits required** (跑动次数): the pinned version's ``visits_required`` averaged over received cases.

Time measures, over the ``decide`` rows in the period (the decision clock, ALL Art. 42/45):

- acceptance date *A* = ``details.accepted_on`` of the case's latest acceptance row before the
  decision (for a deemed acceptance, the receipt date); decision date *D* = ``details.decided_on``;
- **working days used** = ``eff(D) − index(A) − paused``, where ``index`` is the calendar's
  cumulative working-day index (``supervision_calendarday.working_index``) and ``eff(D)`` is
  ``index(D)``, or ``index(D) + 1`` when *D* is not a working day (a decision on a Saturday counts
  as made on the next working day; every due date is a working day). So it is the number of working
  days in ``(A, D]`` not covered by a special procedure;
- **paused** = for each ``end_special_procedure`` row before the decision whose procedure pauses the
  clock (``details.working_days > 0``), the working days from ``details.start`` to ``details.end``
  inclusive that fall after *A*: ``index(end) − max(index(start) − working(start), index(A))``;
- **limits**: promised *P* and statutory *S* working days of the pinned version (statutory default
  20, 45 for joint handling; promised default = statutory: ``approvals.cases.clock.limits``), each plus
  the approved extension *E* = sum of ``details.days`` of ``approve_extension`` rows before the
  decision;
- **on time** (按时办结): used ≤ P + E; **on-time rate** = on time ÷ decided (cases whose dates lie
  outside the confirmed calendar count as decided but in no time measure);
- **early** (提前办结): used < P + E; **early rate** = early ÷ decided;
- **overdue** (超期): used > S + E (the statutory limit, a violation);
- **average working days used**, **average promised limit** and **average statutory limit** over the
  same decisions (limits without the extension), so the report shows used against both limits;
- **decided on the spot** (即办): *D* = *A*; **on-the-spot share** = on the spot ÷ decided.

These agree with the clock module's stored dues (``decided_on ≤ decision_due_promised``) except
for two deliberate edge cases: a decision on a non-working day after a Friday due date counts as
late in both, and a special procedure started after the due date had already passed reduces the
working days used here (its time is not counted, Art. 45) although it no longer moves the stored
due date.

Supervision measures (``approvals.supervision``; rows dated in the period, joined to the case's
item version; a card or complaint about a department without a case is counted in the department
view only) are added by ``supervision_measures``: see its docstring.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F, Max, Q

from approvals.cases import commands
from approvals.items.models import Department, Item, ItemVersion
from approvals.models import Case, TransitionLog
from approvals.supervision.models import CalendarDay, Card, Complaint, Rating, RectificationTicket

from . import facts
from .models import ReportFact
from .periods import Period
from .sql import Dialect, limits_sql

#: The commands that start the decision clocks, as the command table names them.
ACCEPT_COMMANDS = commands.by_event("case_accepted")
BY_ITEM, BY_DEPARTMENT = "item", "department"
VIEWS = (BY_ITEM, BY_DEPARTMENT)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    fmt: str  # count | rate | days | number
    definition: str


MEASURES: tuple[Measure, ...] = (
    Measure("received", "收件量", "count", "本期提交申请（submit）的办件数"),
    Measure("accepted", "受理量", "count", "本期受理（含容缺受理、逾期视为受理）的办件数"),
    Measure("deemed", "逾期视为受理", "count", "本期因未在受理期限内作出决定而视为受理的办件数（违规）"),
    Measure("pledged", "容缺受理", "count", "本期容缺受理的办件数"),
    Measure("not_accepted", "不予受理", "count", "本期不予受理的办件数"),
    Measure("decided", "办结量", "count", "本期作出准予或不予许可决定的办件数"),
    Measure("approved", "准予许可", "count", "本期作出准予许可决定的办件数"),
    Measure("closed", "归档量", "count", "本期归档（close）的办件数"),
    Measure("on_time", "按时办结", "count", "用时（工作日，扣除特别程序）不超过承诺时限（含批准的延期）的决定数"),
    Measure("on_time_rate", "按时办结率", "rate", "按时办结 ÷ 办结量"),
    Measure("early", "提前办结", "count", "用时少于承诺时限（含延期）的决定数"),
    Measure("early_rate", "提前办结率", "rate", "提前办结 ÷ 办结量"),
    Measure("overdue", "超期办结", "count", "用时超过法定时限（含延期）的决定数"),
    Measure("avg_used", "平均用时（工作日）", "days", "受理日至决定日之间的工作日数（不计受理当日，扣除特别程序）的平均值"),
    Measure("avg_promised", "平均承诺时限（工作日）", "days", "同一批决定的承诺时限平均值"),
    Measure("avg_statutory", "平均法定时限（工作日）", "days", "同一批决定的法定时限平均值"),
    Measure("corrected", "补正件数", "count", "本期收件中在期末前收到补正通知的办件数"),
    Measure("correction_rate", "补正率", "rate", "补正件数 ÷ 收件量"),
    Measure("spot", "即办件", "count", "受理当日作出决定的办件数"),
    Measure("spot_rate", "即办率", "rate", "即办件 ÷ 办结量"),
    Measure("online", "网上申请", "count", "本期收件中通过网上渠道提交的办件数"),
    Measure("online_rate", "网上申请率", "rate", "网上申请 ÷ 收件量"),
    Measure("avg_visits", "平均跑动次数", "number", "本期收件所属事项版本规定的跑动次数的平均值"),
)
#: Measures that come from the supervision office's own records (part A of the supervision issue).
SUPERVISION_MEASURES: tuple[Measure, ...] = (
    Measure("ratings", "评价数", "count", "本期收到的好差评数（每件一次，追评不重复计）"),
    Measure("good_ratings", "好评数", "count", "本期评价中“满意”“非常满意”的数量"),
    Measure("good_rating_rate", "好评率", "rate", "好评数 ÷ 评价数"),
    Measure("bad_ratings", "差评数", "count", "本期评价中“不满意”“非常不满意”的数量"),
    Measure("rectified", "已整改差评", "count", "本期差评中整改工单已办结的数量"),
    Measure("rectification_rate", "差评整改率", "rate", "已整改差评 ÷ 差评数"),
    Measure("complaints", "投诉数", "count", "本期收到的投诉数"),
    Measure("cards", "红黄牌总数", "count", "本期发出的提示、黄牌、红牌总数"),
    Measure("yellow_cards", "黄牌", "count", "本期发出的黄牌数"),
    Measure("red_cards", "红牌", "count", "本期发出的红牌数"),
)

#: Raw sums each group row carries; every measure above is one of them or a ratio of two.
_RATIOS = {
    "on_time_rate": ("on_time", "decided"),
    "early_rate": ("early", "decided"),
    "correction_rate": ("corrected", "received"),
    "spot_rate": ("spot", "decided"),
    "online_rate": ("online", "received"),
    "avg_visits": ("visits_sum", "received"),
    "avg_used": ("used_sum", "timed"),
    "avg_promised": ("promised_sum", "timed"),
    "avg_statutory": ("statutory_sum", "timed"),
    "good_rating_rate": ("good_ratings", "ratings"),
    "rectification_rate": ("rectified", "bad_ratings"),
}
EVENT_SUMS = ("received", "online", "visits_sum", "corrected", "accepted", "deemed", "pledged", "not_accepted", "closed")
DECISION_SUMS = (
    "decided", "approved", "on_time", "early", "overdue", "timed", "used_sum", "promised_sum", "statutory_sum", "spot"
)


def _tables() -> dict[str, str]:
    return {
        "log": TransitionLog._meta.db_table,
        "case": Case._meta.db_table,
        "ver": ItemVersion._meta.db_table,
        "cal": CalendarDay._meta.db_table,
    }


def _key(by: str) -> str:
    if by == BY_ITEM:
        return "v.item_id"
    if by == BY_DEPARTMENT:
        return "v.department_id"
    raise ValueError(by)


def _params(period: Period) -> dict:
    lo, hi = period.bounds()
    ops = connection.ops
    return {"lo": ops.adapt_datetimefield_value(lo), "hi": ops.adapt_datetimefield_value(hi)}


def fact_sql(by: str) -> str:
    """Every count and time measure of one view, from the period's rows of the report facts
    (``facts.py``: the log rows with the case's item, department, channel, visits, first correction,
    and for decisions the dates, limits, extension and working days used, derived as defined above)."""
    f = ReportFact._meta.db_table
    accept = ", ".join(f"'{c}'" for c in ACCEPT_COMMANDS)
    key = "item_id" if by == BY_ITEM else "department_id" if by == BY_DEPARTMENT else None
    if key is None:
        raise ValueError(by)
    dec = "command = 'decide'"
    return f"""
        SELECT {key} AS k,
          SUM(CASE WHEN command = 'submit' THEN 1 ELSE 0 END) AS received,
          SUM(CASE WHEN command = 'submit' AND online THEN 1 ELSE 0 END) AS online,
          SUM(CASE WHEN command = 'submit' THEN visits ELSE 0 END) AS visits_sum,
          SUM(CASE WHEN command = 'submit' AND corrected_at < %(hi)s THEN 1 ELSE 0 END) AS corrected,
          SUM(CASE WHEN command IN ({accept}) THEN 1 ELSE 0 END) AS accepted,
          SUM(CASE WHEN command = 'deem_accepted' THEN 1 ELSE 0 END) AS deemed,
          SUM(CASE WHEN command = 'accept_with_pledge' THEN 1 ELSE 0 END) AS pledged,
          SUM(CASE WHEN command = 'not_accept' THEN 1 ELSE 0 END) AS not_accepted,
          SUM(CASE WHEN command = 'close' THEN 1 ELSE 0 END) AS closed,
          SUM(CASE WHEN {dec} THEN 1 ELSE 0 END) AS decided,
          SUM(CASE WHEN {dec} AND approved THEN 1 ELSE 0 END) AS approved,
          SUM(CASE WHEN {dec} AND used <= promised + ext THEN 1 ELSE 0 END) AS on_time,
          SUM(CASE WHEN {dec} AND used < promised + ext THEN 1 ELSE 0 END) AS early,
          SUM(CASE WHEN {dec} AND used > statutory + ext THEN 1 ELSE 0 END) AS overdue,
          SUM(CASE WHEN {dec} AND used IS NOT NULL THEN 1 ELSE 0 END) AS timed,
          SUM(CASE WHEN {dec} THEN used END) AS used_sum,
          SUM(CASE WHEN {dec} AND used IS NOT NULL THEN promised END) AS promised_sum,
          SUM(CASE WHEN {dec} AND used IS NOT NULL THEN statutory END) AS statutory_sum,
          SUM(CASE WHEN {dec} AND decided_on = accepted_on THEN 1 ELSE 0 END) AS spot
        FROM {f}
        WHERE at >= %(lo)s AND at < %(hi)s
        GROUP BY {key}
    """  # noqa: S608 - only the table name and fixed command names are interpolated


def _run(sql: str, params: dict) -> dict[int, dict]:
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # A month's facts are a few hundred thousand rows: JIT compiling would cost more than
            # it saves (about 2 s a query on a million cases).
            cur.execute("SET LOCAL jit = off")
        cur.execute(sql, params)
        names = [c[0] for c in cur.description]
        return {row[0]: dict(zip(names[1:], row[1:], strict=True)) for row in cur.fetchall()}


def supervision_measures(period: Period, by: str) -> dict[int, dict]:
    """Ratings, rectification, complaints and cards per group, from ``approvals.supervision``.

    Rows dated in the period; the item view follows the row's case (rows without a case are left
    out of it), the department view the row's own department:

    - **ratings** (评价数): ``Rating`` rows rated in the period, except those ruled malicious
      (appeal upheld); **good** = level 4 or 5; **bad** = level 1 or 2; **good-rating rate** =
      good ÷ ratings;
    - **rectified**: bad ratings of the period whose rectification ticket was fixed before the
      period's end; **rectification rate** = rectified ÷ bad;
    - **complaints**: ``Complaint`` rows received in the period;
    - **cards**: yellow and red ``Card`` rows raised in the period (prompts are not cards).

    """
    lo, hi = period.bounds()
    case_key = "case__item_version__item_id" if by == BY_ITEM else "department_id"
    out: dict[int, dict] = {}

    def merge(rows):
        for row in rows:
            k = row.pop("k")
            if k is not None:
                out.setdefault(k, {}).update(row)

    merge(
        Rating.objects.filter(rated_at__gte=lo, rated_at__lt=hi)
        .exclude(appeal="upheld")
        .values(k=F(case_key))
        .annotate(
            ratings=Count("pk"),
            good_ratings=Count("pk", filter=Q(level__gte=4)),
            bad_ratings=Count("pk", filter=Q(level__lte=2)),
            rectified=Count("pk", filter=Q(level__lte=2, ticket__fixed_at__lt=hi)),
        )
        .order_by()
    )
    merge(
        Complaint.objects.filter(received_at__gte=lo, received_at__lt=hi)
        .values(k=F(case_key))
        .annotate(complaints=Count("pk"))
        .order_by()
    )
    merge(
        Card.objects.filter(raised_at__gte=lo, raised_at__lt=hi, kind__in=("yellow", "red"))
        .values(k=F(case_key))
        .annotate(
            cards=Count("pk"),
            yellow_cards=Count("pk", filter=Q(kind="yellow")),
            red_cards=Count("pk", filter=Q(kind="red")),
        )
        .order_by()
    )
    for row in out.values():
        for name in SUPERVISION_SUMS:
            row.setdefault(name, 0)
    return out


def aggregate(period: Period, by: str, *, refresh: bool = True) -> list[dict]:
    """One row per item (or department) with any event in the period, plus the measures.

    The report facts are first brought up to date with the log (``facts.refresh``) unless the
    caller has just done so (``refresh=False``)."""
    if refresh:
        facts.refresh()
    sums = _run(fact_sql(by), _params(period))
    extra = supervision_measures(period, by)
    keys = set(sums) | set(extra)
    labels = _labels(by, keys)
    rows = []
    for k in keys:
        row = {"id": k, **labels.get(k, {"code": str(k), "name": ""})}
        for name in EVENT_SUMS + DECISION_SUMS:
            row[name] = int(sums.get(k, {}).get(name) or 0)
        found = extra.get(k, {})
        row.update({name: int(found.get(name) or 0) for name in SUPERVISION_SUMS})
        rows.append(derive(row, supervision=True))
    rows.sort(key=lambda r: r["code"])
    return rows


def derive(row: dict, *, supervision: bool) -> dict:
    """Add the ratio measures to a row of raw sums (also used for the totals row)."""
    for name, (num, den) in _RATIOS.items():
        if num not in row:
            row[name] = None
            continue
        row[name] = (row[num] / row[den]) if row.get(den) else None
    if not supervision:
        for m in SUPERVISION_MEASURES:
            row[m.key] = None
    return row


def totals(rows: list[dict], *, supervision: bool) -> dict:
    keys = EVENT_SUMS + DECISION_SUMS + (SUPERVISION_SUMS if supervision else ())
    total = {"id": None, "code": "", "name": "合计"}
    for name in keys:
        total[name] = sum(r.get(name) or 0 for r in rows)
    return derive(total, supervision=supervision)


SUPERVISION_SUMS = ("ratings", "good_ratings", "bad_ratings", "rectified", "complaints", "cards", "yellow_cards", "red_cards")


def _labels(by: str, keys: set[int]) -> dict[int, dict]:
    if not keys:
        return {}
    if by == BY_DEPARTMENT:
        return {d.pk: {"code": d.code, "name": d.name} for d in Department.objects.filter(pk__in=keys)}
    names = {}
    for item_id, name in (
        ItemVersion.objects.filter(item_id__in=keys).order_by("item_id", "version").values_list("item_id", "name")
    ):
        names[item_id] = name  # the latest version's name wins
    return {i.pk: {"code": i.code, "name": names.get(i.pk, "")} for i in Item.objects.filter(pk__in=keys)}


def watermark(period: Period) -> str:
    """The state of every source row dated before the period's end: ``count:max id`` per table.

    The log is append-only and stamped with the current time, so for a closed period this never
    changes unless someone edits the log (or the supervision records) directly.
    """
    _lo, hi = period.bounds()
    parts = []
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT COUNT(*), MAX(id) FROM {TransitionLog._meta.db_table} WHERE at < %s",  # noqa: S608
            [connection.ops.adapt_datetimefield_value(hi)],
        )
        count, top = cur.fetchone()
        parts.append(f"log={count}:{top or 0}")
    parts.extend(_supervision_watermark(hi))
    # A corrected working-day calendar changes the working days used, hence the report.
    parts.append("cal=" + hashlib.md5(facts.calendar_fingerprint().encode()).hexdigest()[:10])  # noqa: S324
    return ";".join(parts)


def _supervision_watermark(hi) -> list[str]:
    """Supervision rows dated before the end, and the rulings/fixes that change the figures."""
    parts = []
    for name, qs in (
        ("ratings", Rating.objects.filter(rated_at__lt=hi)),
        ("malicious", Rating.objects.filter(rated_at__lt=hi, appeal="upheld")),
        ("fixed", RectificationTicket.objects.filter(fixed_at__lt=hi)),
        ("complaints", Complaint.objects.filter(received_at__lt=hi)),
        ("cards", Card.objects.filter(raised_at__lt=hi)),
    ):
        agg = qs.order_by().aggregate(n=Count("pk"), top=Max("pk"))
        parts.append(f"{name}={agg['n']}:{agg['top'] or 0}")
    return parts


# --- case rows (the office workbook's detail sheet) ------------------------------------------

CASE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("case_no", "办件编号"),
    ("item_code", "事项编码"),
    ("item_name", "事项名称"),
    ("department", "实施部门"),
    ("channel", "申请渠道"),
    ("state", "当前状态"),
    ("received_on", "收件日期"),
    ("accepted_on", "受理日期"),
    ("decided_on", "决定日期"),
    ("decision", "决定"),
    ("used", "用时（工作日）"),
    ("promised", "承诺时限"),
    ("statutory", "法定时限"),
)


def case_rows_sql() -> str:
    """Cases received in the period, one row each, oldest first; working days used computed with
    the calendar index as in the decision measures (pauses from the pause table's start/end)."""
    t = _tables()
    promised, statutory = limits_sql()
    from approvals.models import SpecialProcedurePause

    pauses = SpecialProcedurePause._meta.db_table
    d = Dialect()
    wd = "(CASE WHEN {x}.is_working_day THEN 1 ELSE 0 END)"
    return f"""
        SELECT c.case_no, i.code, v.name, dep.name, c.channel, c.state, c.received_on, c.accepted_on,
               c.decided_on, c.decision,
               CASE WHEN c.decided_on IS NOT NULL THEN
                 ed.working_index + 1 - {wd.format(x="ed")} - ad.working_index - COALESCE((
                   SELECT SUM(pe.working_index - {d.greatest("ps.working_index - " + wd.format(x="ps"), "ad.working_index")})
                     FROM {pauses} p
                     JOIN {t['cal']} ps ON ps.date = p.start
                     JOIN {t['cal']} pe ON pe.date = p."end"
                    WHERE p.case_id = c.id AND p.pauses_clock AND p."end" IS NOT NULL), 0)
               END,
               {promised}, {statutory}
        FROM {t['case']} c
        JOIN {t['ver']} v ON v.id = c.item_version_id
        JOIN {Item._meta.db_table} i ON i.id = v.item_id
        JOIN {Department._meta.db_table} dep ON dep.id = v.department_id
        LEFT JOIN {t['cal']} ad ON ad.date = c.accepted_on
        LEFT JOIN {t['cal']} ed ON ed.date = c.decided_on
        WHERE c.received_on >= %(start)s AND c.received_on <= %(end)s
        ORDER BY c.received_on, c.id
    """  # noqa: S608 - constants only


def case_rows(period: Period, chunk_size: int = 5000) -> Iterator[tuple]:
    """Stream the case rows (a server-side cursor on PostgreSQL; no model instances)."""
    params = {
        "start": connection.ops.adapt_datefield_value(period.start),
        "end": connection.ops.adapt_datefield_value(period.end),
    }
    sql = case_rows_sql()
    if connection.vendor == "postgresql":
        # A named (server-side) cursor lives inside a transaction; rows arrive ``chunk_size`` at a time.
        with transaction.atomic():
            connection.ensure_connection()
            with connection.connection.cursor(name="report_case_rows") as cur:
                cur.itersize = chunk_size
                cur.execute(sql, params)
                yield from cur
    else:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            while batch := cur.fetchmany(chunk_size):
                yield from _sqlite_dates(batch)


def _sqlite_dates(batch):
    from datetime import date

    for row in batch:
        row = list(row)
        for i in (6, 7, 8):
            if row[i] is not None and not isinstance(row[i], date):
                row[i] = date.fromisoformat(row[i])
        yield tuple(row)


def count_case_rows(period: Period) -> int:
    return Case.objects.filter(received_on__gte=period.start, received_on__lte=period.end).count()
