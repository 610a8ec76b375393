"""Wards and boroughs by the name a person types (wards.names): one resolver for list filters on
pages and in the API, and the roster CSV. Names are read within the user's boroughs; a name
that repeats across them is an error listing the candidates."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories as f
from wards.names import WardNames, fold_name, resolve_borough, resolve_ward

pytestmark = pytest.mark.django_db


@pytest.fixture
def regents_parks(borough_a, borough_b):
    """Regent's Park is a ward of Camden and of Westminster."""
    return (
        f.WardFactory(code="E05013666", name="Regent's Park", borough=borough_a),
        f.WardFactory(code="E05013803", name="Regent's Park", borough=borough_b),
    )


@pytest.mark.parametrize(
    "typed",
    ["Haverstock", "haverstock", "  HAVERSTOCK ", "E05013660", "e05013660", "Haver-stock"],
)
def test_a_ward_by_name_or_code_whatever_the_case_and_spaces(ward_a, staff_a, typed):
    assert resolve_ward(typed, staff_a) == ward_a


def test_an_apostrophe_and_accents_do_not_count(regents_parks, staff_a):
    assert fold_name("Regents Park") == fold_name("Regent’s  Párk") == fold_name("regent's park")
    assert resolve_ward("Regents Park", staff_a) == regents_parks[0]


def test_a_name_is_read_within_the_users_boroughs(regents_parks, staff_b):
    assert resolve_ward("regents park", staff_b) == regents_parks[1]


def test_a_name_in_two_of_the_users_boroughs_lists_the_candidates(regents_parks, hq):
    with pytest.raises(ValidationError) as error:
        resolve_ward("Regents Park", hq)
    assert error.value.code == "ambiguous_ward"
    message = error.value.messages[0]
    assert "Regent's Park (Camden), E05013666" in message
    assert "Regent's Park (Westminster), E05013803" in message


@pytest.mark.parametrize("typed", ["Regent's Park (Westminster)", "Regents Park, westminster"])
def test_the_borough_picks_one_of_the_candidates(regents_parks, hq, typed):
    assert resolve_ward(typed, hq) == regents_parks[1]


def test_a_name_matching_nothing_says_so_and_offers_the_nearest(ward_a, staff_a):
    with pytest.raises(ValidationError, match="No ward called Haverstok in your boroughs. "
                       r"Did you mean Haverstock \(Camden\)\?"):
        resolve_ward("Haverstok", staff_a)


def test_another_boroughs_ward_is_answered_as_one_that_does_not_exist(ward_b, staff_a):
    with pytest.raises(ValidationError) as by_code:
        resolve_ward(ward_b.code, staff_a)
    with pytest.raises(ValidationError) as missing:
        resolve_ward("E05999999", staff_a)
    assert by_code.value.messages[0].replace(ward_b.code, "X") == missing.value.messages[0].replace(
        "E05999999", "X"
    )
    with pytest.raises(ValidationError) as by_name:
        resolve_ward("Soho", staff_a)
    assert by_name.value.messages == ["No ward called Soho in your boroughs"]


def test_a_borough_by_name_or_code(borough_a, staff_a, borough_b):
    assert resolve_borough("camden", staff_a) == borough_a
    assert resolve_borough("E09000007", staff_a) == borough_a
    with pytest.raises(ValidationError, match="No borough called Westminster in your boroughs"):
        resolve_borough("Westminster", staff_a)


def test_resolving_many_names_costs_one_query(regents_parks, ward_a, staff_a,
                                               django_assert_num_queries):
    with django_assert_num_queries(2):  # the user's boroughs, then their wards
        names = WardNames.for_user(staff_a)
    with django_assert_num_queries(0):
        assert [names.resolve(t) for t in ("Haverstock", "regents park", "E05013660")] == [
            ward_a, regents_parks[0], ward_a
        ]


# --- every list filter that takes a ward or a borough -----------------------------------------


@pytest.fixture
def haverstock_officer(ward_a, team_a):
    officer = f.OfficerFactory(borough=ward_a.borough, last_name="Okafor")
    f.PostingFactory(officer=officer, team=team_a)
    return officer


def test_the_officer_page_finds_a_wards_officers_by_its_name(client, staff_a, haverstock_officer):
    client.force_login(staff_a)
    response = client.get(reverse("teams:officer_list"), {"ward": "Haverstock"})
    assert response.status_code == 200
    assert "Okafor" in response.content.decode()
    assert "0 officers" not in response.content.decode()


def test_the_officer_page_says_when_no_ward_has_the_name(client, staff_a, haverstock_officer):
    client.force_login(staff_a)
    response = client.get(reverse("teams:officer_list"), {"ward": "Nowhere"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "No ward called Nowhere in your boroughs" in page
    assert "govuk-error-message" in page


@pytest.mark.parametrize("typed", ["Haverstock", "E05013660", "haverstock"])
def test_the_api_filters_by_a_ward_name_or_its_code(client_of, haverstock_officer, typed):
    response = client_of("staff_a").get("/api/v1/officers/", {"ward": typed})
    assert response.status_code == 200
    assert [o["shoulder_number"] for o in response.json()["results"]] == [
        haverstock_officer.shoulder_number
    ]


def test_the_api_answers_an_ambiguous_name_with_a_400_listing_the_candidates(
    client_of, regents_parks
):
    response = client_of("hq").get("/api/v1/promises/", {"ward": "Regents Park"})
    assert response.status_code == 400
    assert "Regent's Park (Westminster)" in response.json()["ward"][0]


@pytest.mark.parametrize(
    "url", ["/api/v1/duties/", "/api/v1/flex-requests/", "/api/v1/promises/",
            "/api/v1/crimes/", "/api/v1/visit-offers/", "/api/v1/places/", "/api/v1/teams/",
            "/api/v1/postings/", "/api/v1/activities/", "/api/v1/priorities/"],
)
def test_every_api_list_reads_ward_and_borough_names(client_of, ward_a, url):
    client = client_of("staff_a")
    for params in ({"ward": "Haverstock"}, {"borough": "Camden"}, {"ward": "E05013660"}):
        response = client.get(url, params)
        assert response.status_code in (200, 403), (params, response.content[:300])
    response = client.get(url, {"ward": "Atlantis"})
    assert response.status_code in (400, 403)


@pytest.mark.parametrize("typed", ["100%", "%s", "%(x)s ward", "50% off"])
def test_a_percent_sign_in_a_typed_name_is_an_answer_not_a_crash(client_of, ward_a, typed):
    for url in ("/api/v1/officers/", "/api/v1/crimes/"):
        for name in ("ward", "borough"):
            response = client_of("staff_a").get(url, {name: typed})
            assert response.status_code == 400, (url, name)
            assert typed in response.json()[name][0]
