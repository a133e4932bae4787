"""The applicant's pledge declaration (承诺书) moves from the citizen portal into the case engine,
which now requires it at submission on every channel.

The table stays where it is (``citizen_portal_pledgedeclaration``, created by
``citizen_portal.0001_initial``): this migration only adds the model to the ``approvals`` state
(``SeparateDatabaseAndState``, no SQL) and then adds the nullable ``recorded_by`` column (the
front-desk officer who took the signed declaration at the window). ``citizen_portal.0002`` removes
the model from the portal's state once this one has run, on a fresh database and on an existing one."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('approvals', '0005_drop_redundant_indexes'),
        ('citizen_portal', '0001_initial'),  # the table exists
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PledgeDeclaration',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('material_codes', models.JSONField(default=list, verbose_name='pledgeable materials')),
                        ('text', models.TextField(verbose_name='declaration text')),
                        ('declared_at', models.DateTimeField(verbose_name='declared at')),
                        ('case', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='pledge_declaration', to='approvals.case')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'pledge declaration',
                        'verbose_name_plural': 'pledge declarations',
                        'db_table': 'citizen_portal_pledgedeclaration',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name='pledgedeclaration',
            name='recorded_by',
            field=models.ForeignKey(blank=True, help_text='The front-desk officer who took the signed declaration.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
    ]
