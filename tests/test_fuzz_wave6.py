"""Wave 6's fuzzing, as an attacker would: every operation of the OpenAPI schema and every form
page, each field in turn given a member of each class of hostile value. Whatever the value, the
answer is a 2xx or a 4xx naming what was wrong (a 400 with field errors, a GOV.UK error summary),
never a 500, and a refused write leaves the database as it was."""

import json

import pytest

from tests.conftest import api_client_for
from tests.endpoints import fill_path, request_schema, schema_operations

pytestmark = pytest.mark.django_db

LONE_SURROGATE = "\ud800"  # the JSON escape \ud800: valid JSON, not valid Unicode


def _writes(sample):
    """(method, url, the properties of its JSON body) of every writing operation."""
    for path, method, operation, schema in schema_operations():
        if method in ("post", "put", "patch"):
            yield method.upper(), fill_path(path, sample), list(request_schema(operation, schema))


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_a_lone_surrogate_in_any_json_field_is_answered_not_a_500(sample, admin_user, accept):
    """A field error quoting the refused value ('"\\ud800" is not a valid choice.') used to be a
    500 (UnicodeEncodeError writing the answer as UTF-8): `POST /api/v1/places/ {"kind":
    "\\ud800"}`. Now the answer writes the value back as the escape it came as."""
    client = api_client_for(admin_user)
    client.raise_request_exception = False
    failures, quoted = [], 0
    for method, url, properties in _writes(sample):
        for prop in properties:
            body = json.dumps({prop: LONE_SURROGATE})
            response = client.generic(method, url, body, "application/json", HTTP_ACCEPT=accept)
            if response.status_code >= 500:
                failures.append(f"{method} {url} {prop} -> {response.status_code}")
            elif accept == "application/json" and response.status_code == 400:
                errors = response.json()
                quoted += LONE_SURROGATE in json.dumps(errors, ensure_ascii=False)
    assert failures == [], "\n".join(failures)
    if accept == "application/json":
        assert quoted >= 10  # the choice fields quote the value they refuse


def test_a_refused_choice_quotes_the_surrogate_as_a_json_escape(admin_user, ward_a):
    client = api_client_for(admin_user)
    body = json.dumps({"name": "Bench", "ward": ward_a.code, "kind": LONE_SURROGATE})
    response = client.post("/api/v1/places/", body, content_type="application/json")
    assert response.status_code == 400
    assert b'"\\"\\ud800\\" is not a valid choice."' in response.content
    assert response.json()["kind"] == ['"\ud800" is not a valid choice.']


BAD_DATE_TIMES = ["abc", 7, 1.5, [], {}, "2026-02-31T10:00:00", "10000-01-01T00:00:00", "\x00"]


def _date_time_properties(sample):
    for path, method, operation, schema in schema_operations():
        if method not in ("post", "put", "patch"):
            continue
        for prop, spec in request_schema(operation, schema).items():
            if spec.get("format") == "date-time":
                yield method.upper(), fill_path(path, sample), prop


def test_the_browsable_api_shows_a_refused_date_time_back_with_its_error(sample, admin_user):
    """`POST /api/v1/abstractions/ {"starts_at": "abc"}` asked for as HTML (the browsable API)
    was a 500: DRF read the refused value back as ISO 8601 to fill its form's field."""
    client = api_client_for(admin_user)
    client.raise_request_exception = False
    failures, answered = [], 0
    for method, url, prop in _date_time_properties(sample):
        for value in BAD_DATE_TIMES:
            body = json.dumps({prop: value})
            response = client.generic(
                method, url, body, "application/json", HTTP_ACCEPT="text/html"
            )
            if response.status_code >= 500:
                failures.append(f"{method} {url} {prop}={value!r} -> {response.status_code}")
            elif response.status_code == 400:
                answered += 1
                assert b"<form" in response.content, (url, prop)
    assert failures == [], "\n".join(failures)
    assert answered >= 30
