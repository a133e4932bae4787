"""Who holds a single-department case: an officer claims it, the department head reassigns it
(``CaseAssignment`` history; joint items are assigned per department task)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import OfficerMembership

from .. import clock
from ..commands import DEPARTMENT_JOBS
from ..exceptions import Conflict
from ..kernel import CaseRef, lock_case, raise_errors, required_text
from ..models import ASSIGNABLE_STATES, Case, CaseAssignment
from ..permissions import ensure_can


def _assignable(case: Case, command: str) -> None:
    """Only a single-department case in the department's inbox states is claimed or reassigned."""
    if case.item_version.is_joint:
        raise Conflict(
            _("A joint item is assigned through its department tasks, not as a whole case."),
            state=case.state, command=command,
        )
    if case.state not in ASSIGNABLE_STATES:
        raise Conflict(
            _("The case is %(state)s; %(command)s is not possible now.")
            % {"state": case.get_state_display(), "command": command},
            state=case.state, command=command,
        )


def _assign(case: Case, command: str, actor, to_user, *, reason: str = "") -> CaseAssignment:
    entry = CaseAssignment.objects.create(
        case=case, command=command, state=case.state, actor=actor, from_user_id=case.assignee_id, to_user=to_user,
        reason=reason, at=clock.now(),
    )
    case.assignee = to_user
    case.save(update_fields=["assignee"])
    return entry


def claim_case(case_id: CaseRef, *, officer) -> Case:
    """An officer of the item's department takes an unassigned single-department case.

    Claiming a case one already holds is a no-op (a double click or a retry): nothing is written.
    A case someone else holds is a ``Conflict``: only the department head reassigns it.
    """
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(officer, "claim_case", case)
        _assignable(case, "claim_case")
        if case.assignee_id == officer.pk:
            return case
        if case.assignee_id is not None:
            raise Conflict(_("Another officer already holds this case."), state=case.state, command="claim_case")
        _assign(case, CaseAssignment.Command.CLAIM, officer, officer)
    return case


def reassign_case(case_id: CaseRef, *, head, to_user, reason: str) -> Case:
    """The department head gives a single-department case to another officer of the department."""
    with transaction.atomic():
        case = lock_case(case_id)
        ensure_can(head, "reassign_case", case)
        _assignable(case, "reassign_case")
        errors: dict[str, list[str]] = {}
        is_officer = to_user is not None and OfficerMembership.objects.filter(
            user=to_user, department_id=case.item_version.department_id, job__in=DEPARTMENT_JOBS
        ).exists()
        if not is_officer:
            errors["to_user"] = [_("Choose an officer of this department.")]
        elif to_user.pk == case.assignee_id:
            errors["to_user"] = [_("This officer already holds the case.")]
        reason = required_text(reason, "reason", errors, _("Give the reason for the reassignment."))
        raise_errors(errors)
        _assign(case, CaseAssignment.Command.REASSIGN, head, to_user, reason=reason)
    return case
