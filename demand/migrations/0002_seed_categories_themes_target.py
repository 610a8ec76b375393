"""data.police.uk's crime categories, MOPAC's hotspot themes and its crime-reduction target.
HQ edits the themes and the target afterwards; reversing removes what no import uses."""

from django.db import migrations

from demand.reference import (
    CATEGORIES,
    DEFAULT_TARGET,
    THEMES,
    seed_categories,
    seed_target,
    seed_themes,
)


def seed(apps, schema_editor):
    Category = apps.get_model("demand", "Category")
    seed_categories(Category)
    seed_themes(apps.get_model("demand", "Theme"), Category)
    seed_target(apps.get_model("demand", "ReductionTarget"), Category)


def unseed(apps, schema_editor):
    apps.get_model("demand", "ReductionTarget").objects.filter(name=DEFAULT_TARGET["name"]).delete()
    apps.get_model("demand", "Theme").objects.filter(slug__in=list(THEMES)).delete()
    Category = apps.get_model("demand", "Category")
    StreetCrime = apps.get_model("demand", "StreetCrime")
    used = StreetCrime.objects.values("category_id")
    Category.objects.filter(slug__in=[c[0] for c in CATEGORIES]).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("demand", "0001_street_crime_cad_calls_counts_reference")]
    operations = [migrations.RunPython(seed, unseed)]
