"""``approvals.inserts.insert`` (the case and log rows of every filing and transition) writes exactly
the row ``Model.save()`` would: every column, defaults and ``auto_now_add`` included."""

from __future__ import annotations

import pytest
from django.db.models.signals import post_save

from approvals import clock, inserts
from approvals.models import Case, TransitionLog
from approvals.services import allocate_case_no


def row(model, pk) -> dict:
    """The stored row as the database returns it (column → value), the primary key left out."""
    values = model.objects.filter(pk=pk).values().get()
    values.pop("id")
    return values


def new_case(world, number: str) -> Case:
    return Case(
        case_no=number, verification_code="ABCDEFGHJK", item_version=world.version, applicant=world.applicant,
        fields={"shop_name": "面馆", "area": "35.5", "备注": "中文"}, channel=Case.Channel.WINDOW,
        received_at=clock.now(), received_on=clock.today(), intake_due=clock.today(),
    )


def test_a_case_row_equals_the_one_save_writes(world):
    by_orm = new_case(world, allocate_case_no("429901", 2026))
    by_orm.save(force_insert=True)
    fast = inserts.insert(new_case(world, allocate_case_no("429901", 2026)))
    assert fast.pk and fast.pk != by_orm.pk
    assert not fast._state.adding
    a, b = row(Case, by_orm.pk), row(Case, fast.pk)
    assert a.pop("case_no") != b.pop("case_no")
    assert abs((a.pop("created_at") - b.pop("created_at")).total_seconds()) < 5  # auto_now_add set
    assert a == b
    assert b["state"] == "draft" and b["round"] == 1 and b["fields"]["备注"] == "中文"  # model defaults


def test_a_log_row_equals_the_one_create_writes(world):
    case = world.new_case()
    kwargs = {
        "case": case, "from_state": "draft", "to_state": "submitted", "command": "submit",
        "actor": world.applicant, "at": clock.now(), "details": {"intake_due": "2026-09-25"},
    }
    by_orm = TransitionLog.objects.create(**kwargs)
    fast = inserts.insert(TransitionLog(**kwargs))
    assert row(TransitionLog, by_orm.pk) == row(TransitionLog, fast.pk)
    assert row(TransitionLog, fast.pk)["reason"] == "" and row(TransitionLog, fast.pk)["round"] == 1


def test_a_model_someone_listens_to_is_saved_the_ordinary_way(world):
    heard = []

    def listener(sender, instance, created, **kwargs):
        heard.append((instance.pk, created))

    post_save.connect(listener, sender=TransitionLog)
    try:
        entry = inserts.insert(TransitionLog(case=world.new_case(), from_state="draft", to_state="draft",
                                             command="note", at=clock.now()))
    finally:
        post_save.disconnect(listener, sender=TransitionLog)
    assert heard == [(entry.pk, True)]


def test_a_model_that_overrides_save_is_refused(db):
    from accounts.models import CitizenProfile  # its save() computes the ID number's digest

    with pytest.raises(TypeError, match="overrides save"):
        inserts.insert(CitizenProfile())
