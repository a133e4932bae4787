"""The complaints, ratings and rectification-ticket API: the public files a complaint without an
account, the office takes it through intake to reply and closure; the applicant rates a delivered
case and the department works the ticket; errors are 400/403/404/409; lists have fixed query counts."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from approvals.cases import services
from approvals.supervision.models import Complaint, RectificationTicket
from tests.supervision.supervision_world import accepted_on

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_public_files_a_complaint_and_the_office_handles_it(world, on_day):
    on_day.set(date(2026, 9, 18))
    case = world.submitted()
    anonymous = api()
    bad = anonymous.post("/api/v1/complaints/", {"subject": "", "description": ""}, format="json")
    assert bad.status_code == 400 and {"subject", "description", "department_id"} <= set(bad.json())
    created = anonymous.post(
        "/api/v1/complaints/",
        {"subject": "电话打不通", "description": "咨询电话一直无人接听", "case_no": case.case_no,
         "verification_code": case.verification_code, "real_name": True, "complainant_name": "李四",
         "contact_phone": "13900001111"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    cid = created.json()["id"]
    assert created.json()["intake_due"] == "2026-09-24"
    assert Complaint.objects.get(pk=cid).contact_phone == "13900001111"
    assert anonymous.get(f"/api/v1/complaints/{cid}/").status_code in (401, 403)

    office = api(world.supervisor)
    assert api(world.head).post(f"/api/v1/complaints/{cid}/decide-intake/", {"take_up": True}).status_code == 403
    assert office.post(f"/api/v1/complaints/{cid}/decide-intake/", {"take_up": True}, format="json").status_code == 200
    assert office.post(f"/api/v1/complaints/{cid}/decide-intake/", {"take_up": True}, format="json").status_code == 409
    assert office.post(f"/api/v1/complaints/{cid}/assign/", {"assigned_to": world.head.pk}).status_code == 200
    head = api(world.head)
    assert head.post(f"/api/v1/complaints/{cid}/notes/", {"text": "已调取通话记录"}).status_code == 200
    closing = office.post(f"/api/v1/complaints/{cid}/close/", {"outcome": "x"})
    assert closing.status_code == 400 and "reply" in closing.json()
    assert head.post(f"/api/v1/complaints/{cid}/reply/", {"text": "已增设专人接听咨询电话，感谢监督。"}).status_code == 200
    done = office.post(f"/api/v1/complaints/{cid}/close/", {"outcome": "属实，已整改"})
    assert done.status_code == 200 and done.json()["state"] == "closed"
    assert [n["text"] for n in done.json()["notes"]] == ["已调取通话记录"]


def test_complaint_list_is_scoped_and_has_a_fixed_query_count(world, on_day, django_assert_max_num_queries):
    on_day.set(date(2026, 9, 18))
    case = world.submitted()
    for _ in range(3):
        api(world.applicant).post(
            "/api/v1/complaints/", {"subject": "s", "description": "d", "case_no": case.case_no}, format="json"
        )
    with django_assert_max_num_queries(6):
        listed = api(world.supervisor).get("/api/v1/complaints/")
    assert listed.json()["count"] == 3
    assert api(world.applicant).get("/api/v1/complaints/").json()["count"] == 3
    assert api(world.front_desk).get("/api/v1/complaints/").json()["count"] == 0


def test_rating_and_ticket_through_the_api(world, on_day):
    case = accepted_on(world, on_day, date(2026, 9, 16))
    services.decide(case.pk, officer=world.approver, approve=True)
    services.issue_licence(case.pk, officer=world.reviewer)
    services.deliver(case.pk, officer=world.reviewer, method="electronic")
    applicant = api(world.applicant)
    assert applicant.post("/api/v1/ratings/", {"case_no": "nope", "level": 1}).status_code == 404
    assert applicant.post("/api/v1/ratings/", {"case_no": case.case_no, "level": 9}).status_code == 400
    rated = applicant.post("/api/v1/ratings/", {"case_no": case.case_no, "level": 2, "comment": "慢"}, format="json")
    assert rated.status_code == 201 and rated.json()["ticket"] is not None
    again = applicant.post("/api/v1/ratings/", {"case_no": case.case_no, "level": 5})
    assert again.status_code == 400
    tid = rated.json()["ticket"]
    reviewer = api(world.reviewer)
    assert reviewer.post(f"/api/v1/rectification-tickets/{tid}/rectify/", {"note": "x"}).status_code == 409
    assert reviewer.post(f"/api/v1/rectification-tickets/{tid}/call-back/", {"note": "已回访"}).status_code == 200
    assert reviewer.post(f"/api/v1/rectification-tickets/{tid}/rectify/", {"note": "已整改流程"}).status_code == 200
    follow = applicant.post(f"/api/v1/rectification-tickets/{tid}/follow-up/", {"level": 4})
    assert follow.status_code == 200 and follow.json()["state"] == "closed"
    assert RectificationTicket.objects.get(pk=tid).follow_up_level == 4
    rid = rated.json()["id"]
    appeal = reviewer.post(f"/api/v1/ratings/{rid}/appeal/", {"reason": "评价与本次办件无关，属恶意差评。"})
    assert appeal.status_code == 200 and appeal.json()["appeal"] == "pending"
    assert reviewer.post(f"/api/v1/ratings/{rid}/ruling/", {"malicious": True, "ruling": "x"}).status_code == 403
    ruled = api(world.supervisor).post(f"/api/v1/ratings/{rid}/ruling/", {"malicious": False, "ruling": "真实评价"})
    assert ruled.status_code == 200 and ruled.json()["appeal"] == "rejected"
