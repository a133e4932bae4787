"""Ratings, rectification, complaints and cards enter the report from the supervision records."""

import datetime as dt
from datetime import date

import pytest

from approvals.cases import clock
from approvals.supervision.models import Card, Complaint, Rating, RectificationTicket
from approvals.supervision.reports import measures
from approvals.supervision.reports.periods import Period

SEPTEMBER = Period.month(2026, 9)


def at(day: date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=clock.SHANGHAI)


def test_ratings_complaints_and_cards_by_item_and_department(month):
    cases, dept = month.cases, month.world.dept
    applicant = month.world.applicant

    def rate(case, level, day, appeal=""):
        return Rating.objects.create(
            case=case, department=dept, rater=applicant, level=level, rated_at=at(day), rated_on=day, appeal=appeal
        )

    rate(cases["A"], 5, date(2026, 9, 8))
    rate(cases["B"], 4, date(2026, 9, 9))
    bad = rate(cases["G"], 1, date(2026, 9, 10))
    rate(cases["C"], 1, date(2026, 9, 23), appeal="upheld")  # ruled malicious: not counted
    RectificationTicket.objects.create(
        rating=bad, case=cases["G"], department=dept, opened_on=date(2026, 9, 10), callback_due=date(2026, 9, 11),
        fix_due=date(2026, 9, 30), state="fixed", fixed_at=at(date(2026, 9, 20)),
    )
    Complaint.objects.create(
        number="TS-1", source="applicant", department=dept, case=cases["A"], subject="慢", description="……",
        received_at=at(date(2026, 9, 15)), received_on=date(2026, 9, 15), intake_due=date(2026, 9, 22),
    )
    Complaint.objects.create(  # about the department, no case: only in the department view
        number="TS-2", source="public", department=dept, subject="态度", description="……",
        received_at=at(date(2026, 9, 16)), received_on=date(2026, 9, 16), intake_due=date(2026, 9, 23),
    )
    for kind, rule, subject in (("yellow", "promised_limit", cases["C"]), ("red", "deemed_acceptance", cases["F"]),
                                ("prompt", "promised_limit", cases["A"])):
        Card.objects.create(
            kind=kind, rule=rule, subject_type="case", subject_id=subject.pk, case=subject, department=dept,
            detected_on=date(2026, 9, 21), raised_at=at(date(2026, 9, 21)),
        )
    item = {r["code"]: r for r in measures.aggregate(SEPTEMBER, measures.BY_ITEM)}[month.world.version.item.code]
    assert (item["ratings"], item["good_ratings"], item["bad_ratings"]) == (3, 2, 1)
    assert item["good_rating_rate"] == pytest.approx(2 / 3)
    assert item["rectified"] == 1 and item["rectification_rate"] == pytest.approx(1.0)
    assert item["complaints"] == 1
    assert (item["cards"], item["yellow_cards"], item["red_cards"]) == (2, 1, 1)  # a prompt is not a card
    department = {r["code"]: r for r in measures.aggregate(SEPTEMBER, measures.BY_DEPARTMENT)}[dept.code]
    assert department["complaints"] == 2
    other = {r["code"]: r for r in measures.aggregate(SEPTEMBER, measures.BY_DEPARTMENT)}[month.dept2.code]
    assert other["ratings"] == 0 and other["good_rating_rate"] is None


def test_a_fix_after_the_period_does_not_count_in_it(month):
    dept = month.world.dept
    bad = Rating.objects.create(
        case=month.cases["A"], department=dept, rater=month.world.applicant, level=2,
        rated_at=at(date(2026, 9, 29)), rated_on=date(2026, 9, 29),
    )
    RectificationTicket.objects.create(
        rating=bad, case=month.cases["A"], department=dept, opened_on=date(2026, 9, 29),
        callback_due=date(2026, 9, 30), fix_due=date(2026, 10, 23), state="fixed", fixed_at=at(date(2026, 10, 9)),
    )
    total = measures.totals(measures.aggregate(SEPTEMBER, measures.BY_DEPARTMENT), supervision=True)
    assert (total["bad_ratings"], total["rectified"], total["rectification_rate"]) == (1, 0, 0)
