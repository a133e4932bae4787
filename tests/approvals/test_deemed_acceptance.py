"""Art. 32: a submitted case left undecided past the 5th working day is deemed accepted as of
its receipt date, flagged as a violation; exactly the overdue cases, set-based, idempotent."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.cases import clock, services, tasks
from approvals.models import Case, State, TransitionLog
from approvals.supervision import calendar


def _submitted_on(world, on_day, day):
    on_day.set(day)
    return world.submitted()


def test_exactly_the_overdue_cases_are_deemed_accepted_across_national_day(world, on_day):
    cases = {day: _submitted_on(world, on_day, day) for day in (
        date(2026, 9, 24),  # intake due Fri 10-09 (09-25 and 10-01…07 are holidays)
        date(2026, 9, 28),  # intake due Sat 10-10, a make-up working day
        date(2026, 9, 29),  # intake due Mon 10-12
        date(2026, 9, 30),  # intake due Tue 10-13
    )}
    assert [c.intake_due for c in cases.values()] == [
        date(2026, 10, 9), date(2026, 10, 10), date(2026, 10, 12), date(2026, 10, 13)
    ]
    decided = _submitted_on(world, on_day, date(2026, 9, 21))
    services.accept(decided.pk, officer=world.front_desk)

    on_day.set(date(2026, 10, 11))
    result = services.sweep_intake_deadlines()
    assert result == {"deemed_accepted": 2, "pledges_expired": 0, "skipped": 0}

    for day, case in cases.items():
        case.refresh_from_db()
        if day <= date(2026, 9, 28):
            assert case.state == State.ACCEPTED
            assert case.deemed_accepted
            assert case.accepted_on == day
            assert case.decision_due_statutory == calendar.add_working_days(day, 20)
            assert {k: getattr(case, k) for k in clock.CLOCK_FIELDS} == clock.expected(case)
            log = TransitionLog.objects.get(case=case, command="deem_accepted")
            assert (log.from_state, log.to_state, log.actor) == ("submitted", "accepted", None)
            assert log.details["violation"] == "deemed_acceptance"
        else:
            assert case.state == State.SUBMITTED
            assert not TransitionLog.objects.filter(case=case, command="deem_accepted").exists()
    assert not TransitionLog.objects.filter(case=decided, command="deem_accepted").exists()


def test_a_case_due_today_is_not_yet_deemed_accepted(world, on_day):
    due_saturday = _submitted_on(world, on_day, date(2026, 9, 28))  # intake due Sat 10-10 (make-up day)
    due_monday = _submitted_on(world, on_day, date(2026, 9, 29))  # intake due Mon 10-12
    due_tuesday = _submitted_on(world, on_day, date(2026, 9, 30))  # intake due Tue 10-13
    on_day.set(date(2026, 10, 12))  # the front desk still has all of Monday 10-12
    assert services.sweep_intake_deadlines()["deemed_accepted"] == 1
    states = lambda: [Case.objects.get(pk=c.pk).state for c in (due_saturday, due_monday, due_tuesday)]  # noqa: E731
    assert states() == [State.ACCEPTED, State.SUBMITTED, State.SUBMITTED]
    on_day.set(date(2026, 10, 13))
    assert services.sweep_intake_deadlines()["deemed_accepted"] == 1
    assert states() == [State.ACCEPTED, State.ACCEPTED, State.SUBMITTED]
    assert Case.objects.get(pk=due_monday.pk).accepted_on == date(2026, 9, 29)


def test_running_twice_changes_nothing_more(world, on_day):
    case = _submitted_on(world, on_day, date(2026, 9, 18))
    on_day.set(date(2026, 10, 30))
    assert services.sweep_intake_deadlines()["deemed_accepted"] == 1
    assert services.sweep_intake_deadlines()["deemed_accepted"] == 0
    assert TransitionLog.objects.filter(case=case, command="deem_accepted").count() == 1


def test_resubmitted_case_is_deemed_accepted_as_of_completion(world, on_day):
    case = _submitted_on(world, on_day, date(2026, 9, 18))
    services.request_correction(
        case.pk, officer=world.front_desk, problems=[{"material_code": "M01", "reason": "模糊", "expected": "清晰"}]
    )
    on_day.set(date(2026, 9, 22))
    from .conftest import pdf

    services.attach_material(case.pk, user=world.applicant, requirement_code="M01", upload=pdf())
    services.resubmit(case.pk, user=world.applicant)
    on_day.set(date(2026, 10, 30))
    services.sweep_intake_deadlines()
    case.refresh_from_db()
    assert (case.state, case.accepted_on) == (State.ACCEPTED, date(2026, 9, 22))


def test_sweep_query_count_does_not_grow_with_the_number_of_cases(world, on_day):
    def sweep_queries(n):
        for _ in range(n):
            _submitted_on(world, on_day, date(2026, 9, 18))
        on_day.set(date(2026, 10, 30))
        with CaptureQueriesContext(connection) as ctx:
            assert services.sweep_intake_deadlines()["deemed_accepted"] == n
        return len(ctx.captured_queries)

    assert sweep_queries(2) == sweep_queries(7)


def test_celery_task_runs_the_sweep(world, on_day):
    case = _submitted_on(world, on_day, date(2026, 9, 18))
    on_day.set(date(2026, 10, 30))
    tasks.sweep_intake_deadlines.delay()
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED
