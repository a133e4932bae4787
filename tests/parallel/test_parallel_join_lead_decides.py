"""主办/协办 (lead decides): co-departments give opinions; a disagreement without reasons counts as
agreement; the lead decides only with every opinion in, carrying conditions, attaching reasoned
disagreements to a refusal, or suspends the case for the applicant."""

import pytest
from django.core.exceptions import ValidationError

from approvals.cases import services
from approvals.cases.exceptions import Conflict
from approvals.models import State, TransitionLog
from approvals.parallel import services as parallel
from approvals.parallel.models import SupplementNotice, TaskState

from .conftest import STANDARD_REMEDIES


def test_unreasoned_disagreement_counts_as_agreement(lead_decides):
    w = lead_decides
    case = w.in_review()
    parallel.disagree(w.task(case, w.cos[0]).pk, officer=w.cos[0].reviewer, opinion="")
    parallel.agree_with_conditions(w.task(case, w.cos[1]).pk, officer=w.cos[1].reviewer, conditions="限期整改噪声")
    case.refresh_from_db()
    assert case.state == State.IN_REVIEW  # co-department opinions never decide by themselves
    parallel.lead_decide(w.task(case, w.lead).pk, officer=w.lead.reviewer, approve=True)
    case.refresh_from_db()
    assert case.state == State.APPROVED
    assert "生态环境局：限期整改噪声" in case.conditions
    log = TransitionLog.objects.get(case=case, command="decide")
    assert log.details["unreasoned_disagreements"] == [w.task(case, w.cos[0]).pk]


def test_lead_cannot_decide_before_every_opinion(lead_decides):
    w = lead_decides
    case = w.in_review()
    parallel.agree(w.task(case, w.cos[0]).pk, officer=w.cos[0].reviewer)
    with pytest.raises(ValidationError) as exc:
        parallel.lead_decide(w.task(case, w.lead).pk, officer=w.lead.reviewer, approve=True)
    assert exc.value.error_dict["task"][0].code == "opinions_missing"
    assert "生态环境局" in exc.value.messages[0]
    case.refresh_from_db()
    assert case.state == State.IN_REVIEW
    assert w.task(case, w.lead).state == TaskState.IN_REVIEW


def test_lead_refuses_attaching_the_reasoned_disagreement(lead_decides):
    w = lead_decides
    case = w.in_review()
    parallel.disagree(w.task(case, w.cos[0]).pk, officer=w.cos[0].reviewer, opinion="未设置自动喷水灭火系统")
    parallel.agree(w.task(case, w.cos[1]).pk, officer=w.cos[1].reviewer)
    # The case engine's decide command is routed to the lead's decision.
    services.decide(case.pk, officer=w.lead.approver, approve=False, reasons="经审查不符合消防安全条件",
                    remedies=STANDARD_REMEDIES)
    case.refresh_from_db()
    assert case.state == State.REFUSED
    assert "经审查不符合消防安全条件" in case.reasons
    assert "消防救援支队" in case.reasons and "未设置自动喷水灭火系统" in case.reasons
    assert w.task(case, w.lead).state == TaskState.DISAGREED


def test_lead_may_approve_despite_a_reasoned_disagreement(lead_decides):
    w = lead_decides
    case = w.in_review()
    parallel.disagree(w.task(case, w.cos[0]).pk, officer=w.cos[0].reviewer, opinion="建议补强")
    parallel.agree(w.task(case, w.cos[1]).pk, officer=w.cos[1].reviewer)
    parallel.lead_decide(w.task(case, w.lead).pk, officer=w.lead.reviewer, approve=True, conditions="三个月内补强")
    case.refresh_from_db()
    assert case.state == State.APPROVED and "三个月内补强" in case.conditions


def test_lead_suspends_until_the_applicant_fixes_the_problem(lead_decides):
    w = lead_decides
    case = w.in_review()
    parallel.disagree(w.task(case, w.cos[0]).pk, officer=w.cos[0].reviewer, opinion="缺少平面图")
    parallel.suspend(w.task(case, w.lead).pk, officer=w.lead.reviewer,
                     requests=[{"material_code": "M03", "reason": "缺少平面图", "expected": "经营场所平面图"}])
    case.refresh_from_db()
    assert case.state == State.SUPPLEMENT_REQUESTED
    assert SupplementNotice.objects.get(case=case).material_codes == ["M03"]


def test_lead_task_cannot_simply_agree_and_co_department_cannot_decide(lead_decides):
    w = lead_decides
    case = w.in_review()
    with pytest.raises(Conflict):
        parallel.agree(w.task(case, w.lead).pk, officer=w.lead.reviewer)
    with pytest.raises(Conflict):
        parallel.lead_decide(w.task(case, w.cos[0]).pk, officer=w.cos[0].reviewer, approve=True)
