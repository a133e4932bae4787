"""Partial indexes for the workbench lists: the cases awaiting a department in due (or receipt)
order and the intake queue in intake-due order. A list page reads its 20 rows walking one of them
and skipping other departments' cases, instead of sorting every case of the department.
(``approvals.Case`` belongs to the case engine; the indexes are created here, if missing, so that
no second app writes approvals migrations.)"""

from django.db import migrations

# Must equal approvals.workbench.views.INBOX_STATES / QUEUE_STATES (checked by a test): a query's
# ``state IN (…)`` has to imply the index predicate for the planner to use these partial indexes.
INBOX = "'accepted', 'accepted_with_pledge', 'in_review', 'supplement_requested', 'approved', 'issued'"
QUEUE = "'submitted', 'correction_requested'"


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0001_initial"),
        ("workbench", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS workbench_case_inbox_due_idx ON approvals_case (decision_due_promised, id) "
            f"WHERE state IN ({INBOX})",
            "DROP INDEX IF EXISTS workbench_case_inbox_due_idx",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS workbench_case_inbox_received_idx ON approvals_case (received_at, id) "
            f"WHERE state IN ({INBOX})",
            "DROP INDEX IF EXISTS workbench_case_inbox_received_idx",
        ),
        migrations.RunSQL(  # the lists' counts: index-only over one department's item versions
            "CREATE INDEX IF NOT EXISTS workbench_case_version_state_idx ON approvals_case (item_version_id, state)",
            "DROP INDEX IF EXISTS workbench_case_version_state_idx",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS workbench_case_queue_due_idx ON approvals_case (intake_due, id) "
            f"WHERE state IN ({QUEUE})",
            "DROP INDEX IF EXISTS workbench_case_queue_due_idx",
        ),
    ]
