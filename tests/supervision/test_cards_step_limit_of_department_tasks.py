"""A department task of a joint case past its own step limit gets a yellow card (once, on the
first working day over); a task without a step limit follows the case's promised limit only."""

from datetime import date

import pytest

from approvals.parallel.models import DepartmentTask
from approvals.supervision.models import Card
from tests.parallel.conftest import build_joint_world
from tests.supervision.supervision_world import sweep_days

pytestmark = pytest.mark.django_db


def test_a_task_past_its_step_limit_gets_one_yellow_card(on_day):
    joint = build_joint_world("all_agree", step_limits=(5, None))
    on_day.set(date(2026, 9, 1))
    case = joint.accepted()
    stepped = DepartmentTask.objects.get(case=case, department=joint.cos[0].dept)
    assert stepped.step_due == date(2026, 9, 8)
    joint.take(case, joint.cos[0])

    sweep_days(on_day, date(2026, 9, 7), date(2026, 9, 10))

    card, = Card.objects.filter(rule="step_limit")
    assert (card.kind, card.subject_type, card.subject_id, card.task_id) == ("yellow", "task", stepped.pk, stepped.pk)
    assert (card.case_id, card.department_id) == (case.pk, joint.cos[0].dept.pk)
    assert (card.detected_on, card.limit_date, card.working_days_over, card.limit_days) == (
        date(2026, 9, 9), date(2026, 9, 8), 1, 5,
    )


def test_finished_tasks_get_no_step_card(on_day):
    joint = build_joint_world("all_agree", step_limits=(5, None))
    on_day.set(date(2026, 9, 1))
    case = joint.accepted()
    from approvals.parallel import services as parallel

    task = joint.take(case, joint.cos[0])
    parallel.agree(task.pk, officer=joint.cos[0].reviewer, opinion="同意")
    sweep_days(on_day, date(2026, 9, 9), date(2026, 9, 9))
    assert not Card.objects.filter(rule="step_limit").exists()
