"""The periodic intake sweep: deemed acceptance (Art. 32) and missed pledges, set-based."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from approvals.items.models import ItemVersion
from approvals.parallel import services as parallel
from approvals.supervision import calendar

from .. import clock
from ..kernel import announce_on_commit
from ..models import PLEDGE_STATES, Case, State, TransitionLog


def sweep_intake_deadlines(today: date | None = None) -> dict[str, int]:
    """Deemed acceptance (Art. 32) and missed pledges, set-based.

    1. Every ``submitted`` case whose intake due date has passed is accepted as of the day it was
       received (or became complete): one locking SELECT of (id, start, version) tuples, the
       decision dues computed vectorised with ``calendar.add_working_days_many`` (no pause or
       extension can exist before acceptance, so ``due_date`` reduces to it), one UPDATE per
       distinct (start, dues) group — a handful, not one per case — with the state in the WHERE
       clause, and one bulk INSERT of log rows flagged ``{"violation": "deemed_acceptance"}``.
    2. Every case with an unfulfilled pledge past its deadline is terminated, with notice.

    The candidate rows are locked with ``SKIP LOCKED``: a second sweep running at the same time
    skips them, and once the first commits their state no longer matches; so two sweeps never
    transition (or log) a case twice.
    """
    today = today or clock.today()
    result = {"deemed_accepted": 0, "pledges_expired": 0, "skipped": 0}
    with transaction.atomic():
        result.update(_deem_accepted(today))
    with transaction.atomic():
        result["pledges_expired"] = _expire_pledges(today)
    return result


def _deem_accepted(today: date) -> dict[str, int]:
    rows = list(
        Case.objects.select_for_update(skip_locked=True)
        .filter(state=State.SUBMITTED, intake_due__lt=today)
        .order_by("pk")
        .values_list("pk", "received_on", "complete_on", "item_version_id", "round", "intake_due")
    )
    if not rows:
        return {"deemed_accepted": 0, "skipped": 0}
    versions = ItemVersion.objects.in_bulk({r[3] for r in rows})
    starts = [r[2] or r[1] for r in rows]
    limits = [clock.limits(versions[r[3]]) for r in rows]
    skipped = 0
    try:
        promised = calendar.add_working_days_many(starts, [p for p, _s in limits])
        statutory = calendar.add_working_days_many(starts, [s for _p, s in limits])
        dues = list(zip(promised.tolist(), statutory.tolist(), strict=True))
    except calendar.CalendarNotConfirmed:
        # Fall back row by row only to find which ones cannot be computed; those stay submitted.
        dues = []
        for start, (p, s) in zip(starts, limits, strict=True):
            try:
                dues.append((calendar.add_working_days(start, p), calendar.add_working_days(start, s)))
            except calendar.CalendarNotConfirmed:
                dues.append(None)
                skipped += 1
    groups: dict[tuple, list[int]] = defaultdict(list)
    for row, start, due in zip(rows, starts, dues, strict=True):
        if due is not None:
            groups[(start, *due)].append(row[0])
    done: set[int] = set()
    for (start, promised_due, statutory_due), ids in groups.items():
        Case.objects.filter(pk__in=ids, state=State.SUBMITTED).update(
            state=State.ACCEPTED,
            accepted_on=start,
            deemed_accepted=True,
            decision_due_promised=promised_due,
            decision_due_statutory=statutory_due,
        )
        done.update(ids)
    at = clock.now()
    logs = TransitionLog.objects.bulk_create(
        [
            TransitionLog(
                case_id=pk,
                from_state=State.SUBMITTED,
                to_state=State.ACCEPTED,
                command="deem_accepted",
                actor=None,
                at=at,
                reason="",
                round=rnd,
                details={"violation": "deemed_acceptance", "intake_due": due.isoformat(), "accepted_on": start.isoformat()},
            )
            for (pk, _r, _c, _v, rnd, due), start in zip(rows, starts, strict=True)
            if pk in done
        ]
    )
    announce_on_commit([(entry.case_id, entry.pk) for entry in logs if entry.pk])
    joint = [r[0] for r in rows if r[0] in done and versions[r[3]].is_joint]
    if joint:
        parallel.open_rounds_in_bulk(joint)
    return {"deemed_accepted": len(done), "skipped": skipped}


def _expire_pledges(today: date) -> int:
    rows = list(
        Case.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(state__in=PLEDGE_STATES, pledge__fulfilled_at__isnull=True, pledge__due__lt=today)
        .order_by("pk")
        .values_list("pk", "state", "round", "pledge__material_codes", "pledge__due")
    )
    if not rows:
        return 0
    ids = [r[0] for r in rows]
    now = clock.now()
    Case.objects.filter(pk__in=ids, state__in=PLEDGE_STATES).update(state=State.TERMINATED, closed_at=now)
    logs = TransitionLog.objects.bulk_create(
        [
            TransitionLog(
                case_id=pk,
                from_state=state,
                to_state=State.TERMINATED,
                command="expire_pledge",
                actor=None,
                at=now,
                reason=_("The pledged materials were not supplied by %(due)s.") % {"due": due.isoformat()},
                round=rnd,
                details={"reason": "pledge_missed", "pledged": codes, "pledge_due": due.isoformat(), "notice": True},
            )
            for pk, state, rnd, codes, due in rows
        ]
    )
    announce_on_commit([(entry.case_id, entry.pk) for entry in logs if entry.pk])
    parallel.cancel_open_tasks(ids, reason="expire_pledge")
    return len(ids)
