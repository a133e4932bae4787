"""Fixtures for parallel processing: a joint item with a lead department and two co-departments,
each with a reviewer, an approver and a head; helpers that drive a case to its department tasks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from accounts.models import OfficerMembership
from approvals.cases import services
from approvals.items import services as catalog
from approvals.items.models import CoDepartment
from approvals.parallel import services as parallel
from approvals.parallel.models import DepartmentTask
from tests import factories
from tests.approvals.conftest import STANDARD_REMEDIES, Clock, pdf  # noqa: F401

Job = OfficerMembership.Job


@dataclass
class Dept:
    dept: object
    reviewer: object
    approver: object
    head: object

    @property
    def name(self) -> str:
        return self.dept.name


def make_dept(name: str) -> Dept:
    dept = factories.department(region_code="429901", name=name)
    return Dept(
        dept=dept,
        reviewer=factories.officer(dept, Job.REVIEWER),
        approver=factories.officer(dept, Job.APPROVER),
        head=factories.officer(dept, Job.DEPARTMENT_HEAD),
    )


@dataclass
class JointWorld:
    version: object
    lead: Dept
    cos: list[Dept]
    applicant: object
    front_desk: object
    extra: dict = field(default_factory=dict)

    @property
    def depts(self) -> list[Dept]:
        return [self.lead, *self.cos]

    def submitted(self, codes=("M01", "M02")):
        case = services.create_case(
            user=self.applicant, item_code=self.version.item.code, fields={"shop_name": "老王面馆", "area": "35.5"}
        )
        for code in codes:
            services.attach_material(case.pk, user=self.applicant, requirement_code=code, upload=pdf())
        return services.submit(case.pk, user=self.applicant)

    def accepted(self, **kw):
        case = self.submitted(**kw)
        return services.accept(case.pk, officer=self.front_desk)

    def task(self, case, dept: Dept, round: int | None = None) -> DepartmentTask:
        qs = DepartmentTask.objects.filter(case=case, department=dept.dept)
        return qs.get(round=round) if round else qs.order_by("-round").first()

    def take(self, case, dept: Dept, officer=None) -> DepartmentTask:
        """The department's officer claims and starts its task of the current round."""
        officer = officer or dept.reviewer
        task = self.task(case, dept)
        parallel.claim(task.pk, officer=officer)
        return parallel.start(task.pk, officer=officer)

    def in_review(self, **kw):
        case = self.accepted(**kw)
        for dept in self.depts:
            self.take(case, dept)
        case.refresh_from_db()
        return case


def build_joint_world(policy: str = "all_agree", *, step_limits=(None, None), **kw) -> JointWorld:
    lead = make_dept("市场监管局")
    cos = [make_dept("消防救援支队"), make_dept("生态环境局")]
    centre = factories.department(region_code="429901", name="政务服务中心")
    version = factories.item_version(
        dept=lead.dept, co_departments=tuple(c.dept for c in cos), join_policy=policy, statutory=45, promised=30,
        special_procedures=(("inspection", 10),), publish=False, **kw,
    )
    for co, days in zip(cos, step_limits, strict=True):
        if days is not None:
            CoDepartment.objects.filter(version=version, department=co.dept).update(step_limit_days=days)
    version = catalog.publish(version.pk, effective_from=date(2025, 1, 1))
    return JointWorld(
        version=version, lead=lead, cos=cos, applicant=factories.citizen(),
        front_desk=factories.officer(centre, Job.FRONT_DESK),
    )


@pytest.fixture
def on_day(monkeypatch) -> Clock:
    """The platform's clock, at 10:00 on Fri 2026-09-18 until the test moves it."""
    return Clock(monkeypatch)


@pytest.fixture
def joint(db, on_day) -> JointWorld:
    return build_joint_world("all_agree")


@pytest.fixture
def lead_decides(db, on_day) -> JointWorld:
    return build_joint_world("lead_decides")


@pytest.fixture
def independent(db, on_day) -> JointWorld:
    return build_joint_world("independent")


@pytest.fixture
def hook_calls(monkeypatch) -> list[tuple[int, int]]:
    """Every ``notify_case_changed`` the case engine queues after commit (case_id, log_id)."""
    from approvals.cases import tasks

    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(tasks.notify_case_changed, "delay", lambda case_id, log_id: calls.append((case_id, log_id)))
    return calls
