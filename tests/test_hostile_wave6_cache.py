"""A hostile probe of the kept (cached) answers (config.datacache, config.publiccache), with the
cache on as in production: one user's kept list or page never reaches another user, nor the same
user after what they may see has changed; a legitimate write by any path makes a kept answer
stale at once."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from config import publiccache
from config.access import Role
from deployment.models import Duty
from tests import factories as f
from tests.conftest import api_client_for
from tests.policeuk.conftest import published  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def codes_in(response) -> set[str]:
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    return {row["code"] for row in rows}


# --- the staff API's kept lists -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/boroughs/", "/api/v1/wards/"])
def test_hq_made_staff_no_longer_gets_londons_kept_list(path, hq, borough_a, borough_b,
                                                        ward_a, ward_b):
    """GET as HQ (every borough), then HQ's role becomes borough staff of borough A and a new
    token is issued: the same list must show borough A's rows only. The kept list was keyed by
    the user alone, and nothing it read changed (the role is read before the view)."""
    wanted = {"/api/v1/boroughs/": borough_a.code, "/api/v1/wards/": ward_a.code}[path]
    other = {"/api/v1/boroughs/": borough_b.code, "/api/v1/wards/": ward_b.code}[path]
    assert other in codes_in(api_client_for(hq).get(path))
    hq.role = Role.STAFF
    hq.save()
    hq.boroughs.set([borough_a])
    seen = codes_in(api_client_for(hq).get(path))
    assert wanted in seen and other not in seen


def test_a_superuser_demoted_no_longer_gets_the_kept_list(staff_a, borough_b, ward_b):
    staff_a.is_superuser = True
    staff_a.save()
    assert ward_b.code in codes_in(api_client_for(staff_a).get("/api/v1/wards/"))
    staff_a.is_superuser = False
    staff_a.save()
    assert ward_b.code not in codes_in(api_client_for(staff_a).get("/api/v1/wards/"))


def test_a_role_changed_by_a_raw_update_is_not_served_the_old_roles_list(
    hq, borough_a, borough_b, ward_a, ward_b
):
    """queryset.update() sends no signal: the token lives on, and the kept list must not."""
    client = api_client_for(hq)
    assert ward_b.code in codes_in(client.get("/api/v1/wards/"))
    type(hq).objects.filter(pk=hq.pk).update(role=Role.STAFF)
    hq.boroughs.through.objects.create(user_id=hq.pk, borough_id=borough_a.pk)
    seen = codes_in(client.get("/api/v1/wards/"))
    assert ward_a.code in seen and ward_b.code not in seen


def test_a_borough_taken_away_by_a_raw_delete_empties_the_kept_list(staff_a, ward_a):
    client = api_client_for(staff_a)
    assert ward_a.code in codes_in(client.get("/api/v1/wards/"))
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH gone AS (DELETE FROM teams_user_boroughs WHERE user_id = %s RETURNING 1) "
            "SELECT count(*) FROM gone", [staff_a.pk])
    assert ward_a.code not in codes_in(client.get("/api/v1/wards/"))


def test_a_ward_moved_by_a_cte_update_shows_at_once(staff_a, ward_a, borough_b):
    client = api_client_for(staff_a)
    assert ward_a.code in codes_in(client.get("/api/v1/wards/"))
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH moved AS (UPDATE wards_ward SET borough_id = %s WHERE id = %s RETURNING id) "
            "SELECT count(*) FROM moved", [borough_b.pk, ward_a.pk])
    assert ward_a.code not in codes_in(client.get("/api/v1/wards/"))


# --- the public side --------------------------------------------------------------------------


def test_a_kept_public_api_answer_keeps_its_scheme(published):  # noqa: F811
    """An answer holds absolute addresses: one made for a plain-http request (kept by host
    alone) was the answer an https visitor got, and the other way round."""
    url = f"/api/metropolitan/{published.neighbourhood}"
    secure = Client().get(url, secure=True).json()
    plain = Client().get(url).json()
    assert secure["url_force"].startswith("https://")
    assert plain["url_force"].startswith("http://")


def test_a_forged_forwarded_for_does_not_reset_the_public_limit(ward_a, team_a, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": "3/min"}
    url = reverse("promises:public_team", args=[ward_a.code])
    statuses = [
        Client(HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 192.0.2.{n}", HTTP_X_REAL_IP=f"10.1.1.{n}")
        .get(url).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_a_huge_query_makes_a_short_key_and_no_500(ward_a):
    response = Client().get(reverse("promises:find"), {"q": "E" * 20000, "x": "y" * 20000})
    assert response.status_code in (200, 400)
    client = cache._cache.get_client()
    assert all(len(key) < 200 for key in client.keys("*"))


def test_head_then_get_gives_the_whole_page_and_options_is_never_kept(ward_a, team_a):
    url = reverse("promises:public_team", args=[ward_a.code])
    assert Client().head(url).status_code == 200
    page = Client().get(url)
    assert page.status_code == 200 and ward_a.name.encode() in page.content
    cache.clear()
    Client().options(url)
    assert not cache._cache.get_client().keys(f"*{publiccache.PREFIX}*")


def test_a_signed_in_visitors_page_never_reaches_the_public(client, staff_a, ward_a, team_a):
    client.force_login(staff_a)
    url = reverse("contact:send", args=[ward_a.code])
    mine = client.get(url)
    theirs = Client().get(url)
    assert mine.status_code == theirs.status_code == 200
    for secret in (client.cookies["sessionid"].value, staff_a.last_name, staff_a.username):
        assert secret.encode() not in theirs.content


def test_visitor_as_errors_and_input_never_reach_visitor_b(ward_a, team_a):
    url = reverse("contact:send", args=[ward_a.code])
    a = Client()
    a.get(url)
    a.post(url, {"message": "My secret neighbour dispute at 12 Acacia Avenue", "name": ""})
    b = Client().get(url)
    assert b.status_code == 200
    assert b"Acacia" not in b.content and b"govuk-error-summary" not in b.content


# --- the kept staff pages --------------------------------------------------------------------


def signed_in(client, user):
    client.force_login(user)
    client.get("/")  # the CSRF cookie, as a browser has it after its first page
    return client


@pytest.mark.parametrize("path", ["/officers/", "/promises/"])
def test_a_csv_export_from_a_kept_list_page_is_a_download(client, staff_a, team_a, path):
    """A browser that has opened any page has the CSRF cookie: the list page is then made
    through the page cache, which read a streamed CSV's `content` (it has none)."""
    signed_in(client, staff_a)
    response = client.get(path, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert b"".join(response.streaming_content).startswith("\ufeff".encode())


def test_a_kept_page_with_reordered_or_repeated_parameters_is_never_anothers(
    client, staff_a, staff_b, team_a, team_b
):
    signed_in(client, staff_a)
    variants = ["/officers/?sort=name&page=1", "/officers/?page=1&sort=name",
                "/officers/?page=1&page=1&sort=name&sort=name",
                f"/officers/?borough={team_b.borough_id}&ward={team_b.ward_id}"]
    mine = {v: client.get(v).content for v in variants}
    signed_in(client, staff_b)
    for variant in variants:
        theirs = client.get(variant)
        assert theirs.status_code in (200, 400), variant
        assert theirs.content != mine[variant]
        assert b"Stafford" not in theirs.content


def test_a_borough_taken_from_a_signed_in_user_closes_the_kept_page(client, staff_a, team_a):
    signed_in(client, staff_a)
    url = team_a.ward.get_absolute_url()
    assert client.get(url).status_code == 200
    staff_a.boroughs.clear()
    assert client.get(url).status_code == 404


def test_a_role_change_reaches_a_kept_page_at_once(client, staff_a, team_a):
    signed_in(client, staff_a)
    url = team_a.ward.get_absolute_url()
    assert client.get(url).status_code == 200
    officer = f.OfficerFactory(borough=team_a.borough)
    type(staff_a).objects.filter(pk=staff_a.pk).update(role=Role.CONSTABLE, officer=officer)
    assert client.get(url).status_code == 403


def test_a_deactivated_user_gets_no_kept_page(client, staff_a, team_a):
    signed_in(client, staff_a)
    url = team_a.ward.get_absolute_url()
    assert client.get(url).status_code == 200
    type(staff_a).objects.filter(pk=staff_a.pk).update(is_active=False)
    assert client.get(url).status_code == 302


# --- answers that change with the time of day ----------------------------------------------------


def london(day: str, hhmm: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=LONDON)


def test_an_event_that_has_ended_leaves_the_kept_ward_page(client, staff_a, ward_a, team_a):
    """The page lists the events not yet ended: kept at 09:00, it still listed at 11:00 an
    event that ended at 10:00 (nothing was written, and it is the same day)."""
    from tests.promises import factories as pf

    day = "2026-06-10"
    pf.EngagementEventFactory(ward=ward_a, title="Early briefing",
                              starts_at=london(day, "09:30"), ends_at=london(day, "10:00"))
    pf.EngagementEventFactory(ward=ward_a, title="Later surgery",
                              starts_at=london(day, "18:00"), ends_at=london(day, "19:00"))
    url = reverse("promises:ward_delivery", args=[ward_a.code])
    with time_machine.travel(london(day, "09:00"), tick=False) as clock:
        signed_in(client, staff_a)
        assert b"Early briefing" in client.get(url).content
        clock.move_to(london(day, "11:00"))
        page = client.get(url).content
    assert b"Early briefing" not in page and b"Later surgery" in page


def test_a_duty_that_has_ended_leaves_a_constables_kept_home_page(client, constable_a, ward_a):
    day = "2026-06-10"
    officer = constable_a.officer
    for starts, ends in ((london(day, "07:00"), london(day, "10:00")),
                         (london("2026-06-11", "07:00"), london("2026-06-11", "15:00"))):
        Duty.objects.create(officer=officer, home_ward=ward_a, worked_ward=ward_a,
                            starts_at=starts, ends_at=ends, recorded_by=constable_a)
    with time_machine.travel(london(day, "08:00"), tick=False) as clock:
        signed_in(client, constable_a)
        before = client.get("/").content.decode()
        clock.move_to(london(day, "12:00"))
        after = client.get("/").content.decode()
    assert "Wed 10 Jun 2026 07:00" in before
    assert "Wed 10 Jun 2026 07:00" not in after and "Thu 11 Jun 2026 07:00" in after


def test_a_duty_recorded_a_week_ago_leaves_staffs_kept_recording_count(client, staff_a, ward_a):
    """"In the last 7 days you recorded N duties": a sliding window, not a day's."""
    officer = f.OfficerFactory(borough=ward_a.borough)
    with time_machine.travel(london("2026-06-03", "15:00"), tick=False):
        Duty.objects.create(officer=officer, home_ward=ward_a, worked_ward=ward_a,
                            starts_at=london("2026-06-03", "07:00"),
                            ends_at=london("2026-06-03", "15:00"), recorded_by=staff_a)
    with time_machine.travel(london("2026-06-10", "09:00"), tick=False) as clock:
        signed_in(client, staff_a)
        assert b"<strong>1</strong> duty and" in client.get("/").content
        clock.move_to(london("2026-06-10", "16:00"))
        assert b"<strong>0</strong> duties and" in client.get("/").content
