"""API tokens expire after API_TOKEN_HOURS, are stored only as hashes, and stop working the moment
their user is deactivated or changes role, boroughs or password."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from config.access import Role
from config.tasks import clear_expired_tokens
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def sign_in(username="staff_a") -> tuple[APIClient, dict]:
    client = APIClient()
    body = client.post(
        TOKEN_URL, {"username": username, "password": PASSWORD}, format="json"
    ).json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    return client, body


def opens_the_api(client) -> bool:
    status = client.get("/api/v1/wards/").status_code
    assert status in (200, 401), status
    return status == 200


def test_a_token_says_when_it_expires_and_stops_working_then(staff_a, ward_a, settings):
    client, body = sign_in()
    expiry = datetime.datetime.fromisoformat(body["expiry"])
    assert expiry - timezone.now() == pytest.approx(
        datetime.timedelta(hours=settings.API_TOKEN_HOURS), abs=datetime.timedelta(minutes=1)
    )
    assert opens_the_api(client)
    with time_machine.travel(expiry - datetime.timedelta(minutes=1)):
        assert opens_the_api(client)
    with time_machine.travel(expiry + datetime.timedelta(minutes=1)):
        assert not opens_the_api(client)
    assert not AuthToken.objects.exists()  # the expired token is deleted when it is refused


def test_only_a_hash_of_the_token_is_stored(staff_a):
    _, body = sign_in()
    stored = AuthToken.objects.get()
    assert body["token"] not in (stored.digest, stored.token_key)
    assert len(stored.digest) == 128  # SHA-512


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda u: setattr(u, "is_active", False) or u.save(), id="deactivated"),
        pytest.param(lambda u: setattr(u, "role", Role.COMMANDER) or u.save(), id="role"),
        pytest.param(lambda u: u.set_password("a-new-long-password") or u.save(), id="password"),
        pytest.param(lambda u: u.boroughs.clear(), id="boroughs-cleared"),
        pytest.param(lambda u: u.boroughs.add(u._other), id="borough-added"),
        pytest.param(lambda u: u.boroughs.remove(*u.boroughs.all()), id="borough-removed"),
        pytest.param(lambda u: u._other.users.add(u), id="added-from-the-borough"),
        pytest.param(lambda u: u.boroughs.first().users.clear(), id="cleared-from-the-borough"),
    ],
)
def test_a_change_to_what_a_user_may_do_revokes_their_tokens(
    staff_a, staff_b, ward_a, borough_b, change
):
    client, _ = sign_in()
    other_client, _ = sign_in("staff_b")
    assert opens_the_api(client)
    staff_a._other = borough_b

    change(staff_a)

    assert not opens_the_api(client)
    assert not AuthToken.objects.filter(user=staff_a).exists()
    assert opens_the_api(other_client)  # nobody else's


def test_saving_a_user_without_changing_their_grants_keeps_their_tokens(staff_a, ward_a):
    client, _ = sign_in()
    staff_a.first_name = "Sam"
    staff_a.save()
    staff_a.boroughs.add(*staff_a.boroughs.all())  # nothing new
    assert opens_the_api(client)


@pytest.mark.parametrize(
    "header",
    ["Token " + "g" * 64, "Token " + "a" * 63, "Token é" + "a" * 63, "Token a\x00b", "Token"],
)
def test_a_malformed_token_is_a_401(api, ward_a, header):
    api.credentials(HTTP_AUTHORIZATION=header)
    assert api.get("/api/v1/wards/").status_code == 401


def test_the_nightly_job_deletes_expired_tokens(staff_a, staff_b):
    sign_in()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=2)):
        sign_in("staff_b")
    assert clear_expired_tokens.delay().get() == 1
    assert list(AuthToken.objects.values_list("user__username", flat=True)) == ["staff_a"]


def test_an_api_request_with_a_token_costs_one_query_to_authenticate(
    staff_a, ward_a, django_assert_num_queries
):
    client, _ = sign_in()
    # 1: the token with its user and their boroughs (knox's sweep of the user's other tokens on
    # every request is left to the nightly job); 2-3: the list's count and rows.
    with django_assert_num_queries(3):
        assert client.get("/api/v1/wards/").status_code == 200


def test_the_boroughs_read_with_the_token_scope_the_request(
    staff_a, ward_a, ward_b, django_assert_num_queries
):
    client, _ = sign_in()
    assert [w["code"] for w in client.get("/api/v1/wards/").json()["results"]] == [ward_a.code]
    assert client.get(f"/api/v1/wards/{ward_b.code}/").status_code == 404


def test_a_kept_list_is_not_served_after_the_users_boroughs_change(
    staff_a, ward_a, ward_b, borough_b
):
    """The boroughs are read with the token, before the view, where the kept list's recording
    does not see them: its key names them. After a move (the old token revoked, a new one
    issued) the same user and address give the new borough's wards, not the kept list."""
    client, _ = sign_in()
    assert [w["code"] for w in client.get("/api/v1/wards/").json()["results"]] == [ward_a.code]
    staff_a.boroughs.set([borough_b])
    client, _ = sign_in()
    assert [w["code"] for w in client.get("/api/v1/wards/").json()["results"]] == [ward_b.code]


def test_the_token_query_makes_what_the_orm_makes(
    staff_a, hq, borough_b, django_assert_num_queries
):
    """config.tokens reads a token with its user and their boroughs in one SQL statement: the
    instances are the ORM's, field for field, saved-state and all."""
    from django.contrib.auth import get_user_model

    from config.tokens import _tokens_starting, issue_token

    staff_a.boroughs.add(borough_b)
    for user in (staff_a, hq):
        token, _ = issue_token(user)
        with django_assert_num_queries(1):
            [found] = _tokens_starting(token[:15])
            assert found.user.username == user.username  # no query: already attached
        orm = AuthToken.objects.select_related("user").get(token_key=token[:15])
        for instance, expected, model in ((found, orm, AuthToken),
                                          (found.user, orm.user, get_user_model())):
            fields = [f.attname for f in model._meta.concrete_fields]
            assert [getattr(instance, f) for f in fields] == [getattr(expected, f) for f in fields]
            assert (instance._state.adding, instance._state.db) == (False, "default")
        for moment in ("created", "expiry"):  # aware, in the same zone as the ORM's
            assert getattr(found, moment).tzinfo is not None
            assert getattr(found, moment).utcoffset() == getattr(orm, moment).utcoffset()
        assert found.user.date_joined.utcoffset() == orm.user.date_joined.utcoffset()
        assert sorted(found.user_borough_ids) == sorted(user.boroughs.values_list("id", flat=True))
    assert _tokens_starting("0" * 15) == []


def test_a_user_deactivated_without_saving_their_row_is_refused(staff_a, ward_a):
    """A bulk update sends no signal, so the tokens stay: the check of the user read with the
    token refuses them."""
    from django.contrib.auth import get_user_model

    client, _ = sign_in()
    assert opens_the_api(client)
    get_user_model().objects.filter(pk=staff_a.pk).update(is_active=False)
    assert AuthToken.objects.filter(user=staff_a).exists()
    assert not opens_the_api(client)
