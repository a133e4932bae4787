"""容缺: a pledge deadline missed terminates the case, with notice, by the periodic sweep."""

from datetime import date

from approvals.cases import services
from approvals.models import State, TransitionLog

from .conftest import pdf


def _pledged(world, on_day, due=date(2026, 9, 30), review=False):
    on_day.set(date(2026, 9, 18))
    case = world.submitted()
    services.request_correction(
        case.pk, officer=world.front_desk, problems=[{"material_code": "M02", "reason": "需原件", "expected": "原件"}]
    )
    services.attach_material(case.pk, user=world.applicant, requirement_code="M02", upload=pdf())
    services.resubmit(case.pk, user=world.applicant)
    case = services.accept_with_pledge(case.pk, officer=world.front_desk, pledged_material_codes=["M02"], pledge_due=due)
    if review:
        case = services.start_review(case.pk, officer=world.reviewer)
    return case


def test_missed_pledges_terminate_exactly_the_overdue_cases(world, on_day):
    overdue = _pledged(world, on_day, due=date(2026, 9, 29))
    overdue_in_review = _pledged(world, on_day, due=date(2026, 9, 29), review=True)
    on_time = _pledged(world, on_day, due=date(2026, 9, 30))
    supplied = _pledged(world, on_day, due=date(2026, 9, 29))
    services.attach_material(supplied.pk, user=world.applicant, requirement_code="M02", upload=pdf())

    on_day.set(date(2026, 9, 30))
    assert services.sweep_intake_deadlines()["pledges_expired"] == 2
    for case, state in ((overdue, State.TERMINATED), (overdue_in_review, State.TERMINATED),
                        (on_time, State.ACCEPTED_WITH_PLEDGE), (supplied, State.ACCEPTED_WITH_PLEDGE)):
        case.refresh_from_db()
        assert case.state == state
    log = TransitionLog.objects.get(case=overdue_in_review, command="expire_pledge")
    assert (log.from_state, log.to_state) == ("in_review", "terminated")
    assert log.details == {"reason": "pledge_missed", "pledged": ["M02"], "pledge_due": "2026-09-29", "notice": True}
    assert services.sweep_intake_deadlines()["pledges_expired"] == 0
    assert TransitionLog.objects.filter(command="expire_pledge").count() == 2
