"""API tokens now expire (django-rest-knox stores only their hashes). The old tokens of DRF's
authtoken never expired and were stored in plain text: drop their table, so none can be used or
read again. Users sign in for a new token."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0003_planned_transfers"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
