"""``approvals.cases.inserts.insert`` (the case and log rows of every filing and transition) writes exactly
the row ``Model.save()`` would: every column, defaults and ``auto_now_add`` included."""

from __future__ import annotations

import pytest
from django.db.models.signals import post_save

from approvals.cases import clock, inserts, services
from approvals.cases.services import allocate_case_no
from approvals.models import Case, TransitionLog


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


@pytest.mark.postgres
def test_a_case_filed_in_one_statement_equals_the_ordinary_path(world):
    """PostgreSQL: ``insert_numbered`` (counter, case and first log row as one CTE statement) writes
    the rows ``save()`` writes, and the next consecutive number."""
    allocate_case_no("429901", 2026)  # the counter row exists (the first filing takes the ordinary path)
    by_orm = new_case(world, allocate_case_no("429901", 2026))
    by_orm.state = "submitted"
    by_orm.save(force_insert=True)
    orm_log = TransitionLog.objects.create(
        case=by_orm, from_state="draft", to_state="submitted", command="submit", actor=world.applicant,
        at=clock.now(), details={"intake_due": "2026-09-25"},
    )
    fast = new_case(world, "")
    fast.state = "submitted"
    fast_log = TransitionLog(
        case=fast, from_state="draft", to_state="submitted", command="submit", actor=world.applicant,
        at=orm_log.at, details={"intake_due": "2026-09-25"},
    )
    assert inserts.insert_numbered(fast, "429901", 2026, fast_log)
    assert fast.case_no == "429901-2026-000003" and not fast._state.adding
    assert fast_log.pk and fast_log.case_id == fast.pk
    a, b = row(Case, by_orm.pk), row(Case, fast.pk)
    assert (a.pop("case_no"), b.pop("case_no")) == ("429901-2026-000002", "429901-2026-000003")
    assert abs((a.pop("created_at") - b.pop("created_at")).total_seconds()) < 5
    assert a == b
    a, b = row(TransitionLog, orm_log.pk), row(TransitionLog, fast_log.pk)
    assert (a.pop("case_id"), b.pop("case_id")) == (by_orm.pk, fast.pk)
    assert a == b
    # A draft: the case alone.
    draft = new_case(world, "")
    assert inserts.insert_numbered(draft, "429901", 2026)
    assert draft.case_no == "429901-2026-000004"
    assert not TransitionLog.objects.filter(case=draft).exists()


@pytest.mark.postgres
def test_without_a_counter_row_nothing_is_written_and_the_ordinary_path_is_taken(world):
    case = new_case(world, "")
    assert not inserts.insert_numbered(case, "429902", 2026)
    assert case.pk is None and not Case.objects.exists()
    filed = services.create_case(
        user=world.applicant, item_code=world.item_code, fields={"shop_name": "面馆", "area": "30"}
    )
    assert filed.case_no == f"{world.dept.region_code}-2026-000001"
