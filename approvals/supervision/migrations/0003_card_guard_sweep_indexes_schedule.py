"""Supervision sweep support.

1. PostgreSQL: a trigger makes cards permanent in the database too: no DELETE (TRUNCATE, used
   only by test flushes, is not affected), no UPDATE of anything but the resolution (once) and the
   sign-off (once). ``Card.save``/``delete`` enforce the same in Python on every database.
2. Partial indexes on the cases' decision dues, restricted to the states in which the decision
   clock runs, so the sweep reads only candidate rows (approvals_case belongs to the case engine;
   the indexes exist only for this sweep, so they are created here).
3. The periodic task in django-celery-beat: every 15 minutes (Asia/Shanghai).
"""

from django.db import migrations

OPEN = "('accepted', 'accepted_with_pledge', 'in_review')"
INDEXES = [
    ("supervision_case_promised_due", "decision_due_promised"),
    ("supervision_case_statutory_due", "decision_due_statutory"),
]

GUARD = """
CREATE OR REPLACE FUNCTION supervision_card_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'supervision cards are permanent: card % cannot be deleted', OLD.id;
    END IF;
    IF (NEW.id, NEW.kind, NEW.rule, NEW.subject_type, NEW.subject_id, NEW.case_id, NEW.task_id,
        NEW.complaint_id, NEW.ticket_id, NEW.department_id, NEW.limit_date, NEW.limit_days,
        NEW.detected_on, NEW.working_days_over, NEW.raised_at, NEW.sweep_run_id, NEW.details)
       IS DISTINCT FROM
       (OLD.id, OLD.kind, OLD.rule, OLD.subject_type, OLD.subject_id, OLD.case_id, OLD.task_id,
        OLD.complaint_id, OLD.ticket_id, OLD.department_id, OLD.limit_date, OLD.limit_days,
        OLD.detected_on, OLD.working_days_over, OLD.raised_at, OLD.sweep_run_id, OLD.details) THEN
        RAISE EXCEPTION 'supervision cards are permanent: card % cannot be edited', OLD.id;
    END IF;
    IF OLD.resolved_at IS NOT NULL AND (NEW.resolution, NEW.resolved_by_id, NEW.resolved_at)
       IS DISTINCT FROM (OLD.resolution, OLD.resolved_by_id, OLD.resolved_at) THEN
        RAISE EXCEPTION 'card % is already resolved', OLD.id;
    END IF;
    IF OLD.signed_off_at IS NOT NULL AND (NEW.signed_off_by_id, NEW.signed_off_at)
       IS DISTINCT FROM (OLD.signed_off_by_id, OLD.signed_off_at) THEN
        RAISE EXCEPTION 'card % is already signed off', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS supervision_card_guard ON supervision_card;
CREATE TRIGGER supervision_card_guard BEFORE UPDATE OR DELETE ON supervision_card
    FOR EACH ROW EXECUTE FUNCTION supervision_card_guard();
"""
UNGUARD = """
DROP TRIGGER IF EXISTS supervision_card_guard ON supervision_card;
DROP FUNCTION IF EXISTS supervision_card_guard();
"""

TASK_NAME = "supervision: sweep deadlines and rules (cards)"


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(GUARD)
        for name, column in INDEXES:
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON approvals_case ({column}) WHERE state IN {OPEN}")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="*/15", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={"task": "approvals.supervision.tasks.run_supervision_sweep", "crontab": schedule, "enabled": True},
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(UNGUARD)
        for name, _column in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0002_cards_complaints_ratings"),
        ("approvals", "0002_sweep_periodic_task"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
