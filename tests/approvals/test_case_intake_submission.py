"""Filing and submitting a case: number, verification code, pinned version, receipt date,
intake clock, every missing item listed at once."""

import datetime as dt
import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import BusinessAgent
from approvals.cases import services
from approvals.cases.exceptions import Conflict
from approvals.cases.services import VERIFICATION_ALPHABET
from approvals.items import services as catalog
from approvals.models import Case, State, TransitionLog
from tests import factories

from .conftest import pdf


def test_case_number_is_region_year_sequence_and_sortable(world):
    first = world.new_case()
    second = world.new_case()
    assert first.case_no == "429901-2026-000001"
    assert second.case_no == "429901-2026-000002"
    assert sorted([second.case_no, first.case_no]) == [first.case_no, second.case_no]
    other_region = factories.item_version(dept=factories.department(region_code="330100"))
    third = services.create_case(user=world.applicant, item_code=other_region.item.code, fields={})
    assert third.case_no == "330100-2026-000001"


def test_sequence_restarts_each_year(world):
    late = world.new_case(on=date(2026, 12, 31))
    early = world.new_case(on=date(2027, 1, 1))
    assert late.case_no.startswith("429901-2026-")
    assert early.case_no == "429901-2027-000001"


def test_verification_code_is_random_and_unambiguous(world):
    codes = {world.new_case().verification_code for _ in range(5)}
    assert len(codes) == 5
    for code in codes:
        assert len(code) >= 8
        assert set(code) <= set(VERIFICATION_ALPHABET)
        assert not set(code) & set("01OIL")


def test_case_is_pinned_to_the_version_in_force_on_its_filing_date(world):
    draft = catalog.new_version(world.version.item_id)
    draft.name = "新版本"
    draft.save()
    newer = catalog.publish(draft.pk, effective_from=date(2026, 10, 1))
    before = world.new_case(on=date(2026, 9, 30))
    after = world.new_case(on=date(2026, 10, 1))
    assert before.item_version_id == world.version.pk
    assert after.item_version_id == newer.pk


def test_unknown_item_and_non_applicant_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.create_case(user=world.applicant, item_code="NOPE", fields={})
    assert "item_code" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.create_case(user=world.reviewer, item_code=world.item_code, fields={})


def test_submit_lists_every_missing_field_and_material(world):
    case = world.new_case(fields={"shop_name": "面馆"})
    with pytest.raises(ValidationError) as exc:
        services.submit(case.pk, user=world.applicant, pledge_declared=True)
    # M02 is pledgeable (容缺): it may be missing at submission (with the pledge declaration); M03 is optional.
    assert set(exc.value.message_dict) == {"fields.area", "materials.M01"}
    case.refresh_from_db()
    assert case.state == State.DRAFT
    assert not TransitionLog.objects.filter(case=case).exists()


def test_submit_starts_the_intake_clock_on_the_shanghai_date(world, on_day):
    case = world.complete(world.new_case())
    # 00:30 in Shanghai on Fri 2026-09-18 is still Thursday in UTC.
    instant = dt.datetime(2026, 9, 17, 16, 30, tzinfo=dt.UTC)
    on_day._monkeypatch.setattr("approvals.cases.clock.now", lambda: instant)
    case = services.submit(case.pk, user=world.applicant)
    assert case.state == State.SUBMITTED
    assert case.received_on == date(2026, 9, 18)
    # 5 working days after Fri 09-18: Sun 09-20 is a make-up working day, so Thu 09-24.
    assert case.intake_due == date(2026, 9, 24)
    log = TransitionLog.objects.get(case=case)
    assert (log.from_state, log.to_state, log.command, log.actor) == ("draft", "submitted", "submit", world.applicant)


def test_submitting_twice_is_a_conflict(world):
    case = world.submitted()
    with pytest.raises(Conflict):
        services.submit(case.pk, user=world.applicant)
    assert TransitionLog.objects.filter(case=case, command="submit").count() == 1


def test_create_and_submit_in_one_call_for_an_item_without_materials(world):
    version = factories.item_version(dept=world.dept, materials=(("M01", "optional"),))
    case = services.create_case(
        user=world.applicant, item_code=version.item.code, fields={"shop_name": "a", "area": "1"}, submit=True
    )
    assert case.state == State.SUBMITTED


def test_business_case_needs_an_active_agency(world):
    biz = factories.business(world.applicant)
    case = world.new_case(business_id=biz.pk)
    assert case.business == biz
    assert case.agent.user == world.applicant
    BusinessAgent.objects.filter(business=biz).update(active=False)
    with pytest.raises(ValidationError) as exc:
        world.new_case(business_id=biz.pk)
    assert "business_id" in exc.value.message_dict


def test_window_channel_recorded_and_closed_channel_refused(world):
    assert world.new_case(channel="window").channel == Case.Channel.WINDOW
    version = factories.item_version(dept=world.dept, channel_online=False)
    with pytest.raises(ValidationError) as exc:
        services.create_case(user=world.applicant, item_code=version.item.code, fields={})
    assert "channel" in exc.value.message_dict


def test_materials_cannot_change_after_submission(world):
    case = world.submitted()
    with pytest.raises(Conflict):
        services.attach_material(case.pk, user=world.applicant, requirement_code="M03", upload=pdf())


def test_case_numbers_have_the_documented_shape(world):
    assert re.fullmatch(r"\d{6}-\d{4}-\d{6}", world.new_case().case_no)
