"""Complaints (投诉): filed by an applicant or the public about a case or a department; taken up
or declined within 5 working days; assigned, investigated, answered (real-name complainants
must get a reply), closed. Overdue intake decisions and replies raise their own yellow cards."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approvals.cases.exceptions import Conflict
from approvals.notifications.models import Notification
from approvals.supervision import complaints
from approvals.supervision.models import Card, Complaint, ComplaintNote
from approvals.supervision.sweep import run_sweep
from tests import factories

pytestmark = pytest.mark.django_db


def _about_case(world, on_day, **kw):
    on_day.set(date(2026, 9, 18))
    case = world.submitted()
    return case, complaints.submit(
        user=world.applicant, subject="窗口推诿", description="窗口人员要求重复提交材料。", case_no=case.case_no,
        real_name=True, complainant_name="张三", **kw,
    )


def test_an_applicants_complaint_gets_its_intake_due_and_department(world, on_day):
    _case, complaint = _about_case(world, on_day)
    assert complaint.source == "applicant" and complaint.department_id == world.dept.pk
    assert complaint.intake_due == date(2026, 9, 24)  # 5 working days: 09-20 (make-up Sunday) counts
    assert complaint.number.startswith("TS20260918")


def test_the_public_needs_the_verification_code_or_a_department(world, on_day):
    on_day.set(date(2026, 9, 18))
    case = world.submitted()
    with pytest.raises(ValidationError) as err:
        complaints.submit(subject="s", description="d", case_no=case.case_no, verification_code="WRONG")
    assert "case_no" in err.value.error_dict
    public = complaints.submit(
        subject="态度差", description="电话无人接听", case_no=case.case_no, verification_code=case.verification_code
    )
    assert public.source == "public" and public.complainant is None and not public.real_name
    with pytest.raises(ValidationError) as err:
        complaints.submit(subject="s", description="d", real_name=True, department_id=world.dept.pk)
    assert set(err.value.error_dict) == {"complainant_name", "contact_phone"}
    with pytest.raises(ValidationError) as err:
        complaints.submit(subject="", description="")
    assert set(err.value.error_dict) == {"subject", "description", "department_id"}


def test_the_full_course_of_a_real_name_complaint(world, on_day):
    _case, complaint = _about_case(world, on_day)
    with pytest.raises(PermissionDenied):
        complaints.decide_intake(complaint.pk, supervisor=world.head, take_up=True)
    complaints.decide_intake(complaint.pk, supervisor=world.supervisor, take_up=True)
    complaint.refresh_from_db()
    assert complaint.state == "taken_up" and complaint.reply_due == date(2026, 10, 15)
    with pytest.raises(ValidationError):
        complaints.assign(complaint.pk, supervisor=world.supervisor, to=factories.officer(factories.department()))
    complaints.assign(complaint.pk, supervisor=world.supervisor, to=world.head)
    complaints.add_note(complaint.pk, user=world.head, text="调阅窗口录像，确认要求重复提交。")
    with pytest.raises(ValidationError) as err:
        complaints.close(complaint.pk, supervisor=world.supervisor, outcome="已处理")
    assert err.value.error_dict["reply"][0].code == "reply_required"
    complaints.reply(complaint.pk, user=world.head, text="经核查情况属实，已对窗口人员批评教育并整改。")
    closed = complaints.close(complaint.pk, supervisor=world.supervisor, outcome="属实，已整改")
    assert closed.state == "closed"
    assert ComplaintNote.objects.filter(complaint=complaint).count() == 1
    assert Notification.objects.filter(recipient=world.applicant, event="complaint_replied").exists()
    with pytest.raises(Conflict):
        complaints.reply(complaint.pk, user=world.supervisor, text="再次答复的内容，不应被接受。")


def test_declining_needs_reasons(world, on_day):
    _case, complaint = _about_case(world, on_day)
    with pytest.raises(ValidationError):
        complaints.decide_intake(complaint.pk, supervisor=world.supervisor, take_up=False)
    declined = complaints.decide_intake(complaint.pk, supervisor=world.supervisor, take_up=False, reason="不属于受理范围")
    assert declined.state == "declined" and declined.reply_due is None


def test_overdue_complaints_raise_yellow_cards_once(world, on_day):
    _case, waiting = _about_case(world, on_day)
    _case, answered_late = _about_case(world, on_day)
    on_day.set(date(2026, 9, 21))
    complaints.decide_intake(answered_late.pk, supervisor=world.supervisor, take_up=True)
    answered_late.refresh_from_db()
    assert answered_late.reply_due == date(2026, 10, 19)
    # Due Thu 09-24; Fri 09-25 is the Mid-Autumn holiday: the first working day over is Mon 09-28.
    for day in (date(2026, 9, 24), date(2026, 9, 25), date(2026, 9, 27), date(2026, 9, 28), date(2026, 9, 29),
                date(2026, 10, 19), date(2026, 10, 20)):
        run_sweep(day)
    intake, = Card.objects.filter(rule="complaint_intake")
    assert (intake.complaint_id, intake.kind, intake.detected_on, intake.working_days_over) == (
        waiting.pk, "yellow", date(2026, 9, 28), 1,
    )
    reply_card, = Card.objects.filter(rule="complaint_reply")
    assert (reply_card.complaint_id, reply_card.detected_on) == (answered_late.pk, date(2026, 10, 20))
    assert Complaint.objects.get(pk=waiting.pk).state == "received"  # a card changes nothing else
