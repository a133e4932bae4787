"""The sweep is incremental and idempotent: a second run with nothing changed raises nothing,
sends nothing and costs a fixed handful of queries; new cards reach the department's handling
officers and head and the supervision office, once."""

from datetime import date

import pytest
from django_celery_beat.models import PeriodicTask

from approvals.cases import services
from approvals.notifications.models import Notification
from approvals.supervision.models import Card
from approvals.supervision.sweep import run_sweep
from tests.supervision.supervision_world import accepted_on

pytestmark = pytest.mark.django_db


def test_a_rerun_with_nothing_changed_raises_nothing_in_a_fixed_number_of_queries(
    world, on_day, django_assert_max_num_queries
):
    for _ in range(3):
        accepted_on(world, on_day, date(2026, 9, 16))
    first = run_sweep(date(2026, 10, 21))
    assert first.counts["promised_limit"] == 3 and first.counts["statutory_limit"] == 3
    cards = Card.objects.count()
    notifications = Notification.objects.count()

    with django_assert_max_num_queries(25):
        second = run_sweep(date(2026, 10, 21))
    assert set(second.counts.values()) == {0}
    assert Card.objects.count() == cards
    assert Notification.objects.count() == notifications

    for _ in range(5):  # more overdue cases: the statement count does not grow with them
        accepted_on(world, on_day, date(2026, 9, 16))
    with django_assert_max_num_queries(40):
        third = run_sweep(date(2026, 10, 21))
    assert third.counts["statutory_limit"] == 5


def test_cards_notify_the_department_and_the_supervision_office_once(world, on_day):
    case = accepted_on(world, on_day, date(2026, 9, 16))
    run_sweep(date(2026, 10, 21))
    run_sweep(date(2026, 10, 22))

    digests = Notification.objects.filter(event="supervision_cards", channel="in_app")
    assert sorted(digests.values_list("recipient_id", flat=True)) == sorted(
        [world.reviewer.pk, world.approver.pk, world.head.pk]
    )
    assert all(case.case_no in n.body for n in digests)
    summary = Notification.objects.filter(event="supervision_summary", channel="in_app")
    assert sorted(summary.values_list("recipient_id", flat=True)) == sorted([world.supervisor.pk, world.supervisor2.pk])
    assert not Notification.objects.filter(recipient=world.front_desk).exists()
    head_msg = digests.get(recipient=world.head)
    assert "1 yellow card(s) and 1 red card(s)" in head_msg.body


def test_a_prompt_alone_is_not_sent_by_sms(world, on_day):
    world.head.phone = "13800138000"
    world.head.save()
    accepted_on(world, on_day, date(2026, 9, 16))
    run_sweep(date(2026, 9, 29))
    channels = set(Notification.objects.filter(recipient=world.head).values_list("channel", flat=True))
    assert channels == {"in_app"}  # no email address, and no SMS for a prompt
    run_sweep(date(2026, 10, 8))
    assert Notification.objects.filter(recipient=world.head, channel="sms", event="supervision_cards").count() == 1


def test_later_runs_of_a_day_catch_cases_made_overdue_by_a_logged_change(world, on_day):
    on_day.set(date(2026, 9, 16))
    case = world.submitted()  # nobody decides at intake; the intake sweep does not run for weeks
    on_day.set(date(2026, 10, 21), hour=9)
    first = run_sweep(date(2026, 10, 21))
    assert first.full_scan and sum(first.counts.values()) == 0
    services.sweep_intake_deadlines()  # deemed accepted as of 09-16: both decision dues are past
    second = run_sweep(date(2026, 10, 21))
    assert not second.full_scan
    assert second.counts["promised_limit"] == 1 and second.counts["statutory_limit"] == 1
    assert second.counts["deemed_acceptance"] == 1
    assert Card.objects.filter(case=case).count() == 3
    third = run_sweep(date(2026, 10, 21))
    assert sum(third.counts.values()) == 0 and third.log_from < third.log_to  # the overlap is re-read


def test_the_beat_schedule_runs_the_sweep_task(world, on_day):
    task = PeriodicTask.objects.get(task="approvals.supervision.tasks.run_supervision_sweep")
    assert task.enabled and task.crontab.minute == "*/15"
    from approvals.supervision.tasks import run_supervision_sweep

    accepted_on(world, on_day, date(2026, 9, 16))
    on_day.set(date(2026, 10, 21))
    counts = run_supervision_sweep()
    assert counts["promised_limit"] == 1 and counts["statutory_limit"] == 1
    assert run_supervision_sweep() == dict.fromkeys(counts, 0)
