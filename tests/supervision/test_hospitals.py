"""manage.py load_hospitals: London's hospitals as Places in their wards, loaded again without
changing anything, and counted in the wards' workload."""

import pytest
from django.core.management import call_command

from supervision.hospitals import load_hospitals
from wards.london import load_london
from wards.models import Place

pytestmark = pytest.mark.django_db


def test_it_loads_each_hospital_once_into_its_ward(db):
    load_london()
    first = load_hospitals()
    assert first.created == Place.objects.filter(kind=Place.Kind.HOSPITAL).count() > 140
    guys = Place.objects.get(kind=Place.Kind.HOSPITAL, name="Guy's Hospital")
    assert guys.ward.borough.name == "Southwark"
    assert guys.source_ref.startswith("ods:")
    again = load_hospitals()
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == first.created
    call_command("load_hospitals")  # the command runs the same, idempotently
    assert Place.objects.filter(kind=Place.Kind.HOSPITAL).count() == first.created
