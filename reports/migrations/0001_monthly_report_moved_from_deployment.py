"""The monthly reports moved from the deployment app to their own: the model changes app, its
table (deployment_monthlyreport) and rows stay where they are. Only Django's state moves here;
deployment/0007 removes the model from deployment's state.

The content type is renamed rather than created anew, so the admin's history of these reports and
any permission granted on them follow the model."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODEL = "monthlyreport"


def _rename_content_type(apps, old_label, new_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = ContentType.objects.db_manager()
    if db.filter(app_label=new_label, model=MODEL).exists():
        return  # already there (a database that never had the old one keeps its own)
    db.filter(app_label=old_label, model=MODEL).update(app_label=new_label)


def content_type_to_reports(apps, schema_editor):
    _rename_content_type(apps, "deployment", "reports")


def content_type_to_deployment(apps, schema_editor):
    _rename_content_type(apps, "reports", "deployment")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("deployment", "0006_abstraction_borough"),
        ("wards", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MonthlyReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(help_text='The first day of the month reported on.')),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('status', models.CharField(choices=[('pending', 'Waiting to start'), ('running', 'Being produced'), ('ready', 'Ready'), ('failed', 'Failed')], default='pending', max_length=10)),
                        ('figures', models.JSONField(blank=True, null=True)),
                        ('source', models.JSONField(blank=True, help_text='What it was computed from: row counts, max ids/times.', null=True)),
                        ('error', models.TextField(blank=True)),
                        ('task_id', models.CharField(blank=True, max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                        ('claim_token', models.CharField(blank=True, max_length=36)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('computed_at', models.DateTimeField(blank=True, null=True)),
                        ('emailed_at', models.DateTimeField(blank=True, null=True)),
                        ('borough', models.ForeignKey(blank=True, help_text='Empty for the Met-wide roll-up.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='monthly_reports', to='wards.borough')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'deployment_monthlyreport',
                        'ordering': ['-month', 'borough__name', '-version'],
                        'constraints': [models.UniqueConstraint(fields=('borough', 'month', 'version'), name='monthly_report_one_per_version', nulls_distinct=False), models.CheckConstraint(condition=models.Q(('month__day', 1)), name='monthly_report_month_is_first_day'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'ready'), _negated=True), models.Q(('computed_at__isnull', False), ('figures__isnull', False)), _connector='OR'), name='monthly_report_ready_has_figures')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_reports, content_type_to_deployment),
    ]
