"""The public pages come from the cache ahead of the session and authentication middleware:
the same copy for everyone, never carrying a cookie, and only for the public pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.publiccache import is_public

pytestmark = pytest.mark.django_db


def queries(fetch):
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
    return response, len(ctx.captured_queries)


def test_the_public_pages_are_the_ones_listed(settings):
    assert settings.PUBLIC_CACHED_PAGES == ["promises:find", "promises:public_team"]
    assert is_public("promises:find") and not is_public("home") and not is_public(None)


def test_a_search_is_answered_from_the_cache_the_second_time(client, ward_a):
    """Without running the view: no query (the rate limit still counts it, in Redis)."""
    url = reverse("promises:find") + "?q=Haver"
    first, made = queries(lambda: client.get(url))
    again, served = queries(lambda: client.get(url))
    assert made >= 1 and served == 0
    assert again.content == first.content and b"Haverstock" in again.content
    assert again["Content-Type"] == first["Content-Type"]


def test_a_signed_in_visitor_gets_the_same_copy_and_no_cookie(client, staff_a, team_a):
    url = reverse("promises:public_team", args=[team_a.ward.code])
    anonymous = client.get(url)
    client.force_login(staff_a)
    signed_in, served = queries(lambda: client.get(url))
    assert served == 0 and signed_in.content == anonymous.content
    assert not signed_in.cookies
    assert b"Sign out" not in signed_in.content


def test_a_signed_in_visitor_is_not_what_gets_cached(client, staff_a, team_a):
    client.force_login(staff_a)
    url = reverse("promises:public_team", args=[team_a.ward.code])
    client.get(url)
    client.logout()
    response = client.get(url)
    assert b"Sign out" not in response.content and "Set-Cookie" not in response


def test_only_a_200_is_kept(client, ward_a):
    url = reverse("promises:public_team", args=["E05999999"])
    assert client.get(url).status_code == 404
    response, again = queries(lambda: client.get(url))
    assert response.status_code == 404 and again > 0


@pytest.mark.parametrize("name", ["promises:public_team", "contact:send"])
def test_a_hit_is_one_command_to_redis_and_no_query(client, team_a, monkeypatch, name):
    """The rate limit's count, the kept copy and its tables' versions: one script
    (config/ratelimit.py)."""
    import redis

    url = reverse(name, args=[team_a.ward.code])
    client.get(url)
    client.get(url)  # the view's tables are known to this process from here on
    calls = []
    real = redis.Redis.execute_command
    monkeypatch.setattr(redis.Redis, "execute_command",
                        lambda self, *a, **k: calls.append(a[0]) or real(self, *a, **k))
    response, served = queries(lambda: client.get(url))
    assert response.status_code == 200 and served == 0 and calls == ["EVALSHA"]
