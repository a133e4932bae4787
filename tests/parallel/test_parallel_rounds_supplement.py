"""Rounds: departments asking for materials in the same round produce ONE combined notice; the
other open tasks wait; the decision clocks stop from the notice date to the resubmission date;
resubmission opens round 2 with a new task for every department, earlier rounds stay visible."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from approvals.cases import services
from approvals.cases.exceptions import Conflict
from approvals.models import CaseMaterial, State, TransitionLog
from approvals.parallel import services as parallel
from approvals.parallel.models import DepartmentTask, SupplementNotice, TaskState
from approvals.supervision import calendar

from .conftest import pdf

NEED_M03 = {"material_code": "M03", "reason": "缺少消防平面图", "expected": "加盖公章的消防平面布置图"}


def _ask_two_departments(w, case):
    parallel.request_materials(w.task(case, w.cos[0]).pk, officer=w.cos[0].reviewer, requests=[NEED_M03])
    parallel.request_materials(
        w.task(case, w.cos[1]).pk, officer=w.cos[1].reviewer,
        requests=[{"material_code": "M03", "reason": "缺少排污口位置", "expected": "标注排污口的平面图"}],
    )


def test_two_departments_in_the_same_round_produce_one_combined_notice(joint):
    case = joint.in_review()
    _ask_two_departments(joint, case)
    case.refresh_from_db()
    assert case.state == State.SUPPLEMENT_REQUESTED
    notice = SupplementNotice.objects.get(case=case)
    assert notice.round == 1 and notice.revision == 2
    assert [(r["department"], r["material_code"]) for r in notice.requests] == [
        ("消防救援支队", "M03"), ("生态环境局", "M03"),
    ]
    assert notice.material_codes == ["M03"]
    commands = list(TransitionLog.objects.filter(case=case).values_list("command", flat=True))
    assert commands.count("request_supplement") == 1 and commands.count("amend_supplement") == 1


def test_the_other_open_tasks_wait(joint):
    case = joint.in_review()
    parallel.request_materials(joint.task(case, joint.cos[0]).pk, officer=joint.cos[0].reviewer, requests=[NEED_M03])
    lead_task = joint.task(case, joint.lead)
    assert lead_task.state == TaskState.ON_HOLD and lead_task.held_from == TaskState.IN_REVIEW
    with pytest.raises(Conflict):
        parallel.agree(lead_task.pk, officer=joint.lead.reviewer)


def test_original_material_cannot_be_reopened(joint):
    case = joint.in_review()
    with pytest.raises(ValidationError) as exc:
        parallel.request_materials(
            joint.task(case, joint.cos[0]).pk, officer=joint.cos[0].reviewer,
            requests=[{"material_code": "M01", "reason": "看不清", "expected": "清晰版本"}],
        )
    assert exc.value.error_dict["requests.0"][0].code == "original_material"
    case.refresh_from_db()
    assert case.state == State.IN_REVIEW and not SupplementNotice.objects.filter(case=case).exists()


def test_clock_pauses_for_the_applicant_and_resumes(joint, on_day):
    case = joint.in_review()
    due_promised, due_statutory = case.decision_due_promised, case.decision_due_statutory
    on_day.set(date(2026, 11, 2))  # Monday
    _ask_two_departments(joint, case)
    on_day.set(date(2026, 11, 6))  # Friday: the applicant supplies the material and resubmits
    services.attach_material(case.pk, user=joint.applicant, requirement_code="M03", upload=pdf())
    parallel.resubmit_supplement(case.pk, user=joint.applicant)
    case.refresh_from_db()
    assert calendar.working_days_between(date(2026, 11, 1), date(2026, 11, 6)) == 5
    assert case.decision_due_promised == calendar.add_working_days(due_promised, 5)
    assert case.decision_due_statutory == calendar.add_working_days(due_statutory, 5)
    assert SupplementNotice.objects.get(case=case).completed_on == date(2026, 11, 6)


def test_resubmission_needs_every_listed_material(joint):
    case = joint.in_review()
    _ask_two_departments(joint, case)
    with pytest.raises(ValidationError) as exc:
        parallel.resubmit_supplement(case.pk, user=joint.applicant)
    assert "materials.M03" in exc.value.error_dict
    with pytest.raises(ValidationError):  # only listed materials may be supplied now
        services.attach_material(case.pk, user=joint.applicant, requirement_code="M01", upload=pdf())


def test_round_two_reopens_every_department_and_shows_what_changed(joint, on_day):
    case = joint.in_review()
    _ask_two_departments(joint, case)
    services.attach_material(case.pk, user=joint.applicant, requirement_code="M03", upload=pdf())
    parallel.resubmit_supplement(case.pk, user=joint.applicant)
    case.refresh_from_db()
    assert case.state == State.IN_REVIEW and case.round == 2
    round1 = {t.department_id: t.state for t in DepartmentTask.objects.filter(case=case, round=1)}
    assert round1 == {
        joint.lead.dept.pk: TaskState.CANCELLED,  # was on hold
        joint.cos[0].dept.pk: TaskState.NEEDS_MATERIALS,
        joint.cos[1].dept.pk: TaskState.NEEDS_MATERIALS,
    }
    round2 = DepartmentTask.objects.filter(case=case, round=2)
    assert sorted(t.department_id for t in round2) == sorted(d.dept.pk for d in joint.depts)
    assert {t.state for t in round2} == {TaskState.PENDING}
    new = CaseMaterial.objects.get(case=case, is_current=True, requirement_code="M03")
    assert new.round == 2 and new.supplied_for == "supplement"
    # Every department reviews again; all agreeing in round 2 approves.
    for dept in joint.depts:
        joint.take(case, dept)
        parallel.agree(joint.task(case, dept).pk, officer=dept.reviewer)
    case.refresh_from_db()
    assert case.state == State.APPROVED


def test_material_supplied_in_a_later_round_may_be_requested_again(joint):
    case = joint.in_review()
    _ask_two_departments(joint, case)
    services.attach_material(case.pk, user=joint.applicant, requirement_code="M03", upload=pdf())
    parallel.resubmit_supplement(case.pk, user=joint.applicant)
    joint.take(case, joint.cos[0])
    parallel.request_materials(joint.task(case, joint.cos[0]).pk, officer=joint.cos[0].reviewer,
                               requests=[{"material_code": "M03", "reason": "比例尺错误", "expected": "1:100"}])
    assert SupplementNotice.objects.get(case=case, round=2).material_codes == ["M03"]


def test_independent_round_two_reopens_only_undecided_parts(independent):
    w = independent
    case = w.in_review()
    parallel.agree(w.task(case, w.lead).pk, officer=w.lead.reviewer)
    parallel.request_materials(w.task(case, w.cos[0]).pk, officer=w.cos[0].reviewer, requests=[NEED_M03])
    services.attach_material(case.pk, user=w.applicant, requirement_code="M03", upload=pdf())
    parallel.resubmit_supplement(case.pk, user=w.applicant)
    assert sorted(DepartmentTask.objects.filter(case=case, round=2).values_list("department_id", flat=True)) == sorted(
        [w.cos[0].dept.pk, w.cos[1].dept.pk]
    )
