"""补正: one notice per intake listing every problem; only the listed materials may be replaced;
complete on the day of resubmission."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from approvals.cases import services
from approvals.models import CaseMaterial, CorrectionNotice, State, TransitionLog

from .conftest import pdf

PROBLEMS = [
    {"material_code": "M01", "reason": "复印件不清晰", "expected": "清晰的营业执照复印件"},
    {"material_code": "M02", "reason": "缺少签名", "expected": "法定代表人签字"},
]


def _notice(world):
    case = world.submitted()
    return services.request_correction(case.pk, officer=world.front_desk, problems=PROBLEMS)


def test_notice_lists_every_problem_and_is_logged(world):
    case = _notice(world)
    assert case.state == State.CORRECTION_REQUESTED
    notice = CorrectionNotice.objects.get(case=case)
    assert notice.problems == PROBLEMS
    assert notice.issued_on == date(2026, 9, 18)
    log = TransitionLog.objects.get(case=case, command="request_correction")
    assert (log.from_state, log.to_state, log.actor) == ("submitted", "correction_requested", world.front_desk)
    assert log.details["problems"] == PROBLEMS


def test_problems_must_name_materials_of_the_pinned_version_with_reasons(world):
    case = world.submitted()
    with pytest.raises(ValidationError) as exc:
        services.request_correction(
            case.pk,
            officer=world.front_desk,
            problems=[
                {"material_code": "X9", "reason": "?", "expected": "?"},
                {"material_code": "M01", "reason": "", "expected": "清晰"},
                {"material_code": "M01", "reason": "重复", "expected": "x"},
            ],
        )
    assert set(exc.value.message_dict) == {"problems.0", "problems.1", "problems.2"}
    with pytest.raises(ValidationError):
        services.request_correction(case.pk, officer=world.front_desk, problems=[])
    case.refresh_from_db()
    assert case.state == State.SUBMITTED


def test_only_listed_materials_may_be_replaced(world):
    case = services.request_correction(
        world.submitted().pk, officer=world.front_desk, problems=PROBLEMS[:1]
    )
    with pytest.raises(ValidationError) as exc:
        services.attach_material(case.pk, user=world.applicant, requirement_code="M02", upload=pdf())
    assert exc.value.error_dict["requirement_code"][0].code == "not_listed"
    services.attach_material(case.pk, user=world.applicant, requirement_code="M01", upload=pdf())
    assert CaseMaterial.objects.filter(case=case, requirement_code="M01").count() == 2


def test_resubmit_requires_every_listed_material(world):
    case = _notice(world)
    services.attach_material(case.pk, user=world.applicant, requirement_code="M01", upload=pdf())
    with pytest.raises(ValidationError) as exc:
        services.resubmit(case.pk, user=world.applicant)
    assert set(exc.value.message_dict) == {"materials.M02"}


def test_complete_resubmission_dates_acceptance_and_restarts_intake(world, on_day):
    case = _notice(world)
    on_day.set(date(2026, 9, 22))
    for code in ("M01", "M02"):
        services.attach_material(case.pk, user=world.applicant, requirement_code=code, upload=pdf())
    case = services.resubmit(case.pk, user=world.applicant)
    assert case.state == State.SUBMITTED
    assert case.complete_on == date(2026, 9, 22)
    assert case.received_on == date(2026, 9, 18)
    # five working days after Tue 09-22: 23, 24, (25 holiday) 28, 29, 30.
    assert case.intake_due == date(2026, 9, 30)
    on_day.set(date(2026, 9, 24))
    case = services.accept(case.pk, officer=world.front_desk)
    assert case.accepted_on == date(2026, 9, 22)  # the day it became complete


def test_a_second_correction_notice_is_refused(world):
    case = _notice(world)
    for code in ("M01", "M02"):
        services.attach_material(case.pk, user=world.applicant, requirement_code=code, upload=pdf())
    case = services.resubmit(case.pk, user=world.applicant)
    with pytest.raises(ValidationError) as exc:
        services.request_correction(
            case.pk, officer=world.front_desk, problems=[{"material_code": "M03", "reason": "缺", "expected": "补"}]
        )
    assert exc.value.error_dict["problems"][0].code == "second_notice"
    assert CorrectionNotice.objects.filter(case=case).count() == 1
    assert TransitionLog.objects.filter(case=case, command="request_correction").count() == 1
