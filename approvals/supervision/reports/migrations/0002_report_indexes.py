"""Indexes the reports need on the case engine's tables (owned by the ``approvals`` app, so they are
created here with IF NOT EXISTS rather than in that app's models): the period scan of the log by
time, the per-case look-ups of earlier log rows by command, the case rows by receipt date and the
disclosure board by decision time."""

from django.db import migrations

INDEXES = (
    ("reports_tlog_at_cmd_idx", "approvals_transitionlog (at, command)"),
    ("reports_tlog_case_cmd_idx", "approvals_transitionlog (case_id, command, id)"),
    ("reports_case_received_idx", "approvals_case (received_on)"),
    ("reports_case_decided_idx", "approvals_case (decided_at, id)"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("approvals", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {target}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, target in INDEXES
    ]
