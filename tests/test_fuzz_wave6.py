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


def _writes(sample, format=None):
    """(method, url, property) of every writing operation's JSON body, or only those of the
    given format ("date-time")."""
    for path, method, operation, schema in schema_operations():
        if method not in ("post", "put", "patch"):
            continue
        for prop, spec in request_schema(operation, schema).items():
            if format in (None, spec.get("format")):
                yield method.upper(), fill_path(path, sample), prop


def _sent(client, cases, values, accept):
    """(what was sent, the answer) for each case given each value alone as its JSON body."""
    for method, url, prop in cases:
        for value in values:
            body = json.dumps({prop: value})
            response = client.generic(method, url, body, "application/json", HTTP_ACCEPT=accept)
            yield f"{method} {url} {prop}={value!r}", response


def _client(user):
    client = api_client_for(user)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_a_lone_surrogate_in_any_json_field_is_answered_not_a_500(sample, admin_user, accept):
    """A field error quoting the refused value ('"\\ud800" is not a valid choice.') used to be a
    500 (UnicodeEncodeError writing the answer as UTF-8): `POST /api/v1/places/ {"kind":
    "\\ud800"}`. Now the answer writes the value back as the escape it came as."""
    failures, quoted = [], 0
    for sent, response in _sent(_client(admin_user), _writes(sample), [LONE_SURROGATE], accept):
        if response.status_code >= 500:
            failures.append(f"{sent} -> {response.status_code}")
        elif accept == "application/json" and response.status_code == 400:
            quoted += LONE_SURROGATE in json.dumps(response.json(), ensure_ascii=False)
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


def test_the_browsable_api_shows_a_refused_date_time_back_with_its_error(sample, admin_user):
    """`POST /api/v1/abstractions/ {"starts_at": "abc"}` asked for as HTML (the browsable API)
    was a 500: DRF read the refused value back as ISO 8601 to fill its form's field."""
    cases = _writes(sample, "date-time")
    failures, answered = [], 0
    for sent, response in _sent(_client(admin_user), cases, BAD_DATE_TIMES, "text/html"):
        if response.status_code >= 500:
            failures.append(f"{sent} -> {response.status_code}")
        elif response.status_code == 400:
            answered += 1
            assert b"<form" in response.content, sent
    assert failures == [], "\n".join(failures)
    assert answered >= 30
