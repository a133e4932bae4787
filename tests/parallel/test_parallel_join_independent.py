"""Independent decisions: each department decides its own part and the applicant is told of each
separately; the case is decided once every part is: approved only if every part is approved,
otherwise refused listing the refused parts."""

import pytest
from django.core.exceptions import ValidationError

from approvals.models import State, TransitionLog
from approvals.parallel import services as parallel
from approvals.parallel.models import DepartmentTask


def test_each_part_decision_is_notified_separately(independent, django_capture_on_commit_callbacks, hook_calls):
    w = independent
    case = w.in_review()
    with django_capture_on_commit_callbacks(execute=True):
        parallel.agree(w.task(case, w.lead).pk, officer=w.lead.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        parallel.agree_with_conditions(w.task(case, w.cos[0]).pk, officer=w.cos[0].reviewer, conditions="年检")
    parts = list(TransitionLog.objects.filter(case=case, command="decide_part").order_by("pk"))
    assert [(p.details["department"], p.details["result"]) for p in parts] == [
        ("市场监管局", "approved"), ("消防救援支队", "approved"),
    ]
    # one notification hook per part decision, each in its own commit
    assert [log_id for _case, log_id in hook_calls] == [p.pk for p in parts]
    case.refresh_from_db()
    assert case.state == State.IN_REVIEW  # one part still open


def test_every_part_approved_approves_the_case(independent):
    w = independent
    case = w.in_review()
    for dept in w.depts:
        parallel.agree(w.task(case, dept).pk, officer=dept.reviewer)
    case.refresh_from_db()
    assert case.state == State.APPROVED
    assert set(DepartmentTask.objects.filter(case=case).values_list("part_result", flat=True)) == {"approved"}


def test_a_refused_part_refuses_the_case_listing_it(independent):
    w = independent
    case = w.in_review()
    parallel.agree(w.task(case, w.lead).pk, officer=w.lead.reviewer)
    parallel.disagree(w.task(case, w.cos[1]).pk, officer=w.cos[1].reviewer, opinion="排放口设置不合规")
    case.refresh_from_db()
    assert case.state == State.IN_REVIEW  # the refused part is decided; the case waits for the last part
    parallel.agree(w.task(case, w.cos[0]).pk, officer=w.cos[0].reviewer)
    case.refresh_from_db()
    assert case.state == State.REFUSED
    assert "生态环境局" in case.reasons and "排放口设置不合规" in case.reasons
    assert "消防救援支队" not in case.reasons
    decide = TransitionLog.objects.get(case=case, command="decide")
    assert decide.details["parts"] == {"市场监管局": "approved", "消防救援支队": "approved", "生态环境局": "refused"}


def test_a_part_refusal_needs_reasons(independent):
    w = independent
    case = w.in_review()
    with pytest.raises(ValidationError):
        parallel.disagree(w.task(case, w.lead).pk, officer=w.lead.reviewer, opinion="")
