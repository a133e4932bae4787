"""``OfficialDocument.case_id`` (an integer) becomes the foreign key ``case`` to approvals.Case.

The column keeps its name (``case_id``); values that name no case are cleared first.
"""

import django.db.models.deletion
from django.db import migrations, models


def clear_dangling(apps, schema_editor):
    OfficialDocument = apps.get_model("documents", "OfficialDocument")
    Case = apps.get_model("approvals", "Case")
    OfficialDocument.objects.exclude(case_id__isnull=True).exclude(
        case_id__in=Case.objects.values("pk")
    ).update(case_id=None)


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0001_initial"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(clear_dangling, migrations.RunPython.noop),
        migrations.RenameField("officialdocument", "case_id", "case"),
        migrations.AlterField(
            model_name="officialdocument",
            name="case",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="documents",
                to="approvals.case", verbose_name="case",
            ),
        ),
    ]
