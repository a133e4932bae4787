"""The compiled INSERTs of every filing and transition (``approvals.cases.inserts``) stay on.

``inserts.insert`` quietly falls back to ``save()`` for a model someone listens to (a ``pre_save``
or ``post_save`` receiver), and on PostgreSQL ``insert_numbered`` then files a case in three
statements instead of one: still correct, only slower, so nothing else would notice. These tests
fail the moment that happens to ``Case`` or ``TransitionLog`` in the real configuration (every
project module imported, so every receiver connected at import time or in an app's ``ready()`` is
connected), and show that they do fail when a receiver is connected.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.db import connection, models
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from approvals.cases import inserts, services
from approvals.models import Case, TransitionLog
from tests import factories

PROJECT_PACKAGES = ("accounts", "approvals", "citizen_portal")
FIELDS = {"shop_name": "面馆", "area": "30"}


def import_every_project_module() -> None:
    """What a running server and worker have imported: every module of the project (migrations
    aside), the URLs and the Celery app."""
    for name in PROJECT_PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)
    importlib.import_module("config.urls")
    importlib.import_module("config.celery")


def save_receivers(model: type[models.Model]) -> list[str]:
    """Who listens to the model's saves (for the failure message)."""
    found = []
    for label, signal in (("pre_save", pre_save), ("post_save", post_save)):
        sync_receivers, async_receivers = signal._live_receivers(model)
        found += [f"{label}: {r.__module__}.{r.__qualname__}" for r in (*sync_receivers, *async_receivers)]
    return found


def assert_fast_path_on() -> None:
    for model in (Case, TransitionLog):
        assert model.save is models.Model.save, f"{model.__name__} overrides save(): inserts.insert refuses it"
        assert inserts.fast_path_on(model), (
            f"{model.__name__} rows would be written by save(), not the compiled INSERT: "
            f"{save_receivers(model) or 'the database returns no columns from an INSERT'}"
        )
    if connection.vendor == "postgresql":
        assert inserts.one_statement_filing_on()


def test_cases_and_their_log_rows_are_written_by_the_compiled_inserts():
    import_every_project_module()
    assert_fast_path_on()


@pytest.mark.parametrize("model", [Case, TransitionLog], ids=["case", "log"])
@pytest.mark.parametrize("signal", [post_save, pre_save], ids=["post_save", "pre_save"])
def test_a_save_receiver_switches_the_fast_path_off_and_is_caught(model, signal):
    def listener(sender, instance, **kwargs):
        pass

    signal.connect(listener, sender=model, dispatch_uid="test-fast-path-listener")
    try:
        assert not inserts.fast_path_on(model)
        assert not inserts.one_statement_filing_on()
        with pytest.raises(AssertionError, match=f"{model.__name__} rows would be written by save"):
            assert_fast_path_on()
    finally:
        signal.disconnect(sender=model, dispatch_uid="test-fast-path-listener")
    assert_fast_path_on()


@pytest.mark.postgres
def test_a_filing_on_postgresql_is_one_statement(world):
    """The number, the case and its first log row in the one CTE statement of ``insert_numbered``
    (the budget tests/approvals/test_case_numbers_under_concurrency.py pins); with a save receiver
    the same filing takes the ordinary path, and more statements."""
    import_every_project_module()
    version = factories.item_version(dept=world.dept, materials=(("M01", "optional"),))

    def file():
        return services.create_case(user=world.applicant, item_code=version.item.code, fields=FIELDS, submit=True)

    file()  # the first filing of the region and year creates the counter row (the ordinary path)
    with CaptureQueriesContext(connection) as queries:
        case = file()
    [statement] = [q["sql"] for q in queries.captured_queries]
    assert statement.startswith("WITH n AS (UPDATE")
    assert f'INSERT INTO "{Case._meta.db_table}"' in statement
    assert f'INSERT INTO "{TransitionLog._meta.db_table}"' in statement
    assert case.case_no.endswith("-000002") and TransitionLog.objects.filter(case=case, command="submit").exists()

    def listener(sender, instance, **kwargs):
        pass

    post_save.connect(listener, sender=TransitionLog, dispatch_uid="test-fast-path-listener")
    try:
        with CaptureQueriesContext(connection) as queries:
            file()
    finally:
        post_save.disconnect(sender=TransitionLog, dispatch_uid="test-fast-path-listener")
    assert len(queries.captured_queries) > 1
    assert not any(q["sql"].startswith("WITH n AS (UPDATE") for q in queries.captured_queries)
