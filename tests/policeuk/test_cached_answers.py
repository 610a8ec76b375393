"""The public API's answers served again from the cache ahead of the view (config/publiccache.py):
the same bytes and headers as the first answer, with no query, a 304 for a known ETag, still
rate-limited, readable cross-origin and cookie-free, and out of date the moment the data changes."""

import pytest
import redis
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.policeuk.conftest import CENTRE_LAT, CENTRE_LNG
from tests.promises import factories as pf

ORIGIN = "https://community-map.example"
# What a kept copy must repeat exactly (Date and the CSP are each response's own).
SAME = ("Content-Type", "ETag", "Cache-Control", "Link", "X-Attribution",
        "Access-Control-Allow-Origin", "Access-Control-Expose-Headers")


@pytest.fixture
def anon():
    return Client(HTTP_ORIGIN=ORIGIN)


def urls(published) -> list[str]:
    hood = f"/api/metropolitan/{published.neighbourhood}"
    return [
        "/api/forces", hood, f"{hood}/people", f"{hood}/events", f"{hood}/priorities",
        f"/api/locate-neighbourhood?q={CENTRE_LAT},{CENTRE_LNG}",
        f"/api/crimes-street/all-crime?lat={CENTRE_LAT}&lng={CENTRE_LNG}&date=2024-03",
    ]


def test_a_hit_repeats_the_first_answer_without_a_query(anon, published,
                                                        django_assert_num_queries):
    for url in urls(published):
        first = anon.get(url)
        assert first.status_code == 200, url
        with django_assert_num_queries(0):
            again = anon.get(url)
        assert again.status_code == 200 and again.content == first.content, url
        for header in SAME:
            assert again[header] == first[header], (url, header)
        assert not again.cookies and "Cookie" not in again.get("Vary", "")


def test_a_hit_answers_a_known_etag_with_304_and_the_same_headers(anon, published,
                                                                 django_assert_num_queries):
    url = f"/api/metropolitan/{published.neighbourhood}/events"
    first = anon.get(url)
    with django_assert_num_queries(0):
        again = anon.get(url, HTTP_IF_NONE_MATCH=f'"other", {first["ETag"]}')
    assert again.status_code == 304 and again.content == b""
    for header in ("ETag", "Cache-Control", "Link", "X-Attribution",
                   "Access-Control-Allow-Origin"):
        assert again[header] == first[header], header
    assert "Content-Type" not in again
    assert anon.get(url, HTTP_IF_NONE_MATCH='"other"').content == first.content


def test_a_new_event_makes_the_kept_answer_stale_at_once(anon, published):
    url = f"/api/metropolitan/{published.neighbourhood}/events"
    first = anon.get(url)
    anon.get(url)  # kept, and served once from the cache
    pf.EngagementEventFactory(ward=published.ward, title="Street surgery at the library")
    changed = anon.get(url)
    assert changed["ETag"] != first["ETag"]
    assert "Street surgery at the library" in changed.content.decode()
    assert anon.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_renamed_ward_or_new_team_phone_shows_at_once(anon, published):
    url = f"/api/metropolitan/{published.neighbourhood}"
    anon.get(url)
    anon.get(url)
    published.ward.name = "Camden Square"
    published.ward.save()
    assert anon.get(url).json()["name"] == "Camden Square"
    published.team.phone = "020 7946 0999"
    published.team.save()
    assert anon.get(url).json()["contact_details"]["telephone"] == "020 7946 0999"


def test_hits_count_towards_the_rate_limit(anon, published, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "open_data": "3/min"}
    url = f"/api/metropolitan/{published.neighbourhood}/priorities"
    assert [anon.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = anon.get(url)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert Client(REMOTE_ADDR="192.0.2.9").get(url).status_code == 200


def test_a_post_is_never_answered_with_a_kept_get(anon, published):
    near = f"{CENTRE_LAT - 0.01},{CENTRE_LNG - 0.01}:{CENTRE_LAT + 0.01},{CENTRE_LNG}:" \
           f"{CENTRE_LAT - 0.01},{CENTRE_LNG + 0.01}"
    far = f"{CENTRE_LAT + 0.02},{CENTRE_LNG}:{CENTRE_LAT + 0.021},{CENTRE_LNG}:" \
          f"{CENTRE_LAT + 0.02},{CENTRE_LNG + 0.001}"
    url = "/api/crimes-street/all-crime"
    for _ in range(2):
        assert len(anon.get(url, {"poly": near, "date": "2024-03"}).json()) == 3
    assert anon.post(url, {"poly": far, "date": "2024-03"}).json() == []
    assert anon.post(f"{url}?poly={near}&date=2024-03", {"poly": far}).json() == []


def test_each_host_gets_its_own_addresses(published):
    url = f"/api/metropolitan/{published.neighbourhood}"
    here = Client(HTTP_HOST="localhost").get(url).json()
    there = Client(HTTP_HOST="127.0.0.1").get(url).json()
    assert "//localhost/" in here["url_force"] and "//127.0.0.1/" in there["url_force"]


def test_json_whatever_the_client_accepts_first_time_or_cached(anon, published):
    for _ in range(2):
        response = anon.get("/api/forces", HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"


def test_a_hit_is_one_round_trip_to_redis_rate_limit_and_all(anon, published, monkeypatch):
    """The rate limit's count, the kept answer and the versions of the tables it read come in
    one script (config/ratelimit.py): one command to Redis, and no query."""
    url = f"/api/metropolitan/{published.neighbourhood}/people"
    anon.get(url)
    anon.get(url)  # the view's tables are known to this process from here on
    calls = []
    real = redis.Redis.execute_command
    monkeypatch.setattr(redis.Redis, "execute_command",
                        lambda self, *a, **k: calls.append(a[0]) or real(self, *a, **k))
    with CaptureQueriesContext(connection) as queries:
        assert anon.get(url).status_code == 200
    assert calls == ["EVALSHA"] and len(queries) == 0
