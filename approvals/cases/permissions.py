"""Who may see a case and who may fire each command (domain.md section 1).

- Applicants see their own cases and those of the businesses they are an active agent for, and
  fire the applicant commands on them.
- Front desk officers (综合窗口) serve every department: they see every submitted case and fire
  the intake commands.
- Department officers (reviewer, approver, department head) see the submitted cases of items
  implemented by their department and fire the review commands; only approvers and heads decide,
  only the head approves an extension. On single-department items any of them claims an
  unassigned case; only the head reassigns it.
- Supervisors see every submitted case and act on none.
- Joint items: officers of the co-departments see the case too; their commands are the
  department tasks' (``approvals.parallel.services``), the case commands stay the lead's.

A user who cannot see a case gets ``Http404`` (its existence is not revealed); one who can see it
but may not act gets ``PermissionDenied``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import BusinessAgent, OfficerMembership
from approvals.items.models import CoDepartment

from .models import Case, State

Job = OfficerMembership.Job
DEPARTMENT_JOBS = (Job.REVIEWER, Job.APPROVER, Job.DEPARTMENT_HEAD)

APPLICANT_COMMANDS = frozenset({"attach_material", "submit", "resubmit", "withdraw", "view"})
INTAKE_COMMANDS = frozenset({"request_correction", "accept", "accept_with_pledge", "not_accept"})
#: command → jobs (in the item's department) that may fire it.
DEPARTMENT_COMMANDS: dict[str, tuple[str, ...]] = {
    "start_review": DEPARTMENT_JOBS,
    "start_special_procedure": DEPARTMENT_JOBS,
    "end_special_procedure": DEPARTMENT_JOBS,
    "request_extension": DEPARTMENT_JOBS,
    "approve_extension": (Job.DEPARTMENT_HEAD,),
    "decide": (Job.APPROVER, Job.DEPARTMENT_HEAD),
    "issue_licence": DEPARTMENT_JOBS,
    "deliver": DEPARTMENT_JOBS,
    "close": DEPARTMENT_JOBS,
    "terminate": DEPARTMENT_JOBS,
    # Single-department items: an officer claims an unassigned case, the head reassigns it.
    "claim_case": DEPARTMENT_JOBS,
    "reassign_case": (Job.DEPARTMENT_HEAD,),
}
#: Department commands the front desk may also fire (handing over, closing, stopping at intake).
FRONT_DESK_ALSO = frozenset({"deliver", "close", "terminate"})


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


def can(user, command: str, case: Case) -> bool:
    """May ``user`` fire ``command`` on ``case`` (state aside)?"""
    if command in APPLICANT_COMMANDS:
        return is_party(user, case)
    jobs = _memberships(user)
    is_front_desk = any(m.job == Job.FRONT_DESK for m in jobs)
    if command in INTAKE_COMMANDS:
        return is_front_desk
    allowed_jobs = DEPARTMENT_COMMANDS.get(command)
    if allowed_jobs is None:
        return False
    if is_front_desk and command in FRONT_DESK_ALSO:
        return True
    department_id = case.item_version.department_id
    return any(m.department_id == department_id and m.job in allowed_jobs for m in jobs)


def ensure_can(user, command: str, case: Case) -> None:
    """Raise ``Http404`` if ``user`` cannot see ``case``, ``PermissionDenied`` if they may not act."""
    if not can_see(user, case):
        raise Http404(_("No such case."))
    if not can(user, command, case):
        raise PermissionDenied(_("You may not do this on this case."))
