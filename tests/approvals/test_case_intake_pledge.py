"""容缺受理: pledgeable materials only, deadline within the promised limit, never for bad credit."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from approvals.cases import services
from approvals.models import Pledge, State, TransitionLog
from tests import factories

from .conftest import pdf


def _listed_m02(world, applicant=None, **kw):
    """M02 (pledgeable) was found defective in the correction notice and is pledged."""
    case = world.submitted(applicant, **kw)
    services.request_correction(
        case.pk, officer=world.front_desk,
        problems=[{"material_code": "M02", "reason": "需原件", "expected": "原件"}],
    )
    services.attach_material(case.pk, user=case.applicant, requirement_code="M02", upload=pdf())
    return services.resubmit(case.pk, user=case.applicant)


def test_pledge_of_a_listed_pledgeable_material(world):
    case = _listed_m02(world)
    due = date(2026, 9, 30)
    case = services.accept_with_pledge(case.pk, officer=world.front_desk, pledged_material_codes=["M02"], pledge_due=due)
    assert case.state == State.ACCEPTED_WITH_PLEDGE
    assert case.pledge_due == due
    assert Pledge.objects.get(case=case).material_codes == ["M02"]
    log = TransitionLog.objects.get(case=case, command="accept_with_pledge")
    assert log.details["pledged"] == ["M02"]


def test_only_pledgeable_and_missing_or_listed_materials_may_be_pledged(world):
    case = world.submitted()
    with pytest.raises(ValidationError) as exc:
        services.accept_with_pledge(
            case.pk, officer=world.front_desk, pledged_material_codes=["M01", "M02"], pledge_due=date(2026, 9, 30)
        )
    messages = exc.value.message_dict["pledged_material_codes"]
    assert len(messages) == 2  # M01 is not pledgeable; M02 was supplied and not found defective
    case.refresh_from_db()
    assert case.state == State.SUBMITTED


def test_pledge_deadline_not_after_the_promised_due(world):
    case = _listed_m02(world)
    promised = date(2026, 10, 9)  # 10 working days after 09-18 (accepted on the completion day)
    with pytest.raises(ValidationError) as exc:
        services.accept_with_pledge(
            case.pk, officer=world.front_desk, pledged_material_codes=["M02"], pledge_due=promised + timedelta(days=1)
        )
    assert "pledge_due" in exc.value.message_dict
    case = services.accept_with_pledge(
        case.pk, officer=world.front_desk, pledged_material_codes=["M02"], pledge_due=promised
    )
    assert case.decision_due_promised == promised


def test_bad_credit_citizen_is_not_offered_the_pledge_route(world):
    case = _listed_m02(world, factories.citizen(bad_credit=True))
    with pytest.raises(ValidationError) as exc:
        services.accept_with_pledge(
            case.pk, officer=world.front_desk, pledged_material_codes=["M02"], pledge_due=date(2026, 9, 30)
        )
    assert exc.value.error_dict["pledge"][0].code == "bad_credit"


def test_bad_credit_business_is_not_offered_the_pledge_route(world):
    biz = factories.business(world.applicant, bad_credit=True)
    case = _listed_m02(world, business_id=biz.pk)
    assert not services.pledge_offered(case)
    with pytest.raises(ValidationError) as exc:
        services.accept_with_pledge(
            case.pk, officer=world.front_desk, pledged_material_codes=["M02"], pledge_due=date(2026, 9, 30)
        )
    assert exc.value.error_dict["pledge"][0].code == "bad_credit"
    case.refresh_from_db()
    assert case.state == State.SUBMITTED


def test_approval_waits_for_the_pledged_material(world):
    case = _listed_m02(world)
    services.accept_with_pledge(case.pk, officer=world.front_desk, pledged_material_codes=["M02"], pledge_due=date(2026, 9, 30))
    services.start_review(case.pk, officer=world.reviewer)
    with pytest.raises(ValidationError) as exc:
        services.decide(case.pk, officer=world.approver, approve=True)
    assert "pledge" in exc.value.message_dict
    with pytest.raises(ValidationError):  # only the pledged material may be supplied now
        services.attach_material(case.pk, user=world.applicant, requirement_code="M01", upload=pdf())
    services.attach_material(case.pk, user=world.applicant, requirement_code="M02", upload=pdf())
    assert Pledge.objects.get(case=case).fulfilled_at is not None
    assert services.decide(case.pk, officer=world.approver, approve=True).state == State.APPROVED
