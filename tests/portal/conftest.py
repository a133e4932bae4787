"""Fixtures of the portal tests: the demo catalog, applicants, and the front desk and department
officers who take the officer-side steps through the services."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import OfficerMembership
from approvals.items.demo_catalog import dept_code, load_demo_catalog
from approvals.items.models import Department
from tests import factories
from tests.approvals.conftest import Clock, build_world

Job = OfficerMembership.Job
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32


def pdf(name: str = "material.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on_day(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def world(db, on_day):
    return build_world()


@pytest.fixture
def demo(db):
    load_demo_catalog()


@pytest.fixture
def front_desk(db):
    centre = Department.objects.filter(code=dept_code("ZWFW")).first() or factories.department(region_code="429901")
    return factories.officer(centre, Job.FRONT_DESK)
