"""Art. 45: a declared special procedure pauses the decision clocks by exactly its working days."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from approvals.cases import clock, services
from approvals.cases.exceptions import Conflict
from approvals.models import State, TransitionLog
from approvals.supervision import calendar


def test_only_declared_kinds_within_their_maximum(world):
    case = world.in_review()
    with pytest.raises(ValidationError) as exc:
        services.start_special_procedure(
            case.pk, officer=world.reviewer, kind="hearing", start=date(2026, 9, 18), expected_days=3, reason="听证"
        )
    assert "kind" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.start_special_procedure(
            case.pk, officer=world.reviewer, kind="inspection", start=date(2026, 9, 18), expected_days=11, reason="检验"
        )
    assert "expected_days" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.start_special_procedure(
            case.pk, officer=world.reviewer, kind="inspection", start=date(2026, 9, 18), expected_days=3, reason=""
        )
    assert "reason" in exc.value.message_dict


def test_pause_over_national_day_moves_the_dues_by_its_working_days(world, on_day):
    case = world.in_review()
    statutory, promised = case.decision_due_statutory, case.decision_due_promised  # 10-22 and 10-09
    on_day.set(date(2026, 9, 30))
    case = services.start_special_procedure(
        case.pk, officer=world.reviewer, kind="inspection", start=date(2026, 9, 30), expected_days=5, reason="现场检验"
    )
    # Expected: 5 working days from Wed 09-30 inclusive: 09-30, 10-08, 10-09, Sat 10-10 (make-up), 10-12.
    assert clock.expected_pause_end(date(2026, 9, 30), 5) == date(2026, 10, 12)
    assert calendar.working_days_between(statutory, case.decision_due_statutory) == 5
    on_day.set(date(2026, 10, 9))
    case = services.end_special_procedure(case.pk, officer=world.reviewer, end=date(2026, 10, 9))
    # Ended Fri 10-09: the pause held 09-30, 10-08 and 10-09 (10-01…10-07 are holidays) = 3 working days.
    assert calendar.working_days_between(statutory, case.decision_due_statutory) == 3
    assert calendar.working_days_between(promised, case.decision_due_promised) == 3
    assert case.decision_due_statutory == date(2026, 10, 27)
    log = TransitionLog.objects.get(case=case, command="end_special_procedure")
    assert log.details["working_days"] == 3
    assert (log.from_state, log.to_state) == (State.IN_REVIEW, State.IN_REVIEW)


def test_one_procedure_at_a_time_and_no_decision_while_it_runs(world):
    case = world.in_review()
    services.start_special_procedure(
        case.pk, officer=world.reviewer, kind="inspection", start=date(2026, 9, 18), expected_days=2, reason="检验"
    )
    with pytest.raises(ValidationError):
        services.start_special_procedure(
            case.pk, officer=world.reviewer, kind="expert_review", start=date(2026, 9, 18), expected_days=2, reason="专家"
        )
    with pytest.raises(ValidationError) as exc:
        services.decide(case.pk, officer=world.approver, approve=True)
    assert "special_procedure" in exc.value.message_dict


def test_ending_without_a_running_procedure_is_a_conflict(world):
    case = world.in_review()
    with pytest.raises(Conflict):
        services.end_special_procedure(case.pk, officer=world.reviewer, end=date(2026, 9, 18))
