"""Ratings (好差评): one per case after delivery, five levels; a bad rating opens a rectification
ticket (call back within 1 working day, rectify within 15, one follow-up rating); overdue steps
raise yellow cards; a malicious rating can be appealed and the supervision office rules."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approvals.cases import services
from approvals.cases.exceptions import Conflict
from approvals.notifications.models import Notification
from approvals.supervision import ratings
from approvals.supervision.models import Card, Rating, RectificationTicket
from approvals.supervision.sweep import run_sweep
from tests.supervision.supervision_world import accepted_on

pytestmark = pytest.mark.django_db


def delivered(world, on_day, day=date(2026, 9, 16)):
    case = accepted_on(world, on_day, day)
    services.decide(case.pk, officer=world.approver, approve=True)
    services.issue_licence(case.pk, officer=world.reviewer)
    return services.deliver(case.pk, officer=world.reviewer, method="window")


def test_one_rating_per_case_after_delivery(world, on_day):
    open_case = accepted_on(world, on_day, date(2026, 9, 16))
    with pytest.raises(Conflict):
        ratings.rate(open_case.pk, user=world.applicant, level=5)
    case = delivered(world, on_day)
    with pytest.raises(PermissionDenied):
        ratings.rate(case.pk, user=world.reviewer, level=5)
    for bad in (0, 6, "x", None, True, 2.5):
        with pytest.raises(ValidationError):
            ratings.rate(case.pk, user=world.applicant, level=bad)
    rating = ratings.rate(case.pk, user=world.applicant, level="5", comment="很快")
    assert (rating.level, rating.is_bad, rating.department_id) == (5, False, world.dept.pk)
    assert not RectificationTicket.objects.exists()
    with pytest.raises(ValidationError) as err:
        ratings.rate(case.pk, user=world.applicant, level=1)
    assert err.value.error_dict["case"][0].code == "already_rated"


def test_a_bad_rating_opens_a_ticket_that_runs_to_a_follow_up(world, on_day):
    case = delivered(world, on_day)
    on_day.set(date(2026, 9, 18))
    rating = ratings.rate(case.pk, user=world.applicant, level=2, comment="跑了三趟")
    ticket = RectificationTicket.objects.get(rating=rating)
    assert (ticket.callback_due, ticket.fix_due) == (date(2026, 9, 20), date(2026, 10, 15))
    assert Notification.objects.filter(recipient=world.head, event="bad_rating").exists()
    with pytest.raises(Conflict):
        ratings.rectify(ticket.pk, officer=world.reviewer, note="先整改")
    ratings.call_back(ticket.pk, officer=world.reviewer, note="已电话回访，申请人反映材料清单不清楚")
    ratings.rectify(ticket.pk, officer=world.head, note="更新材料清单并培训窗口人员")
    with pytest.raises(PermissionDenied):
        ratings.follow_up(ticket.pk, user=world.head, level=5)
    done = ratings.follow_up(ticket.pk, user=world.applicant, level=4, comment="改进了")
    assert (done.state, done.follow_up_level) == ("closed", 4)
    with pytest.raises(Conflict):
        ratings.follow_up(ticket.pk, user=world.applicant, level=5)  # only one follow-up rating


def test_overdue_call_back_and_rectification_raise_yellow_cards(world, on_day):
    case = delivered(world, on_day)
    on_day.set(date(2026, 9, 18))
    ticket = ratings.rate(case.pk, user=world.applicant, level=1).ticket
    for day in (date(2026, 9, 20), date(2026, 9, 21), date(2026, 9, 22), date(2026, 10, 15), date(2026, 10, 16)):
        run_sweep(day)
    callback, = Card.objects.filter(rule="rectification_callback")
    fix, = Card.objects.filter(rule="rectification_fix")
    assert (callback.ticket_id, callback.detected_on, callback.limit_date) == (ticket.pk, date(2026, 9, 21), date(2026, 9, 20))
    assert (fix.ticket_id, fix.detected_on, fix.case_id) == (ticket.pk, date(2026, 10, 16), case.pk)


def test_a_malicious_rating_is_appealed_and_ruled_on(world, on_day):
    case = delivered(world, on_day)
    rating = ratings.rate(case.pk, user=world.applicant, level=1, comment="骂人的话")
    with pytest.raises(PermissionDenied):
        ratings.appeal(rating.pk, officer=world.supervisor, reason="恶意差评，内容与办件无关。")
    ratings.appeal(rating.pk, officer=world.head, reason="评价内容为辱骂，与办件服务无关。")
    with pytest.raises(ValidationError):
        ratings.appeal(rating.pk, officer=world.head, reason="再次申诉同一条评价，应被拒绝。")
    with pytest.raises(PermissionDenied):
        ratings.rule_appeal(rating.pk, supervisor=world.head, malicious=True, ruling="自己裁决")
    ruled = ratings.rule_appeal(rating.pk, supervisor=world.supervisor, malicious=True, ruling="经核查属恶意差评")
    assert ruled.appeal == Rating.Appeal.UPHELD and not ruled.counts
    assert RectificationTicket.objects.get(rating=rating).state == "void"
    with pytest.raises(Conflict):
        ratings.rule_appeal(rating.pk, supervisor=world.supervisor, malicious=False, ruling="改判")


def test_a_rejected_appeal_keeps_the_rating_and_ticket(world, on_day):
    case = delivered(world, on_day)
    rating = ratings.rate(case.pk, user=world.applicant, level=2)
    ratings.appeal(rating.pk, officer=world.reviewer, reason="申请人不满意收费标准，非服务问题。")
    ruled = ratings.rule_appeal(rating.pk, supervisor=world.supervisor, malicious=False, ruling="评价反映真实感受")
    assert ruled.appeal == Rating.Appeal.REJECTED and ruled.counts
    assert RectificationTicket.objects.get(rating=rating).state == "open"
