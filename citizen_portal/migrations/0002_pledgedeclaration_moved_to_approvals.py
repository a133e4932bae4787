"""The pledge declaration now belongs to the case engine (``approvals.0006_pledgedeclaration``,
same table): the portal's state forgets the model, no SQL touches the table. Its content type (and
so its permissions) is handed to ``approvals`` when it exists and ``approvals`` has none yet."""

from django.db import migrations

MODEL = 'pledgedeclaration'


def hand_over_content_type(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    if not types.filter(app_label='approvals', model=MODEL).exists():
        types.filter(app_label='citizen_portal', model=MODEL).update(app_label='approvals')


class Migration(migrations.Migration):

    dependencies = [
        ('citizen_portal', '0001_initial'),
        ('approvals', '0006_pledgedeclaration'),  # the model is in the engine's state first
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='PledgeDeclaration')],
            database_operations=[],
        ),
        # Backwards: content types follow the code's models (post_migrate), not the migration state.
        migrations.RunPython(hand_over_content_type, migrations.RunPython.noop),
    ]
