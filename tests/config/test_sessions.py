"""Sessions: kept on the server, ended after 8 hours without a request, revocable, and not
written on every request (a page view costs no UPDATE)."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.sessions import SessionStore
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

HOME = reverse("home")
START = datetime.datetime(2026, 3, 28, 20, 0, tzinfo=datetime.UTC)  # the clocks change that night
AGE = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
REFRESH = datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS)


def session_writes(queries) -> list[str]:
    return [
        q["sql"] for q in queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(
            ("UPDATE", "INSERT", "DELETE")
        )
    ]


def signed_in(client) -> bool:
    response = client.get(HOME)
    assert response.status_code in (200, 302)
    return response.status_code == 200


@pytest.fixture
def signed_in_client(client, staff_a):
    with time_machine.travel(START, tick=False) as clock:
        response = client.post("/accounts/login/", {"username": "staff_a", "password": PASSWORD})
        assert response.status_code == 302
        yield client, clock


def test_the_settings_keep_sessions_on_the_server_and_do_not_save_every_request():
    assert settings.SESSION_ENGINE == "config.sessions"
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert 60 <= settings.SESSION_REFRESH_SECONDS <= 15 * 60


def test_a_page_view_writes_nothing_to_the_session(signed_in_client):
    client, clock = signed_in_client
    clock.shift(REFRESH / 2)
    with CaptureQueriesContext(connection) as queries:
        assert signed_in(client)
        assert signed_in(client)
    assert session_writes(queries.captured_queries) == []
    # Nor does it read the session from the database: Redis has it.
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]


def test_the_expiry_moves_on_at_most_once_per_refresh_interval(signed_in_client):
    client, clock = signed_in_client
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    first_expiry = Session.objects.get(session_key=key).expire_date
    clock.shift(REFRESH + datetime.timedelta(seconds=1))
    with CaptureQueriesContext(connection) as queries:
        assert signed_in(client)
        assert signed_in(client)
    assert len(session_writes(queries.captured_queries)) == 1
    moved = Session.objects.get(session_key=key).expire_date
    assert moved - first_expiry == REFRESH + datetime.timedelta(seconds=1)


def test_a_session_ends_eight_hours_after_the_last_request(signed_in_client):
    client, clock = signed_in_client
    # Active through a long day (and across the clock change): each request keeps it alive.
    for _ in range(4):
        clock.shift(AGE - datetime.timedelta(minutes=1))
        assert signed_in(client)
    clock.shift(AGE)
    assert not signed_in(client)


def test_a_session_never_outlives_eight_hours_of_inactivity(signed_in_client):
    """Even when the last requests came just after a refresh, so that the store's expiry was
    not pushed back by them."""
    client, clock = signed_in_client
    clock.shift(REFRESH / 2)
    assert signed_in(client)  # not saved: within the refresh interval of the sign-in
    clock.shift(AGE - REFRESH / 2)
    assert not signed_in(client)


def test_an_unrefreshed_copy_in_redis_cannot_outlive_the_age(signed_in_client):
    """The inactivity rule is checked on the session's own data, not only by the stores'
    expiry (Redis's time-to-live runs on the real clock)."""
    client, clock = signed_in_client
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    clock.shift(AGE + datetime.timedelta(seconds=1))
    assert SessionStore(session_key=key).load() == {}


def test_a_session_can_be_revoked_on_the_server(signed_in_client):
    client, _ = signed_in_client
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert signed_in(client)
    SessionStore(session_key=key).delete()
    assert not Session.objects.filter(session_key=key).exists()
    assert not signed_in(client)


def test_a_deactivated_user_is_signed_out_at_once(signed_in_client, staff_a):
    client, _ = signed_in_client
    assert signed_in(client)
    staff_a.is_active = False
    staff_a.save()
    assert not signed_in(client)


def test_a_public_page_does_not_touch_a_signed_in_visitors_session(signed_in_client, ward_a):
    client, _ = signed_in_client
    response = client.get(reverse("promises:public_team", args=[ward_a.code]))
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
