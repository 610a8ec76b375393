"""The crime categories and where each is routed. data.police.uk's categories, plus the
categories the Met handles in CID that data.police.uk folds into others. Admins edit the routing
afterwards; reversing removes only the rows seeded here that no crime uses."""

from django.db import migrations

from victims.reference import CATEGORIES, seed_crime_categories


def seed(apps, schema_editor):
    seed_crime_categories(apps.get_model("victims", "CrimeCategory"))


def unseed(apps, schema_editor):
    CrimeCategory = apps.get_model("victims", "CrimeCategory")
    CrimeCategory.objects.filter(slug__in=[c[0] for c in CATEGORIES], crimes__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("victims", "0001_crimes_victims_visit_offers")]
    operations = [migrations.RunPython(seed, unseed)]
