"""Every filing and every transition writes each index of approvals_case and approvals_transitionlog,
so no single-column index is kept where a composite one leads with the same column; and the
partial indexes that other apps' migrations create with raw SQL survive the engine's migrations
(on SQLite an AlterField rebuilds the table and would drop them: migration 0005 drops by name)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def indexes(table: str) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name: c["columns"] for name, c in constraints.items() if (c["index"] or c["unique"]) and not c["primary_key"] and c["columns"]}


#: table → columns whose single-column index a composite index (leading with them) makes redundant.
COVERED = {
    "approvals_case": ("state", "applicant_id", "item_version_id"),
    "approvals_transitionlog": ("case_id",),
    "approvals_idempotencyrecord": ("user_id",),
}


@pytest.mark.parametrize("table", sorted(COVERED))
def test_no_single_column_index_duplicates_a_composite_one(table):
    found = indexes(table)
    for column in COVERED[table]:
        assert [name for name, cols in found.items() if len(cols) > 1 and cols[0] == column], (column, found)
        assert not [name for name, cols in found.items() if cols == [column]], (column, found)
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
    assert set(COVERED[table]) <= set(columns)


def test_the_partial_and_composite_indexes_of_the_lists_and_the_sweeps_are_there():
    names = set(indexes("approvals_case"))
    assert {
        "case_intake_sweep_idx", "case_pledge_sweep_idx", "case_applicant_idx",
        "workbench_case_inbox_due_idx", "workbench_case_inbox_received_idx", "workbench_case_version_state_idx",
        "workbench_case_queue_due_idx", "supervision_case_promised_due", "supervision_case_statutory_due",
        "reports_case_received_idx", "reports_case_decided_idx",
    } <= names
    assert {"transitionlog_case_idx", "reports_tlog_case_cmd_idx"} <= set(indexes("approvals_transitionlog"))
