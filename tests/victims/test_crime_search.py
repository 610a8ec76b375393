"""Crimes found again (the crime list page and the API filter): by reference, ward (its name or
code), the days reported; sorted and exported. By a victim's name only for the roles that see
victims, and each such search is logged like a view of the victims it finds."""

import pytest
from django.urls import reverse

from tests.victims.conftest import record_crime, victim
from victims.filters import VICTIM_SEARCH
from victims.models import VictimViewLog

pytestmark = pytest.mark.django_db
URL = "/victims/crimes/"


@pytest.fixture
def crimes(staff_a, ward_a, ward_b, staff_b):
    return {
        "ida": record_crime(staff_a, ward=ward_a, reference="CR-111-26",
                            victims=[victim(name="Ida Marsh")]),
        "joe": record_crime(staff_a, ward=ward_a, reference="CR-222-26",
                            victims=[victim(name="Joe Bloggs")]),
        "west": record_crime(staff_b, ward=ward_b, reference="CR-333-26",
                             victims=[victim(name="Ida Westminster")]),
    }


def test_the_url_is_the_crime_list():
    assert reverse("victims:crime_list") == URL


def test_a_crime_by_part_of_its_reference(client, staff_a, crimes):
    client.force_login(staff_a)
    page = client.get(URL, {"reference": "222"}).content.decode()
    assert "CR-222-26" in page and "CR-111-26" not in page


def test_crimes_of_a_ward_by_its_name_only_in_the_users_boroughs(client, staff_a, crimes):
    client.force_login(staff_a)
    page = client.get(URL, {"ward": "haverstock"}).content.decode()
    assert "CR-111-26" in page and "CR-222-26" in page and "CR-333-26" not in page
    page = client.get(URL, {"ward": "Soho"}).content.decode()
    assert "No ward called Soho in your boroughs" in page and "CR-333-26" not in page


def test_the_reported_date_shows_its_year(client, staff_a, crimes):
    client.force_login(staff_a)
    page = client.get(URL).content.decode()
    assert f"{crimes['ida'].reported_at:%Y}" in page


def test_a_search_by_victim_finds_and_logs_each_victim_it_finds(client, staff_a, crimes):
    client.force_login(staff_a)
    page = client.get(URL, {"victim": "ida"}).content.decode()
    assert "CR-111-26" in page and "CR-222-26" not in page
    assert "CR-333-26" not in page  # another borough's Ida is neither found nor logged
    logged = VictimViewLog.objects.filter(where=VICTIM_SEARCH)
    assert [(log.user, log.victim.name) for log in logged] == [(staff_a, "Ida Marsh")]
    again = client.get(URL, {"victim": "ida"})  # the same search again is logged again
    assert again.status_code == 200
    assert VictimViewLog.objects.filter(where=VICTIM_SEARCH).count() == 2


@pytest.mark.parametrize("who", ["commander_a", "hq"])
def test_roles_that_do_not_see_victims_cannot_search_by_one(client, cast, crimes, who):
    client.force_login(cast(who))
    page = client.get(URL).content.decode()
    assert 'name="victim"' not in page
    assert client.get(URL, {"victim": "ida"}).status_code == 403
    assert not VictimViewLog.objects.exists()


def test_the_api_searches_by_reference_ward_name_and_victim_logged(client_of, staff_a, crimes):
    api = client_of("staff_a")
    body = api.get("/api/v1/crimes/", {"ward": "Haverstock", "reference": "111"}).json()
    assert [c["reference"] for c in body["results"]] == ["CR-111-26"]
    for _ in range(2):  # a victim search is never answered from the cache: logged each time
        body = api.get("/api/v1/crimes/", {"victim": "joe"}).json()
        assert [c["reference"] for c in body["results"]] == ["CR-222-26"]
    assert VictimViewLog.objects.filter(where=VICTIM_SEARCH).count() == 2
    assert client_of("commander_a").get("/api/v1/crimes/", {"victim": "joe"}).status_code == 403


def test_the_list_sorts_and_exports_with_its_filters(client, staff_a, crimes):
    client.force_login(staff_a)
    page = client.get(URL, {"sort": "-reference"}).content.decode()
    assert page.index("CR-222-26") < page.index("CR-111-26")
    response = client.get(URL, {"ward": "Haverstock", "format": "csv", "sort": "reference"})
    lines = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Reference,Type,Ward,Reported,Status")
    assert [line.split(",")[0] for line in lines[1:]] == ["CR-111-26", "CR-222-26"]


def test_the_list_costs_a_fixed_number_of_queries(client, staff_a, crimes, ward_a,
                                                  django_assert_max_num_queries):
    client.force_login(staff_a)
    client.get(URL)
    for _ in range(5):
        record_crime(staff_a, ward=ward_a)
    # session, user, boroughs, count, page of crimes (with their type, ward and borough)
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200
