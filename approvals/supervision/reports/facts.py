"""The report facts: the transition-log rows the measures count, with what each needs copied on.

``ReportFact`` holds one row per ``submit``, acceptance, ``not_accept``, ``close`` and ``decide``
log row, keyed by the log row's id, carrying the case's item and department (from its pinned item
version), and:

- on ``submit`` rows: the channel (online or not), the version's visits, and the instant of the
  case's first ``request_correction`` row (``corrected_at``; ``corrected_upto`` is the id of its
  last one);
- on ``decide`` rows: approved or not, the acceptance date (latest acceptance row before the
  decision), the decision date, the limits, the approved extension days and the working days used,
  all exactly as defined in ``measures`` (its docstring is the reference).

So a period's report reads only that period's fact rows (``WHERE at …``, no join, no per-decision
look-up of earlier rows). The facts are derived data: ``refresh()`` brings them up to date from
the log before every report computation, set-based:

1. the rows above the last mark minus ``TAIL`` ids (the *tail*) are replayed: their facts are
   deleted and rewritten from the log, so rows committed late (ids are handed out before commit)
   or deleted there are followed; the correction instants of the cases with correction rows in the
   tail are recomputed;
2. if the number of log rows at or below the tail's floor differs from the count recorded at the
   last refresh (rows deleted or committed very late), or the facts' schema version changed,
   every fact is rebuilt from the log;
3. if the working-day calendar changed (its fingerprint), the working days used of every decision
   are recomputed.

One ``ReportFactState`` row records the mark; concurrent refreshes queue on its row lock.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from approvals.cases import commands
from approvals.models import TransitionLog
from approvals.supervision.models import CalendarDay

from .models import ReportFact, ReportFactState
from .sql import Dialect, limits_sql

#: Log ids below the mark that are replayed on every refresh (late commits, recent deletions).
TAIL = 10_000
#: The commands that start the decision clocks, as the command table names them.
ACCEPT_COMMANDS = commands.by_event("case_accepted")
FACT_COMMANDS = ("submit", *ACCEPT_COMMANDS, "not_accept", "close", "decide")
#: Bumped when the way facts are derived changes: a different value forces a rebuild.
VERSION = "1"


def _q(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _tables() -> dict[str, str]:
    from approvals.items.models import ItemVersion
    from approvals.models import Case

    return {
        "fact": ReportFact._meta.db_table,
        "log": TransitionLog._meta.db_table,
        "case": Case._meta.db_table,
        "ver": ItemVersion._meta.db_table,
        "cal": CalendarDay._meta.db_table,
    }


def _insert_sql() -> str:
    t, d = _tables(), Dialect()
    promised, statutory = limits_sql()
    return f"""
        INSERT INTO {t['fact']} (log_id, at, command, case_id, item_id, department_id, online, visits,
                                 corrected_at, corrected_upto, approved, accepted_on, decided_on,
                                 promised, statutory, ext, used)
        SELECT l.id, l.at, l.command, l.case_id, v.item_id, v.department_id,
               (c.channel = 'online'), v.visits_required, NULL, NULL,
               (l.command = 'decide' AND l.to_state = 'approved'),
               CASE WHEN l.command = 'decide' THEN (
                   SELECT {d.jdate("a.details", "accepted_on")} FROM {t['log']} a
                    WHERE a.case_id = l.case_id AND a.command IN ({_q(ACCEPT_COMMANDS)}) AND a.id < l.id
                    ORDER BY a.id DESC LIMIT 1) END,
               CASE WHEN l.command = 'decide' THEN {d.jdate("l.details", "decided_on")} END,
               CASE WHEN l.command = 'decide' THEN {promised} END,
               CASE WHEN l.command = 'decide' THEN {statutory} END,
               CASE WHEN l.command = 'decide' THEN COALESCE((
                   SELECT SUM({d.jint("e.details", "days")}) FROM {t['log']} e
                    WHERE e.case_id = l.case_id AND e.command = 'approve_extension' AND e.id < l.id), 0)
                    ELSE 0 END,
               NULL
          FROM {t['log']} l
          JOIN {t['case']} c ON c.id = l.case_id
          JOIN {t['ver']} v ON v.id = c.item_version_id
         WHERE l.id > %(floor)s AND l.id <= %(top)s AND l.command IN ({_q(FACT_COMMANDS)})
    """  # noqa: S608 - table names and module constants only


def _corrections_sql() -> str:
    """Set the first correction instant of the submit facts of cases with correction rows in the
    replayed range (ids above ``floor``), or whose last correction row lay in it (it may be gone)."""
    t = _tables()
    return f"""
        UPDATE {t['fact']} SET
            corrected_at = (SELECT MIN(r.at) FROM {t['log']} r
                             WHERE r.case_id = {t['fact']}.case_id AND r.command = 'request_correction'),
            corrected_upto = (SELECT MAX(r.id) FROM {t['log']} r
                               WHERE r.case_id = {t['fact']}.case_id AND r.command = 'request_correction')
         WHERE command = 'submit' AND case_id IN (
                SELECT r.case_id FROM {t['log']} r WHERE r.id > %(floor)s AND r.command = 'request_correction'
                UNION
                SELECT g.case_id FROM {t['fact']} g WHERE g.corrected_upto > %(floor)s)
    """  # noqa: S608 - table names and module constants only


def _used_sql(everything: bool) -> str:
    """Working days used by the decisions in the tail (or all): ``eff(D) − index(A) − paused``."""
    t, d = _tables(), Dialect()
    f = t["fact"]
    wd = "(CASE WHEN {x}.is_working_day THEN 1 ELSE 0 END)"
    paused = f"""COALESCE((
        SELECT SUM(pe.working_index - {d.greatest("ps.working_index - " + wd.format(x="ps"), "ad.working_index")})
          FROM {t['log']} p
          JOIN {t['cal']} ps ON ps.date = {d.jdate("p.details", "start")}
          JOIN {t['cal']} pe ON pe.date = {d.jdate("p.details", "end")}
          JOIN {t['cal']} ad ON ad.date = {f}.accepted_on
         WHERE p.case_id = {f}.case_id AND p.command = 'end_special_procedure' AND p.id < {f}.log_id
           AND {d.jint("p.details", "working_days")} > 0), 0)"""  # noqa: S608 - constants only
    where = "" if everything else " AND log_id > %(floor)s"
    return f"""
        UPDATE {f} SET used =
            (SELECT ed.working_index + 1 - {wd.format(x="ed")} FROM {t['cal']} ed WHERE ed.date = {f}.decided_on)
          - (SELECT ad.working_index FROM {t['cal']} ad WHERE ad.date = {f}.accepted_on)
          - {paused}
         WHERE command = 'decide'{where}
    """  # noqa: S608 - table names and module constants only


def calendar_fingerprint() -> str:
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT COUNT(*), MIN(date), MAX(date), SUM(working_index), "  # noqa: S608
            f"SUM(CASE WHEN is_working_day THEN 1 ELSE 0 END) FROM {CalendarDay._meta.db_table}"
        )
        row = cur.fetchone()
    return f"v{VERSION}:" + ":".join(str(x) for x in row)


def _count_upto(cur, log_id: int) -> int:
    cur.execute(f"SELECT COUNT(*) FROM {TransitionLog._meta.db_table} WHERE id <= %s", [log_id])  # noqa: S608
    return cur.fetchone()[0]


def refresh(*, rebuild: bool = False) -> dict:
    """Bring the facts up to date with the log (see the module docstring). Returns what it did."""
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL jit = off")
        ReportFactState.objects.get_or_create(pk=1)
        state = ReportFactState.objects.select_for_update().get(pk=1)
        cal = calendar_fingerprint()
        cur.execute(f"SELECT MAX(id) FROM {TransitionLog._meta.db_table}")  # noqa: S608
        top = cur.fetchone()[0] or 0
        floor = max(state.log_max - TAIL, 0)
        version_changed = not state.calendar.startswith(f"v{VERSION}:")
        if rebuild or version_changed or top < state.log_max or _count_upto(cur, floor) != state.floor_count:
            floor, everything = 0, True
        else:
            everything = False
        params = {"floor": floor, "top": top}
        if everything and connection.vendor == "postgresql":
            cur.execute(f"TRUNCATE {ReportFact._meta.db_table}")
        else:
            cur.execute(f"DELETE FROM {ReportFact._meta.db_table} WHERE log_id > %(floor)s", params)  # noqa: S608
        cur.execute(_insert_sql(), params)
        inserted = cur.rowcount
        cur.execute(_corrections_sql(), params)
        recompute_all = everything or cal != state.calendar
        cur.execute(_used_sql(recompute_all), params)
        new_floor = max(top - TAIL, 0)
        if everything or new_floor < floor:
            state.floor_count = _count_upto(cur, new_floor)
        else:  # the rows up to ``floor`` were just counted: add those between the two floors
            cur.execute(
                f"SELECT COUNT(*) FROM {TransitionLog._meta.db_table} WHERE id > %s AND id <= %s",  # noqa: S608
                [floor, new_floor],
            )
            state.floor_count += cur.fetchone()[0]
        state.log_max, state.calendar, state.refreshed_at = top, cal, timezone.now()
        state.save()
    return {"rebuilt": everything, "from": floor, "to": top, "facts": inserted, "calendar": recompute_all}
