"""The real data.police.uk Python client (police-api-client 1.2.2, unmodified) reads London from
this product through a live server: every method it has for forces, neighbourhoods, people,
events, priorities, locate, categories, dates, street crimes by point and by area, and outcomes."""

import datetime

import pytest
from police_api import PoliceAPI
from police_api.crime import Crime, NoLocationCrime

from policeuk.models import SeniorOfficer
from tests.policeuk.conftest import BURGLARY_ID, CENTRE_LAT, CENTRE_LNG, HIDDEN_ID, ROBBERY_ID

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def api(live_server, published):
    SeniorOfficer.objects.create(name="Mark Rowley", rank="Commissioner", bio="<p>Bio</p>")
    # The client keeps fetched lists in class attributes: each test starts afresh.
    from police_api.forces import Force
    from police_api.neighbourhoods import Neighbourhood

    Force._resource_cache.clear()
    Neighbourhood._resource_cache.clear()
    return PoliceAPI(base_url=live_server.url + "/api/", timeout=60)


def test_forces_and_senior_officers(api):
    forces = api.get_forces()
    assert [(f.id, f.name) for f in forces] == [("metropolitan", "Metropolitan Police Service")]
    met = api.get_force("metropolitan")
    assert met.name == "Metropolitan Police Service" and met.telephone == "101"
    assert met.url == "https://www.met.police.uk/" and met.engagement_methods == []
    assert [(o.name, o.rank, o.bio) for o in met.senior_officers] == [
        ("Mark Rowley", "Commissioner", "<p>Bio</p>")
    ]


def test_neighbourhoods_people_events_priorities(api, published):
    met = api.get_force("metropolitan")
    hoods = met.neighbourhoods
    assert [(n.id, n.name) for n in hoods] == [(published.neighbourhood, "Camden Town")]
    hood = api.get_neighbourhood("metropolitan", published.neighbourhood)
    assert hood.name == "Camden Town"
    assert hood.population == 0  # the client makes the string an int
    assert hood.centre == {"latitude": "51.540000", "longitude": "-0.140000"}
    assert hood.contact_details["email"] == "camdentown.snt@met.police.uk"
    assert len(hood.boundary) == 5 and hood.boundary[0] == pytest.approx((51.536, -0.144))
    assert [(o.name, o.rank) for o in hood.officers] == [
        ("Asha Patel", "Sergeant"), ("Ben Okafor", "PC")
    ]
    [event] = hood.events
    assert event.title == "Street briefing" and isinstance(event.start_date, datetime.datetime)
    [priority] = hood.priorities
    assert priority.issue_date == datetime.datetime(2025, 1, 5, 12, 0)
    assert priority.action is None and priority.action_date is None


def test_locate(api, published):
    found = api.locate_neighbourhood(CENTRE_LAT, CENTRE_LNG)
    assert found.id == published.neighbourhood and found.force.id == "metropolitan"
    assert api.locate_neighbourhood(51.0, 0.0) is None  # a 404, as data.police.uk's


def test_categories_and_dates(api, published):
    assert api.get_dates() == ["2024-03", "2024-02"]
    assert api.get_latest_date() == "2024-03"
    categories = api.get_crime_categories()
    assert len(categories) == 14 and "all-crime" not in {c.id for c in categories}
    assert api.get_crime_category("burglary", date="2024-03").name == "Burglary"


def test_street_crimes_by_point_and_area_with_outcomes(api, published):
    by_point = api.get_crimes_point(CENTRE_LAT, CENTRE_LNG, date="2024-03")
    assert sorted(c.persistent_id for c in by_point) == ["", "", BURGLARY_ID]
    burglary = next(c for c in by_point if c.persistent_id == BURGLARY_ID)
    assert isinstance(burglary, Crime) and burglary.category.name == "Burglary"
    assert burglary.location.name == "On or near Camden Road" and burglary.location.type == "Force"
    assert burglary.outcome_status.category.name == "Under investigation"
    assert [o.category.name for o in burglary.outcomes] == ["Under investigation"]
    only_burglary = api.get_crimes_point(CENTRE_LAT, CENTRE_LNG, date="2024-03",
                                         category=api.get_crime_category("burglary"))
    assert [c.persistent_id for c in only_burglary] == [BURGLARY_ID]

    area = [(CENTRE_LAT - 0.01, CENTRE_LNG - 0.01), (CENTRE_LAT + 0.03, CENTRE_LNG - 0.01),
            (CENTRE_LAT + 0.03, CENTRE_LNG + 0.01), (CENTRE_LAT - 0.01, CENTRE_LNG + 0.01)]
    by_area = api.get_crimes_area(area, date="2024-03")  # a POST, with poly as form data
    assert sorted(c.persistent_id for c in by_area) == ["", "", BURGLARY_ID, ROBBERY_ID]
    hood = api.get_neighbourhood("metropolitan", published.neighbourhood)
    assert sorted(c.persistent_id for c in hood.crimes) == ["", "", BURGLARY_ID]

    at = api.get_crimes_location(burglary.location.id, date="2024-03")
    assert sorted(c.persistent_id for c in at) == ["", "", BURGLARY_ID]
    assert {c.id for c in at} == {c.id for c in by_point}  # the same ids on every call


def test_crimes_without_location_and_a_crime_by_persistent_id(api, published):
    [hidden] = api.get_crimes_no_location("metropolitan", date="2024-03")
    assert isinstance(hidden, NoLocationCrime) and hidden.month == "2024-03"
    robbery = api.get_crime(ROBBERY_ID)
    assert robbery.persistent_id == ROBBERY_ID and robbery.category.id == "robbery"
    assert [(o.category.name, o.date) for o in robbery.outcomes] == [
        ("Unable to prosecute suspect", "2024-03")
    ]
    assert api.get_crime(HIDDEN_ID).persistent_id == HIDDEN_ID
