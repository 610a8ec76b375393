from django.db import migrations

# The abstraction types seen in the Met's Dedicated Ward Officer abstractions data.
TYPES = [
    ("local-aid", "Local aid", "In-borough events and operations"),
    ("central-aid", "Central aid", "Off-borough: demonstrations, Notting Hill Carnival, New Year's Eve"),
    ("cad-room", "CAD room", "Covering the computer-aided dispatch room"),
    ("court", "Court", "Attending court"),
    ("training", "Training", "Courses and mandatory training"),
    ("response-cover", "Response cover", "Covering emergency response teams"),
    ("other", "Other", "Anything else; say what in the notes"),
]


def seed(apps, schema_editor):
    AbstractionType = apps.get_model("deployment", "AbstractionType")
    for order, (code, name, description) in enumerate(TYPES):
        AbstractionType.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "ordering": order}
        )


def unseed(apps, schema_editor):
    AbstractionType = apps.get_model("deployment", "AbstractionType")
    AbstractionType.objects.filter(code__in=[code for code, _, _ in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("deployment", "0001_flex_duties_abstractions")]
    operations = [migrations.RunPython(seed, unseed)]
