"""Each endpoint of the public API answers what data.police.uk would, from the product's
records: anonymous, JSON, strings where data.police.uk has strings."""

import datetime

import pytest
from django.test import Client

from config import datacache
from policeuk import crimes, geometry
from tests.policeuk.conftest import BURGLARY_ID, CENTRE_LAT, CENTRE_LNG, HIDDEN_ID, ROBBERY_ID


@pytest.fixture
def anon():
    return Client(enforce_csrf_checks=True)


def get(client, path, **params):
    response = client.get("/api/" + path, params)
    assert response["Content-Type"] == "application/json", (path, response.content[:200])
    return response


def test_forces_and_the_met(anon, db):
    assert get(anon, "forces").json() == [
        {"id": "metropolitan", "name": "Metropolitan Police Service"}
    ]
    met = get(anon, "forces/metropolitan").json()
    assert met["id"] == "metropolitan" and met["telephone"] == "101"
    assert get(anon, "forces/leicestershire").status_code == 404
    assert get(anon, "forces/leicestershire/people").status_code == 404


def test_senior_officers_are_the_list_an_admin_keeps(anon, db):
    from policeuk.models import SeniorOfficer

    SeniorOfficer.objects.create(name="Mark Rowley", rank="Commissioner", ordering=1,
                                 twitter="https://x.com/metpoliceuk")
    SeniorOfficer.objects.create(name="Lynne Owens", rank="Deputy Commissioner", ordering=2)
    assert get(anon, "forces/metropolitan/people").json() == [
        {"name": "Mark Rowley", "rank": "Commissioner", "bio": None,
         "contact_details": {"twitter": "https://x.com/metpoliceuk"}},
        {"name": "Lynne Owens", "rank": "Deputy Commissioner", "bio": None,
         "contact_details": {}},
    ]


def test_neighbourhoods_are_the_wards(anon, published):
    listed = get(anon, "metropolitan/neighbourhoods").json()
    assert {"id": published.neighbourhood, "name": "Camden Town"} in listed
    assert get(anon, "essex/neighbourhoods").status_code == 404


def test_a_neighbourhood(anon, published):
    from demand.models import WardPopulation

    WardPopulation.objects.create(ward=published.ward, residents=12345)
    body = get(anon, f"metropolitan/{published.neighbourhood}").json()
    assert body["id"] == published.neighbourhood
    assert body["name"] == "Camden Town"
    assert body["population"] == "12345"
    assert body["centre"] == {"latitude": "51.540000", "longitude": "-0.140000"}
    assert body["contact_details"] == {
        "email": "camdentown.snt@met.police.uk", "telephone": "020 7946 0000",
    }
    assert body["url_force"].endswith(f"/{published.ward.code}/") or published.ward.code in (
        body["url_force"]
    )
    for missing in (published.ward.code, published.ward.code + "X", "E05999999N"):
        assert get(anon, f"metropolitan/{missing}").status_code == 404
    assert get(anon, f"kent/{published.neighbourhood}").status_code == 404


def test_the_boundary_is_the_ward_outline_as_strings(anon, published):
    points = get(anon, f"metropolitan/{published.neighbourhood}/boundary").json()
    assert len(points) == 5
    assert points[0] == {"latitude": str(CENTRE_LAT - 0.004), "longitude": str(CENTRE_LNG - 0.004)}


def test_people_are_names_and_ranks_of_those_posted_today_who_publish(anon, published):
    assert get(anon, f"metropolitan/{published.neighbourhood}/people").json() == [
        {"name": "Asha Patel", "rank": "Sergeant", "bio": None, "contact_details": {}},
        {"name": "Ben Okafor", "rank": "PC", "bio": None, "contact_details": {}},
    ]


def test_events_from_today_in_london_time_without_zone(anon, published):
    from django.utils import timezone

    events = get(anon, f"metropolitan/{published.neighbourhood}/events").json()
    starts = timezone.localtime(published.event.starts_at).replace(tzinfo=None)
    assert events == [{
        "contact_details": {"email": "camdentown.snt@met.police.uk",
                            "telephone": "020 7946 0000"},
        "description": None,
        "title": "Street briefing",
        "address": "Camden High Street",
        "type": "street_briefing",
        "start_date": starts.isoformat(timespec="seconds"),
        "end_date": (starts + datetime.timedelta(hours=1)).isoformat(timespec="seconds"),
    }]


def test_priorities_open_ones_with_escaped_issue(anon, published):
    body = get(anon, f"metropolitan/{published.neighbourhood}/priorities").json()
    assert body == [{
        "action": None,
        "issue-date": "2025-01-05T12:00:00",
        "action-date": None,
        "issue": "<p>Bike theft &lt;near&gt; the station</p>",
    }]


@pytest.mark.parametrize("utc, london", [
    ("2025-03-30T00:59:59", "2025-03-30T00:59:59"),  # the last second of GMT
    ("2025-03-30T01:00:00", "2025-03-30T02:00:00"),  # the first of BST
    ("2025-10-26T00:30:00", "2025-10-26T01:30:00"),  # the first 01:30 (BST)
    ("2025-10-26T01:30:00", "2025-10-26T01:30:00"),  # the second (GMT)
    ("0001-01-01T00:00:00", "0001-01-01T00:00:00"),  # London's offset would leave year 1: UTC
    ("9999-12-31T23:59:59", "9999-12-31T23:59:59"),
])
def test_dates_are_london_time_without_a_zone(utc, london):
    from policeuk.neighbourhoods import local_text

    moment = datetime.datetime.fromisoformat(utc).replace(tzinfo=datetime.UTC)
    assert local_text(moment) == london


def test_locate_inside_a_ward(anon, published):
    body = get(anon, "locate-neighbourhood", q=f"{CENTRE_LAT},{CENTRE_LNG}").json()
    assert body == {"force": "metropolitan", "neighbourhood": published.neighbourhood}


@pytest.mark.parametrize("q", ["", "51.5", "a,b", "91,0", "nan,0", "51.5,-0.1,3"])
def test_locate_refuses_what_is_not_a_point(anon, db, q):
    response = get(anon, "locate-neighbourhood", q=q)
    assert response.status_code == 400
    assert "q" in response.json()


def test_crime_categories_all_crime_first(anon, db):
    body = get(anon, "crime-categories", date="2024-03").json()
    assert body[0] == {"url": "all-crime", "name": "All crime"}
    assert {"url": "violent-crime", "name": "Violence and sexual offences"} in body
    assert len(body) == 15
    assert get(anon, "crime-categories", date="2024-13").status_code == 400


def test_dates_newest_first(anon, published):
    assert get(anon, "crimes-street-dates").json() == [
        {"date": "2024-03", "stop-and-search": []},
        {"date": "2024-02", "stop-and-search": []},
    ]


def _ids(body):
    return sorted(c["persistent_id"] for c in body)


def test_street_crimes_within_a_mile_of_a_point(anon, published):
    body = get(anon, "crimes-street/all-crime", lat=CENTRE_LAT, lng=CENTRE_LNG,
               date="2024-03").json()
    assert _ids(body) == ["", "", BURGLARY_ID]  # not the robbery 1.2 miles off, nor unlocated
    burglary = next(c for c in body if c["persistent_id"] == BURGLARY_ID)
    assert burglary == {
        "category": "burglary",
        "location_type": "Force",
        "location": {
            "latitude": "51.540000",
            "street": {"id": geometry.street_id(CENTRE_LAT, CENTRE_LNG),
                       "name": "On or near Camden Road"},
            "longitude": "-0.140000",
        },
        "context": "",
        "outcome_status": {"category": "Under investigation", "date": "2024-03"},
        "persistent_id": BURGLARY_ID,
        "id": int(__import__("hashlib").sha256(f"crime:{BURGLARY_ID}".encode()).hexdigest()[:13],
                  16),
        "location_subtype": "",
        "month": "2024-03",
    }
    asb = [c for c in body if c["category"] == "anti-social-behaviour"]
    assert asb[0]["outcome_status"] is None and asb[0]["id"] != asb[1]["id"]


def test_street_crimes_default_to_the_latest_month_and_filter_by_category(anon, published):
    body = get(anon, "crimes-street/burglary", lat=CENTRE_LAT, lng=CENTRE_LNG).json()
    assert _ids(body) == [BURGLARY_ID]
    earlier = get(anon, "crimes-street/burglary", lat=CENTRE_LAT, lng=CENTRE_LNG, date="2024-02")
    assert _ids(earlier.json()) == ["d" * 64]
    assert get(anon, "crimes-street/nonsense", lat=CENTRE_LAT, lng=CENTRE_LNG).status_code == 404


def test_street_crimes_in_an_area_by_get_and_by_post_without_csrf(anon, published):
    poly = f"{CENTRE_LAT - 0.01},{CENTRE_LNG - 0.01}:{CENTRE_LAT + 0.03},{CENTRE_LNG - 0.01}:" \
           f"{CENTRE_LAT + 0.03},{CENTRE_LNG + 0.01}:{CENTRE_LAT - 0.01},{CENTRE_LNG + 0.01}"
    by_get = get(anon, "crimes-street/all-crime", poly=poly, date="2024-03").json()
    assert _ids(by_get) == ["", "", BURGLARY_ID, ROBBERY_ID]
    by_post = anon.post("/api/crimes-street/all-crime", {"poly": poly, "date": "2024-03"})
    assert by_post.status_code == 200
    assert by_post.json() == by_get
    assert "csrftoken" not in by_post.cookies and "sessionid" not in by_post.cookies


@pytest.mark.parametrize("params", [
    {}, {"lat": "51.5"}, {"lat": "x", "lng": "0"}, {"poly": "51,0:52,1"},
    {"poly": "51,0:51,0:51,0"}, {"lat": "51.5", "lng": "-0.1", "date": "2024"},
    {"lat": "51.5", "lng": "-0.1", "date": "0000-01"},
])
def test_street_crimes_refuse_bad_parameters(anon, db, params):
    assert get(anon, "crimes-street/all-crime", **params).status_code == 400


def test_an_area_holding_more_than_data_police_uk_returns_is_a_503(anon, published, monkeypatch):
    monkeypatch.setattr(crimes, "MAX_CRIMES", 2)
    response = get(anon, "crimes-street/all-crime", lat=CENTRE_LAT, lng=CENTRE_LNG)
    assert response.status_code == 503


def test_crimes_at_a_location_use_the_street_id(anon, published):
    street = geometry.street_id(CENTRE_LAT, CENTRE_LNG)
    body = get(anon, "crimes-at-location", location_id=street, date="2024-03").json()
    assert _ids(body) == ["", "", BURGLARY_ID]
    assert get(anon, "crimes-at-location", location_id="x").status_code == 400
    assert get(anon, "crimes-at-location", location_id="-1").status_code == 400


def test_crimes_with_no_location(anon, published):
    body = get(anon, "crimes-no-location", category="all-crime", force="metropolitan",
               date="2024-03").json()
    assert _ids(body) == [HIDDEN_ID]
    assert body[0]["location"] is None and body[0]["location_type"] is None
    assert get(anon, "crimes-no-location", category="burglary", force="essex").status_code == 404


def test_outcomes_for_a_crime(anon, published):
    body = get(anon, f"outcomes-for-crime/{ROBBERY_ID}").json()
    assert body["outcomes"] == [{
        "category": {"code": "unable-to-prosecute-suspect", "name": "Unable to prosecute suspect"},
        "date": "2024-03",
        "person_id": None,
    }]
    assert body["crime"]["persistent_id"] == ROBBERY_ID
    assert "outcome_status" not in body["crime"]
    assert get(anon, "outcomes-for-crime/nope").status_code == 404


def test_street_ids_round_trip_and_stay_in_json_integers():
    for lat, lng in ((51.2, -0.6), (51.8, 0.4), (49.0, -9.0), (61.0, 3.0), (51.512345, -0.098765)):
        back = geometry.street_point(geometry.street_id(lat, lng))
        assert back == pytest.approx((lat, lng), abs=1e-6)
        assert geometry.street_id(lat, lng) < 2**53


def test_an_empty_ward_without_team_or_outline_answers_empty_lists(anon, db):
    from tests import factories as f

    ward = f.WardFactory(boundary=None)
    hood = f"metropolitan/{ward.code}N"
    body = get(anon, hood).json()
    assert body["contact_details"] == {} and body["population"] == "0"
    for part in ("boundary", "people", "events", "priorities"):
        assert get(anon, f"{hood}/{part}").json() == [], part
    assert get(anon, "crimes-street/all-crime", lat=51.5, lng=-0.1).json() == []  # no months
    assert get(anon, "crimes-street-dates").json() == []


def test_an_area_over_the_limit_is_counted_in_the_database_before_any_row_loads(
    anon, published, monkeypatch
):
    """The 503 comes from one COUNT (PostgreSQL's point-in-polygon): no crime row is read; at
    the limit exactly, the rows load."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    square = f"{CENTRE_LAT - 0.01},{CENTRE_LNG - 0.01}:{CENTRE_LAT + 0.03},{CENTRE_LNG - 0.01}:" \
             f"{CENTRE_LAT + 0.03},{CENTRE_LNG + 0.01}:{CENTRE_LAT - 0.01},{CENTRE_LNG + 0.01}"
    everything = get(anon, "crimes-street/all-crime", poly=square, date="2024-03").json()
    monkeypatch.setattr(crimes, "MAX_CRIMES", len(everything) - 1)
    datacache.bump("demand_streetcrime")  # the answer kept above is out of date
    with CaptureQueriesContext(connection) as queries:
        answer = get(anon, "crimes-street/all-crime", poly=square, date="2024-03")
    assert answer.status_code == 503
    reads = [q["sql"] for q in queries.captured_queries if "demand_streetcrime" in q["sql"]]
    assert reads and all("COUNT(" in sql for sql in reads), reads
    monkeypatch.setattr(crimes, "MAX_CRIMES", len(everything))
    datacache.bump("demand_streetcrime")  # the answers kept above are out of date
    again = get(anon, "crimes-street/all-crime", poly=square, date="2024-03")
    assert again.status_code == 200 and len(again.json()) == len(everything)


def test_the_database_s_point_in_polygon_agrees_with_shapely_at_the_edge(published):
    """A crime on the polygon's edge or corner is in it for both (covers)."""
    from demand.models import StreetCrime

    crime = StreetCrime.objects.exclude(lat=None).first()
    lat, lng = crime.lat, crime.lng
    edge = geometry.parse_poly(f"{lat},{lng - 0.01}:{lat + 0.01},{lng - 0.01}:"
                               f"{lat + 0.01},{lng + 0.01}:{lat},{lng + 0.01}")
    inside = StreetCrime.objects.filter(pk=crime.pk).alias(i=crimes._inside(edge)).filter(i=True)
    assert inside.exists() and geometry.covers(edge, lat, lng)
