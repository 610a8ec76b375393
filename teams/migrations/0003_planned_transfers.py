import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Transfers can be planned ahead: a status (transfers recorded so far were done at once),
    when it was done, why the daily job could not do it, and its cancellation."""

    dependencies = [
        ("teams", "0002_officer_transfers"),
    ]

    operations = [
        migrations.AddField(
            model_name="officertransfer",
            name="status",
            field=models.CharField(
                choices=[("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
                default="done",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="officertransfer",
            name="status",
            field=models.CharField(
                choices=[("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
                default="planned",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="officertransfer",
            name="done_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunSQL(
            "UPDATE teams_officertransfer SET done_at = transferred_at WHERE status = 'done'",
            migrations.RunSQL.noop,
        ),
        migrations.AddField(
            model_name="officertransfer",
            name="blocked_reason",
            field=models.CharField(
                blank=True,
                help_text="Why the daily job could not do it on its day.",
                max_length=500,
            ),
        ),
        migrations.AddField(
            model_name="officertransfer",
            name="cancelled_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="officertransfer",
            name="cancelled_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="officertransfer",
            name="cancel_reason",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddConstraint(
            model_name="officertransfer",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "planned")),
                fields=("officer",),
                name="one_planned_transfer_per_officer",
            ),
        ),
    ]
