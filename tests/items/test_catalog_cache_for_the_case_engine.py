"""The case engine keeps catalog rows for a moment (``approvals.items.selectors``): a change made in
this process is seen at once, a change made in another process within ``CATALOG_CACHE_SECONDS``,
and the bulk XLSX import, which sends no model signals, is seen at once too (by the engine and by
the portal's page cache)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from approvals.cases import services
from approvals.cases.api_views import state_of
from approvals.items import selectors
from approvals.items import services as catalog
from approvals.items.models import Department, ItemVersion
from approvals.items.xlsx import import_catalog
from citizen_portal.selectors import catalog_generation
from tests import factories
from tests.approvals.conftest import Clock
from tests.items.test_catalog_xlsx_import import make_xlsx, valid_sheets

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_day(monkeypatch):
    return Clock(monkeypatch)  # 10:00 on Fri 2026-09-18


@pytest.fixture
def monotonic(monkeypatch):
    """The cache's clock, moved by hand."""

    class Monotonic:
        now = 1000.0

        def __call__(self):
            return self.now

    fake = Monotonic()
    monkeypatch.setattr(selectors.time, "monotonic", fake)
    return fake


def file_case(applicant, code):
    return services.create_case(user=applicant, item_code=code, fields={"shop_name": "面馆", "area": "20"})


def test_a_version_published_in_this_process_is_pinned_by_the_next_filing(on_day, monotonic):
    v1 = factories.item_version()
    applicant = factories.citizen()
    assert file_case(applicant, v1.item.code).item_version_id == v1.pk  # v1 is now cached
    draft = catalog.new_version(v1.item_id)
    catalog.publish(draft.pk, effective_from=date(2026, 9, 18))  # in force today
    case = file_case(applicant, v1.item.code)
    assert case.item_version_id == draft.pk
    assert case.item_version.version == 2


def test_a_version_retired_in_this_process_is_refused_at_once(on_day, monotonic):
    version = factories.item_version()
    applicant = factories.citizen()
    file_case(applicant, version.item.code)
    catalog.retire(version.pk, effective_to=date(2026, 9, 18))
    with pytest.raises(ValidationError) as exc:
        file_case(applicant, version.item.code)
    assert "item_code" in exc.value.message_dict


def test_a_change_made_by_another_process_is_seen_within_the_cache_time(on_day, monotonic, settings):
    settings.CATALOG_CACHE_SECONDS = 1
    version = factories.item_version()
    applicant = factories.citizen()
    file_case(applicant, version.item.code)
    # Another process renames the department: no signal reaches this one.
    Department.objects.filter(pk=version.department_id).update(name="改名后的部门")
    monotonic.now += 0.5
    assert state_of(file_case(applicant, version.item.code))["department_name"] != "改名后的部门"
    monotonic.now += 0.6  # 1.1 s after the rows were read
    assert state_of(file_case(applicant, version.item.code))["department_name"] == "改名后的部门"


def test_commands_read_the_pinned_version_through_the_cache(on_day, monotonic, settings):
    settings.CATALOG_CACHE_SECONDS = 1
    version = factories.item_version(materials=(("M01", "optional"),))
    applicant = factories.citizen()
    case = services.create_case(
        user=applicant, item_code=version.item.code, fields={"shop_name": "面馆", "area": "20"}, submit=True
    )
    ItemVersion.objects.filter(pk=version.pk).update(name="另一进程改的名字")  # no signal
    withdrawn = services.withdraw(case.pk, user=applicant, reason="不办了")
    assert withdrawn.item_version.name == version.name  # read less than a second ago
    monotonic.now += 1.5
    case2 = services.create_case(user=applicant, item_code=version.item.code, fields={"shop_name": "x", "area": "1"})
    assert state_of(services.withdraw(case2.pk, user=applicant))["item_name"] == "另一进程改的名字"


def test_no_cache_when_the_cache_time_is_zero(on_day, settings):
    settings.CATALOG_CACHE_SECONDS = 0
    version = factories.item_version()
    applicant = factories.citizen()
    file_case(applicant, version.item.code)
    Department.objects.filter(pk=version.department_id).update(name="立即可见")
    assert state_of(file_case(applicant, version.item.code))["department_name"] == "立即可见"


def test_the_bulk_import_is_seen_at_once_by_the_engine_and_the_portal(on_day, monotonic):
    dept = factories.department(code="330100-SCJG", name="市场监管局")
    factories.department(code="330100-XF", name="消防支队")
    version = factories.item_version(dept=dept)
    applicant = factories.citizen()
    assert state_of(file_case(applicant, version.item.code))["department_name"] == "市场监管局"
    generation = catalog_generation()
    sheets = valid_sheets()
    sheets["departments"] = [
        {"code": "330100-SCJG", "name": "市场监督管理局", "region_code": "330100", "level": "市级"},
    ]
    import_catalog(make_xlsx(sheets))  # bulk writes: no save signal for the department
    assert Department.objects.get(code="330100-SCJG").name == "市场监督管理局"
    assert state_of(file_case(applicant, version.item.code))["department_name"] == "市场监督管理局"
    assert catalog_generation() > generation  # the portal's cached pages are stale too
