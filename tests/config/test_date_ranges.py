"""Every date the product accepts falls in the range of its kind, defined once
(config.limits.DATE_RANGES: records of the past from 1 January 2000, anything planned up to 31
December 2099), checked where the date comes in (form fields, serializer fields, filters,
imports) and again in the service that writes it. Out of range is a 400 naming the field, a
GOV.UK error, or a rejected row: never a 500 and never a saved row. An offset PostgreSQL cannot
hold (-23:00) is converted to London time. What is stored at the ends of the ranges shows on
every page and API answer."""

import datetime
import json

import django_filters
import pytest
from django import forms
from django.core.cache import cache
from django.urls import reverse

from config import filters as bounded_filters
from config import limits
from config.errors import DomainError
from config.timeutils import LONDON
from deployment.models import Duty, FlexRequest
from tests.conftest import api_client_for
from tests.endpoints import (
    every_endpoint,
    fill_path,
    request_schema,
    schema_operations,
    url_for,
)
from tests.walk import subclasses
from victims.models import Crime

pytestmark = pytest.mark.django_db

# Out of range, each for a different reason: Python's calendar ends, London's local mean time
# before it, the year before records start, the year after plans end.
BAD_DATES = ["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01"]
BAD_DATETIMES = [
    "9999-12-31T23:59:00Z",
    "9999-12-31T23:59:00-23:00",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:02:00Z",
    "0001-01-01T00:00:00+05:00",
    "1999-12-31T23:30:00Z",
    "2099-12-31T23:30:00-01:00",
]
# In range, with an offset PostgreSQL refuses as it is (beyond ±15:59).
ODD_OFFSET = "2026-03-10T23:00:00-23:00"


# -- every field that takes a date is bounded ------------------------------------------------

def test_every_date_field_of_every_form_and_filter_has_a_range():
    """(Serializers: every date of every request body is tried below, from the schema.)"""
    unbounded = []
    for form in subclasses(forms.BaseForm):
        for name, field in form.base_fields.items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                if not hasattr(field, "date_kind"):
                    unbounded.append(f"{form.__name__}.{name}")
    for filterset in subclasses(django_filters.FilterSet):
        for name, filter_ in filterset.base_filters.items():
            if isinstance(filter_, django_filters.DateFilter | django_filters.DateTimeFilter):
                if not isinstance(
                    filter_, bounded_filters.DateFilter | bounded_filters.IsoDateTimeFilter
                ):
                    unbounded.append(f"{filterset.__name__}.{name}")
    assert unbounded == []


# -- the API: request bodies and query parameters, from the schema ------------------------------

def _dated_properties(operation, schema):
    for name, prop in request_schema(operation, schema).items():
        if prop.get("format") in ("date", "date-time") and not prop.get("readOnly"):
            yield name, prop["format"]


# Who sends each body: borough staff, or, for an operation whose role is asked first (403
# before the body is read), the first of the others who may take it.
SENDERS = ("staff_a", "inspector_a", "commander_a")


def test_every_date_in_every_request_body_is_refused_out_of_range(client_of, sample):
    clients = [client_of(who) for who in SENDERS]
    checked = 0
    for path, method, operation, schema in schema_operations():
        if method not in ("post", "put", "patch"):
            continue
        url = fill_path(path, sample)
        for name, fmt in _dated_properties(operation, schema):
            values = BAD_DATES if fmt == "date" else BAD_DATETIMES
            api = _sender(clients, method, url, name)
            for value in values:
                response = api.generic(method.upper(), url, json.dumps({name: value}),
                                       content_type="application/json")
                assert response.status_code == 400, (url, name, value, response.status_code)
                assert name in response.json(), (url, name, value, response.json())
                checked += 1
            if fmt == "date-time":
                response = api.generic(method.upper(), url, json.dumps({name: ODD_OFFSET}),
                                       content_type="application/json")
                assert response.status_code < 500
                assert name not in response.json(), (url, name, response.json())
    assert checked >= 100


def _sender(clients, method, url, name):
    """The first client whose role may send this operation (not refused with 403)."""
    for api in clients:
        response = api.generic(method.upper(), url, json.dumps({name: None}),
                               content_type="application/json")
        if response.status_code != 403:
            return api
    return clients[0]


def test_every_date_filter_is_refused_out_of_range_and_takes_any_offset(client_of, sample):
    api = client_of("inspector_a")  # reads every list, reports too
    checked = 0
    for path, method, operation, _ in schema_operations():
        if method != "get":
            continue
        url = fill_path(path, sample)
        for param in operation.get("parameters", []):
            fmt = param.get("schema", {}).get("format")
            if param["in"] != "query" or fmt not in ("date", "date-time"):
                continue
            for value in BAD_DATES if fmt == "date" else BAD_DATETIMES:
                response = api.get(url, {param["name"]: value})
                assert response.status_code == 400, (url, param["name"], value)
                assert param["name"] in response.json()
                checked += 1
            if fmt == "date-time":
                assert api.get(url, {param["name"]: ODD_OFFSET}).status_code == 200
    assert checked >= 30


def test_a_date_time_filter_with_an_odd_offset_means_that_instant(client_of, sample):
    api = client_of("staff_a")
    activity = sample["activity"]
    # 23:00 at -23:00 is 22:00 UTC the next day.
    instant = activity.starts_at.astimezone(datetime.UTC) + datetime.timedelta(minutes=1)
    offset = datetime.timezone(-datetime.timedelta(hours=23))
    since = instant.astimezone(offset).isoformat()
    ids = [a["id"] for a in api.get("/api/v1/activities/", {"since": since}).json()["results"]]
    assert activity.pk not in ids
    until = api.get("/api/v1/activities/", {"until": since}).json()["results"]
    assert activity.pk in [a["id"] for a in until]


# -- pages ------------------------------------------------------------------------------------

@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2100-01-01"])
def test_a_page_form_refuses_a_date_out_of_range_with_an_error_summary(client, sample, day):
    client.force_login(sample["promise"].owner_user)
    officer = sample["officer"].shoulder_number
    response = client.post(
        reverse("deployment:duty_new") + f"?officer={officer}",
        {"officer": sample["officer"].pk, "date": day, "start": "08:00", "end": "16:00",
         "kind": "home"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "31 December 2099" in response.text
    assert not Duty.objects.filter(starts_at__year__gt=2099).exists()


# -- imports ------------------------------------------------------------------------------------

@pytest.mark.parametrize("day", ["9999-12-31", "1999-12-31", "2100-01-01"])
def test_a_roster_row_out_of_range_is_rejected(client_of, sample, day):
    number = sample["officer"].shoulder_number
    body = f"shoulder_number,date,start,end\n{number},{day},22:00,06:00\n"
    response = client_of("staff_a").generic(
        "POST", "/api/v1/duties/import/", body, content_type="text/csv"
    )
    assert response.status_code == 400
    assert "between" in response.json()["rejected"][0]["message"]


def _crime_row(ward, reported):
    from tests.victims.factories import HEADER, csv_of, row

    cells = row(ward)
    cells[HEADER.index("Reported at")] = reported
    return csv_of(cells)


@pytest.mark.parametrize("reported", BAD_DATETIMES)
def test_a_crime_import_row_out_of_range_is_rejected(client_of, ward_a, reported):
    response = client_of("staff_a").generic(
        "POST", "/api/v1/crimes/import/", _crime_row(ward_a, reported), content_type="text/csv"
    )
    assert response.status_code == 400, response.json()
    assert response.json()["rejected"]
    assert not Crime.objects.exists()


def test_a_crime_import_row_with_an_odd_offset_is_that_instant(client_of, ward_a):
    response = client_of("staff_a").generic(
        "POST", "/api/v1/crimes/import/", _crime_row(ward_a, "2026-03-10T23:00:00-23:00"),
        content_type="text/csv",
    )
    assert response.status_code == 201, response.json()
    crime = Crime.objects.get()
    assert crime.reported_at == datetime.datetime(2026, 3, 11, 22, 0, tzinfo=datetime.UTC)


# -- services: the second check, whoever calls them --------------------------------------------

def _far(year=9999):
    return datetime.datetime(year, 12, 31, 8, 0, tzinfo=LONDON)


def _service_calls(sample, staff_a):
    from deployment import duties, services
    from promises import services as promises
    from teams.services import posting_create
    from tests.victims.conftest import category, victim
    from victims import services as victims

    officer, ward, team = sample["officer"], sample["ward"], sample["team"]
    far, day = _far(), datetime.date(9999, 12, 30)
    return {
        "duty": lambda: duties.duty_record(
            officer=officer, starts_at=far, ends_at=far + datetime.timedelta(hours=8), by=staff_a),
        "abstraction": lambda: duties.abstraction_record(
            officer=officer, abstraction_type=sample["abstraction_type"], starts_at=far,
            ends_at=far + datetime.timedelta(hours=8), by=staff_a, significant_event="E",
            authorised_by_name="Supt"),
        "flex": lambda: services.flex_create(
            borough=sample["borough"], to_ward=ward, officers=[officer], start_date=day,
            end_date=day, daily_start=datetime.time(8), daily_end=datetime.time(16),
            problem="P", expected_benefit="B", by=staff_a),
        "posting": lambda: posting_create(
            officer=officer, team=team, role="dedicated", start_date=day, by=staff_a),
        "crime": lambda: victims.crime_create(
            reference="CR-9999", category=category("burglary"), occurred_at=_far(1),
            reported_at=_far(1), ward=ward, victims=[victim()], by=staff_a),
        "activity": lambda: promises.activity_log(
            ward=ward, kind="patrol", starts_at=_far(1), duration_minutes=60, by=staff_a),
        "event": lambda: promises.event_create(
            ward=ward, by=staff_a, title="T", kind="other", address="A", starts_at=far,
            ends_at=far + datetime.timedelta(hours=1)),
        "panel meeting": lambda: promises.panel_meeting_record(
            ward=ward, date=datetime.date(1, 1, 1), attendees=1, by=staff_a),
    }


@pytest.mark.parametrize(
    "what",
    ["duty", "abstraction", "flex", "posting", "crime", "activity", "event", "panel meeting"],
)
def test_every_service_refuses_a_date_out_of_range(sample, staff_a, what):
    with pytest.raises(DomainError) as refused:
        _service_calls(sample, staff_a)[what]()
    assert refused.value.code == "out_of_range"


def test_a_crime_cannot_be_reported_in_the_future(sample, staff_a):
    from tests.victims.conftest import category, victim
    from victims import services as victims

    soon = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    with pytest.raises(DomainError, match="future"):
        victims.crime_create(
            reference="CR-FUTURE", category=category("burglary"), occurred_at=soon,
            reported_at=soon, ward=sample["ward"], victims=[victim()], by=staff_a,
        )


# -- a flex dated 9999 ----------------------------------------------------------------------------

def test_a_flex_dated_9999_is_never_saved_and_nothing_answers_500(client, sample, sergeant_a,
                                                                   inspector_a):
    api = api_client_for(sergeant_a)
    before = FlexRequest.objects.count()
    response = api.post("/api/v1/flex-requests/", {
        "to_ward": sample["ward"].code, "officers": [sample["officer"].shoulder_number],
        "start_date": "9999-12-17", "end_date": "9999-12-31", "daily_start": "08:00",
        "daily_end": "16:00", "problem": "P", "expected_benefit": "B",
    }, format="json")
    assert response.status_code == 400
    assert {"start_date", "end_date"} <= set(response.json())
    assert FlexRequest.objects.count() == before
    client.force_login(inspector_a)
    for url in (reverse("deployment:flex_queue"), "/api/v1/flex-requests/"):
        assert client.get(url).status_code == 200


# -- one definition ----------------------------------------------------------------------------

def test_every_check_follows_the_one_definition(monkeypatch, client_of, sample, staff_a):
    """Narrow both ranges to 2027 on: every entry point and service refuses 2026 at once."""
    from promises import services as promises
    from reports import services as reports_services
    from victims.forms import FiguresPeriodForm
    from victims.importer import _when

    api = client_of("staff_a")

    def refused(check) -> bool:
        try:
            check()
        except DomainError:
            return True
        return False

    days = iter(range(1, 29))

    def duty() -> dict:
        return {"officer": sample["officer"].shoulder_number, "date": f"2026-06-{next(days):02}",
                "start": "08:00", "end": "16:00"}

    users = {
        "serializer": lambda: api.post("/api/v1/duties/", duty(), format="json").status_code
        == 400,
        "filter": lambda: api.get("/api/v1/duties/", {"date_from": "2026-06-01"}).status_code
        == 400,
        "form": lambda: not FiguresPeriodForm(
            {"date_from": "2026-01-01", "date_to": "2026-01-31"}).is_valid(),
        "report month": lambda: refused(lambda: reports_services.parse_month("2026-01")),
        "crime import": lambda: refused(lambda: _when("2026-01-05T10:00", "Reported at")),
        "service": lambda: refused(lambda: promises.panel_meeting_record(
            ward=sample["ward"], date=datetime.date(2026, 6, 1), attendees=1, by=staff_a)),
    }
    assert not any(check() for check in users.values())
    narrower = {kind: limits.DateRange(kind, datetime.date(2027, 1, 1), datetime.date(2099, 12,
                31)) for kind in limits.DATE_RANGES}
    monkeypatch.setattr(limits, "DATE_RANGES", narrower)
    # A range changes with a release, which starts with an empty page cache (config.datacache
    # keeps answers only while their data is unchanged, and the data has not changed here).
    cache.clear()
    assert {name: check() for name, check in users.items()} == dict.fromkeys(users, True)
    assert Duty.objects.filter(starts_at__year=2026, starts_at__month=6).count() == 1


# -- what is stored at the ends of the ranges (or beyond, from before they held) shows everywhere

ENDS = {
    "the ranges' ends": (
        datetime.datetime(2000, 1, 1, 0, 0, tzinfo=LONDON),
        datetime.datetime(2099, 12, 31, 16, 0, tzinfo=LONDON),
    ),
    "the calendar's ends": (
        datetime.datetime(1, 1, 1, 0, 3, tzinfo=datetime.UTC),
        datetime.datetime(9999, 12, 31, 20, 0, tzinfo=datetime.UTC),
    ),
}


def _move_to(sample, first_at, last_at):
    """Move the sample's dated records to `first_at` (records of the past) and `last_at`
    (plans), as a direct write would, whatever the ranges say."""
    first, last = first_at.date(), last_at.date()
    half_hour = datetime.timedelta(minutes=30)

    def update(name, **values):
        model = type(sample[name])
        model.objects.filter(pk=sample[name].pk).update(**values)

    update("flex", start_date=last - datetime.timedelta(days=13), end_date=last, review_due=last,
           status="submitted")  # pending: its page and the queue check conflicts and cover
    update("duty", starts_at=last_at, ends_at=last_at + half_hour)
    update("abstraction", starts_at=first_at, ends_at=first_at + half_hour)
    update("crime", occurred_at=first_at, reported_at=first_at)
    update("offer", due_date=first, window_start=last_at, window_end=last_at + half_hour)
    update("event", starts_at=last_at, ends_at=last_at + half_hour)
    update("activity", starts_at=first_at, ends_at=first_at + half_hour)
    update("posting", start_date=first)
    update("promise", agreed_on=first, start=first, end=last)
    update("priority", issue_date=first_at)
    update("panel_meeting", date=first)


@pytest.mark.parametrize("ends", list(ENDS))
def test_stored_dates_at_the_ends_show_on_every_page_and_answer(client, sample, inspector_a,
                                                                ends):
    first_at, last_at = ENDS[ends]
    _move_to(sample, first_at, last_at)
    client.force_login(inspector_a)
    for endpoint in every_endpoint():
        for months in ({}, {"year": first_at.year, "month": 1}, {"year": last_at.year,
                                                                   "month": 12}):
            if months and "year" not in endpoint.kwargs:
                continue
            url = url_for(endpoint, sample, **months)
            assert client.get(url).status_code < 500, url
    api = api_client_for(inspector_a)
    for path, method, _operation, _ in schema_operations():
        if method == "get":
            response = api.get(fill_path(path, sample))
            assert response.status_code < 500, path
