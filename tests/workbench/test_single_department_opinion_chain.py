"""The opinion chain of a single-department case (issue 14): the reviewer's 审查意见 with a proposed
outcome, then the signer's 审批意见 given with the decision; under two-level approval the decision
waits for a review opinion by another officer. Both are shown on the case page and carried into
the decision document."""

import re

import pytest
from django.core.exceptions import ValidationError

from approvals.cases import services
from approvals.cases.exceptions import Conflict
from approvals.documents.models import OfficialDocument
from approvals.models import CaseOpinion, State


def _two_level(world):
    world.version.__class__.objects.filter(pk=world.version.pk).update(two_level_approval=True)
    world.version.refresh_from_db()


def test_two_level_decision_waits_for_another_officers_review_opinion(world, client_for, committed):
    _two_level(world)
    case = world.in_review()
    url = f"/workbench/cases/{case.case_no}"
    approver = client_for(world.approver)

    # The page does not offer the decision yet, and says why; a forced decision is refused on its field.
    page = approver.get(f"{url}/").content.decode()
    assert "/act/decide/" not in page
    assert "another officer&#x27;s review opinion" in re.search(r'id="refused-decide">(.*?)</li>', page, re.S).group(1)
    with pytest.raises(ValidationError) as refused:
        services.decide(case.pk, officer=world.approver, approve=True)
    assert refused.value.error_dict["opinion"][0].code == "review_missing"

    # The reviewer gives the review opinion through the page (an empty one is refused next to its field).
    reviewer = client_for(world.reviewer)
    empty = reviewer.post(f"{url}/act/review_opinion/", {"proposal": "approve", "opinion": ""})
    assert empty.status_code == 400 and 'data-field="opinion"' in empty.content.decode()
    assert reviewer.post(f"{url}/act/review_opinion/",
                         {"proposal": "approve", "opinion": "材料齐全，符合条件，拟准予许可。"}).status_code == 302
    # A signer's own review opinion does not satisfy two-level approval.
    services.give_review_opinion(case.pk, officer=world.head, proposal=True, opinion="同意")
    page = approver.get(f"{url}/").content.decode()
    assert 'action="/workbench/cases/' + case.case_no + '/act/decide/"' in page
    assert approver.post(f"{url}/act/decide/", {
        "approve": "approve", "opinion": "同意审查意见，准予许可。", "conditions": "按核定项目经营。",
        "reasons": "", "remedies": "",
    }).status_code == 302

    case.refresh_from_db()
    assert case.state == State.APPROVED
    chain = list(CaseOpinion.objects.filter(case=case).values_list("stage", "officer_id", "proposal", "opinion"))
    assert chain == [
        ("review", world.reviewer.pk, "approved", "材料齐全，符合条件，拟准予许可。"),
        ("review", world.head.pk, "approved", "同意"),
        ("approval", world.approver.pk, "approved", "同意审查意见，准予许可。"),
    ]
    page = reviewer.get(f"{url}/").content.decode()
    opinions = re.search(r'id="opinions".*?</section>', page, re.S).group(0)
    assert "材料齐全，符合条件，拟准予许可。" in opinions and "同意审查意见，准予许可。" in opinions
    assert world.reviewer.username in opinions and world.approver.username in opinions
    decision = OfficialDocument.objects.get(case=case, kind="approval_decision")
    assert [o["opinion"] for o in decision.context["opinion_chain"]] == [c[3] for c in chain]


def test_the_signer_cannot_review_alone_and_review_needs_the_review_state(world):
    _two_level(world)
    accepted = world.accepted()
    with pytest.raises(Conflict):
        services.give_review_opinion(accepted.pk, officer=world.reviewer, proposal=True, opinion="x")
    case = world.in_review()
    services.give_review_opinion(case.pk, officer=world.approver, proposal=False, opinion="不符合条件")
    with pytest.raises(ValidationError):
        services.decide(case.pk, officer=world.approver, approve=False, reasons="不符合条件",
                        remedies=services.STANDARD_REMEDIES)
    case.refresh_from_db()
    assert case.state == State.IN_REVIEW and not CaseOpinion.objects.filter(case=case, stage="approval").exists()


def test_without_two_level_approval_the_signers_decision_is_the_chain(world, committed):
    case = world.in_review()
    with committed():
        services.decide(case.pk, officer=world.approver, approve=False, reasons="经营场所不符合要求。",
                        remedies=services.STANDARD_REMEDIES)
    opinion = CaseOpinion.objects.get(case=case)
    assert (opinion.stage, opinion.proposal, opinion.opinion) == ("approval", "refused", "经营场所不符合要求。")
    refusal = OfficialDocument.objects.get(case=case, kind="refusal_decision")
    assert refusal.context["opinion_chain"][0]["opinion"] == "经营场所不符合要求。"
