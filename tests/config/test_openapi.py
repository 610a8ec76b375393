"""The OpenAPI schema is a contract clients generate code from, so it is true to the answers:

- every field that can be null is declared nullable (found by walking every serializer's
  fields back to the model fields they read);
- every operation documents its error answers (400, 401, 403, 404, 409, 413, 429) in the one
  error shape;
- times of day are described as they are written (HH:MM:SS, no offset) and date-times always
  carry an offset;
- the answers that broke it (a posting nobody created, an offer without an officer, the London
  roll-up without a borough, a report's month, a crime's victims for a role that may not see
  their names, an import's 400s) each validate against it."""

import datetime
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework import serializers
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from config.openapi import ERROR_ANSWERS
from config.wsgi import application
from deployment.models import Duty
from reports import services as reports
from teams.models import Posting
from tests.conftest import api_client_for
from tests.endpoints import schema_operations
from tests.walk import serializers_of_the_code
from victims.models import Crime

pytestmark = pytest.mark.django_db


# -- nulls -------------------------------------------------------------------------------------

def _nullable_source(model, attrs) -> bool:
    """Whether following `attrs` from `model` through forward fields can meet a null."""
    for attr in attrs:
        try:
            field = model._meta.get_field(attr)
        except Exception:
            return False
        if field.is_relation and (field.one_to_many or field.many_to_many or field.auto_created):
            return False  # a list (empty, not null) or a reverse relation
        if getattr(field, "null", False):
            return True
        model = field.related_model if field.is_relation else None
        if model is None:
            return False
    return False


def fields_that_may_be_null(serializer, model, prefix=""):
    for name, field in serializer.fields.items():
        if field.write_only or isinstance(field, serializers.SerializerMethodField):
            continue
        if isinstance(field, serializers.Serializer) and field.source == "*":
            yield from fields_that_may_be_null(field, model, f"{prefix}{name}.")
            continue
        attrs = [] if field.source == "*" else field.source_attrs
        if attrs and _nullable_source(model, attrs) and not field.allow_null:
            yield prefix + name


def test_every_field_that_can_be_null_says_so(rf, staff_a):
    request = rf.get("/")
    request.user = staff_a
    undeclared = []
    for serializer in serializers_of_the_code(request):
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is not None:
            undeclared += [f"{type(serializer).__name__}.{name}"
                           for name in fields_that_may_be_null(serializer, model)]
    assert undeclared == []


# -- the shape of the schema ---------------------------------------------------------------------

def test_every_operation_documents_its_error_answers():
    operations = list(schema_operations())
    for path, method, operation, _ in operations:
        for status in ERROR_ANSWERS:
            assert status in operation["responses"], (path, method, status)
    schema = operations[0][3]
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"detail", "code"}


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_times_of_day_are_described_without_an_offset():
    *_, schema = next(schema_operations())
    assert not [n for n in _walk(schema) if n.get("format") == "time"]
    daily_start = schema["components"]["schemas"]["FlexRequest"]["properties"]["daily_start"]
    assert "pattern" in daily_start and "offset" in daily_start["description"]


# -- the answers that broke it, validated against it -----------------------------------------------

@pytest.fixture
def contract():
    """`check(path, method, client, **request)`: send the request to the app in-process and
    validate its answer against the served schema (status code and body)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)

    def check(path, method, user, *, path_parameters=None, body=None, media_type=None,
              query=None):
        operation = schema[path][method]
        kwargs = {"path_parameters": path_parameters or {}, "query": query or {}}
        if body is not None:
            kwargs.update(body=body, media_type=media_type or "application/json")
        case = operation.Case(**kwargs)
        token = api_client_for(user)._credentials["HTTP_AUTHORIZATION"]
        response = case.call(headers={"Authorization": token})
        case.validate_response(response, checks=[status_code_conformance,
                                                 response_schema_conformance])
        return response

    yield check
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_a_posting_nobody_recorded_and_an_offer_without_an_officer(contract, sample, staff_a):
    Posting.objects.filter(pk=sample["posting"].pk).update(created_by=None)
    posting = contract("/api/v1/postings/{id}/", "GET", staff_a,
                       path_parameters={"id": sample["posting"].pk})
    assert posting.json()["created_by"] is None
    offer = contract("/api/v1/visit-offers/{id}/", "GET", staff_a,
                     path_parameters={"id": sample["offer"].pk})
    assert offer.json()["officer"] is None
    assert contract("/api/v1/postings/", "GET", staff_a).status_code == 200


def test_the_roll_up_and_a_reports_month(contract, sample, hq):
    rollup, _ = reports.report_request(borough=None, month=datetime.date(2026, 3, 1))
    listed = contract("/api/v1/reports/", "GET", hq).json()["results"]
    assert {r["month"] for r in listed} == {"2026-03"}
    assert None in {r["borough"] for r in listed}
    contract("/api/v1/reports/{id}/", "GET", hq, path_parameters={"id": rollup.pk})


@pytest.mark.parametrize("who", ["staff_a", "admin_user", "hq"])
def test_a_crimes_victims_for_every_role(contract, sample, cast, who):
    """Staff see the victim's name; an administrator or HQ see a summary without it."""
    crime = contract("/api/v1/crimes/{id}/", "GET", cast(who),
                     path_parameters={"id": sample["crime"].pk}).json()
    assert ("name" in crime["victims"][0]) == (who == "staff_a")


def test_an_imports_400s(contract, sample, staff_a):
    rows = contract("/api/v1/duties/import/", "POST", staff_a, media_type="text/csv",
                    body="shoulder_number,date,start,end\nNOBODY,2026-03-02,08:00,16:00\n")
    assert rows.status_code == 400 and rows.json()["code"] == "rows_rejected"
    file = contract("/api/v1/duties/import/", "POST", staff_a, media_type="text/csv",
                    body="no,header\n")
    assert file.status_code == 400 and "file" in file.json()
    crimes = contract("/api/v1/crimes/import/", "POST", staff_a, media_type="text/csv",
                      body="Crime ID\nCR-1\n")
    assert crimes.status_code == 400


def test_date_times_carry_an_offset(contract, sample, staff_a):
    duty = contract("/api/v1/duties/{id}/", "GET", staff_a,
                    path_parameters={"id": sample["duty"].pk}).json()
    for value in (duty["starts_at"], duty["ends_at"], duty["recorded_at"]):
        assert datetime.datetime.fromisoformat(value).utcoffset() is not None


RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.mark.parametrize("stored", [
    datetime.datetime(1, 1, 1, 0, 3, tzinfo=datetime.UTC),  # London's offset then: -00:01:15
    datetime.datetime(1846, 6, 1, 12, 0, tzinfo=datetime.UTC),  # still local mean time
    datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC),
])
def test_a_stored_date_time_at_the_calendars_ends_has_a_whole_minute_offset(
        contract, sample, staff_a, stored):
    """Records stored before the date ranges held: each date-time is that instant, written as
    RFC 3339 can (in UTC where London's offset had seconds), on the detail and in the list."""
    Crime.objects.filter(pk=sample["crime"].pk).update(occurred_at=stored, reported_at=stored)
    half_hour = datetime.timedelta(minutes=30)
    shift = (stored - half_hour, stored) if stored.year == 9999 else (stored, stored + half_hour)
    Duty.objects.filter(pk=sample["duty"].pk).update(starts_at=shift[0], ends_at=shift[1])
    crime = contract("/api/v1/crimes/{id}/", "GET", staff_a,
                     path_parameters={"id": sample["crime"].pk}).json()
    duty = contract("/api/v1/duties/{id}/", "GET", staff_a,
                    path_parameters={"id": sample["duty"].pk}).json()
    listed = contract("/api/v1/duties/", "GET", staff_a).json()["results"]
    [in_list] = [d for d in listed if d["id"] == sample["duty"].pk]
    answered = {
        stored: [crime["occurred_at"], crime["reported_at"]],
        shift[0]: [duty["starts_at"], in_list["starts_at"]],
        shift[1]: [duty["ends_at"], in_list["ends_at"]],
    }
    for instant, values in answered.items():
        for value in values:
            assert RFC3339.match(value), value
            assert datetime.datetime.fromisoformat(value) == instant
