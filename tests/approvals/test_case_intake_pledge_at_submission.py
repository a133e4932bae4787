"""容缺受理 from the applicant's side: a pledgeable material may be missing at submission; the
front desk may not simply accept such an application, but accepts it with a pledge (or asks for
the material in the one correction notice)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from approvals.cases import services
from approvals.models import State

pytestmark = pytest.mark.django_db


def test_missing_pledgeable_material_does_not_block_submission_but_blocks_plain_acceptance(world, on_day):
    case = world.complete(world.new_case(), codes=("M01",))  # M02 (pledgeable) not supplied
    case = services.submit(case.pk, user=world.applicant, pledge_declared=True)
    assert case.state == State.SUBMITTED
    with pytest.raises(ValidationError) as exc:
        services.accept(case.pk, officer=world.front_desk)
    assert set(exc.value.message_dict) == {"materials.M02"}
    case.refresh_from_db()
    assert case.state == State.SUBMITTED and case.log.count() == 1

    case = services.accept_with_pledge(
        case.pk, officer=world.front_desk, pledged_material_codes=["M02"], pledge_due=date(2026, 9, 23)
    )
    assert case.state == State.ACCEPTED_WITH_PLEDGE
    assert case.pledge.material_codes == ["M02"]


def test_missing_required_material_still_blocks_submission(world, on_day):
    case = world.complete(world.new_case(), codes=("M02",))
    with pytest.raises(ValidationError) as exc:
        services.submit(case.pk, user=world.applicant)
    assert set(exc.value.message_dict) == {"materials.M01"}
