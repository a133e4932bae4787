"""Prompts, yellow and red cards for the decision clocks fire exactly once, on the right working
day, across the 2026 Mid-Autumn and National Day holidays (09-25, 10-01 … 10-07; 09-20 and 10-10
are make-up working days)."""

from datetime import date

import pytest

from approvals.cases import services
from approvals.supervision.models import Card, SweepRun
from approvals.supervision.sweep import run_sweep
from tests.supervision.supervision_world import accepted_on, cards_of, sweep_days

pytestmark = pytest.mark.django_db


def test_prompt_yellow_and_red_each_fire_once_on_their_working_day(world, on_day):
    case = accepted_on(world, on_day, date(2026, 9, 16))
    assert (case.decision_due_promised, case.decision_due_statutory) == (date(2026, 9, 30), date(2026, 10, 20))

    sweep_days(on_day, date(2026, 9, 16), date(2026, 10, 23))

    cards = cards_of(case)
    assert set(cards) == {("prompt", "promised_limit"), ("yellow", "promised_limit"), ("red", "statutory_limit")}
    assert all(len(v) == 1 for v in cards.values())
    prompt, = cards[("prompt", "promised_limit")]
    yellow, = cards[("yellow", "promised_limit")]
    red, = cards[("red", "statutory_limit")]
    # The working day before Wed 09-30 is Tue 09-29.
    assert prompt.detected_on == date(2026, 9, 29) and prompt.limit_date == date(2026, 9, 30)
    # 09-30 passes; 10-01 … 10-07 are holidays, so the first working day over is Thu 10-08.
    assert (yellow.detected_on, yellow.working_days_over, yellow.limit_days) == (date(2026, 10, 8), 1, 10)
    assert (red.detected_on, red.working_days_over, red.limit_days) == (date(2026, 10, 21), 1, 20)
    assert red.department_id == world.dept.pk and red.subject_type == "case" and red.subject_id == case.pk


def test_prompt_on_the_last_working_day_before_a_holiday(world, on_day):
    case = accepted_on(world, on_day, date(2026, 9, 17))
    assert case.decision_due_promised == date(2026, 10, 8)

    sweep_days(on_day, date(2026, 9, 28), date(2026, 10, 9))

    prompt, = cards_of(case)[("prompt", "promised_limit")]
    assert prompt.detected_on == date(2026, 9, 30)  # before the National Day holiday
    yellow, = cards_of(case)[("yellow", "promised_limit")]
    assert yellow.detected_on == date(2026, 10, 9)


def test_a_weekend_after_the_due_date_is_not_counted_as_over(world, on_day):
    case = accepted_on(world, on_day, date(2026, 11, 6))
    assert case.decision_due_promised == date(2026, 11, 20)  # a Friday

    sweep_days(on_day, date(2026, 11, 20), date(2026, 11, 22))
    assert ("yellow", "promised_limit") not in cards_of(case)  # due day, Saturday, Sunday
    sweep_days(on_day, date(2026, 11, 23), date(2026, 11, 24))
    yellow, = cards_of(case)[("yellow", "promised_limit")]
    assert (yellow.detected_on, yellow.working_days_over) == (date(2026, 11, 23), 1)


def test_a_late_first_sweep_records_every_working_day_over(world, on_day):
    case = accepted_on(world, on_day, date(2026, 11, 4))
    assert case.decision_due_promised == date(2026, 11, 18)  # Wednesday
    run_sweep(date(2026, 11, 22))  # first sweep after the due: a Sunday
    yellow, = cards_of(case)[("yellow", "promised_limit")]
    assert (yellow.detected_on, yellow.working_days_over) == (date(2026, 11, 22), 2)  # Thu, Fri


def test_decided_cases_get_no_new_clock_cards_but_late_decisions_are_red(world, on_day):
    on_time = accepted_on(world, on_day, date(2026, 9, 16))
    late = accepted_on(world, on_day, date(2026, 9, 16))
    on_day.set(date(2026, 9, 28))
    services.decide(on_time.pk, officer=world.approver, approve=True)
    on_day.set(date(2026, 10, 22))
    services.decide(late.pk, officer=world.approver, approve=True)  # statutory due was 10-20

    run_sweep(date(2026, 10, 22))

    assert cards_of(on_time) == {}
    red, = cards_of(late)[("red", "statutory_limit")]
    assert (red.limit_date, red.working_days_over) == (date(2026, 10, 20), 2)
    assert ("yellow", "promised_limit") not in cards_of(late)  # never seen open while overdue


def test_the_sweep_run_is_recorded_with_its_counts(world, on_day):
    accepted_on(world, on_day, date(2026, 9, 16))
    run = run_sweep(date(2026, 10, 21))
    assert run.finished_at is not None
    assert run.counts["promised_limit"] == 1 and run.counts["statutory_limit"] == 1
    assert SweepRun.objects.count() == 1
    assert Card.objects.filter(sweep_run=run).count() == 2
