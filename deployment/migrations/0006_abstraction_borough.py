import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Abstractions keep the borough they were recorded in (the officer's at the time), so an
    officer's transfer does not carry their past abstractions to the new borough."""

    dependencies = [
        ("deployment", "0005_duty_at_most_max_shift"),
        ("teams", "0002_officer_transfers"),
        ("wards", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="abstraction",
            name="borough",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="abstractions",
                to="wards.borough",
            ),
        ),
        migrations.RunSQL(
            "UPDATE deployment_abstraction a SET borough_id = o.borough_id "
            "FROM teams_officer o WHERE o.id = a.officer_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="abstraction",
            name="borough",
            field=models.ForeignKey(
                help_text="The officer's borough when abstracted: the record stays with it if "
                "they transfer later.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="abstractions",
                to="wards.borough",
            ),
        ),
    ]
