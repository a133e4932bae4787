"""Who holds a single-department case, through HTTP: an officer of the department claims it
(``POST /api/v1/cases/{case_no}/claim/``), the department head reassigns it with a reason
(``.../reassign/``, ``to_user`` an officer's id). Another job may not reassign (403); an unknown
officer is a 400 on ``to_user``. Both routes come from the command table."""

from __future__ import annotations

from approvals.models import Case, CaseAssignment, State

from .test_cases_api_commands import api, command


def _held_by(case) -> int | None:
    return Case.objects.values_list("assignee_id", flat=True).get(pk=case.pk)


def test_a_department_officer_claims_an_unassigned_case(world):
    case = world.accepted()
    response = command(world.reviewer, case.case_no, "claim")
    assert response.status_code == 200, response.data
    assert response.data["case_no"] == case.case_no and response.data["state"] == State.ACCEPTED
    assert _held_by(case) == world.reviewer.pk
    assert CaseAssignment.objects.filter(case=case, command="claim", to_user=world.reviewer).exists()


def test_the_head_reassigns_a_case_with_a_reason(world):
    case = world.in_review()
    assert command(world.reviewer, case.case_no, "claim").status_code == 200
    response = command(world.head, case.case_no, "reassign", {"to_user": world.approver.pk, "reason": "休假"})
    assert response.status_code == 200, response.data
    assert response.data["state"] == State.IN_REVIEW
    assert _held_by(case) == world.approver.pk
    entry = CaseAssignment.objects.get(case=case, command="reassign")
    assert (entry.actor_id, entry.from_user_id, entry.to_user_id, entry.reason) == (
        world.head.pk, world.reviewer.pk, world.approver.pk, "休假"
    )


def test_a_reviewer_may_not_reassign(world):
    case = world.in_review()
    response = command(world.reviewer, case.case_no, "reassign", {"to_user": world.approver.pk, "reason": "休假"})
    assert response.status_code == 403
    assert _held_by(case) is None
    assert not CaseAssignment.objects.filter(case=case).exists()


def test_an_unknown_officer_is_a_400_on_to_user(world):
    case = world.in_review()
    response = command(world.head, case.case_no, "reassign", {"to_user": 999999, "reason": "休假"})
    assert response.status_code == 400
    assert set(response.data) == {"to_user"}
    # Someone who is not an officer of the department: the service names the same field.
    response = command(world.head, case.case_no, "reassign", {"to_user": world.front_desk.pk, "reason": "休假"})
    assert response.status_code == 400
    assert set(response.data) == {"to_user"}
    assert _held_by(case) is None


def test_the_schema_documents_claim_and_reassign(world):
    paths = api(world.head).get("/api/schema/", {"format": "json"}).json()["paths"]
    claim = paths["/api/v1/cases/{case_no}/claim/"]["post"]
    assert claim["operationId"] == "v1_cases_claim" and "requestBody" not in claim
    reassign = paths["/api/v1/cases/{case_no}/reassign/"]["post"]
    assert reassign["operationId"] == "v1_cases_reassign"
    assert {"200", "400", "403", "404", "409"} <= set(reassign["responses"])
    body = reassign["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/CaseReassignCaseInput")
