"""After the decision: the rating (好差评) form appears once the case is delivered, takes one
rating, and the complaint form files a real-name complaint; errors are specific."""

from __future__ import annotations

import pytest

from approvals.cases import services
from approvals.supervision.models import Complaint, Rating
from tests import factories

pytestmark = pytest.mark.django_db


def delivered(world):
    case = world.in_review()
    services.decide(case.pk, officer=world.approver, approve=True)
    services.issue_licence(case.pk, officer=world.approver)
    return services.deliver(case.pk, officer=world.approver, method="electronic")


def test_rating_is_offered_after_delivery_once(client, world):
    client.force_login(world.applicant)
    open_case = world.submitted()
    assert not client.get(f"/my/cases/{open_case.case_no}/").context["feedback"]["can_rate"]
    case = delivered(world)
    url = f"/my/cases/{case.case_no}/"
    assert client.get(url).context["feedback"]["can_rate"]
    missing = client.post(f"{url}rate/", {"comment": "好"})
    assert missing.status_code == 200
    assert missing.context["feedback"]["rating_form"].errors["level"] == [
        "Choose a level from 1 (very dissatisfied) to 5 (very satisfied)."
    ]
    assert client.post(f"{url}rate/", {"level": "2", "comment": "等太久"}).status_code == 302
    rating = Rating.objects.get(case=case)
    assert (rating.level, rating.comment, rating.rater) == (2, "等太久", world.applicant)
    page = client.get(url)
    assert not page.context["feedback"]["can_rate"] and 'data-rating="2"' in page.content.decode()
    client.post(f"{url}rate/", {"level": "5"})
    assert Rating.objects.get(case=case).level == 2


def test_a_complaint_is_filed_in_the_applicants_name(client, world):
    client.force_login(world.applicant)
    case = world.submitted()
    url = f"/my/cases/{case.case_no}/complain/"
    empty = client.post(url, {"subject": "窗口态度"})
    assert empty.context["feedback"]["complaint_form"].errors["description"] == ["This field is required."]
    assert client.post(url, {"subject": "窗口态度", "description": "电话无人接听"}).status_code == 302
    complaint = Complaint.objects.get(case=case)
    assert complaint.complainant == world.applicant and complaint.real_name
    assert complaint.complainant_name == world.applicant.citizen_profile.real_name


def test_another_user_can_neither_rate_nor_complain_through_the_case_page(client, world):
    case = delivered(world)
    client.force_login(factories.citizen())
    assert client.post(f"/my/cases/{case.case_no}/rate/", {"level": "1"}).status_code == 404
    assert client.post(f"/my/cases/{case.case_no}/complain/", {"subject": "x", "description": "y"}).status_code == 404
    assert not Rating.objects.exists() and not Complaint.objects.exists()
