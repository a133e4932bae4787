"""Single-department cases on the pages: an officer claims an unassigned case, another officer's
claim is a 409, the head reassigns it (errors next to the field), and the inbox shows the assignee
and filters mine / unassigned / all."""

import re

from approvals.models import CaseAssignment


def _rows(page: str) -> set[str]:
    return set(re.findall(r'href="/workbench/cases/([^/"]+)/"', page))


def test_claim_then_reassign_through_the_case_page(world, client_for):
    case = world.accepted()
    url = f"/workbench/cases/{case.case_no}"
    reviewer, approver, head = (client_for(u) for u in (world.reviewer, world.approver, world.head))

    page = reviewer.get(f"{url}/").content.decode()
    assert 'id="btn-claim"' in page and 'id="btn-reassign"' not in page
    assert reviewer.post(f"{url}/act/claim/").status_code == 302
    case.refresh_from_db()
    assert case.assignee_id == world.reviewer.pk
    assert f'<p id="assignee">{world.reviewer.username}（' in reviewer.get(f"{url}/").content.decode()

    # Someone else holds it now: no claim button, and a forced claim is a conflict.
    assert 'id="btn-claim"' not in approver.get(f"{url}/").content.decode()
    conflict = approver.post(f"{url}/act/claim/")
    assert conflict.status_code == 409
    # Only the head sees the reassignment form, and only the head may use it.
    assert reviewer.post(f"{url}/act/reassign/", {"to_user": world.approver.pk, "reason": "调整"}).status_code == 403
    head_page = head.get(f"{url}/").content.decode()
    assert 'id="btn-reassign"' in head_page and f'<option value="{world.approver.pk}"' in head_page
    assert f'<option value="{world.front_desk.pk}"' not in head_page

    bad = head.post(f"{url}/act/reassign/", {"to_user": world.front_desk.pk, "reason": ""})
    body = bad.content.decode()
    assert bad.status_code == 400 and 'data-field="to_user"' in body and 'data-field="reason"' in body
    assert head.post(f"{url}/act/reassign/", {"to_user": world.approver.pk, "reason": "工作量调整"}).status_code == 302
    case.refresh_from_db()
    assert case.assignee_id == world.approver.pk
    assert list(CaseAssignment.objects.filter(case=case).values_list("command", "to_user_id")) == [
        ("claim", world.reviewer.pk), ("reassign", world.approver.pk),
    ]


def test_the_inbox_shows_the_assignee_and_filters_mine_unassigned_all(world, client_for):
    held = world.accepted()
    free = world.in_review()
    reviewer = client_for(world.reviewer)
    assert reviewer.post(f"/workbench/cases/{held.case_no}/act/claim/").status_code == 302

    everything = reviewer.get("/workbench/inbox/").content.decode()
    assert {held.case_no, free.case_no} <= _rows(everything)
    assert 'name="assigned"' in everything
    holders = sorted(re.findall(r'<td class="assignee">([^<]*)</td>', everything))
    # The holder by name, department and job (the factory's officers have no real name: their login).
    assert holders == sorted(["—", f"{world.reviewer.username}（{world.dept.name} · Reviewer）"])
    assert _rows(reviewer.get("/workbench/inbox/?assigned=mine").content.decode()) == {held.case_no}
    assert _rows(reviewer.get("/workbench/inbox/?assigned=unassigned").content.decode()) == {free.case_no}
    assert _rows(client_for(world.approver).get("/workbench/inbox/?assigned=mine").content.decode()) == set()


def test_the_inbox_query_count_does_not_grow_with_assigned_cases(world, client_for, django_assert_max_num_queries):
    reviewer = client_for(world.reviewer)
    for _ in range(3):
        case = world.accepted()
        reviewer.post(f"/workbench/cases/{case.case_no}/act/claim/")
    reviewer.get("/workbench/inbox/")  # warm the session and the user
    with django_assert_max_num_queries(8) as captured:
        reviewer.get("/workbench/inbox/")
    few = len(captured)
    for _ in range(3):
        case = world.accepted()
        reviewer.post(f"/workbench/cases/{case.case_no}/act/claim/")
    with django_assert_max_num_queries(few):
        reviewer.get("/workbench/inbox/")
