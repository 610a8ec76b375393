"""Staff import places from CSV: each row lands in a ward by its code or its location; rows that
cannot are rejected with the reason, and other boroughs are out of reach."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from promises.places_import import import_places
from tests import factories as f
from wards.models import Place

pytestmark = pytest.mark.django_db

CSV = """name,kind,address,postcode,lat,lng,ward_code,source_ref
St Dominic's Priory,Place of worship,Southampton Road,NW5 4LB,,,{a},osm:1
Camden College,college,,,{lat_a},{lng_a},,osm:2
Soho Mosque,place_of_worship,,,,,{b},osm:3
Nowhere Hall,hospital,,,51.30,0.30,,osm:4
No Kind,,,,,,{a},
Half located,college,,,51.5,,,
"""


def csv_for(ward_a, ward_b):
    return CSV.format(
        a=ward_a.code, b=ward_b.code, lat_a=ward_a.centroid_lat, lng_a=ward_a.centroid_lng
    )


def test_rows_land_in_wards_by_code_or_location_and_bad_rows_are_reported(staff_a, ward_a, ward_b):
    report = import_places(csv_for(ward_a, ward_b), user=staff_a)

    assert sorted(p.name for p in Place.objects.filter(ward=ward_a)) == [
        "Camden College",
        "St Dominic's Priory",
    ]
    assert Place.objects.get(name="Camden College").kind == "college"
    assert [line for line, _ in report.rejected] == [4, 5, 6, 7]
    reasons = dict(report.rejected)
    assert "not one of your wards" in reasons[4]  # Westminster: another borough
    assert "not in any of your wards" in reasons[5]
    assert "Unknown kind" in reasons[6]
    assert "both latitude and longitude" in reasons[7]
    assert not Place.objects.filter(ward=ward_b).exists()


def test_importing_again_updates_rather_than_duplicates(staff_a, ward_a, ward_b):
    import_places(csv_for(ward_a, ward_b), user=staff_a)
    report = import_places(csv_for(ward_a, ward_b).replace("NW5 4LB", "NW5 4LE"), user=staff_a)

    assert (len(report.created), len(report.updated)) == (0, 2)
    assert Place.objects.get(source_ref="osm:1").postcode == "NW5 4LE"


def test_a_file_without_the_needed_columns_is_rejected(staff_a):
    report = import_places("title,type\nA,B\n", user=staff_a)
    assert report.rejected == [(1, "The header must have at least the columns name and kind.")]


@pytest.mark.parametrize("who, status", [("staff_a", 200), ("commander_a", 403), (None, 302)])
def test_the_import_page(client, cast, who, status, ward_a, ward_b):
    if who:
        client.force_login(cast(who))
    upload = SimpleUploadedFile("places.csv", csv_for(ward_a, ward_b).encode(), "text/csv")
    response = client.post(reverse("promises:place_import"), {"file": upload})
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "2 added, 0 updated, 4 rejected" in body
        assert "Unknown kind" in body
    assert Place.objects.count() == (2 if status == 200 else 0)


def test_a_place_of_another_borough_cannot_be_taken_over_by_its_source_ref(staff_a, ward_a):
    other = f.PlaceFactory(source_ref="osm:9", name="Theirs")
    report = import_places(
        f"name,kind,ward_code,source_ref\nMine,college,{ward_a.code},osm:9\n", user=staff_a
    )
    other.refresh_from_db()
    assert other.name == "Theirs"
    assert report.rejected[0][1] == "That source reference is already in use."  # not whose


def test_a_reference_twice_in_one_file_is_reported_not_a_crash(staff_a, ward_a):
    code = ward_a.code
    text = f"name,kind,ward_code,source_ref\nA,college,{code},osm:9\nB,college,{code},osm:9\n"
    report = import_places(text, user=staff_a)
    assert [p.name for p in report.created] == ["A"]
    assert report.rejected == [(3, "osm:9 appears earlier in the file.")]


def test_a_long_reference_is_found_again_on_the_next_import(staff_a, ward_a):
    ref = "osm:" + "9" * 60
    text = f"name,kind,ward_code,source_ref\nA,college,{ward_a.code},{ref}\n"
    import_places(text, user=staff_a)
    again = import_places(text.replace("A,college", "A2,college"), user=staff_a)
    assert (len(again.created), len(again.updated)) == (0, 1)
    assert Place.objects.get(source_ref=ref[:40]).name == "A2"


def test_an_unreadable_csv_is_reported_not_a_crash(staff_a, ward_a):
    text = f'name,kind,ward_code\n"{"x" * 200_000}",college,{ward_a.code}\n'
    report = import_places(text, user=staff_a)
    assert report.created == [] and "cannot be read" in report.rejected[0][1]
