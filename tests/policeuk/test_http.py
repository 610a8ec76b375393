"""How the public API answers over HTTP: cached with ETags and `Cache-Control: public` until the
data changes, readable from any site's scripts (CORS) but not the staff API, rate-limited per
client with Retry-After, with the Open Government Licence attribution in its headers."""

import pytest
from django.test import Client

from policeuk.respond import OGL
from tests.policeuk import factories as pf
from tests.policeuk.conftest import CENTRE_LAT, CENTRE_LNG

ORIGIN = "https://community-map.example"


@pytest.fixture
def anon():
    return Client()


def test_an_answer_carries_etag_cache_control_and_attribution(anon, published):
    response = anon.get(f"/api/metropolitan/{published.neighbourhood}/priorities")
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"].startswith('"') and len(response["ETag"]) == 34
    assert response["Link"] == f'<{OGL}>; rel="license"'
    assert "Open Government Licence" in response["X-Attribution"]
    again = anon.get(f"/api/metropolitan/{published.neighbourhood}/priorities",
                     HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == response["ETag"]
    other = anon.get(f"/api/metropolitan/{published.neighbourhood}/priorities",
                     HTTP_IF_NONE_MATCH='"stale"')
    assert other.status_code == 200


def test_a_cached_answer_is_served_without_queries_until_the_data_changes(
    anon, published, django_assert_num_queries
):
    url = f"/api/metropolitan/{published.neighbourhood}/priorities"
    first = anon.get(url)
    with django_assert_num_queries(0):  # the whole answer from the cache (config.publiccache)
        assert anon.get(url)["ETag"] == first["ETag"]
    pf.priority(published.ward, "Noise from the late bar")
    changed = anon.get(url)
    assert changed["ETag"] != first["ETag"]
    assert "Noise from the late bar" in changed.json()[0]["issue"]
    with django_assert_num_queries(0):
        anon.get("/api/forces")
        anon.get("/api/forces")


def test_an_officer_opting_out_leaves_the_people_at_once(anon, published):
    url = f"/api/metropolitan/{published.neighbourhood}/people"
    assert "Ben Okafor" in anon.get(url).content.decode()
    published.pc.publish = False
    published.pc.save()
    assert "Ben Okafor" not in anon.get(url).content.decode()


def test_crimes_by_post_are_cached_per_area(anon, published):
    poly = f"{CENTRE_LAT - 0.01},{CENTRE_LNG - 0.01}:{CENTRE_LAT + 0.01},{CENTRE_LNG}:" \
           f"{CENTRE_LAT - 0.01},{CENTRE_LNG + 0.01}"
    small = f"{CENTRE_LAT + 0.02},{CENTRE_LNG}:{CENTRE_LAT + 0.021},{CENTRE_LNG}:" \
            f"{CENTRE_LAT + 0.02},{CENTRE_LNG + 0.001}"
    whole = anon.post("/api/crimes-street/all-crime", {"poly": poly, "date": "2024-03"}).json()
    empty = anon.post("/api/crimes-street/all-crime", {"poly": small, "date": "2024-03"}).json()
    assert len(whole) == 3 and empty == []


def test_any_site_may_read_the_public_api_but_not_the_staff_api(anon, published):
    response = anon.get("/api/forces", HTTP_ORIGIN=ORIGIN)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    preflight = anon.options(
        "/api/crimes-street/all-crime", HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert preflight.status_code == 200
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert "DELETE" not in preflight["Access-Control-Allow-Methods"]
    staff = anon.get("/api/v1/wards/", HTTP_ORIGIN=ORIGIN)
    assert "Access-Control-Allow-Origin" not in staff
    page = anon.get("/find/", HTTP_ORIGIN=ORIGIN)
    assert "Access-Control-Allow-Origin" not in page


def test_a_client_over_its_limit_gets_429_with_retry_after_readable_cross_origin(
    anon, db, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "open_data": "2/min"}
    statuses = [anon.get("/api/forces", HTTP_ORIGIN=ORIGIN).status_code for _ in range(2)]
    assert statuses == [200, 200]
    refused = anon.get("/api/crime-categories", HTTP_ORIGIN=ORIGIN)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused["Access-Control-Allow-Origin"] == "*"
    other_client = Client(REMOTE_ADDR="192.0.2.7")
    assert other_client.get("/api/forces").status_code == 200


def test_no_session_or_csrf_cookie_is_ever_set(anon, published):
    for response in (
        anon.get("/api/forces"),
        anon.post("/api/crimes-street/all-crime", {"lat": CENTRE_LAT, "lng": CENTRE_LNG}),
        anon.get(f"/api/metropolitan/{published.neighbourhood}"),
    ):
        assert response.status_code == 200
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")
