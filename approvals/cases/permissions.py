"""Who may see a case and who may fire each command (domain.md section 1).

- Applicants see their own cases and those of the businesses they are an active agent for, and
  fire the applicant commands on them.
- Front desk officers (综合窗口) serve every department: they see every submitted case and fire
  the intake commands (and deliver, close, terminate).
- Department officers (reviewer, approver, department head) see the submitted cases of items
  implemented by their department and fire the review commands; only approvers and heads decide,
  only the head approves an extension. On single-department items any of them claims an
  unassigned case; only the head reassigns it.
- Supervisors see every submitted case and act on none.
- Joint items: officers of the co-departments see the case too; their commands are the
  department tasks' (``approvals.parallel.services``), the case commands stay the lead's.

Who may fire which command is the ``who`` of its row in the command table
(``approvals.cases.commands``); this module answers it for a user and a case.

A user who cannot see a case gets ``Http404`` (its existence is not revealed); one who can see it
but may not act gets ``PermissionDenied``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.models import BusinessAgent, OfficerMembership
from approvals.items.models import CoDepartment

from .commands import APPLICANT, CASE, CASE_COMMANDS, COMMANDS, DEPARTMENT_JOBS, FRONT_DESK, Command
from .models import Case, State

Job = OfficerMembership.Job


def _memberships(user) -> list[OfficerMembership]:
    cached = getattr(user, "_case_memberships", None)
    if cached is None:
        cached = list(OfficerMembership.objects.filter(user=user))
        user._case_memberships = cached
    return cached


def _agent_business_ids(user) -> QuerySet:
    return BusinessAgent.objects.filter(user=user, active=True).values("business_id")


def visible_cases(user) -> QuerySet[Case]:
    """Every case ``user`` may see."""
    if not user or not user.is_authenticated:
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    own = Q(applicant=user) | Q(business_id__in=_agent_business_ids(user))
    jobs = _memberships(user)
    officer = Q(pk__in=[])
    if any(m.job in (Job.FRONT_DESK, Job.SUPERVISOR) for m in jobs):
        officer = ~Q(state=State.DRAFT)
    else:
        departments = {m.department_id for m in jobs if m.job in DEPARTMENT_JOBS}
        if departments:
            # Joint items: the co-departments review the case too (approvals.parallel).
            co_versions = CoDepartment.objects.filter(department_id__in=departments).values("version_id")
            officer = (Q(item_version__department_id__in=departments) | Q(item_version_id__in=co_versions)) & ~Q(
                state=State.DRAFT
            )
    return Case.objects.filter(own | officer)


def is_party(user, case: Case) -> bool:
    """The applicant, or an active agent of the business the case is filed for."""
    if case.applicant_id == user.pk:
        return True
    return bool(case.business_id) and BusinessAgent.objects.filter(
        user=user, business_id=case.business_id, active=True
    ).exists()


def can_see(user, case: Case) -> bool:
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser or is_party(user, case):
        return True
    if case.state == State.DRAFT:
        return False
    jobs = _memberships(user)
    if any(m.job in (Job.FRONT_DESK, Job.SUPERVISOR) for m in jobs):
        return True
    department_id = case.item_version.department_id
    if any(m.department_id == department_id and m.job in DEPARTMENT_JOBS for m in jobs):
        return True
    return case.item_version.is_joint and is_co_department_officer(user, case)


def is_co_department_officer(user, case: Case) -> bool:
    """An officer of one of the joint item's co-departments (they see the case, approvals.parallel)."""
    departments = {m.department_id for m in _memberships(user) if m.job in DEPARTMENT_JOBS}
    return bool(departments) and CoDepartment.objects.filter(
        version_id=case.item_version_id, department_id__in=departments
    ).exists()


def memberships(user) -> list[OfficerMembership]:
    """The user's officer jobs (loaded once per request and user object)."""
    return _memberships(user)


def roles_on(user, department_id: int) -> set[str]:
    """The roles of the command table ``user`` holds in ``department_id`` (front desk serves every
    department)."""
    roles = set()
    for m in _memberships(user):
        if m.job == Job.FRONT_DESK:
            roles.add(FRONT_DESK)
        elif m.department_id == department_id and m.job in DEPARTMENT_JOBS:
            roles.add(m.job)
    return roles


def can(user, command: str, case: Case) -> bool:
    """May ``user`` fire ``command`` on ``case`` (state aside)? Who may fire it is its row of the
    command table (``approvals.cases.commands``); an unknown command or a system one: nobody."""
    row = COMMANDS[CASE].get(command)
    if row is None or not row.who:
        return False
    if APPLICANT in row.who and is_party(user, case):
        return True
    return bool(roles_on(user, case.item_version.department_id) & set(row.who))


def who_label(command: str, on: str = CASE) -> str:
    """The roles that may fire ``command``, in words (for a refusal)."""
    names = {APPLICANT: _("the applicant"), **{job.value: str(job.label) for job in Job}}
    row = COMMANDS[on].get(command)
    return "、".join(str(names[r]) for r in (row.who if row else ()))


def refusal(command: str, on: str = CASE) -> PermissionDenied:
    """The ``PermissionDenied`` naming the command and who may fire it."""
    row = COMMANDS[on].get(command)
    return PermissionDenied(
        _("%(command)s may be done only by: %(who)s.")
        % {"command": row.label if row else command, "who": who_label(command, on) or "—"}
    )


def ensure_can(user, command: str, case: Case) -> None:
    """Raise ``Http404`` if ``user`` cannot see ``case``, ``PermissionDenied`` if they may not act."""
    if not can_see(user, case):
        raise Http404(_("No such case."))
    if not can(user, command, case):
        raise refusal(command)


@dataclass(frozen=True)
class Offer:
    """A command of the table as offered to one user on one object: ``reason`` is ``None`` when it
    can be fired now, or says why not (its role allows it and its state does, a rule does not)."""

    command: Command
    reason: str | None = None


def offers(user, obj, rows, roles: set[str], *, is_party: bool = False) -> list[Offer]:
    """The rows ``user`` may fire on ``obj`` (a case or a department task) by role and FSM state, each
    with the reason a precondition refuses it (``None``: possible now). Rows of other roles and rows
    the state machine does not allow now are left out: a page shows only what is possible."""
    out = []
    for row in rows:
        if not row.service or not (roles & set(row.who) or (is_party and APPLICANT in row.who)):
            continue
        if row.methods and not any(can_proceed(getattr(obj, m)) for m in row.methods):
            continue
        out.append(Offer(row, row.precondition(obj, user)))
    return out


def case_offers(user, case: Case) -> list[Offer]:
    """Which case commands ``user`` may fire on ``case`` now (and which a rule refuses, with why)."""
    return offers(user, case, CASE_COMMANDS, roles_on(user, case.item_version.department_id),
                  is_party=is_party(user, case))
