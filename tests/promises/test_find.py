"""Find your neighbourhood team (/find/, public): by full or partial postcode, by a ward's or
borough's name as people type it, and by the browser's location. Every way answers plainly:
straight to the team, a choice of wards with their boroughs, or what to try instead."""

import html
import re

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

FIND = reverse("promises:find")


def team_url(ward):
    return reverse("promises:public_team", args=[ward.code])


def text(response) -> str:
    """The page's visible words, tags stripped, entities decoded, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(body).split())


@pytest.fixture
def postcodes(ward_a, ward_b):
    """NW3 2QG in Haverstock (Camden); NW3 5ZZ in Soho (Westminster); EC2R 8AH in the City."""
    f.PostcodeFactory(postcode="NW3 2QG", ward=ward_a)
    f.PostcodeFactory(postcode="NW3 2QH", ward=ward_a)
    f.PostcodeFactory(postcode="NW3 5ZZ", ward=ward_b)
    f.PostcodeFactory(postcode="EC2R 8AH", ward=None)


def test_the_page_asks_for_a_postcode_or_a_name_and_shows_no_coordinates(client, db):
    response = client.get(FIND)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Postcode, or ward or borough name" in body
    assert "govuk-error-summary" not in body
    # The location is sent by script only: no field anyone can see or type into.
    assert re.findall(r'<input[^>]*name="(?:lat|lng)"[^>]*>', body) == [
        '<input type="hidden" name="lat" id="location-lat">',
        '<input type="hidden" name="lng" id="location-lng">',
    ]
    assert 'id="use-location" hidden' in body  # shown by static/js/find.js where it can work
    assert "Latitude" not in body and "Longitude" not in body


@pytest.mark.parametrize(
    "q, error",
    [
        ("", "Enter a postcode, or the name of a ward or borough"),
        ("   ", "Enter a postcode, or the name of a ward or borough"),
        ("E", "Enter a postcode, or at least 3 letters of a ward or borough name"),
        ("!!", "Enter a postcode, or at least 3 letters of a ward or borough name"),
        ("x" * 81, "Enter at most 80 characters"),
    ],
)
def test_an_empty_or_useless_search_is_an_error_summary(client, db, q, error):
    response = client.get(FIND, {"q": q})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and f'<a href="#id_q">{error}</a>' in body
    assert "<title>Error: Find your neighbourhood team" in body


@pytest.mark.parametrize("q", ["NW3 2QG", "nw32qg", " Nw3  2qG "])
def test_a_full_postcode_goes_straight_to_its_team(client, postcodes, ward_a, q):
    response = client.get(FIND, {"q": q})
    assert response.status_code == 302 and response["Location"] == team_url(ward_a)


def test_a_partial_postcode_offers_the_wards_it_spans_with_their_boroughs(
    client, postcodes, ward_a, ward_b
):
    response = client.get(FIND, {"q": "nw3"})
    words = text(response)
    assert "Wards in NW3" in words
    assert "Haverstock Camden 2" in words and "Soho Westminster 1" in words
    assert words.index("Haverstock") < words.index("Soho")  # most postcodes first
    body = response.content.decode()
    assert f'href="{team_url(ward_a)}"' in body and f'href="{team_url(ward_b)}"' in body


def test_a_city_of_london_postcode_says_who_polices_it(client, postcodes):
    words = text(client.get(FIND, {"q": "EC2R 8AH"}))
    assert "EC2R 8AH is in the City of London" in words
    assert "The City of London Police polices the City" in words


@pytest.mark.parametrize("q, said", [("NW3 9ZZ", "NW3 9ZZ"), ("nw39zz", "NW3 9ZZ"), ("SE1", "SE1")])
def test_an_unknown_postcode_is_said_plainly_with_the_other_ways(client, postcodes, q, said):
    response = client.get(FIND, {"q": q})
    words = text(response)
    assert response.status_code == 200
    assert f"We cannot find the postcode {said}" in words
    assert "search for the name of your ward or borough" in words
    assert "use your location" in words and "call 101" in words


def test_a_misspelt_name_finds_the_team(client, ward_a, ward_b):
    response = client.get(FIND, {"q": "Haverstok"})
    assert f'<a class="govuk-link" href="{team_url(ward_a)}">Haverstock</a>, Camden' in (
        response.content.decode()
    )
    assert "Soho" not in text(response)


def test_a_name_two_boroughs_share_lists_both_with_their_borough(client, borough_a, borough_b):
    f.WardFactory(name="Regent's Park", borough=borough_a)
    f.WardFactory(name="Regent's Park", borough=borough_b)
    words = text(client.get(FIND, {"q": "regents park"}))
    assert "Choose your ward" in words
    assert "Regent's Park , Camden" in words and "Regent's Park , Westminster" in words


def test_no_matching_name_offers_the_other_ways(client, ward_a):
    words = text(client.get(FIND, {"q": "Atlantis"}))
    assert "No ward or borough matches that name" in words
    assert "search for your full postcode" in words


def test_searches_run_a_fixed_number_of_queries(client, postcodes, django_assert_num_queries):
    with django_assert_num_queries(1):  # the postcode with its ward
        client.get(FIND, {"q": "NW3 2QG"})
    with django_assert_num_queries(2):  # counts by ward; the wards
        client.get(FIND, {"q": "NW3 5"})
    with django_assert_num_queries(1):  # wards by name
        client.get(FIND, {"q": "Camden"})


def test_a_found_postcode_is_answered_from_the_cache_the_second_time(
    client, postcodes, ward_a, django_assert_num_queries
):
    client.get(FIND, {"q": "NW3 2QG"})
    with django_assert_num_queries(0):
        again = client.get(FIND, {"q": "NW3 2QG"})
    assert again.status_code == 302 and again["Location"] == team_url(ward_a)
    assert not again.cookies


# --- the browser's location --------------------------------------------------------------------


def test_a_location_goes_straight_to_its_team(client, postcodes, ward_a):
    lat, lng = float(ward_a.centroid_lat), float(ward_a.centroid_lng)
    response = client.post(FIND, {"lat": f"{lat:.6f}", "lng": f"{lng:.6f}"})
    assert response.status_code == 302 and response["Location"] == team_url(ward_a)


def test_a_location_needs_no_csrf_token_and_is_never_cached(postcodes, ward_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    point = {"lat": str(ward_a.centroid_lat), "lng": str(ward_a.centroid_lng)}
    assert client.post(FIND, point)["Location"] == team_url(ward_a)
    assert client.post(FIND, {"lat": "50.8225", "lng": "-0.1372"}).status_code == 200


def test_a_location_in_the_city_says_who_polices_it(client, postcodes):
    words = text(client.post(FIND, {"lat": "51.5150", "lng": "-0.0920"}))
    assert "You are in the City of London" in words


def test_a_location_outside_london_is_said_plainly(client, postcodes):
    words = text(client.post(FIND, {"lat": "50.8225", "lng": "-0.1372"}))  # Brighton
    assert "Your location is not in a London borough" in words
    assert "search for your full postcode" in words


@pytest.mark.parametrize(
    "data",
    [{}, {"lat": "", "lng": ""}, {"lat": "51.5"}, {"lat": "north", "lng": "west"},
     {"lat": "91", "lng": "0"}, {"lat": "nan", "lng": "nan"}, {"lat": "inf", "lng": "0"},
     {"lat": "1" * 5000, "lng": "0"}],
)
def test_an_empty_or_broken_location_is_an_error_summary(client, postcodes, data):
    response = client.post(FIND, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Your location could not be used. Search by postcode or name instead." in body
    assert "<title>Error: Find your neighbourhood team" in body


def test_other_methods_are_refused(client, db):
    assert client.put(FIND).status_code == 405
    assert client.delete(FIND).status_code == 405
