"""Fixtures for the case engine: a department with its officers, an item, an applicant, a clock
that tests set to a chosen day, and helpers that drive a case through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import OfficerMembership
from approvals.cases import clock, services
from tests import factories

Job = OfficerMembership.Job
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
STANDARD_REMEDIES = services.STANDARD_REMEDIES


def pdf(name: str = "material.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class Clock:
    """Sets ``approvals.cases.clock.now`` to 10:00 Asia/Shanghai on a chosen day."""

    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch
        self.set(date(2026, 9, 18))

    def set(self, day: date, hour: int = 10) -> None:
        instant = dt.datetime(day.year, day.month, day.day, hour, tzinfo=clock.SHANGHAI)
        self.instant = instant
        self._monkeypatch.setattr(clock, "now", lambda: instant)

    @property
    def today(self) -> date:
        return self.instant.date()


@pytest.fixture
def on_day(monkeypatch) -> Clock:
    """The platform's clock, at 10:00 on Fri 2026-09-18 until the test moves it."""
    return Clock(monkeypatch)


@dataclass
class World:
    dept: object
    version: object
    applicant: object
    front_desk: object
    reviewer: object
    approver: object
    head: object

    @property
    def item_code(self) -> str:
        return self.version.item.code

    def new_case(self, applicant=None, **kw):
        fields = kw.pop("fields", {"shop_name": "老王面馆", "area": "35.5"})
        return services.create_case(user=applicant or self.applicant, item_code=self.item_code, fields=fields, **kw)

    def complete(self, case, applicant=None, codes=("M01", "M02")):
        for code in codes:
            services.attach_material(case.pk, user=applicant or self.applicant, requirement_code=code, upload=pdf())
        return case

    def submitted(self, applicant=None, **kw):
        case = self.complete(self.new_case(applicant, **kw), applicant)
        return services.submit(case.pk, user=applicant or case.applicant)

    def accepted(self, **kw):
        case = self.submitted(**kw)
        return services.accept(case.pk, officer=self.front_desk)

    def in_review(self, **kw):
        case = self.accepted(**kw)
        return services.start_review(case.pk, officer=self.reviewer)


def build_world() -> World:
    dept = factories.department(region_code="429901")
    centre = factories.department(region_code="429901", name="政务服务中心")
    version = factories.item_version(
        dept=dept, statutory=20, promised=10, special_procedures=(("inspection", 10), ("expert_review", 15))
    )
    return World(
        dept=dept,
        version=version,
        applicant=factories.citizen(),
        front_desk=factories.officer(centre, Job.FRONT_DESK),
        reviewer=factories.officer(dept, Job.REVIEWER),
        approver=factories.officer(dept, Job.APPROVER),
        head=factories.officer(dept, Job.DEPARTMENT_HEAD),
    )


@pytest.fixture
def world(db, on_day) -> World:
    return build_world()
