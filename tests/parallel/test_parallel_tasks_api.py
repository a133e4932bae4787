"""The task API: a department's inbox (filters, due order, constant queries), one URL per command,
the task detail with what changed, and who holds a case (``/cases/{no}/tasks/``)."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from approvals.cases import services
from approvals.models import State
from approvals.parallel.models import DepartmentTask

from .conftest import build_joint_world, pdf


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(type(user).objects.get(pk=user.pk))  # a fresh user: nothing cached
    return client


@pytest.fixture
def stepped(db, on_day):
    return build_joint_world("all_agree", step_limits=(5, None))


def test_inbox_lists_the_department_tasks_by_due_date_with_constant_queries(stepped, django_assert_num_queries):
    w = stepped
    cases = [w.accepted() for _ in range(2)]
    client = client_for(w.cos[0].reviewer)
    with django_assert_num_queries(3):  # memberships, count, tasks with case, item, department, assignee
        small = client.get("/api/v1/tasks/").json()["results"]
    cases += [w.accepted() for _ in range(3)]
    client = client_for(w.cos[0].reviewer)
    with django_assert_num_queries(3):
        body = client.get("/api/v1/tasks/").json()["results"]
    assert len(small) == 2 and len(body) == 5
    assert {t["department_name"] for t in body} == {"消防救援支队"}
    assert [t["due"] for t in body] == sorted(t["due"] for t in body)
    assert body[0]["due"] == DepartmentTask.objects.get(pk=body[0]["id"]).due.isoformat()


def _cases(client, **params) -> list[str]:
    response = client.get("/api/v1/tasks/", params)
    assert response.status_code == 200
    return [t["case_no"] for t in response.json()["results"]]


def test_inbox_filters(stepped, on_day):
    w = stepped
    first = w.accepted()
    on_day.set(date(2026, 10, 12))
    w.accepted()
    client = client_for(w.cos[0].reviewer)
    w.take(first, w.cos[0])
    assert _cases(client, state="in_review") == [first.case_no]
    due = DepartmentTask.objects.get(case=first, department=w.cos[0].dept).due
    assert _cases(client, due_before=due.isoformat()) == [first.case_no]
    assert _cases(client, item="NOPE") == []
    assert len(_cases(client, item=w.version.item.code)) == 2
    assert client.get("/api/v1/tasks/", {"state": "bogus"}).status_code == 400


def test_commands_over_http_and_error_codes(joint):
    w = joint
    case = w.accepted()
    task = w.task(case, w.cos[0])
    officer = client_for(w.cos[0].reviewer)
    assert client_for(w.lead.reviewer).post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 404
    assert officer.post(f"/api/v1/tasks/{task.pk}/claim/").json()["state"] == "claimed"
    assert client_for(w.cos[0].approver).post(f"/api/v1/tasks/{task.pk}/start/").status_code == 403
    assert officer.post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 409
    assert officer.post(f"/api/v1/tasks/{task.pk}/start/").json()["state"] == "in_review"
    bad = officer.post(f"/api/v1/tasks/{task.pk}/disagree/", {"opinion": ""}, format="json")
    assert bad.status_code == 400 and "opinion" in bad.json()
    ok = officer.post(f"/api/v1/tasks/{task.pk}/agree-with-conditions/", {"conditions": "验收"}, format="json")
    assert ok.status_code == 200 and ok.json()["state"] == "agreed_with_conditions"


def test_applicant_sees_which_department_holds_the_case(joint):
    w = joint
    case = w.accepted()
    w.take(case, w.cos[1])
    body = client_for(w.applicant).get(f"/api/v1/cases/{case.case_no}/tasks/").json()
    assert {(t["department_name"], t["state"]) for t in body} == {
        ("市场监管局", "pending"), ("消防救援支队", "pending"), ("生态环境局", "in_review"),
    }
    assert "opinion" not in body[0]
    stranger = build_joint_world().applicant
    assert client_for(stranger).get(f"/api/v1/cases/{case.case_no}/tasks/").status_code == 404


def test_round_two_task_detail_shows_what_changed_and_earlier_rounds(joint):
    w = joint
    case = w.in_review()
    officer = client_for(w.cos[0].reviewer)
    task = w.task(case, w.cos[0])
    response = officer.post(
        f"/api/v1/tasks/{task.pk}/request-materials/",
        {"requests": [{"material_code": "M03", "reason": "缺平面图", "expected": "平面图"}]}, format="json",
    )
    assert response.status_code == 200
    services.attach_material(case.pk, user=w.applicant, requirement_code="M03", upload=pdf("plan.pdf"))
    resubmitted = client_for(w.applicant).post(f"/api/v1/cases/{case.case_no}/resubmit-supplement/")
    assert resubmitted.status_code == 200 and resubmitted.json()["state"] == State.IN_REVIEW
    assert resubmitted.json()["round"] == 2
    new_task = w.task(case, w.cos[0], round=2)
    detail = officer.get(f"/api/v1/tasks/{new_task.pk}/").json()
    assert [(m["requirement_code"], m["original_name"], m["round"]) for m in detail["changed_materials"]] == [
        ("M03", "plan.pdf", 2)
    ]
    assert sorted((t["round"], t["state"]) for t in detail["case_tasks"]) == [
        (1, "cancelled"), (1, "cancelled"), (1, "needs_materials"), (2, "pending"), (2, "pending"), (2, "pending"),
    ]


def test_attachment_upload(joint):
    w = joint
    case = w.in_review()
    task = w.task(case, w.lead)
    response = client_for(w.lead.reviewer).post(
        f"/api/v1/tasks/{task.pk}/attachments/", {"file": pdf("opinion.pdf")}, format="multipart"
    )
    assert response.status_code == 201 and response.json()["content_type"] == "pdf"
    detail = client_for(w.lead.reviewer).get(f"/api/v1/tasks/{task.pk}/").json()
    assert [a["original_name"] for a in detail["attachments"]] == ["opinion.pdf"]
