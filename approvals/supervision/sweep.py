"""The supervision sweep (电子监察, domain.md section 6): prompts, yellow and red cards.

``run_sweep(today)`` is a handful of ``INSERT … SELECT … ON CONFLICT DO NOTHING`` statements, one
per rule, plus one digest notification per department and one for the supervision office. It is

* **set-based**: no per-case Python; the statements run the same on PostgreSQL and SQLite;
* **exactly once**: ``Card`` is unique on (rule, kind, subject type, subject id); every statement
  also skips subjects that already have their card (``NOT EXISTS``), and ``ON CONFLICT DO NOTHING``
  settles the race between two sweeps running at once: the second waits for the first's
  uncommitted rows, then inserts nothing. Rows are inserted in subject order in every run, so two
  concurrent sweeps wait on each other in the same order and cannot deadlock;
* **incremental**: the clock rules only look at open cases whose due date is at most one working
  day ahead (partial indexes on the decision dues, migration 0003) and that have no card yet, and
  after the first run of a day only at those with a new transition-log row; the log rules only
  read the log rows written since the previous run (plus an overlap, see ``_window``).

When a card fires
-----------------
* prompt (rule ``promised_limit``): from the working day before the promised decision due date
  until the due date itself (``today ≤ due ≤ next working day after today``);
* yellow ``promised_limit`` / ``step_limit`` and red ``statutory_limit``: on the first working day
  after the due date (at least one working day over: ``due < last working day on or before
  today``); a weekend or a holiday right after the due date does not count as over;
* red rules read from the data: ``deemed_acceptance`` (log command ``deem_accepted``, written by
  the case engine's intake sweep), ``refusal_without_reasons`` (a refusal at intake or decision
  whose case has no reasons), ``second_correction_notice`` (a second ``request_correction`` in the
  same round), ``statutory_limit`` also for a case decided after its statutory due,
  ``illegal_fee`` (a ``FeeCharge`` on an item version that charges no fee) and
  ``offline_handling`` (a window case of an item that can be applied for online, online depth ≥ 3,
  decided at intake without an ``OfflineHandlingReason``);
* yellow cards for overdue complaints (intake decision, reply) and rectification tickets (call
  back, rectification), on the same "first working day after the due date" rule.

``working_days_over`` is computed with the calendar's cumulative working-day index
(``CalendarDay.working_index``): index(today) − index(due).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.models import OfficerMembership
from approvals.cases import clock
from approvals.models import DECISION_CLOCK_STATES, State
from approvals.parallel.models import OPEN_TASK_STATES, DepartmentTask

from . import calendar
from .models import CalendarDay, Card, CardKind, CardRule, SweepRun

logger = logging.getLogger(__name__)

Job = OfficerMembership.Job
HANDLING_JOBS = (Job.REVIEWER, Job.APPROVER, Job.DEPARTMENT_HEAD)
CASE_SAMPLE = 10  # case numbers named in a digest
ANALYZE_AFTER = 5_000  # cards inserted by one statement before the table's statistics are refreshed

_OPEN = ", ".join(f"'{s}'" for s in DECISION_CLOCK_STATES)
_INSERT = """
INSERT INTO supervision_card (
    kind, rule, subject_type, subject_id, case_id, task_id, complaint_id, ticket_id, department_id,
    limit_date, limit_days, detected_on, working_days_over, raised_at, sweep_run_id, details, resolution
)
"""
# The decision limits of version ``v`` in working days, as ``clock.limits`` computes them.
_DEFAULT_DAYS = f"CASE WHEN v.is_joint THEN {clock.JOINT_DECISION_DAYS:d} ELSE {clock.STATUTORY_DECISION_DAYS:d} END"
PROMISED_DAYS = f"COALESCE(v.promised_limit_days, v.statutory_limit_days, {_DEFAULT_DAYS})"
STATUTORY_DAYS = f"COALESCE(v.statutory_limit_days, {_DEFAULT_DAYS})"


def _json(*pairs: str) -> str:
    """SQL building a JSON object from alternating key literals and value expressions."""
    fn = "json_build_object" if connection.vendor == "postgresql" else "json_object"
    return f"{fn}({', '.join(pairs)})"


def _no_card(rule: str, kind: str, subject_type: str, subject: str) -> str:
    return (
        f"NOT EXISTS (SELECT 1 FROM supervision_card k WHERE k.rule = '{rule}' AND k.kind = '{kind}' "  # noqa: S608 - constants only
        f"AND k.subject_type = '{subject_type}' AND k.subject_id = {subject})"
    )


@dataclass(frozen=True)
class Context:
    today: date
    today_index: int
    last_working_day: date  # today if it is a working day, else the working day before
    horizon: date | None  # the next working day after today (None when not confirmed)
    log_from: int
    log_to: int
    run_id: int
    now: datetime

    @property
    def params(self) -> dict:
        return {
            "today": self.today,
            "today_index": self.today_index,
            "last_wd": self.last_working_day,
            "horizon": self.horizon,
            "log_from": self.log_from,
            "log_to": self.log_to,
            "run": self.run_id,
            "now": self.now,
        }


# --- the statements, one per rule ------------------------------------------------------------------


def _case_due_sql(kind: str, rule: str, due_col: str, limit_days: str, window: str, *, full: bool = True) -> str:
    """Open cases (decision clock running) whose ``due_col`` satisfies ``window``; unless ``full``,
    only cases with a transition-log row in the scan window (every change of a due is logged)."""
    window_cases = "SELECT l.case_id FROM approvals_transitionlog l WHERE l.id > %(log_from)s AND l.id <= %(log_to)s"
    if full:
        changed = ""
    elif connection.vendor == "postgresql":
        # An ARRAY(...) init-plan: the few changed cases are fetched by primary key, instead of
        # the planner semi-joining every overdue case against the window.
        changed = f"AND c.id = ANY(ARRAY({window_cases}))"
    else:
        changed = f"AND c.id IN ({window_cases})"
    return f"""{_INSERT}
SELECT '{kind}', '{rule}', 'case', c.id, c.id, NULL, NULL, NULL, v.department_id,
       c.{due_col}, {limit_days}, %(today)s, %(today_index)s - COALESCE(d.working_index, %(today_index)s),
       %(now)s, %(run)s, {_json("'state'", "c.state")}, ''
  FROM approvals_case c
  JOIN items_itemversion v ON v.id = c.item_version_id
  LEFT JOIN supervision_calendarday d ON d.date = c.{due_col}
 WHERE c.state IN ({_OPEN}) AND {window} {changed}
   AND {_no_card(rule, kind, "case", "c.id")}
 ORDER BY c.id
ON CONFLICT DO NOTHING"""  # noqa: S608 - constants only


def _log_sql(kind: str, rule: str, condition: str, *, limit_date: str = "NULL", over: str = "0",
             extra_join: str = "") -> str:
    """Cases with a transition-log row in the scan window matching ``condition``."""
    return f"""{_INSERT}
SELECT '{kind}', '{rule}', 'case', c.id, c.id, NULL, NULL, NULL, v.department_id,
       {limit_date}, NULL, %(today)s, {over}, %(now)s, %(run)s,
       {_json("'log_id'", "l.id", "'command'", "l.command")}, ''
  FROM approvals_transitionlog l
  JOIN approvals_case c ON c.id = l.case_id
  JOIN items_itemversion v ON v.id = c.item_version_id
  {extra_join}
 WHERE l.id > %(log_from)s AND l.id <= %(log_to)s AND {condition}
   AND {_no_card(rule, kind, "case", "c.id")}
 ORDER BY c.id, l.id
ON CONFLICT DO NOTHING"""  # noqa: S608 - constants only


def _statements(ctx: Context, *, full: bool = True) -> list[tuple[str, str]]:
    Y, R, P = CardKind.YELLOW.value, CardKind.RED.value, CardKind.PROMPT.value
    stmts: list[tuple[str, str]] = []
    if ctx.horizon is not None:
        stmts.append((
            "prompt",
            _case_due_sql(P, CardRule.PROMISED_LIMIT, "decision_due_promised", PROMISED_DAYS,
                          "c.decision_due_promised >= %(today)s AND c.decision_due_promised <= %(horizon)s"),
        ))
    stmts += [
        ("promised_limit", _case_due_sql(Y, CardRule.PROMISED_LIMIT, "decision_due_promised", PROMISED_DAYS,
                                         "c.decision_due_promised < %(last_wd)s", full=full)),
        ("statutory_limit", _case_due_sql(R, CardRule.STATUTORY_LIMIT, "decision_due_statutory", STATUTORY_DAYS,
                                          "c.decision_due_statutory < %(last_wd)s", full=full)),
        ("decided_late", _log_sql(
            R, CardRule.STATUTORY_LIMIT,
            "l.command = 'decide' AND c.decided_on > c.decision_due_statutory",
            limit_date="c.decision_due_statutory",
            over="COALESCE(de.working_index - ds.working_index, 0)",
            extra_join=(
                "LEFT JOIN supervision_calendarday ds ON ds.date = c.decision_due_statutory "
                "LEFT JOIN supervision_calendarday de ON de.date = c.decided_on"
            ),
        )),
        ("deemed_acceptance", _log_sql(
            R, CardRule.DEEMED_ACCEPTANCE, "l.command = 'deem_accepted'",
            limit_date="c.intake_due",
            over="%(today_index)s - COALESCE(di.working_index, %(today_index)s)",
            extra_join="LEFT JOIN supervision_calendarday di ON di.date = c.intake_due",
        )),
        ("refusal_without_reasons", _log_sql(
            R, CardRule.REFUSAL_WITHOUT_REASONS,
            f"l.to_state IN ('{State.REFUSED}', '{State.NOT_ACCEPTED}') AND TRIM(COALESCE(c.reasons, '')) = ''",
        )),
        ("second_correction_notice", _log_sql(
            R, CardRule.SECOND_CORRECTION_NOTICE,
            "l.command = 'request_correction' AND EXISTS (SELECT 1 FROM approvals_transitionlog p "
            "WHERE p.case_id = l.case_id AND p.round = l.round AND p.command = 'request_correction' AND p.id < l.id)",
        )),
        ("offline_handling", _log_sql(
            R, CardRule.OFFLINE_HANDLING,
            "l.command IN ('accept', 'accept_with_pledge', 'not_accept', 'deem_accepted') "
            "AND c.channel = 'window' AND v.channel_online = TRUE AND v.online_depth >= 3 "
            "AND NOT EXISTS (SELECT 1 FROM supervision_offlinehandlingreason o WHERE o.case_id = c.id)",
        )),
        ("illegal_fee", f"""{_INSERT}
SELECT '{R}', '{CardRule.ILLEGAL_FEE}', 'case', c.id, c.id, NULL, NULL, NULL, v.department_id,
       f.charged_on, NULL, %(today)s, 0, %(now)s, %(run)s,
       {_json("'fee_id'", "f.id", "'amount'", "CAST(f.amount AS TEXT)")}, ''
  FROM supervision_feecharge f
  JOIN approvals_case c ON c.id = f.case_id
  JOIN items_itemversion v ON v.id = c.item_version_id
 WHERE v.fee_required = FALSE AND {_no_card(CardRule.ILLEGAL_FEE, R, "case", "c.id")}
 ORDER BY c.id, f.id
ON CONFLICT DO NOTHING"""),  # noqa: S608 - constants only
        ("complaint_intake", _complaint_sql(CardRule.COMPLAINT_INTAKE, "intake_due", "'received'")),
        ("complaint_reply", _complaint_sql(CardRule.COMPLAINT_REPLY, "reply_due", "'taken_up'")),
        ("rectification_callback", _ticket_sql(CardRule.RECTIFICATION_CALLBACK, "callback_due", "'open'")),
        ("rectification_fix", _ticket_sql(CardRule.RECTIFICATION_FIX, "fix_due", "'open', 'called_back'")),
        ("step_limit", _task_sql()),
    ]
    return stmts


def _complaint_sql(rule: str, due_col: str, states: str) -> str:
    Y = CardKind.YELLOW.value
    return f"""{_INSERT}
SELECT '{Y}', '{rule}', 'complaint', p.id, p.case_id, NULL, p.id, NULL, p.department_id,
       p.{due_col}, NULL, %(today)s, %(today_index)s - COALESCE(d.working_index, %(today_index)s),
       %(now)s, %(run)s, {_json("'number'", "p.number")}, ''
  FROM supervision_complaint p
  LEFT JOIN supervision_calendarday d ON d.date = p.{due_col}
 WHERE p.state IN ({states}) AND p.{due_col} < %(last_wd)s
   AND {_no_card(rule, Y, "complaint", "p.id")}
 ORDER BY p.id
ON CONFLICT DO NOTHING"""  # noqa: S608 - constants only


def _ticket_sql(rule: str, due_col: str, states: str) -> str:
    Y = CardKind.YELLOW.value
    return f"""{_INSERT}
SELECT '{Y}', '{rule}', 'ticket', t.id, t.case_id, NULL, NULL, t.id, t.department_id,
       t.{due_col}, NULL, %(today)s, %(today_index)s - COALESCE(d.working_index, %(today_index)s),
       %(now)s, %(run)s, {_json("'rating_id'", "t.rating_id")}, ''
  FROM supervision_rectificationticket t
  LEFT JOIN supervision_calendarday d ON d.date = t.{due_col}
 WHERE t.state IN ({states}) AND t.{due_col} < %(last_wd)s
   AND {_no_card(rule, Y, "ticket", "t.id")}
 ORDER BY t.id
ON CONFLICT DO NOTHING"""  # noqa: S608 - constants only


def _task_sql() -> str:
    """Yellow ``step_limit`` for open department tasks past their own step due date (never later
    than the case's promised due, as ``DepartmentTask.with_due`` defines it). Tasks on hold wait
    for the applicant: their clock is stopped."""
    states = ", ".join(f"'{s}'" for s in OPEN_TASK_STATES)
    due = (
        "CASE WHEN c.decision_due_promised IS NOT NULL AND c.decision_due_promised < t.step_due "
        "THEN c.decision_due_promised ELSE t.step_due END"
    )
    Y = CardKind.YELLOW.value
    rule = CardRule.STEP_LIMIT
    return f"""{_INSERT}
SELECT '{Y}', '{rule}', 'task', t.id, t.case_id, t.id, NULL, NULL, t.department_id,
       {due}, t.step_limit_days, %(today)s, %(today_index)s - COALESCE(d.working_index, %(today_index)s),
       %(now)s, %(run)s, {_json("'task_state'", "t.state", "'round'", "t.round")}, ''
  FROM {DepartmentTask._meta.db_table} t
  JOIN approvals_case c ON c.id = t.case_id
  LEFT JOIN supervision_calendarday d ON d.date = {due}
 WHERE t.state IN ({states}) AND t.step_due IS NOT NULL AND {due} < %(last_wd)s
   AND {_no_card(rule, Y, "task", "t.id")}
 ORDER BY t.id
ON CONFLICT DO NOTHING"""  # noqa: S608 - constants only


# --- the run -------------------------------------------------------------------------------------


def log_overlap_rows() -> int:
    return int(getattr(settings, "SUPERVISION_LOG_OVERLAP_ROWS", 10_000))


def _window(today: date) -> tuple[int, int, bool]:
    """(from, to] of the transition log to read, and whether the clock rules scan every open case.

    ``to`` is the newest log row; ``from`` the previous finished run's ``to`` minus
    ``SUPERVISION_LOG_OVERLAP_ROWS`` (default 10,000): a row whose id was taken before the previous
    run but whose transaction committed after it is still read, as long as fewer rows than that
    were written in between (the cost: re-reading that many rows, a few milliseconds). The first
    run of a day is ``full`` (the "last working day" moved, so any open case may be newly overdue);
    later runs the same day only look at cases with a log row in the window, because every change
    of a case's dues writes one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM approvals_transitionlog")
        log_to = cursor.fetchone()[0]
    previous = SweepRun.objects.filter(finished_at__isnull=False).order_by("-pk").values_list("log_to", "today").first()
    if previous is None:
        return 0, log_to, True
    log_from = max(0, min(previous[0], log_to) - log_overlap_rows())
    return log_from, log_to, previous[1] != today


def _context(today: date, run: SweepRun) -> Context:
    last_wd = today if calendar.is_working_day(today) else calendar.previous_working_day_before(today)
    try:
        horizon = calendar.add_working_days(today, 1)
    except calendar.CalendarNotConfirmed:
        horizon = None
    today_index = CalendarDay.objects.filter(date=today).values_list("working_index", flat=True).get()
    return Context(
        today=today, today_index=today_index, last_working_day=last_wd, horizon=horizon,
        log_from=run.log_from, log_to=run.log_to, run_id=run.pk, now=run.started_at,
    )


def run_sweep(today: date | None = None, *, notify: bool = True, force_full: bool = False) -> SweepRun:
    """Raise every due prompt and card once; notify; record the run. Safe to run twice at once."""
    today = today or clock.today()
    with transaction.atomic():
        log_from, log_to, full = _window(today)
        if force_full:
            full = True
        run = SweepRun.objects.create(
            started_at=clock.now(), today=today, log_from=log_from, log_to=log_to, full_scan=full
        )
        try:
            ctx = _context(today, run)
        except calendar.CalendarNotConfirmed as exc:
            run.notes = str(exc)
            run.finished_at = clock.now()
            run.save(update_fields=["notes", "finished_at"])
            logger.error("supervision sweep skipped: %s", exc)
            return run
        counts: dict[str, int] = {}
        with connection.cursor() as cursor:
            for name, sql in _statements(ctx, full=full):
                cursor.execute(sql, ctx.params)
                counts[name] = max(cursor.rowcount, 0)
                if counts[name] >= ANALYZE_AFTER and connection.vendor == "postgresql":
                    # The next statements anti-join the cards: let the planner know the table grew
                    # (with stale statistics it scans the cards instead of using the unique index).
                    cursor.execute("ANALYZE supervision_card")
        if ctx.horizon is None:
            run.notes = _("Prompts skipped: the calendar after %(day)s is not confirmed.") % {"day": today}
        run.counts = counts
        if notify and any(counts.values()):
            notify_run(run)
        run.finished_at = clock.now()
        run.save(update_fields=["counts", "finished_at", "notes"])
    return run


# --- notifications -------------------------------------------------------------------------------


def notify_run(run: SweepRun) -> int:
    """One digest per department to its handling officers and head(s), one to the supervision
    office; a constant number of queries per department. Returns the number of digests written."""
    from approvals.items.models import Department
    from approvals.notifications import events
    from approvals.notifications.services import notify

    per_dept: dict[int, dict[str, int]] = {}
    for dept_id, kind, n in (
        Card.objects.filter(sweep_run=run).values("department_id", "kind").annotate(n=Count("id"))
        .values_list("department_id", "kind", "n")
    ):
        per_dept.setdefault(dept_id, dict.fromkeys(CardKind.values, 0))[kind] = n
    if not per_dept:
        return 0
    names = dict(Department.objects.filter(pk__in=per_dept).values_list("pk", "name"))
    members: dict[int, set[int]] = {}
    supervisors: set[int] = set()
    for user_id, dept_id, job in OfficerMembership.objects.filter(
        job__in=(*HANDLING_JOBS, Job.SUPERVISOR)
    ).values_list("user_id", "department_id", "job"):
        if job == Job.SUPERVISOR:
            supervisors.add(user_id)
        elif dept_id in per_dept:
            members.setdefault(dept_id, set()).add(user_id)
    written = 0
    for dept_id, n in sorted(per_dept.items()):
        sample = list(
            Card.objects.filter(sweep_run=run, department_id=dept_id, case__isnull=False)
            .order_by("case__case_no")
            .values_list("case__case_no", flat=True)
            .distinct()[:CASE_SAMPLE]
        )
        recipients = members.get(dept_id, set())
        if not recipients:
            continue
        notify(
            recipients,
            "supervision_cards",
            {"department": names.get(dept_id, "-"), "prompts": n["prompt"], "yellow": n["yellow"], "red": n["red"],
             "cases": "、".join(sample) or "-"},
            dedup_key=f"sweep:{run.pk}:dept:{dept_id}",
            channels=_channels(n, events),
        )
        written += 1
    if supervisors:
        total = {k: sum(n[k] for n in per_dept.values()) for k in CardKind.values}
        lines = "; ".join(
            f"{names.get(d, d)}: {n['prompt']}/{n['yellow']}/{n['red']}" for d, n in sorted(per_dept.items())
        )
        notify(
            supervisors,
            "supervision_summary",
            {"prompts": total["prompt"], "yellow": total["yellow"], "red": total["red"], "departments": lines},
            dedup_key=f"sweep:{run.pk}:office",
            channels=_channels(total, events),
        )
        written += 1
    return written


def _channels(counts: dict[str, int], events) -> tuple[str, ...]:
    """Cards go out on every channel; a digest of prompts only stays in the app and email."""
    if counts.get("yellow") or counts.get("red"):
        return (events.IN_APP, events.EMAIL, events.SMS)
    return (events.IN_APP, events.EMAIL)
