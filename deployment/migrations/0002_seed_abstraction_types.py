from django.db import migrations

from deployment.reference import ABSTRACTION_TYPES, seed_abstraction_types


def seed(apps, schema_editor):
    seed_abstraction_types(apps.get_model("deployment", "AbstractionType"))


def unseed(apps, schema_editor):
    AbstractionType = apps.get_model("deployment", "AbstractionType")
    AbstractionType.objects.filter(code__in=[code for code, _, _ in ABSTRACTION_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("deployment", "0001_flex_duties_abstractions")]
    operations = [migrations.RunPython(seed, unseed)]
