"""Red cards for broken rules, detected from the data: deemed acceptance by silence, a refusal
without reasons, a second correction notice in one intake, an illegal fee, an online item handled
at the window without a reason. Each fires once; the lawful twin of each case gets nothing."""

from datetime import date

import pytest

from approvals.cases import clock, services
from approvals.models import Case, TransitionLog
from approvals.supervision import cards
from approvals.supervision.sweep import run_sweep
from tests import factories
from tests.supervision.supervision_world import STANDARD_REMEDIES, accepted_on, cards_of

pytestmark = pytest.mark.django_db


def _red(case) -> set[str]:
    return {rule for (kind, rule) in cards_of(case) if kind == "red"}


def test_deemed_acceptance_by_silence_is_a_red_card(world, on_day):
    on_day.set(date(2026, 11, 2))
    silent = world.submitted()
    answered = world.submitted()
    services.accept(answered.pk, officer=world.front_desk)
    on_day.set(date(2026, 11, 10))  # intake due (5 working days) was 11-09
    services.sweep_intake_deadlines()
    run_sweep(date(2026, 11, 10))
    run_sweep(date(2026, 11, 11))

    assert _red(silent) == {"deemed_acceptance"}
    card, = cards_of(silent)[("red", "deemed_acceptance")]
    assert (card.limit_date, card.working_days_over) == (date(2026, 11, 9), 1)
    assert _red(answered) == set()


def test_a_refusal_whose_reasons_were_removed_is_a_red_card(world, on_day):
    bad = accepted_on(world, on_day, date(2026, 11, 2))
    good = accepted_on(world, on_day, date(2026, 11, 2))
    for case in (bad, good):
        services.decide(case.pk, officer=world.approver, approve=False, reasons="不符合条件", remedies=STANDARD_REMEDIES)
    Case.objects.filter(pk=bad.pk).update(reasons="  ")  # an admin edit / imported record
    run_sweep(date(2026, 11, 3))
    run_sweep(date(2026, 11, 4))
    assert _red(bad) == {"refusal_without_reasons"}
    assert _red(good) == set()


def test_a_second_correction_notice_in_one_intake_is_a_red_card(world, on_day):
    on_day.set(date(2026, 11, 2))
    once, twice = world.submitted(), world.submitted()
    problems = [{"material_code": "M01", "reason": "模糊", "expected": "清晰扫描件"}]
    for case in (once, twice):
        services.request_correction(case.pk, officer=world.front_desk, problems=problems)
    # Imported from the old system: a second notice in the same round (the service refuses one).
    TransitionLog.objects.create(
        case=twice, from_state="submitted", to_state="correction_requested", command="request_correction",
        actor=world.front_desk, at=clock.now(), round=1, details={"problems": problems},
    )
    run_sweep(date(2026, 11, 2))
    run_sweep(date(2026, 11, 3))
    assert _red(twice) == {"second_correction_notice"}
    assert _red(once) == set()


def test_a_fee_on_a_free_item_is_a_red_card_once(world, on_day):
    paid_version = factories.item_version(dept=world.dept, fee_required=True)
    on_day.set(date(2026, 11, 2))
    free_case = world.accepted()
    paid_case = services.create_case(
        user=world.applicant, item_code=paid_version.item.code, fields={"shop_name": "店", "area": "10"}
    )
    world.complete(paid_case)
    services.submit(paid_case.pk, user=world.applicant)
    for case in (free_case, paid_case):
        cards.record_fee(case.pk, officer=world.front_desk, amount="50.00", basis="工本费")
    cards.record_fee(free_case.pk, officer=world.front_desk, amount="20", basis="again")
    run_sweep(date(2026, 11, 2))
    run_sweep(date(2026, 11, 3))
    assert _red(free_case) == {"illegal_fee"}
    assert len(cards_of(free_case)[("red", "illegal_fee")]) == 1
    assert _red(paid_case) == set()


def test_a_window_case_of_an_online_item_needs_a_recorded_reason(world, on_day):
    on_day.set(date(2026, 11, 2))
    without = world.submitted(channel="window")
    with_reason = world.submitted(channel="window")
    online = world.submitted()
    cards.record_offline_reason(with_reason.pk, officer=world.front_desk, reason="申请人年逾八十，不会使用网上系统")
    for case in (without, with_reason, online):
        services.accept(case.pk, officer=world.front_desk)
    run_sweep(date(2026, 11, 2))
    assert _red(without) == {"offline_handling"}
    assert _red(with_reason) == set() and _red(online) == set()


def test_window_cases_of_items_not_offered_online_are_fine(world, on_day):
    offline_item = factories.item_version(dept=world.dept, channel_online=False)
    on_day.set(date(2026, 11, 2))
    case = services.create_case(
        user=world.applicant, item_code=offline_item.item.code, fields={"shop_name": "店", "area": "10"},
        channel="window",
    )
    world.complete(case)
    services.submit(case.pk, user=world.applicant)
    services.accept(case.pk, officer=world.front_desk)
    run_sweep(date(2026, 11, 2))
    assert _red(case) == set()
