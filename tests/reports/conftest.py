"""A hand-built month of cases (September 2026) driven through the real case services with the
clock patched; each test computes its expected figures by hand from this script."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date

import pytest

from accounts.models import OfficerMembership
from approvals.cases import clock, services
from tests import factories
from tests.approvals.conftest import Clock, build_world, pdf

Job = OfficerMembership.Job
REMEDIES = services.STANDARD_REMEDIES


@pytest.fixture
def on_day(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@dataclass
class Month:
    world: object
    item2: object
    dept2: object
    cases: dict
    supervisor: object


def _at(on_day: Clock, day: date, hour: int = 10, minute: int = 0) -> None:
    instant = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.SHANGHAI)
    on_day.instant = instant
    on_day._monkeypatch.setattr(clock, "now", lambda: instant)


def build_month(on_day: Clock) -> Month:
    w = build_world()  # item 1: promised 10, statutory 20 working days
    ItemVersion = type(w.version)
    ItemVersion.objects.filter(pk=w.version.pk).update(visits_required=2)
    w.version.refresh_from_db()
    dept2 = factories.department(region_code="429901", name="第二部门")
    item2 = factories.item_version(dept=dept2, statutory=5, promised=3, visits_required=0, special_procedures=())
    reviewer2 = factories.officer(dept2, Job.REVIEWER)
    approver2 = factories.officer(dept2, Job.APPROVER, Job.DEPARTMENT_HEAD)
    fd, rv, ap = w.front_desk, w.reviewer, w.approver
    S = services
    cases = {}

    def submitted(code=None, **kw):
        if code is None:
            return w.submitted(**kw)
        case = S.create_case(user=w.applicant, item_code=code, fields={"shop_name": "面馆", "area": "35"}, **kw)
        w.complete(case)
        return S.submit(case.pk, user=w.applicant)

    # G: received Mon 08-31 (August), accepted 08-31, decided Tue 09-01 (September).
    _at(on_day, date(2026, 8, 31))
    g = w.accepted()
    S.start_review(g.pk, officer=rv)
    _at(on_day, date(2026, 9, 1))
    cases["G"] = S.decide(g.pk, officer=ap, approve=True)

    # A: received Tue 09-01, accepted Wed 09-02, decided Fri 09-04; licence, delivery, closed 09-07.
    a = submitted()
    _at(on_day, date(2026, 9, 2))
    S.accept(a.pk, officer=fd)
    S.start_review(a.pk, officer=rv)
    _at(on_day, date(2026, 9, 4))
    S.decide(a.pk, officer=ap, approve=True)
    S.issue_licence(a.pk, officer=rv)
    _at(on_day, date(2026, 9, 7))
    S.deliver(a.pk, officer=fd, method="window")
    cases["A"] = S.close(a.pk, officer=fd)

    # B: at the window, received, accepted and decided on Tue 09-01 (on the spot).
    _at(on_day, date(2026, 9, 1), 11)
    b = submitted(channel="window")
    S.accept(b.pk, officer=fd)
    S.start_review(b.pk, officer=rv)
    cases["B"] = S.decide(b.pk, officer=ap, approve=True)

    # C: received 09-01, correction notice 09-02, complete 09-03 (accepted as of 09-03 on 09-04),
    # inspection paused Mon 09-07 … Tue 09-08, refused Tue 09-22.
    c = submitted()
    _at(on_day, date(2026, 9, 2))
    S.request_correction(c.pk, officer=fd, problems=[{"material_code": "M01", "reason": "不清晰", "expected": "重新上传"}])
    _at(on_day, date(2026, 9, 3))
    S.attach_material(c.pk, user=w.applicant, requirement_code="M01", upload=pdf())
    S.resubmit(c.pk, user=w.applicant)
    _at(on_day, date(2026, 9, 4))
    S.accept(c.pk, officer=fd)
    S.start_review(c.pk, officer=rv)
    _at(on_day, date(2026, 9, 7))
    S.start_special_procedure(c.pk, officer=rv, kind="inspection", start=date(2026, 9, 7), expected_days=3, reason="现场检验")
    _at(on_day, date(2026, 9, 8))
    S.end_special_procedure(c.pk, officer=rv, end=date(2026, 9, 8))
    _at(on_day, date(2026, 9, 22))
    cases["C"] = S.decide(c.pk, officer=ap, approve=False, reasons="不符合条件", remedies=REMEDIES)

    # D (item 2): received and accepted 09-01, extension of 2 days approved 09-02, decided Fri 09-11.
    _at(on_day, date(2026, 9, 1), 14)
    d = submitted(item2.item.code)
    S.accept(d.pk, officer=fd)
    S.start_review(d.pk, officer=reviewer2)
    _at(on_day, date(2026, 9, 2))
    S.request_extension(d.pk, officer=reviewer2, days=2, reason="需补充核查")
    S.approve_extension(d.pk, head=approver2)
    _at(on_day, date(2026, 9, 11))
    cases["D"] = S.decide(d.pk, officer=approver2, approve=True)

    # E (item 2): received 09-01, not accepted 09-02.
    _at(on_day, date(2026, 9, 1), 15)
    e = submitted(item2.item.code)
    _at(on_day, date(2026, 9, 2))
    cases["E"] = S.not_accept(e.pk, officer=fd, reasons="不属于受理范围", remedies=REMEDIES)

    # F: received Wed 09-02, never decided at intake: deemed accepted by the sweep on 09-10.
    f = submitted()
    _at(on_day, date(2026, 9, 10), 1)
    S.sweep_intake_deadlines()
    cases["F"] = f

    # I: received Wed 09-30 at 23:00 (still September); H: received Thu 10-01 at 00:00 (October).
    _at(on_day, date(2026, 9, 30), 23)
    cases["I"] = submitted()
    _at(on_day, date(2026, 10, 1), 0)
    cases["H"] = submitted()
    _at(on_day, date(2026, 10, 12))
    supervisor = factories.officer(factories.department(name="电子监察室"), Job.SUPERVISOR)
    return Month(world=w, item2=item2, dept2=dept2, cases=cases, supervisor=supervisor)


@pytest.fixture
def month(db, on_day) -> Month:
    return build_month(on_day)
