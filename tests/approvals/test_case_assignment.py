"""Single-department cases: an officer of the department claims an unassigned case, the department
head reassigns it to another officer with a reason; each assignment is kept in ``CaseAssignment``
and the state and the transition log (the applicant's timeline) are untouched. Joint items are
assigned through their department tasks instead."""

import dataclasses
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from accounts.models import OfficerMembership
from approvals.cases import services
from approvals.cases.exceptions import Conflict
from approvals.models import Case, CaseAssignment, TransitionLog
from tests import factories

from .conftest import build_world

Job = OfficerMembership.Job


def _held_by(case):
    return Case.objects.values_list("assignee_id", flat=True).get(pk=case.pk)


@pytest.mark.django_db
def test_an_officer_claims_an_unassigned_accepted_case_and_the_history_records_it(world):
    case = world.accepted()
    log_before = list(TransitionLog.objects.filter(case=case).values_list("pk", flat=True))

    services.claim_case(case.pk, officer=world.reviewer)

    assert _held_by(case) == world.reviewer.pk
    entry = CaseAssignment.objects.get(case=case)
    assert (entry.command, entry.actor_id, entry.from_user_id, entry.to_user_id, entry.state) == (
        "claim", world.reviewer.pk, None, world.reviewer.pk, "accepted"
    )
    # Not a transition: the state and the applicant's timeline stay as they were.
    assert Case.objects.get(pk=case.pk).state == "accepted"
    assert list(TransitionLog.objects.filter(case=case).values_list("pk", flat=True)) == log_before


@pytest.mark.django_db
def test_claiming_a_case_one_already_holds_writes_nothing(world):
    case = world.in_review()
    services.claim_case(case.pk, officer=world.approver)
    services.claim_case(case.pk, officer=world.approver)
    assert CaseAssignment.objects.filter(case=case).count() == 1
    assert _held_by(case) == world.approver.pk


@pytest.mark.django_db
def test_claiming_a_case_another_officer_holds_is_a_conflict(world):
    case = world.in_review()
    services.claim_case(case.pk, officer=world.reviewer)
    with pytest.raises(Conflict):
        services.claim_case(case.pk, officer=world.approver)
    assert _held_by(case) == world.reviewer.pk
    assert CaseAssignment.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_only_department_officers_claim_and_only_in_the_inbox_states(world):
    submitted = world.submitted()
    with pytest.raises(Conflict):
        services.claim_case(submitted.pk, officer=world.reviewer)
    case = world.accepted()
    with pytest.raises(PermissionDenied):
        services.claim_case(case.pk, officer=world.front_desk)
    outsider = factories.officer(factories.department(), Job.REVIEWER)
    with pytest.raises(Http404):
        services.claim_case(case.pk, officer=outsider)
    assert _held_by(case) is None
    assert not CaseAssignment.objects.exists()


@pytest.mark.django_db
def test_the_head_reassigns_with_a_reason_and_the_history_keeps_both_officers(world):
    case = world.in_review()
    services.claim_case(case.pk, officer=world.reviewer)

    services.reassign_case(case.pk, head=world.head, to_user=world.approver, reason="  工作量调整 ")

    assert _held_by(case) == world.approver.pk
    entry = CaseAssignment.objects.filter(case=case).last()
    assert (entry.command, entry.actor_id, entry.from_user_id, entry.to_user_id, entry.reason) == (
        "reassign", world.head.pk, world.reviewer.pk, world.approver.pk, "工作量调整"
    )
    assert not TransitionLog.objects.filter(case=case, command__in=["claim", "reassign"]).exists()


@pytest.mark.django_db
def test_an_unassigned_case_can_be_given_by_the_head(world):
    case = world.accepted()
    services.reassign_case(case.pk, head=world.head, to_user=world.reviewer, reason="分派")
    entry = CaseAssignment.objects.get(case=case)
    assert (entry.from_user_id, entry.to_user_id) == (None, world.reviewer.pk)


@pytest.mark.django_db
def test_only_the_head_reassigns(world):
    case = world.in_review()
    services.claim_case(case.pk, officer=world.reviewer)
    for officer in (world.reviewer, world.approver, world.front_desk):
        with pytest.raises(PermissionDenied):
            services.reassign_case(case.pk, head=officer, to_user=world.approver, reason="调整")
    assert _held_by(case) == world.reviewer.pk


@pytest.mark.django_db
def test_reassigning_to_a_non_member_or_without_a_reason_is_refused_field_by_field(world):
    case = world.in_review()
    other_dept_officer = factories.officer(factories.department(), Job.REVIEWER)
    for to_user in (other_dept_officer, world.front_desk, world.applicant, None):
        with pytest.raises(ValidationError) as exc:
            services.reassign_case(case.pk, head=world.head, to_user=to_user, reason="调整")
        assert set(exc.value.message_dict) == {"to_user"}
    with pytest.raises(ValidationError) as exc:
        services.reassign_case(case.pk, head=world.head, to_user=world.reviewer, reason="  ")
    assert set(exc.value.message_dict) == {"reason"}
    assert _held_by(case) is None
    assert not CaseAssignment.objects.exists()


@pytest.mark.django_db
def test_reassigning_to_the_current_holder_is_refused(world):
    case = world.in_review()
    services.claim_case(case.pk, officer=world.reviewer)
    with pytest.raises(ValidationError) as exc:
        services.reassign_case(case.pk, head=world.head, to_user=world.reviewer, reason="调整")
    assert set(exc.value.message_dict) == {"to_user"}
    assert CaseAssignment.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_a_joint_item_is_not_claimed_or_reassigned_as_a_whole(world):
    co = factories.department(region_code="429901")
    joint_version = factories.item_version(dept=world.dept, co_departments=(co,))
    joint = dataclasses.replace(world, version=joint_version)
    case = joint.accepted()
    with pytest.raises(Conflict):
        services.claim_case(case.pk, officer=world.reviewer)
    with pytest.raises(Conflict):
        services.reassign_case(case.pk, head=world.head, to_user=world.reviewer, reason="调整")
    assert _held_by(case) is None
    assert not CaseAssignment.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_claiming_at_the_same_moment_one_holds_it(on_day):
    world = build_world()
    case = world.accepted()
    officers = [world.reviewer, world.approver, world.head] * 3
    barrier = threading.Barrier(len(officers))
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(officer):
        try:
            barrier.wait(timeout=30)
            services.claim_case(case.pk, officer=officer)
            result = f"ok:{officer.pk}"
        except Conflict:
            result = "conflict"
        except Exception as exc:
            result = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker, args=(o,)) for o in officers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    holder = _held_by(case)
    # The winner's own repeated claims are no-ops; everyone else gets a conflict.
    assert sorted(outcomes) == sorted(["conflict"] * 6 + [f"ok:{holder}"] * 3)
    assert list(CaseAssignment.objects.filter(case=case).values_list("to_user_id", flat=True)) == [holder]
