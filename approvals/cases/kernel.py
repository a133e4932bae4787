"""The case engine's public kernel: what every command does around its rule.

A command (``approvals.cases.services``, and the department tasks of ``approvals.parallel``) runs
in one transaction: ``lock_case`` → the permission check (``permissions.ensure_can``) →
``require`` (the FSM allows it now, else ``Conflict``) → its rule (``approvals.cases.rules``),
collecting every problem and raising them at once (``raise_errors``) → ``fire`` (the django-fsm
transition: state only) → ``log`` (one ``TransitionLog`` row, whose announcement is queued for
after the commit). Other components use these names only, never a leading-underscore helper.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from approvals.items import selectors as catalog

from . import clock, commands, inserts
from .exceptions import Conflict
from .models import Case, TransitionLog
from .notices import notify_case_changed

#: How commands name their case: the primary key, or the case number (the API's identifier), which
#: saves the API a look-up before the lock.
CaseRef = int | str


def lock_case(case_id: CaseRef) -> Case:
    """Lock the case row, found by primary key or by case number, in one query."""
    lookup = {"case_no": case_id} if isinstance(case_id, str) else {"pk": case_id}
    try:
        case = Case.objects.select_for_update().get(**lookup)
    except Case.DoesNotExist:
        raise Http404(_("No such case.")) from None
    # The pinned version with its item and department, from the catalog cache: the lock reads
    # the case row alone.
    case.item_version = catalog.version_of_case(case.item_version_id)
    return case


def conflict(obj, command: str, message: str | None = None) -> Conflict:
    """The ``Conflict`` for ``command`` on ``obj`` (a case or a department task) in its current state,
    naming the command as the command table does."""
    if message is None:
        on = commands.CASE if isinstance(obj, Case) else commands.TASK
        values = {"state": obj.get_state_display(), "command": commands.label(command, on)}
        message = (
            _("The case is %(state)s; %(command)s is not possible now.") % values if on == commands.CASE
            else _("The task is %(state)s; %(command)s is not possible now.") % values
        )
    return Conflict(message, state=obj.state, command=command)


def require(obj, method: str, command: str | None = None) -> None:
    """Raise ``Conflict`` unless the FSM transition ``method`` of ``obj`` is possible now."""
    if not can_proceed(getattr(obj, method)):
        raise conflict(obj, command or method)


def fire(obj, method: str) -> str:
    """Fire the FSM transition (state only); returns the state it left."""
    before = obj.state
    getattr(obj, method)()
    return before


def log_entry(case: Case, from_state: str, command: str, actor, *, reason: str = "", details: dict | None = None):
    """The (unsaved) log row of a transition of ``case`` that has just fired."""
    return TransitionLog(
        case=case,
        from_state=from_state,
        to_state=case.state,
        command=command,
        actor=actor,
        at=clock.now(),
        reason=reason,
        round=case.round,
        details=details or {},
    )


def log(case: Case, from_state: str, command: str, actor, *, reason: str = "", details: dict | None = None):
    """Write the transition's log row and queue its announcement for after the commit."""
    entry = inserts.insert(log_entry(case, from_state, command, actor, reason=reason, details=details))
    announce_on_commit([(case.pk, entry.pk)])
    return entry


def announce_on_commit(pairs: list[tuple[int, int]]) -> None:
    """Queue ``notify_case_changed`` for each (case id, log id) once the transaction commits. The
    log row itself records that the announcement is owed (``approvals.cases.notices``)."""

    def send():
        for case_id, log_id in pairs:
            notify_case_changed.delay(case_id, log_id)

    if pairs:
        transaction.on_commit(send)


def required_text(value: str, field: str, errors: dict, message: str) -> str:
    """``value`` stripped; ``message`` is added to ``errors[field]`` when it is empty."""
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(message)
    return value


def raise_errors(errors: dict) -> None:
    """Raise every collected problem at once (field → messages)."""
    if errors:
        raise ValidationError(errors)
