"""Pages and API lists cached until the data they were made from changes (config.datacache):
served again only to the same user while every table they read is unchanged, made afresh after
any write to one of them, never cached when making them wrote something."""

import datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from config import datacache
from teams.models import Posting, Rank
from tests import factories as f
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def post_pc(team, last_name):
    officer = f.OfficerFactory(borough=team.borough, rank=Rank.PC, last_name=last_name)
    return f.PostingFactory(officer=officer, team=team, role=Posting.Role.DEDICATED)


def queries_of(fetch):
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
    return response, len(ctx.captured_queries)


def test_a_write_moves_the_tables_version_on(borough_a):
    before = datacache.versions(["wards_ward"])
    f.WardFactory(borough=borough_a)
    assert datacache.versions(["wards_ward"]) != before


def test_a_write_moves_it_on_again_when_its_transaction_commits(
    borough_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            f.WardFactory(borough=borough_a)
            during = datacache.versions(["wards_ward"])
    assert datacache.versions(["wards_ward"]) != during


def test_a_page_is_served_again_until_a_table_it_read_changes(client, staff_a, team_a):
    client.force_login(staff_a)
    client.get("/")  # the CSRF cookie, as a browser has it after its first page
    url = team_a.ward.get_absolute_url()
    post_pc(team_a, "Okafor")
    first, made = queries_of(lambda: client.get(url))
    again, served = queries_of(lambda: client.get(url))
    assert again.content == first.content
    assert served < made  # only the signed-in user is looked up
    post_pc(team_a, "Nowak")
    fresh = client.get(url)
    assert b"Nowak" in fresh.content and b"Nowak" not in first.content


def test_another_user_never_gets_my_copy(client, staff_a, staff_b, team_a):
    client.force_login(staff_a)
    client.get("/")
    url = team_a.ward.get_absolute_url()
    assert client.get(url).status_code == 200
    client.force_login(staff_b)
    assert client.get(url).status_code == 404


def test_a_revoked_session_gets_no_cached_page(client, staff_a, team_a):
    client.force_login(staff_a)
    client.get("/")
    url = team_a.ward.get_absolute_url()
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_a_page_without_a_csrf_cookie_yet_is_made_afresh(client, staff_a, team_a):
    """It would set the cookie its forms rely on: a copy would leave that out."""
    client.force_login(staff_a)
    url = team_a.ward.get_absolute_url()
    _, made = queries_of(lambda: client.get(url))
    client.cookies.pop("csrftoken", None)
    _, again = queries_of(lambda: client.get(url))
    assert again == made


def test_what_writes_while_it_is_made_is_never_cached(bcu_a):
    """A page that logs who saw it (the victims' work lists) must run every time."""
    calls = []

    def make():
        f.BoroughFactory(bcu=bcu_a)
        calls.append(1)
        return "page", True

    datacache.cached(("test",), make)
    datacache.cached(("test",), make)
    assert len(calls) == 2


def test_the_cache_keeps_a_copy_for_a_day_at_most(client, staff_a, team_a):
    client.force_login(staff_a)
    client.get("/")
    url = team_a.ward.get_absolute_url()
    with time_machine.travel(datetime.datetime(2026, 5, 1, 22, 30, tzinfo=datetime.UTC)) as clock:
        _, made = queries_of(lambda: client.get(url))
        _, served = queries_of(lambda: client.get(url))
        clock.shift(datetime.timedelta(hours=1))  # 23:30 to 00:30 in London (BST)
        response, next_day = queries_of(lambda: client.get(url))
    assert response.status_code == 200, response
    assert served < made == next_day


def test_a_write_during_the_making_leaves_the_copy_stale():
    """The versions are taken before each table's first read: a write committed while the
    response is being made is seen by the next request."""
    calls = []

    def make():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM wards_borough")
        datacache.bump("wards_borough")  # another request's commit, meanwhile
        calls.append(1)
        return "page", True

    datacache.cached(("test",), make)
    datacache.cached(("test",), make)
    assert len(calls) == 2


def test_an_api_list_is_cached_per_user_until_its_data_changes(staff_a, team_a):
    api = api_client_for(staff_a)
    post_pc(team_a, "Okafor")
    first, made = queries_of(lambda: api.get("/api/v1/officers/"))
    again, served = queries_of(lambda: api.get("/api/v1/officers/"))
    assert again.json() == first.json() and served < made
    post_pc(team_a, "Nowak")
    names = [o["last_name"] for o in api.get("/api/v1/officers/").json()["results"]]
    assert "Nowak" in names


def test_a_deleted_token_gets_nothing_from_the_cache(staff_a, team_a):
    from knox.models import AuthToken

    api = api_client_for(staff_a)
    assert api.get("/api/v1/officers/").status_code == 200
    AuthToken.objects.filter(user=staff_a).delete()
    assert api.get("/api/v1/officers/").status_code == 401


def _counted(table, calls):
    def make():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
        calls.append(table)
        return "answer", True

    return make


def test_an_enclosing_recording_gets_the_tables_of_what_it_wraps_made_or_found():
    """The public cache records around views whose answers come from cached(): made or found in
    the cache, the tables they were made from are the enclosing recording's too."""
    calls = []
    for _ in range(2):  # made, then found in the cache
        datacache.begin_recording()
        datacache.cached(("nested",), _counted("wards_borough", calls))
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM wards_ward")
        read, wrote = datacache.end_recording()
        assert set(read) == {"wards_borough", "wards_ward"} and not wrote
    assert calls == ["wards_borough"]


def test_the_current_entry_and_its_versions_come_together_and_go_stale():
    calls = []
    datacache.begin_recording()
    datacache.cached(("entry",), _counted("wards_borough", calls))
    read, _ = datacache.end_recording()
    datacache.cache.set("entry-test", ("kept", read))
    found, tables = datacache.current_entry("entry-test", lambda kept: kept[1])
    assert found == ("kept", read) and tables == ("wards_borough",)
    assert datacache.current_entry("entry-test", lambda kept: kept[1], tables)[0] == found
    datacache.bump("wards_borough")
    assert datacache.current_entry("entry-test", lambda kept: kept[1], tables)[0] is None
    assert datacache.current_entry("missing", lambda kept: kept[1], tables) == (None, tables)


def _with_cache_off(settings, fetch):
    """What the list answers made afresh (no cache), to compare a kept copy with."""
    settings.DATA_CACHE_SECONDS = 0
    try:
        return fetch()
    finally:
        settings.DATA_CACHE_SECONDS = 3600


def test_a_kept_json_list_is_the_same_bytes_and_headers_as_one_made_afresh(
    settings, staff_a, team_a
):
    api = api_client_for(staff_a)
    post_pc(team_a, "Okafor")
    made, served = api.get("/api/v1/officers/"), api.get("/api/v1/officers/")
    fresh = _with_cache_off(settings, lambda: api.get("/api/v1/officers/"))
    for response in (made, served):
        assert response.status_code == 200 and response.content == fresh.content
        for header in ("Content-Type", "Vary", "Allow"):
            assert response[header] == fresh[header], header
    assert "Okafor" in served.json()["results"][0]["last_name"]


def test_json_asked_with_an_indent_is_kept_apart_from_plain_json(settings, staff_a, team_a):
    api = api_client_for(staff_a)
    post_pc(team_a, "Okafor")
    indented = "application/json; indent=4"
    for _ in range(2):  # made, then kept
        plain = api.get("/api/v1/officers/", HTTP_ACCEPT="application/json")
        wide = api.get("/api/v1/officers/", HTTP_ACCEPT=indented)
        assert b"\n    " in wide.content and b"\n" not in plain.content
        assert wide.json() == plain.json()
    fresh = _with_cache_off(settings, lambda: api.get("/api/v1/officers/", HTTP_ACCEPT=indented))
    assert wide.content == fresh.content


def test_the_browsable_api_is_rendered_for_each_request_from_the_kept_data(staff_a, team_a):
    api = api_client_for(staff_a)
    post_pc(team_a, "Okafor")
    api.get("/api/v1/officers/")  # the JSON copy kept first: the page is not served from it
    for _ in range(2):
        page = api.get("/api/v1/officers/", HTTP_ACCEPT="text/html")
        assert page["Content-Type"].startswith("text/html")
        assert b"Okafor" in page.content and str(staff_a).encode() in page.content
    assert api.get("/api/v1/officers/").json()["results"][0]["last_name"] == "Okafor"


def test_a_kept_list_and_its_tables_versions_come_in_one_round_trip(monkeypatch, staff_a, team_a):
    api = api_client_for(staff_a)
    post_pc(team_a, "Okafor")
    api.get("/api/v1/officers/")  # made: its tables are now those the list is asked with
    calls = []
    for name in ("get", "get_many"):
        real = getattr(datacache.cache, name)
        monkeypatch.setattr(datacache.cache, name,
                            lambda *a, _real=real, _name=name, **kw: calls.append(_name)
                            or _real(*a, **kw))
    assert api.get("/api/v1/officers/").status_code == 200
    assert calls == ["get_many"]
    post_pc(team_a, "Nowak")  # a table of the list written: the kept copy is stale
    names = [o["last_name"] for o in api.get("/api/v1/officers/").json()["results"]]
    assert "Nowak" in names


def test_a_kept_lists_links_name_the_host_it_was_asked_on(monkeypatch, staff_a, team_a):
    """A list's next link is an absolute address: a copy kept for one of the site's host names
    is not served on another."""
    from config.pagination import BoundedCountPagination

    monkeypatch.setattr(BoundedCountPagination, "page_size", 1)
    api = api_client_for(staff_a)
    for name in ("Okafor", "Nowak"):
        post_pc(team_a, name)
    url = "/api/v1/officers/"
    assert api.get(url, HTTP_HOST="localhost").json()["next"].startswith("http://localhost/")
    assert api.get(url, HTTP_HOST="127.0.0.1").json()["next"].startswith("http://127.0.0.1/")
    assert api.get(url, HTTP_HOST="localhost", secure=True).json()["next"].startswith(
        "https://localhost/")
