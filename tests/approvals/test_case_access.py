"""Who sees and who acts: applicants only on their own (or their business's) cases, the front desk
on intake, the item's department on review; cannot see → 404, can see but not act → 403."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import BusinessAgent, OfficerMembership
from approvals.cases import selectors, services
from approvals.cases.permissions import visible_cases
from approvals.models import State
from tests import factories

from .conftest import pdf


def test_applicants_cannot_see_or_act_on_others_cases(world):
    case = world.submitted()
    stranger = factories.citizen()
    assert not visible_cases(stranger).filter(pk=case.pk).exists()
    with pytest.raises(Http404):
        selectors.case_detail(case.case_no, stranger)
    with pytest.raises(Http404):
        services.withdraw(case.pk, user=stranger)
    draft = world.new_case()
    with pytest.raises(Http404):
        services.attach_material(draft.pk, user=stranger, requirement_code="M01", upload=pdf())
    with pytest.raises(Http404):
        services.submit(draft.pk, user=stranger)
    case.refresh_from_db()
    assert case.state == State.SUBMITTED


def test_business_agents_share_the_business_cases(world):
    biz = factories.business(world.applicant)
    colleague = factories.citizen()
    BusinessAgent.objects.create(business=biz, user=colleague)
    case = world.submitted(business_id=biz.pk)
    assert selectors.case_detail(case.case_no, colleague).case == case
    assert services.withdraw(case.pk, user=colleague).state == State.WITHDRAWN
    BusinessAgent.objects.filter(user=colleague).update(active=False)
    with pytest.raises(Http404):
        selectors.case_detail(case.case_no, colleague)


def test_drafts_are_private_to_the_applicant(world):
    draft = world.new_case()
    for officer in (world.front_desk, world.reviewer):
        assert not visible_cases(officer).filter(pk=draft.pk).exists()


def test_officers_of_another_department_cannot_see_the_case(world):
    case = world.accepted()
    outsider = factories.officer(factories.department(), OfficerMembership.Job.REVIEWER)
    with pytest.raises(Http404):
        services.start_review(case.pk, officer=outsider)
    assert not visible_cases(outsider).filter(pk=case.pk).exists()


def test_roles_can_see_but_not_act_outside_their_job(world):
    case = world.submitted()
    with pytest.raises(PermissionDenied):  # department officers do not accept at intake
        services.accept(case.pk, officer=world.reviewer)
    with pytest.raises(PermissionDenied):  # the applicant cannot accept their own case
        services.accept(case.pk, officer=world.applicant)
    case = services.accept(case.pk, officer=world.front_desk)
    with pytest.raises(PermissionDenied):  # the front desk does not review
        services.start_review(case.pk, officer=world.front_desk)
    services.start_review(case.pk, officer=world.reviewer)
    with pytest.raises(PermissionDenied):  # a reviewer does not sign the decision
        services.decide(case.pk, officer=world.reviewer, approve=True)
    assert services.decide(case.pk, officer=world.approver, approve=True).state == State.APPROVED


def test_list_and_detail_query_counts_are_constant(world, django_assert_num_queries):
    first = world.submitted()
    front_desk = type(world.front_desk).objects.get(pk=world.front_desk.pk)
    with django_assert_num_queries(2):  # the user's jobs, then the cases with item/department/applicant joined
        rows = list(selectors.cases_for(front_desk))
        assert [r.item_version.department.region_code for r in rows] == ["429901"]
    for _ in range(4):
        world.in_review()
    big_case = world.in_review()
    services.decide(big_case.pk, officer=world.approver, approve=True)

    def count(fn):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            fn()
        return len(ctx.captured_queries)

    def fresh(user):
        return type(user).objects.get(pk=user.pk)

    assert count(lambda: list(selectors.cases_for(fresh(world.reviewer)))) == count(
        lambda: list(selectors.cases_for(fresh(world.reviewer), state="in_review"))
    )
    small_detail = count(lambda: selectors.case_detail(first.case_no, fresh(world.applicant)).timeline)
    big_detail = count(lambda: selectors.case_detail(big_case.case_no, fresh(world.applicant)).timeline)
    assert small_detail == big_detail
    detail = selectors.case_detail(big_case.case_no, world.applicant)
    assert [e.command for e in detail.timeline] == ["submit", "accept", "start_review", "decide"]
    assert {m.requirement_code for m in detail.materials} == {"M01", "M02"}
