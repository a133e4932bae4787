"""Intake decisions, review decision, licence, delivery, withdrawal and termination."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from approvals.cases import services
from approvals.cases.exceptions import Conflict
from approvals.models import Case, State, TransitionLog
from approvals.supervision import calendar

from .conftest import STANDARD_REMEDIES, pdf


def _commands(case):
    return list(TransitionLog.objects.filter(case=case).values_list("from_state", "to_state", "command"))


def test_accept_starts_both_decision_clocks(world):
    case = world.accepted()
    assert case.state == State.ACCEPTED
    assert case.accepted_on == date(2026, 9, 18)
    # domain.md: 20 working days after Fri 2026-09-18 is Thu 2026-10-22.
    assert case.decision_due_statutory == date(2026, 10, 22)
    assert case.decision_due_promised == calendar.add_working_days(date(2026, 9, 18), 10)
    assert case.decision_due_promised < case.decision_due_statutory


def test_full_happy_path_is_logged_step_by_step(world, on_day):
    case = world.in_review()
    on_day.set(date(2026, 10, 9))
    case = services.decide(case.pk, officer=world.approver, approve=True, conditions="营业时间限 6:00-22:00")
    assert case.decision == Case.Decision.APPROVED
    assert case.decided_on == date(2026, 10, 9)
    # 10 working days after Fri 10-09: Sat 10-10 is a make-up day.
    assert case.licence_issue_due == calendar.add_working_days(date(2026, 10, 9), 10) == date(2026, 10, 22)
    case = services.issue_licence(case.pk, officer=world.reviewer)
    assert case.licence_no
    case = services.deliver(case.pk, officer=world.front_desk, method="electronic")
    case = services.close(case.pk, officer=world.reviewer)
    assert case.state == State.CLOSED
    assert _commands(case) == [
        ("draft", "submitted", "submit"),
        ("submitted", "accepted", "accept"),
        ("accepted", "in_review", "start_review"),
        ("in_review", "approved", "decide"),
        ("approved", "issued", "issue_licence"),
        ("issued", "delivered", "deliver"),
        ("delivered", "closed", "close"),
    ]


def test_a_decision_after_the_statutory_due_is_flagged_as_a_violation(world, on_day):
    on_time, late = world.in_review(), world.in_review()  # statutory due Thu 2026-10-22
    on_day.set(date(2026, 10, 22))
    services.decide(on_time.pk, officer=world.approver, approve=True)
    assert "violation" not in TransitionLog.objects.get(case=on_time, command="decide").details
    on_day.set(date(2026, 10, 23))
    services.decide(late.pk, officer=world.approver, approve=True)
    details = TransitionLog.objects.get(case=late, command="decide").details
    assert (details["violation"], details["decided_on"]) == ("decided_after_statutory_due", "2026-10-23")


def test_licence_issued_after_its_due_date_is_flagged_as_a_violation(world, on_day):
    on_time, late = world.in_review(), world.in_review()
    on_day.set(date(2026, 10, 9))
    for case in (on_time, late):
        assert services.decide(case.pk, officer=world.approver, approve=True).licence_issue_due == date(2026, 10, 22)
    on_day.set(date(2026, 10, 22))  # the due day itself is still on time
    services.issue_licence(on_time.pk, officer=world.reviewer)
    assert "violation" not in TransitionLog.objects.get(case=on_time, command="issue_licence").details
    on_day.set(date(2026, 10, 23))
    assert services.issue_licence(late.pk, officer=world.reviewer).state == State.ISSUED
    log = TransitionLog.objects.get(case=late, command="issue_licence")
    assert log.details == {"licence_no": f"XK{late.case_no}", "violation": "licence_issued_after_due"}


def test_refusal_without_reasons_or_remedies_is_refused(world):
    case = world.in_review()
    with pytest.raises(ValidationError) as exc:
        services.decide(case.pk, officer=world.approver, approve=False)
    assert set(exc.value.message_dict) == {"reasons", "remedies"}
    with pytest.raises(ValidationError) as exc:
        services.decide(case.pk, officer=world.approver, approve=False, reasons="不符合条件", remedies="可以申请复议。")
    assert set(exc.value.message_dict) == {"remedies"}  # litigation rights missing
    case.refresh_from_db()
    assert case.state == State.IN_REVIEW
    case = services.decide(
        case.pk, officer=world.approver, approve=False, reasons="经营场所不符合条件", remedies=STANDARD_REMEDIES
    )
    assert case.state == State.REFUSED
    assert case.licence_issue_due is None
    assert TransitionLog.objects.get(case=case, command="decide").reason == "经营场所不符合条件"
    assert services.close(case.pk, officer=world.reviewer).state == State.CLOSED


def test_not_accepted_needs_reasons_remedies_and_the_competent_organ(world):
    case = world.submitted()
    with pytest.raises(ValidationError) as exc:
        services.not_accept(case.pk, officer=world.front_desk, reasons="", remedies="")
    assert set(exc.value.message_dict) == {"reasons", "remedies"}
    with pytest.raises(ValidationError) as exc:
        services.not_accept(
            case.pk, officer=world.front_desk, reasons="不属于本机关职权", remedies=STANDARD_REMEDIES,
            outside_competence=True,
        )
    assert set(exc.value.message_dict) == {"competent_organ"}
    case = services.not_accept(
        case.pk, officer=world.front_desk, reasons="不属于本机关职权", remedies=STANDARD_REMEDIES,
        outside_competence=True, competent_organ="某市市场监督管理局",
    )
    assert case.state == State.NOT_ACCEPTED
    assert case.competent_organ == "某市市场监督管理局"
    log = TransitionLog.objects.get(case=case, command="not_accept")
    assert log.details == {"outside_competence": True, "competent_organ": "某市市场监督管理局"}


def test_a_second_concurrent_accept_is_a_conflict_with_one_log_row(world):
    case = world.submitted()
    services.accept(case.pk, officer=world.front_desk)
    with pytest.raises(Conflict):
        services.accept(case.pk, officer=world.front_desk)
    with pytest.raises(Conflict):
        services.not_accept(case.pk, officer=world.front_desk, reasons="x", remedies=STANDARD_REMEDIES)
    assert TransitionLog.objects.filter(case=case, command="accept").count() == 1


def test_postal_delivery_needs_a_tracking_number(world):
    case = world.in_review()
    services.decide(case.pk, officer=world.approver, approve=True)
    services.issue_licence(case.pk, officer=world.reviewer, licence_no="JY-001")
    with pytest.raises(ValidationError) as exc:
        services.deliver(case.pk, officer=world.reviewer, method="post")
    assert "tracking_no" in exc.value.message_dict
    case = services.deliver(case.pk, officer=world.reviewer, method="post", tracking_no="SF123456")
    assert (case.delivery_method, case.tracking_no, case.licence_no) == ("post", "SF123456", "JY-001")


def _correction_requested(world):
    case = world.submitted()
    return services.request_correction(
        case.pk, officer=world.front_desk, problems=[{"material_code": "M02", "reason": "需原件", "expected": "原件"}]
    )


def _accepted_with_pledge(world):
    case = _correction_requested(world)
    services.attach_material(case.pk, user=world.applicant, requirement_code="M02", upload=pdf())
    services.resubmit(case.pk, user=world.applicant)
    return services.accept_with_pledge(
        case.pk, officer=world.front_desk, pledged_material_codes=["M02"], pledge_due=date(2026, 9, 30)
    )


@pytest.mark.parametrize(
    "stage", ["draft", "submitted", "correction_requested", "accepted", "accepted_with_pledge", "in_review"]
)
def test_applicant_may_withdraw_any_open_case(world, stage):
    case = {
        "draft": world.new_case,
        "submitted": world.submitted,
        "correction_requested": lambda: _correction_requested(world),
        "accepted": world.accepted,
        "accepted_with_pledge": lambda: _accepted_with_pledge(world),
        "in_review": world.in_review,
    }[stage]()
    assert case.state == stage
    case = services.withdraw(case.pk, user=world.applicant, reason="不再需要")
    assert case.state == State.WITHDRAWN
    assert TransitionLog.objects.get(case=case, command="withdraw").reason == "不再需要"


def test_decided_case_cannot_be_withdrawn(world):
    case = world.in_review()
    services.decide(case.pk, officer=world.approver, approve=True)
    with pytest.raises(Conflict):
        services.withdraw(case.pk, user=world.applicant)


def test_termination_needs_a_legal_reason(world):
    case = world.in_review()
    with pytest.raises(ValidationError) as exc:
        services.terminate(case.pk, officer=world.reviewer, legal_reason=" ")
    assert set(exc.value.message_dict) == {"legal_reason"}
    assert Case.objects.get(pk=case.pk).state == State.IN_REVIEW
    case = services.terminate(case.pk, officer=world.reviewer, legal_reason="申请人死亡（《行政许可法》第七十条）")
    assert case.state == State.TERMINATED
    with pytest.raises(Conflict):
        services.start_review(case.pk, officer=world.reviewer)


def test_review_commands_need_the_case_in_review(world):
    case = world.accepted()
    with pytest.raises(Conflict):
        services.decide(case.pk, officer=world.approver, approve=True)
    with pytest.raises(Conflict):
        services.issue_licence(case.pk, officer=world.reviewer)
