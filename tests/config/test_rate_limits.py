"""Everything anyone may call without signing in is rate limited per client address: above the
limit, 429 with Retry-After. Which endpoints those are is found from the URL patterns (an
endpoint that neither redirects to sign-in nor answers 401/403 to an anonymous client), so a new
public endpoint without a limit fails here."""

import pytest
from django.conf import settings

from tests.endpoints import every_endpoint, url_for

pytestmark = pytest.mark.django_db

PUBLIC = sorted(settings.RATE_LIMITED_ENDPOINTS)


def requires_sign_in(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and "login/" in response["Location"]


def test_every_endpoint_open_without_signing_in_is_rate_limited(client, sample):
    public = {
        endpoint.name
        for endpoint in every_endpoint()
        if not requires_sign_in(client.get(url_for(endpoint, sample)))
    }
    assert public == set(settings.RATE_LIMITED_ENDPOINTS)


@pytest.fixture
def low_limits(settings):
    settings.RATE_LIMITS = {scope: "3/min" for scope in settings.RATE_LIMITS}


@pytest.mark.parametrize("name", PUBLIC)
def test_a_client_over_the_limit_is_told_when_to_come_back(client, sample, low_limits, name):
    endpoint = next(e for e in every_endpoint() if e.name == name)
    url = url_for(endpoint, sample)
    assert [client.get(url).status_code for _ in range(3)].count(429) == 0

    over = client.get(url)

    assert over.status_code == 429
    assert 0 < int(over["Retry-After"]) <= 60
    if url.startswith("/api/"):
        assert over.json()["code"] == "throttled"
    else:
        assert b"Too many requests" in over.content and b"govuk-error-summary" in over.content
    # Another address is not held back by this one.
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code != 429


def test_posting_the_sign_in_form_counts_too(client, staff_a, low_limits):
    for _ in range(3):
        client.post("/accounts/login/", {"username": "staff_a", "password": "wrong"})
    over = client.post("/accounts/login/", {"username": "staff_a", "password": "wrong"})
    assert over.status_code == 429


def test_signed_in_pages_are_not_rate_limited(client, staff_a, ward_a, low_limits):
    client.force_login(staff_a)
    assert {client.get(ward_a.get_absolute_url()).status_code for _ in range(6)} == {200}


def test_a_raised_limit_takes_effect_at_once(client, settings, low_limits):
    for _ in range(3):
        client.get("/find/")
    assert client.get("/find/").status_code == 429
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": "1000/min"}
    assert client.get("/find/").status_code == 200


def test_two_requests_at_once_never_share_the_last_place(settings):
    """The count and the check are one script on the Redis server: of 12 requests at once
    against a limit of 5, exactly 5 pass, whatever the interleaving."""
    from concurrent.futures import ThreadPoolExecutor

    from django.test import RequestFactory

    from config import ratelimit

    request = RequestFactory().get("/find/", REMOTE_ADDR="198.51.100.9")
    with ThreadPoolExecutor(max_workers=6) as pool:
        waits = list(pool.map(lambda _: ratelimit.hit(request, "public", "5/min")[0], range(12)))
    assert waits.count(None) == 5
    assert all(0 < wait <= 60 for wait in waits if wait is not None)


def test_a_refused_request_is_not_counted(client, low_limits):
    """As DRF's sliding window: a client told to wait is not held back longer for asking."""
    from django.core.cache import cache

    for _ in range(6):
        client.get("/find/")
    client_ = cache._cache.get_client(write=True)
    key = cache.make_and_validate_key("ratelimit:public:127.0.0.1")
    assert client_.zcard(key) == 3
