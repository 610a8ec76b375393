"""The crime form's map, server side: a point placed on it must fall in one of the user's wards
(a GOV.UK error otherwise, nothing saved) and decides the ward; "Show the postcode on the map"
places the postcode's point without checking (or saving) the rest of the form."""

import pytest

from tests import factories as f
from tests.pages import signed_in
from tests.victims.factories import crime_form
from victims.models import Crime

pytestmark = pytest.mark.django_db
NEW = "/victims/crimes/new/"
IDA = [{"name": "Ida Marsh", "phone": "07700 900001"}]
OUTSIDE = "The point placed on the map is not in a ward of your boroughs"


def _at(ward, d_lat="0.001", d_lng="-0.002") -> dict:
    """A point inside the ward's (test) square, off its centre."""
    ward.refresh_from_db()
    return {"lat": str(ward.centroid_lat + type(ward.centroid_lat)(d_lat)),
            "lng": str(ward.centroid_lng + type(ward.centroid_lng)(d_lng))}


def test_a_point_in_one_of_the_user_s_wards_places_the_crime_and_its_ward(
    client, staff_a, ward_a
):
    point = _at(ward_a)
    data = {**crime_form(ward_a, IDA), "ward": "", **point}
    response = signed_in(client, staff_a).post(NEW, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    crime = Crime.objects.get()
    assert crime.ward == ward_a
    assert (str(crime.lat), str(crime.lng)) == (point["lat"], point["lng"])


def test_the_point_beats_the_postcode_s_centre(client, staff_a, ward_a):
    f.PostcodeFactory(postcode="NW3 2QG", ward=ward_a)
    point = _at(ward_a)
    data = {**crime_form(ward_a, IDA), "ward": "", "postcode": "NW3 2QG", **point}
    assert signed_in(client, staff_a).post(NEW, data).status_code == 302
    assert str(Crime.objects.get().lat) == point["lat"]


@pytest.mark.parametrize("where", ["other borough", "the sea", "far off the map"])
def test_a_point_outside_the_user_s_wards_is_a_govuk_error(client, staff_a, ward_a, ward_b, where):
    point = {
        "other borough": _at(ward_b),
        "the sea": {"lat": "0", "lng": "0"},
        "far off the map": {"lat": "999.999999", "lng": "-999.999999"},
    }[where]
    data = {**crime_form(ward_a, IDA), "ward": "", **point}
    response = signed_in(client, staff_a).post(NEW, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and OUTSIDE in page
    assert 'href="#id_postcode"' in page  # the summary links to a field a person can reach
    assert not Crime.objects.exists()


def test_a_point_in_another_ward_than_the_one_chosen_says_so(client, staff_a, ward_a, borough_a):
    other = f.WardFactory(name="Gospel Oak", borough=borough_a)
    data = {**crime_form(ward_a, IDA), **_at(other)}
    response = signed_in(client, staff_a).post(NEW, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The point placed on the map is in Gospel Oak, not Haverstock" in page
    assert not Crime.objects.exists()


def test_showing_the_postcode_places_its_point_and_checks_nothing_else(client, staff_a, ward_a):
    postcode = f.PostcodeFactory(postcode="NW3 2QG", ward=ward_a)
    postcode.refresh_from_db()
    data = {"postcode": "nw3 2qg", "locate": "1", "victims-TOTAL_FORMS": "4",
            "victims-INITIAL_FORMS": "0", "victims-MIN_NUM_FORMS": "1",
            "victims-MAX_NUM_FORMS": "4"}  # fmt: skip
    response = signed_in(client, staff_a).post(NEW, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-lat="{postcode.lat}" data-lng="{postcode.lng}"' in page
    assert "govuk-error-summary" not in page and "govuk-error-message" not in page
    assert 'data-geojson-script="crime-map-areas"' in page and ward_a.name in page
    assert not Crime.objects.exists()


def test_showing_an_unknown_postcode_says_why(client, staff_a, ward_a, ward_b):
    f.PostcodeFactory(postcode="W1D 3QF", ward=ward_b)
    data = {**crime_form(ward_a, []), "ward": "", "postcode": "W1D 3QF", "locate": "1"}
    response = signed_in(client, staff_a).post(NEW, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "W1D 3QF is not in a ward of your boroughs" in page
    assert "Enter the victim" not in page  # the victims wait for the record itself
    assert "data-lat=" not in page


def test_the_map_shows_only_the_user_s_wards(client, staff_a, ward_a, ward_b):
    page = signed_in(client, staff_a).get(NEW).content.decode()
    assert '"name": "Haverstock"' in page and "Soho" not in page
    assert "Skip the map" in page
