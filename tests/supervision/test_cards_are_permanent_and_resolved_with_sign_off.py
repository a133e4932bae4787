"""Cards are permanent: resolved once with a written explanation and signed off once by another
person from the supervision office; never edited, never deleted (in Python and, on PostgreSQL,
by a database trigger)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.http import Http404

from approvals.supervision import cards
from approvals.supervision.models import Card
from approvals.supervision.sweep import run_sweep
from tests import factories
from tests.supervision.supervision_world import Job, accepted_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(world, on_day) -> Card:
    accepted_on(world, on_day, date(2026, 9, 16))
    run_sweep(date(2026, 10, 8))
    return Card.objects.get(kind="yellow")


def test_explained_by_the_department_and_signed_off_by_the_office(world, card):
    cards.resolve(card.pk, user=world.head, explanation="现场核查排期延误，已调整人员并于次日办结。")
    signed = cards.sign_off(card.pk, supervisor=world.supervisor)
    card.refresh_from_db()
    assert card.resolved_by == world.head and card.signed_off_by == world.supervisor
    assert signed.signed_off_at is not None and Card.objects.filter(pk=card.pk).exists()


def test_resolution_and_sign_off_happen_once_each(world, card):
    with pytest.raises(ValidationError) as err:
        cards.sign_off(card.pk, supervisor=world.supervisor)
    assert err.value.error_dict["card"][0].code == "unresolved"
    with pytest.raises(ValidationError):
        cards.resolve(card.pk, user=world.reviewer, explanation="太短")
    cards.resolve(card.pk, user=world.supervisor, explanation="监察室核实：系统排期错误导致延误。")
    with pytest.raises(ValidationError) as err:
        cards.resolve(card.pk, user=world.head, explanation="再写一次说明，覆盖原来的说明文字。")
    assert err.value.error_dict["explanation"][0].code == "resolved"
    with pytest.raises(ValidationError) as err:
        cards.sign_off(card.pk, supervisor=world.supervisor)  # the author cannot sign off
    assert err.value.error_dict["card"][0].code == "same_person"
    cards.sign_off(card.pk, supervisor=world.supervisor2)
    with pytest.raises(ValidationError):
        cards.sign_off(card.pk, supervisor=world.supervisor2)
    card.refresh_from_db()
    assert card.resolution.startswith("监察室核实")


def test_only_the_department_or_the_office_may_act(world, card):
    other_dept = factories.department()
    stranger = factories.officer(other_dept, Job.DEPARTMENT_HEAD)
    with pytest.raises(Http404):
        cards.resolve(card.pk, user=stranger, explanation="与我无关的说明文字，不应被接受。")
    cards.resolve(card.pk, user=world.reviewer, explanation="已经书面说明了延误的原因。")
    with pytest.raises(PermissionDenied):
        cards.sign_off(card.pk, supervisor=world.head)  # a department head is not the office
    card.refresh_from_db()
    assert card.signed_off_at is None


def test_cards_cannot_be_deleted_or_edited(card):
    with pytest.raises(PermissionError):
        card.delete()
    with pytest.raises(PermissionError):
        Card.objects.filter(pk=card.pk).delete()
    with pytest.raises(PermissionError):
        Card.objects.filter(pk=card.pk).update(kind="prompt")
    card.working_days_over = 0
    with pytest.raises(PermissionError):
        card.save()
    with pytest.raises(PermissionError):
        card.save(update_fields=["working_days_over"])
    assert Card.objects.get(pk=card.pk).working_days_over == 1


@pytest.mark.postgres
def test_the_database_refuses_deletes_and_edits_on_postgresql(world, card):
    for sql in (
        "DELETE FROM supervision_card WHERE id = %s",
        "UPDATE supervision_card SET kind = 'prompt' WHERE id = %s",
        "UPDATE supervision_card SET detected_on = detected_on + 1 WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="permanent"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [card.pk])
    cards.resolve(card.pk, user=world.head, explanation="书面说明：已整改并办结该件。")
    with pytest.raises(DatabaseError, match="already resolved"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE supervision_card SET resolution = 'x' WHERE id = %s", [card.pk])
    assert Card.objects.get(pk=card.pk).kind == "yellow"
