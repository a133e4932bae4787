"""A department's work on the pages: review, special procedure, extension approved by the head,
a decision drafted from the item's template, the licence and its delivery; and a joint item's
department tasks. Each step issues its document and tells the applicant."""

from approvals.documents.models import OfficialDocument
from approvals.models import State
from approvals.notifications.models import Notification
from approvals.workbench.models import DecisionTemplate
from tests.parallel.conftest import build_joint_world


def _kinds(case):
    return list(OfficialDocument.objects.filter(case=case).order_by("pk").values_list("kind", flat=True))


def test_single_department_case_from_review_to_delivery(world, client_for, on_day, committed):
    DecisionTemplate.objects.create(
        item=world.version.item, approve_text="准予$shop_name（办件$case_no）按核定项目经营。",
        refuse_text="$shop_name 不符合条件。",
    )
    with committed():
        case = world.accepted()
    url = f"/workbench/cases/{case.case_no}"
    reviewer, approver, head = (client_for(u) for u in (world.reviewer, world.approver, world.head))
    assert reviewer.post(f"{url}/act/start_review/").status_code == 302
    # Special procedure: started, then ended.
    response = reviewer.post(f"{url}/act/start_special_procedure/",
                             {"kind": "inspection", "start": "2026-09-18", "expected_days": "99", "reason": "现场核查"})
    assert response.status_code == 400 and 'data-field="expected_days"' in response.content.decode()
    assert reviewer.post(f"{url}/act/start_special_procedure/",
                         {"kind": "inspection", "start": "2026-09-18", "expected_days": "5", "reason": "现场核查"}
                         ).status_code == 302
    on_day.set(on_day.today.replace(day=22))
    assert reviewer.post(f"{url}/act/end_special_procedure/", {"end": "2026-09-21"}).status_code == 302
    # Extension: requested by the reviewer, approved by the head (a reviewer may not).
    assert reviewer.post(f"{url}/act/request_extension/", {"days": "5", "reason": "情况复杂"}).status_code == 302
    assert reviewer.post(f"{url}/act/approve_extension/").status_code == 403
    assert case.case_no in head.get("/workbench/extensions/").content.decode()
    assert head.post(f"{url}/act/approve_extension/", {"note": "同意"}).status_code == 302
    # The decision form is drafted from the item's template.
    page = approver.get(f"{url}/").content.decode()
    assert f"准予老王面馆（办件{case.case_no}）按核定项目经营。" in page
    refuse = approver.post(f"{url}/act/decide/", {"approve": "refuse", "reasons": "", "remedies": ""})
    assert refuse.status_code == 400 and 'data-field="reasons"' in refuse.content.decode()
    assert approver.post(f"{url}/act/decide/", {
        "approve": "approve", "conditions": "按核定项目经营。", "reasons": "", "remedies": "",
    }).status_code == 302
    assert reviewer.post(f"{url}/act/issue_licence/", {"licence_no": ""}).status_code == 302
    bad = reviewer.post(f"{url}/act/deliver/", {"method": "post", "tracking_no": ""})
    assert bad.status_code == 400 and 'data-field="tracking_no"' in bad.content.decode()
    assert reviewer.post(f"{url}/act/deliver/", {"method": "post", "tracking_no": "EMS123"}).status_code == 302
    case.refresh_from_db()
    assert (case.state, case.tracking_no, case.conditions) == (State.DELIVERED, "EMS123", "按核定项目经营。")
    assert _kinds(case) == [
        "acceptance_receipt", "special_procedure_notice", "extension_notice", "approval_decision", "licence",
    ]
    decision = OfficialDocument.objects.get(case=case, kind="approval_decision")
    assert decision.context["conditions"] == "按核定项目经营。"
    events = set(Notification.objects.filter(recipient=world.applicant, channel="in_app").values_list("event", flat=True))
    assert {"case_accepted", "special_procedure_started", "extension_approved", "case_approved", "licence_issued",
            "case_status_changed"} <= events
    assert Notification.objects.filter(recipient=world.head, event="task_assigned").count() == 2  # case + extension


def test_joint_case_tasks_through_the_pages(db, on_day, client_for, committed):
    joint = build_joint_world("all_agree")
    with committed():
        case = joint.accepted()
    # Every department was told of its task.
    for dept in joint.depts:
        assert Notification.objects.filter(recipient=dept.reviewer, event="task_assigned").exists()
    for dept in joint.depts:
        c = client_for(dept.reviewer)
        listing = c.get("/workbench/tasks/").content.decode()
        task = joint.task(case, dept)
        assert f"/workbench/tasks/{task.pk}/" in listing and '<p id="count">1 task</p>' in listing
        assert c.post(f"/workbench/tasks/{task.pk}/claim/").status_code == 302
        assert c.post(f"/workbench/tasks/{task.pk}/start/").status_code == 302
    # A stranger department cannot open another's task.
    lead_task = joint.task(case, joint.lead)
    assert client_for(joint.cos[0].reviewer).get(f"/workbench/tasks/{lead_task.pk}/").status_code == 404
    for n, dept in enumerate(joint.depts, start=1):
        task = joint.task(case, dept)
        c = client_for(dept.reviewer)
        page = c.get(f"/workbench/tasks/{task.pk}/").content.decode()
        assert "btn-agree" in page
        assert c.post(f"/workbench/tasks/{task.pk}/agree/", {"opinion": f"{dept.name}同意"}).status_code == 302
        case.refresh_from_db()
        if n < len(joint.depts):  # all must agree: the case waits for the last department
            assert case.state == State.IN_REVIEW
    case.refresh_from_db()
    assert case.state == State.APPROVED
    assert OfficialDocument.objects.filter(case=case, kind="approval_decision").exists()
    assert Notification.objects.filter(recipient=joint.applicant, event="case_approved").exists()


def test_head_reassigns_a_task(db, on_day, client_for, committed):
    joint = build_joint_world("all_agree")
    with committed():
        case = joint.accepted()
    co = joint.cos[0]
    task = joint.task(case, co)
    head = client_for(co.head)
    assert head.post(f"/workbench/tasks/{task.pk}/reassign/", {"to": str(co.approver.pk)}).status_code == 302
    task.refresh_from_db()
    assert task.assignee == co.approver
    assert client_for(co.reviewer).post(f"/workbench/tasks/{task.pk}/reassign/",
                                        {"to": str(co.reviewer.pk)}).status_code == 403
