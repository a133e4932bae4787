"""Art. 42: one extension, at most the item's days, requested and approved by the head before
the original due date."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approvals.cases import services
from approvals.models import Extension, TransitionLog
from approvals.supervision import calendar
from tests import factories


def test_extension_moves_the_dues_by_its_working_days(world, on_day):
    case = world.in_review()
    original = case.decision_due_statutory
    on_day.set(date(2026, 10, 20))
    services.request_extension(case.pk, officer=world.reviewer, days=10, reason="需要补充调查")
    case = services.approve_extension(case.pk, head=world.head, note="同意")
    assert calendar.working_days_between(original, case.decision_due_statutory) == 10
    assert case.decision_due_statutory == calendar.add_working_days(original, 10)
    log = TransitionLog.objects.get(case=case, command="approve_extension")
    assert log.details == {"days": 10, "old_due": original.isoformat(), "new_due": case.decision_due_statutory.isoformat()}


def test_only_once(world):
    case = world.in_review()
    services.request_extension(case.pk, officer=world.reviewer, days=5, reason="理由")
    services.approve_extension(case.pk, head=world.head)
    with pytest.raises(ValidationError) as exc:
        services.request_extension(case.pk, officer=world.reviewer, days=5, reason="再次")
    assert exc.value.error_dict["days"][0].code == "second_extension"
    with pytest.raises(ValidationError) as exc:
        services.approve_extension(case.pk, head=world.head)
    assert exc.value.error_dict["extension"][0].code == "already_approved"
    assert Extension.objects.filter(case=case).count() == 1


def test_only_before_the_original_due_date(world, on_day):
    case = world.in_review()
    on_day.set(case.decision_due_statutory + timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.request_extension(case.pk, officer=world.reviewer, days=5, reason="太晚")
    assert exc.value.error_dict["days"][0].code == "too_late"


def test_approval_after_the_original_due_date_is_refused(world, on_day):
    case = world.in_review()
    on_day.set(case.decision_due_statutory)
    services.request_extension(case.pk, officer=world.reviewer, days=5, reason="当天申请")
    on_day.set(case.decision_due_statutory + timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.approve_extension(case.pk, head=world.head)
    assert exc.value.error_dict["extension"][0].code == "too_late"


def test_days_limited_and_item_must_allow_it(world):
    case = world.in_review()
    with pytest.raises(ValidationError) as exc:
        services.request_extension(case.pk, officer=world.reviewer, days=11, reason="超")
    assert "days" in exc.value.message_dict
    version = factories.item_version(dept=world.dept, extension_allowed=False)
    world.version = version
    other = world.in_review()
    with pytest.raises(ValidationError) as exc:
        services.request_extension(other.pk, officer=world.reviewer, days=1, reason="不允许")
    assert exc.value.error_dict["days"][0].code == "no_extension"


def test_only_the_department_head_approves(world):
    case = world.in_review()
    services.request_extension(case.pk, officer=world.reviewer, days=5, reason="理由")
    for officer in (world.reviewer, world.approver, world.front_desk):
        with pytest.raises(PermissionDenied):
            services.approve_extension(case.pk, head=officer)
    assert Extension.objects.get(case=case).approved_on is None
