"""Demand's and planning's ward and borough filters take a name as well as an ONS code, through
the one resolver (wards.names): on pages and in the API. An unknown or ambiguous name is a 400
with the field's error in the API and an inline GOV.UK error on pages; where the area is what is
asked for (a ward's points, an area's profile), an area the user cannot see stays a 404."""

import pytest

from tests import factories as f
from tests.conftest import results

pytestmark = pytest.mark.django_db


@pytest.fixture
def regents_parks(borough_a, borough_b):
    """Regent's Park is a ward of Camden and of Westminster."""
    return (
        f.WardFactory(code="E05013666", name="Regent's Park", borough=borough_a),
        f.WardFactory(code="E05013803", name="Regent's Park", borough=borough_b),
    )


def _wards(client, query) -> set[str]:
    return {row["ward"] for row in results(client.get(f"/api/v1/demand/wards/?{query}"))}


@pytest.mark.parametrize(
    "query", ["ward=Haverstock", "ward=haver-stock", "ward=E05013660", "ward=e05013660"]
)
def test_demand_takes_a_ward_by_name_or_code(client_of, ward_a, ward_b, regents_parks, query):
    assert _wards(client_of("hq"), query) == {"E05013660"}


@pytest.mark.parametrize(
    "query", ["borough=Westminster", "borough=E09000033", "borough=westminster"]
)
def test_demand_takes_a_borough_by_name_or_code(client_of, ward_a, ward_b, regents_parks, query):
    assert _wards(client_of("hq"), query) == {"E05013806", "E05013803"}


def test_a_name_is_read_within_the_user_s_boroughs(client_of, ward_a, regents_parks):
    assert _wards(client_of("inspector_a"), "ward=Regents Park") == {"E05013666"}


@pytest.mark.parametrize(
    "query, field, words",
    [
        ("ward=Regents Park", "ward", "More than one ward"),
        ("ward=Haverstok", "ward", "Did you mean Haverstock (Camden)?"),
        ("ward=Soho", "ward", "No ward called Soho in your boroughs"),
        ("borough=Westminster", "borough", "No borough called Westminster"),
    ],
)
def test_an_ambiguous_or_unknown_name_is_a_400_saying_why(
    client_of, ward_a, ward_b, regents_parks, query, field, words
):
    who = "hq" if "Regents" in query else "inspector_a"
    response = client_of(who).get(f"/api/v1/demand/wards/?{query}")
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])


def test_points_take_a_name_and_an_outsider_s_ward_is_still_a_404(client_of, ward_a, ward_b):
    client = client_of("inspector_a")
    body = client.get("/api/v1/demand/points/?ward=Haverstock").json()
    assert body["ward"] == "E05013660"
    assert client.get("/api/v1/demand/points/?ward=Soho").status_code == 404
    assert client.get("/api/v1/demand/points/?ward=E05013806").status_code == 404


def test_the_profile_takes_names(client_of, ward_a, ward_b):
    client = client_of("inspector_a")
    by_name = client.get("/api/v1/demand/profile/?ward=Haverstock")
    by_code = client.get("/api/v1/demand/profile/?ward=E05013660")
    assert by_name.status_code == by_code.status_code == 200
    assert by_name.json() == by_code.json()
    assert client.get("/api/v1/demand/profile/?borough=camden").status_code == 200
    assert client.get("/api/v1/demand/profile/?borough=Westminster").status_code == 404


def test_the_profile_s_ambiguous_ward_is_a_400(client_of, regents_parks):
    response = client_of("hq").get("/api/v1/demand/profile/?ward=Regents Park")
    assert response.status_code == 400
    assert "Regent's Park (Camden), E05013666" in " ".join(response.json()["ward"])


def test_the_pages_say_an_unknown_name_inline(client, inspector_a, ward_a, ward_b):
    client.force_login(inspector_a)
    for url in ("/demand/?ward=Haverstok", "/demand/profile/?ward=Haverstok"):
        html = client.get(url).content.decode()
        assert "govuk-error-summary" in html and "govuk-error-message" in html, url
        assert "Did you mean Haverstock (Camden)?" in html, url


def test_the_pages_take_a_name(client, inspector_a, ward_a, ward_b):
    client.force_login(inspector_a)
    for url in ("/demand/?ward=haverstock", "/demand/profile/?ward=haverstock"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "govuk-error-summary" not in response.content.decode(), url
