"""The last stop's surfaces under a hostile caller: rest days (page, API, browsable API, roster
CSV), the crime form's and API's coordinates, the victims' work lists (sort, page, CSV export).
Every bad value is answered on its merits (a GOV.UK error summary, a 400 with field errors, a
404, a 413), never a 500, and nothing is half-written."""

import datetime
import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from deployment.models import RestDay
from tests.deployment.factories import staff_ward

pytestmark = pytest.mark.django_db
D = datetime.date

BAD_PARTS = [
    ("0", "1", "1"), ("1", "1", "1"), ("31", "12", "9999"), ("1", "1", "10000"),
    ("31", "2", "2026"), ("29", "3", "2026\x00"), ("1" * 25, "1", "2026"),
    ("x" * 200_000, "1", "1"), ("-1", "3", "2026"), ("\u0663", "3", "2026"),
    ("\u00b2", "3", "2026"),
]  # fmt: skip
BAD_DATES = [
    "0000-01-01", "0001-01-01", "9999-12-31", "10000-01-01", "2026-02-31", "2026-03-29T01:30",
    "2026-10-25T01:30", "-1", "99999999999999999999", "x" * 3000, "2026-03-07\x00", "\u0663",
    "", None, 7, [], {},
]  # fmt: skip


def _server_errors(responses):
    return [f"{what} -> {r.status_code}" for what, r in responses if r.status_code >= 500]


# --- the rest days page ------------------------------------------------------------------------


def test_the_rest_day_page_refuses_every_bad_date_with_a_summary(client, staff_a, team_a):
    officer = staff_ward(team_a, pcs=1, pcsos=0)[0]
    client.force_login(staff_a)
    client.raise_request_exception = False
    url, seen = reverse("deployment:rest_day_new"), []
    for day, month, year in BAD_PARTS:
        for prefix in ("date", "last_date"):
            data = {"officer": officer.pk, "date-day": "7", "date-month": "3",
                    "date-year": "2026", f"{prefix}-day": day, f"{prefix}-month": month,
                    f"{prefix}-year": year}  # fmt: skip
            response = client.post(url, data)
            seen.append((f"{prefix}={day[:20]}/{month}/{year[:20]!r}", response))
            if response.status_code < 500:
                assert "govuk-error-summary" in response.content.decode(), seen[-1][0]
    assert _server_errors(seen) == []
    assert not RestDay.objects.exists()


@pytest.mark.parametrize("first, last", [
    (("25", "12", "9999"), ("5", "1", "10000")),  # a run across year 9999's end
    (("25", "12", "2099"), ("5", "1", "2100")),  # across the last year a duty may have
    (("1", "3", "2026"), ("1", "4", "2026")),  # 32 days
    (("1", "3", "2026"), ("28", "2", "2026")),  # -1 day
    (("1", "1", "2000"), ("31", "12", "2099")),  # a century
])  # fmt: skip
def test_the_rest_day_page_refuses_runs_out_of_range(client, staff_a, team_a, first, last):
    officer = staff_ward(team_a, pcs=1, pcsos=0)[0]
    client.force_login(staff_a)
    data = {"officer": officer.pk}
    for prefix, parts in (("date", first), ("last_date", last)):
        data.update(zip((f"{prefix}-day", f"{prefix}-month", f"{prefix}-year"), parts, strict=True))
    response = client.post(reverse("deployment:rest_day_new"), data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not RestDay.objects.exists()


def test_the_rest_day_page_takes_no_officer_of_another_borough(client, staff_a, team_b):
    outsider = staff_ward(team_b, pcs=1, pcsos=0)[0]
    client.force_login(staff_a)
    client.raise_request_exception = False
    url = reverse("deployment:rest_day_new")
    for officer in (outsider.pk, "\x00", "9" * 30, "-1", "x" * 5000):
        response = client.post(url, {"officer": officer, "date-day": "7", "date-month": "3",
                                     "date-year": "2026"})  # fmt: skip
        assert response.status_code == 200, (officer, response.status_code)
        assert "govuk-error-summary" in response.content.decode()
    # Through the query string that pre-fills the form: another borough's officer is not offered.
    response = client.get(url, {"officer": outsider.shoulder_number})
    assert response.status_code in (200, 404)
    assert outsider.full_name not in response.content.decode()
    assert not RestDay.objects.exists()


def test_the_rest_day_page_answers_json_and_huge_bodies(client, staff_a, team_a):
    officer = staff_ward(team_a, pcs=1, pcsos=0)[0]
    client.force_login(staff_a)
    client.raise_request_exception = False
    url = reverse("deployment:rest_day_new")
    body = json.dumps({"officer": officer.pk, "date": "2026-03-07"})
    response = client.post(url, body, content_type="application/json")
    assert response.status_code < 500
    huge = client.post(url, {"officer": officer.pk, "notes": "x" * 6_000_000})
    assert huge.status_code == 413
    assert not RestDay.objects.exists()


# --- the rest days API -------------------------------------------------------------------------


def test_the_rest_day_api_answers_every_bad_value_with_a_field_error(client_of, team_a):
    officer = staff_ward(team_a, pcs=1, pcsos=0)[0]
    api = client_of("staff_a")
    api.raise_request_exception = False
    seen = []
    for value in BAD_DATES:
        for field in ("date", "last_date", "officer"):
            body = {"officer": officer.shoulder_number, "date": "2026-03-07", field: value}
            response = api.post("/api/v1/rest-days/", body, format="json")
            seen.append((f"{field}={str(value)[:30]!r}", response))
            if response.status_code == 400:
                assert field in response.json(), (field, value, response.json())
            elif response.status_code < 500:
                # None / "" for last_date is one day; anything else must be refused
                assert field == "last_date" and value in ("", None), (field, value, response)
    assert _server_errors(seen) == []
    assert set(RestDay.objects.values_list("day", flat=True)) <= {D(2026, 3, 7)}


@pytest.mark.parametrize("last", ["2026-04-07", "2026-03-06", "9999-12-31", "10000-01-05"])
def test_the_rest_day_api_refuses_runs_out_of_range(client_of, team_a, last):
    officer = staff_ward(team_a, pcs=1, pcsos=0)[0]
    body = {"officer": officer.shoulder_number, "date": "2026-03-07", "last_date": last}
    response = client_of("staff_a").post("/api/v1/rest-days/", body, format="json")
    assert response.status_code == 400, response.content
    assert "last_date" in response.json()
    assert not RestDay.objects.exists()


def test_the_rest_day_api_takes_form_bodies_browsable_forms_and_refuses_huge_ones(
    client, client_of, staff_a, team_a
):
    officer = staff_ward(team_a, pcs=1, pcsos=0)[0]
    api = client_of("staff_a")
    api.raise_request_exception = False
    form = api.post("/api/v1/rest-days/", {"officer": officer.shoulder_number,
                                           "date": "2026-03-07"})  # fmt: skip
    assert form.status_code == 201, form.content
    # The browsable API: its page and its form's POST, signed in with a session.
    client.force_login(staff_a)
    client.raise_request_exception = False
    page = client.get("/api/v1/rest-days/?format=api")
    assert page.status_code == 200
    assert officer.shoulder_number in page.content.decode()
    posted = client.post("/api/v1/rest-days/?format=api", {
        "officer": officer.shoulder_number, "date": "2026-03-08"})
    assert posted.status_code == 201, posted.content[:500]
    bad = client.post("/api/v1/rest-days/?format=api", {"officer": "x", "date": "2026-02-31"})
    assert bad.status_code == 400
    huge = api.post("/api/v1/rest-days/", {"officer": "x" * 6_000_000, "date": "2026-03-09"},
                    format="json")
    assert huge.status_code == 413
    assert RestDay.objects.count() == 2


def test_the_rest_day_api_list_under_hostile_filters(client_of, staff_a, team_a):
    officer = staff_ward(team_a, pcs=1, pcsos=0)[0]
    RestDay.objects.create(officer=officer, day=D(2026, 3, 4), borough=officer.borough,
                           recorded_by=staff_a)
    api = client_of("staff_a")
    api.raise_request_exception = False
    seen = []
    params = ["officer", "date_from", "date_to", "borough", "ward", "page", "page_size",
              "ordering", "sort", "worked", "format"]  # fmt: skip
    for value in [v for v in BAD_DATES if isinstance(v, str)]:
        for name in params:
            query = urlencode({name: value})
            seen.append((query[:80], api.get(f"/api/v1/rest-days/?{query}")))
    assert _server_errors(seen) == []


# --- the roster's rest rows ------------------------------------------------------------------


def test_roster_rest_rows_refuse_another_borough_and_bad_dates(staff_a, team_a, team_b):
    from deployment.roster import ROSTER_COLUMNS, roster_import

    own = staff_ward(team_a, pcs=1, pcsos=0)[0]
    outsider = staff_ward(team_b, pcs=1, pcsos=0)[0]
    lines = [
        f"{outsider.shoulder_number},2026-03-07,,,rest,,,,,,",
        f"{own.shoulder_number},9999-12-31,,,rest,,,,,,",
        f"{own.shoulder_number},0001-01-01,,,rest,,,,,,",
        f"{own.shoulder_number},2026-02-31,,,rest,,,,,,",
        f"{own.shoulder_number},31/02/2026,,,rest,,,,,,",
        f"{own.shoulder_number},2026-03-0\u0667,,,rest,,,,,,",
        f"{own.shoulder_number},\u0662\u0660\u0662\u0666-03-07,,,rest,,,,,,",
        f"{own.shoulder_number},2026-03-07,07:00,,rest,,,,,,",
    ]
    text = ",".join(ROSTER_COLUMNS) + "\r\n" + "\r\n".join(lines) + "\r\n"
    result = roster_import(text="\ufeff" + text, by=staff_a, valid_only=True)
    assert result.imported == 0
    assert [line for line, _ in result.rejected] == list(range(2, 2 + len(lines)))
    assert not RestDay.objects.exists()


def test_roster_upload_of_non_utf8_and_nul_bytes_is_refused_plainly(client, staff_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from deployment.roster import ROSTER_COLUMNS

    client.force_login(staff_a)
    client.raise_request_exception = False
    url = reverse("deployment:roster_import")
    header = ",".join(ROSTER_COLUMNS).encode()
    for content in (header + b"\n\xff\xfe\x00bad,,,,rest,,,,,,\n", b"\x00" * 100,
                    "\ufeff".encode() + header + b"\r\nX,2026-03-07,,,rest,,,,,,\r\n"):
        upload = SimpleUploadedFile("roster.csv", content, content_type="text/csv")
        response = client.post(url, {"file": upload})
        assert response.status_code < 500, (content[:30], response.status_code)
    assert not RestDay.objects.exists()


# --- the crime's coordinates -----------------------------------------------------------------


def _crime_body(ward, **place):
    return {
        "reference": "CR-HOSTILE-1", "category": "burglary",
        "occurred_at": "2026-03-02T09:00:00Z", "reported_at": "2026-03-02T10:00:00Z",
        "ward": ward.code, "victims": [{"name": "Ann Api", "phone": "0770"}], **place,
    }  # fmt: skip


def _inside(ward) -> dict:
    ward.refresh_from_db()
    return {"lat": str(ward.centroid_lat), "lng": str(ward.centroid_lng)}


@pytest.mark.parametrize("lat, lng", [
    ("NaN", "-0.1"), ("51.5", "Infinity"), ("-Infinity", "0"), ("1e400", "0"), ("91", "0"),
    ("0", "181"), ("999.999999", "-999.999999"), ("51.0", "1.0"), ("51.5\x00", "-0.1"),
    ("5" * 200, "0"), ("51.5", None),
])  # fmt: skip
def test_the_crime_api_refuses_coordinates_off_the_map(client_of, ward_a, lat, lng):
    api = client_of("staff_a")
    api.raise_request_exception = False
    response = api.post("/api/v1/crimes/", _crime_body(ward_a, lat=lat, lng=lng), format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) & {"lat", "lng"}, response.json()
    from victims.models import Crime

    assert not Crime.objects.exists()


def test_the_crime_api_refuses_a_point_outside_the_ward_or_borough_given(
    client_of, ward_a, ward_b, borough_a
):
    """The crime form's rule, in the service that every entry point calls: a point given with a
    ward must fall in that ward, and with a borough in one of its wards."""
    from tests import factories as f
    from victims.models import Crime

    api = client_of("staff_a")
    other_of_a = f.WardFactory(name="Gospel Oak", borough=borough_a)
    for body in (
        _crime_body(ward_a, **_inside(ward_b)),  # a point in another borough
        _crime_body(ward_a, **_inside(other_of_a)),  # in another ward of the borough
        {**_crime_body(ward_a, **_inside(ward_b)), "ward": None, "borough": borough_a.code},
    ):
        response = api.post("/api/v1/crimes/", body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert set(response.json()) & {"lat", "ward"}, response.json()
    assert not Crime.objects.exists()
    fine = api.post("/api/v1/crimes/", _crime_body(ward_a, **_inside(ward_a)), format="json")
    assert fine.status_code == 201, fine.content


# --- an officer who changes borough --------------------------------------------------------


def test_a_transfer_waits_for_the_old_borough_s_rest_days_from_its_date(
    staff_a, team_a, borough_b
):
    """A rest day belongs to the borough the officer served in on its date: a transfer that
    would leave the old borough holding a rest day in the new one's time is refused, as a duty
    then is (each borough records only its own part), and one before the date does not stop it."""
    from django.utils import timezone

    from config.errors import DomainError
    from deployment.rest_days import rest_day_record
    from teams import services as teams

    day = timezone.localdate() - datetime.timedelta(days=20)
    officer = staff_ward(team_a, pcs=1, pcsos=0)[0]
    rest_day_record(officer=officer, first=day, by=staff_a)
    rest_day_record(officer=officer, first=day + datetime.timedelta(days=7), by=staff_a)
    with pytest.raises(DomainError, match="Rest days are recorded"):
        teams.officer_transfer(officer=officer, to_borough=borough_b,
                               effective_on=day + datetime.timedelta(days=5), reason="Promoted",
                               by=staff_a)
    officer.refresh_from_db()
    assert officer.borough_id == staff_a.boroughs.get().pk
    teams.officer_transfer(officer=officer, to_borough=borough_b,
                           effective_on=day + datetime.timedelta(days=8), reason="Promoted",
                           by=staff_a)
    officer.refresh_from_db()
    assert officer.borough_id == borough_b.pk


@pytest.mark.parametrize("place", [
    {"lat": "NaN", "lng": "-0.1"}, {"lat": "51.5", "lng": "Infinity"}, {"lat": "1e400"},
    {"lat": "91", "lng": "181"}, {"lat": "51.5\x00", "lng": "-0.1"}, {"lat": "5" * 5000},
    {"lng": "-0.15"}, {"lat": "51.55"},
])  # fmt: skip
def test_the_crime_form_refuses_coordinates_off_the_map_in_its_summary(client, staff_a, ward_a,
                                                                       place):
    from tests.victims.factories import crime_form
    from victims.models import Crime

    client.force_login(staff_a)
    client.raise_request_exception = False
    data = crime_form(ward_a, [{"name": "Ida Marsh", "phone": "07700 900001"}], **place)
    response = client.post("/victims/crimes/new/", data)
    assert response.status_code in (200, 400), response.status_code
    page = response.content.decode()
    assert "govuk-error-summary" in page
    # The summary links to a box a person can reach, not the map's hidden fields.
    assert 'href="#id_lat"' not in page and 'href="#id_lng"' not in page
    assert 'href="#id_postcode"' in page
    assert not Crime.objects.exists()


@pytest.mark.parametrize("moment", ["2026-03-29T01:30:00", "2026-03-29T01:00", "2026-03-29 01:59"])
def test_the_api_refuses_a_time_the_spring_clock_change_skipped(client_of, ward_a, moment):
    """As the pages, the duty API and the roster do (config.timeutils.skipped_in_london): the
    API's date-times without an offset are London's, and 01:00-01:59 on 29 March 2026 never
    happened there. Before, the crime API moved it silently by an hour."""
    from victims.models import Crime

    body = {**_crime_body(ward_a), "occurred_at": moment, "reported_at": "2026-03-29T09:00:00"}
    response = client_of("staff_a").post("/api/v1/crimes/", body, format="json")
    assert response.status_code == 400, response.content
    assert "did not happen in London" in str(response.json()["occurred_at"])
    assert not Crime.objects.exists()
    # The hour the autumn change repeats is its first occurrence (BST), as on the pages.
    body = {**body, "occurred_at": "2026-10-25T01:30:00", "reported_at": "2026-10-25T09:00:00"}
    response = client_of("staff_a").post("/api/v1/crimes/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["occurred_at"] == "2026-10-25T01:30:00+01:00"
