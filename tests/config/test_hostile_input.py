"""Hostile input, class by class, against every endpoint enumerated from the URL patterns and
every operation of the OpenAPI schema. Each class is answered the same way everywhere, never with
a 500 and never by parsing what should have been refused:

- a body over its endpoint's limit, whatever its content type: 413 (the API's JSON shape, or a
  GOV.UK page with an error summary);
- JSON nested deeper than JSON_MAX_DEPTH (`[` x 100,000): 400;
- a NUL in a path segment that is looked up: 404; in a query parameter: 400;
- a 5,000-digit integer in a query parameter, a JSON field, a path or a CSV cell: a 400 naming
  the field (or the row), never Python's "Exceeds the limit for integer string conversion"."""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.guards import body_limit
from deployment.roster import ROSTER_COLUMNS
from tests.endpoints import (
    every_endpoint,
    fill_path,
    request_properties,
    schema_operations,
    url_for,
)
from victims.importer import HEADER as CRIME_COLUMNS

pytestmark = pytest.mark.django_db

HUGE = "9" * 5000
CONTENT_TYPES = [
    "text/csv",
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=BoUnDaRy",
]
PAGE_FILE_FIELDS = {
    "deployment:roster_import": "roster", "promises:place_import": "file", "demand:imports": "file",
    "schools:import": "file",
}
PLACE_COLUMNS = ["name", "kind", "address", "postcode", "lat", "lng", "ward_code", "source_ref"]


@pytest.fixture
def signed_in(client, staff_a):
    client.force_login(staff_a)
    return client


def assert_413(response, url):
    assert response.status_code == 413, (url, response.status_code)
    if url.startswith("/api/"):
        assert response.json()["code"] == "too_large"
    else:
        assert b"govuk-error-summary" in response.content


# -- body size ---------------------------------------------------------------------------------

def test_every_endpoint_refuses_a_body_over_its_limit_in_every_content_type(signed_in, sample):
    checked = 0
    for endpoint in every_endpoint():
        url = url_for(endpoint, sample)
        size = body_limit(endpoint.name) + 1
        if size > 10 * 1024 * 1024:
            continue  # imports: see the next test
        for content_type in CONTENT_TYPES:
            response = signed_in.generic("POST", url, b"1" * size, content_type=content_type)
            assert_413(response, url)
            checked += 1
    assert checked > 400


@pytest.mark.parametrize("name", sorted(settings.IMPORT_ENDPOINTS))
def test_an_import_takes_a_file_up_to_the_import_limit_and_no_more(signed_in, sample, name):
    url = reverse(name)
    limit = body_limit(name)
    assert limit == settings.REQUEST_BODY_LIMITS["import"] > settings.REQUEST_BODY_LIMITS["default"]
    # Over the default limit but within the import limit: read and answered on its merits
    # (here: a 3 MB cell, longer than any CSV field may be, is a 400 naming the file).
    body = "shoulder_number,date,start,end,name,kind\n" + "x" * (3 * 1024 * 1024) + "\n"
    if url.startswith("/api/"):
        within = signed_in.generic("POST", url, body.encode(), content_type="text/csv")
        assert within.status_code == 400
        assert "cannot be read" in json.dumps(within.json())
    else:
        upload = SimpleUploadedFile("big.csv", body.encode(), content_type="text/csv")
        within = signed_in.post(url, {PAGE_FILE_FIELDS[name]: upload})
        assert within.status_code in (200, 400)
        assert b"cannot be read" in within.content
    over = signed_in.generic("POST", url, b"a" * (limit + 1), content_type="text/csv")
    assert_413(over, url)


def test_a_large_json_body_is_a_413_in_the_apis_shape(signed_in, sample):
    body = json.dumps({"notes": "x" * (3 * 1024 * 1024)})
    response = signed_in.post("/api/v1/duties/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request is 3 MB: the most this accepts is 2 MB.",
        "code": "too_large",
    }


# -- deeply nested JSON ------------------------------------------------------------------------

def test_deeply_nested_json_is_a_400_on_every_operation_that_takes_a_body(signed_in, sample):
    parsed = 0
    for path, method, _operation, _ in schema_operations():
        if method not in ("post", "put", "patch"):
            continue
        url = fill_path(path, sample)
        for body in ("[" * 100_000, "[" * 50_000 + "]" * 50_000, '{"a":' * 40 + "1" + "}" * 40):
            response = signed_in.generic(method.upper(), url, body, "application/json")
            # Never a 500; an operation that reads no body may succeed.
            assert response.status_code < 500, (url, response.status_code)
            if response.status_code == 400 and "detail" in response.json():
                parsed += 1
                assert "JSON parse error" in response.json()["detail"]
    assert parsed >= 30


def test_json_nested_within_the_limit_is_parsed(signed_in, ward_a):
    nested = json.dumps({"ward": "E05013660", "extra": [[[[["deep but allowed"]]]]]})
    response = signed_in.post("/api/v1/priorities/", nested, content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" not in json.dumps(response.json())


# -- NUL in the address ------------------------------------------------------------------------

def test_a_nul_in_any_looked_up_path_segment_is_not_found(signed_in, sample):
    checked = 0
    for endpoint in every_endpoint():
        if not endpoint.kwargs:
            continue
        url = url_for(endpoint, sample)
        for value in [str(v) for v in sample_values(endpoint, sample).values()]:
            for bad in ("%00", value + "%00", "%00" + value):
                nul_url = _segment_replaced(url, value, bad)
                for method in ("GET", "POST"):
                    response = signed_in.generic(method, nul_url)
                    assert response.status_code == 404, (nul_url, method, response.status_code)
                    checked += 1
    assert checked > 100


def _segment_replaced(url: str, value: str, bad: str) -> str:
    """`url` with its path segment `value` replaced by `bad` (the last segment too: the public
    API's paths, as data.police.uk's, have no trailing slash)."""
    if f"/{value}/" in url:
        return url.replace(f"/{value}/", f"/{bad}/", 1)
    assert url.endswith(f"/{value}"), (url, value)
    return url[: -len(value)] + bad


def sample_values(endpoint, sample) -> dict:
    from tests.endpoints import sample_kwargs

    return {k: v for k, v in sample_kwargs(endpoint, sample).items() if k not in ("action",)}


def test_a_nul_in_any_query_parameter_is_a_400(signed_in, sample):
    for endpoint in every_endpoint():
        url = url_for(endpoint, sample)
        for query in ("?ward=%00", "?q=a%00b", "?%00=1"):
            response = signed_in.get(url + query)
            assert response.status_code == 400, (url + query, response.status_code)
            if url.startswith("/api/"):
                assert response.json()["code"] == "invalid"


# -- 5,000-digit integers ----------------------------------------------------------------------

def test_a_huge_integer_in_any_query_parameter_is_never_a_server_error(signed_in, sample):
    names = set()
    for path, method, operation, _ in schema_operations():
        params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        names.update(params)
        if method != "get":
            continue
        url = fill_path(path, sample)
        for param in params:
            response = signed_in.get(url, {param: HUGE})
            assert response.status_code < 500, (url, param)
            if response.status_code == 400:
                assert param in response.json() or "detail" in response.json()
    # The pages share the API's filters: every name at once on every page.
    everything = {param: HUGE for param in names | {"page", "year", "month", "lat", "lng"}}
    for endpoint in every_endpoint(admin=False):
        url = url_for(endpoint, sample)
        assert signed_in.get(url, everything).status_code < 500, url


def test_a_huge_integer_in_any_json_field_is_a_400_naming_the_field(signed_in, sample):
    field_errors = 0
    for path, method, operation, schema in schema_operations():
        if method not in ("post", "put", "patch"):
            continue
        url = fill_path(path, sample)
        for prop in request_properties(operation, schema):
            body = f'{{"{prop}": {HUGE}}}'
            response = signed_in.generic(method.upper(), url, body, "application/json")
            assert response.status_code < 500, (url, prop, response.status_code)
            if response.status_code == 400 and prop in response.json():
                field_errors += 1
    assert field_errors >= 50


def test_a_huge_integer_in_a_path_is_not_found(signed_in, sample):
    for path, method, _operation, _ in schema_operations():
        if "{" in path and method == "get":
            status = signed_in.get(fill_path(path, sample, value=HUGE)).status_code
            assert status == 404 or (status == 403 and "report" in path), (path, status)
    assert signed_in.get(f"/flex/{HUGE}/").status_code == 404


def _csv(columns, cells) -> str:
    return ",".join(columns) + "\n" + ",".join(cells) + "\n"


def csv_bodies(columns):
    """Every column huge at once, then each column huge alone."""
    yield _csv(columns, [HUGE] * len(columns))
    for i in range(len(columns)):
        yield _csv(columns, ["1"] * i + [HUGE] + ["1"] * (len(columns) - i - 1))


@pytest.mark.parametrize(
    "url, columns",
    [("/api/v1/duties/import/", ROSTER_COLUMNS), ("/api/v1/crimes/import/", CRIME_COLUMNS)],
)
def test_a_huge_integer_in_any_csv_cell_is_a_rejected_row(signed_in, sample, url, columns):
    for body in csv_bodies(columns):
        response = signed_in.generic("POST", url, body, content_type="text/csv")
        assert response.status_code == 400, (body[:200], response.status_code)
        assert response.json().get("rejected") or response.json().get("file"), body[:200]


@pytest.mark.parametrize(
    "name, field, columns",
    [
        ("deployment:roster_import", "roster", ROSTER_COLUMNS),
        ("promises:place_import", "file", PLACE_COLUMNS),
    ],
)
def test_a_huge_integer_in_any_cell_of_an_uploaded_file_is_reported(
    signed_in, sample, name, field, columns
):
    for body in csv_bodies(columns):
        upload = SimpleUploadedFile("rows.csv", body.encode(), content_type="text/csv")
        response = signed_in.post(reverse(name), {field: upload})
        assert response.status_code in (200, 400), (body[:200], response.status_code)
        assert b"govuk-error-summary" in response.content or b"Line" in response.content
