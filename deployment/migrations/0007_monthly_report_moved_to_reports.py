"""The monthly reports moved to the reports app (reports/0001, which keeps this app's table):
take the model out of deployment's state only. No table is dropped."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("deployment", "0006_abstraction_borough"),
        ("reports", "0001_monthly_report_moved_from_deployment"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="MonthlyReport")],
            database_operations=[],
        ),
    ]
