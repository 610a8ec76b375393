"""The API keeps its OpenAPI schema under generated input: schemathesis generates requests for
every operation from the schema the API serves, sends them to the application in-process (its
WSGI app, on the test database), and fails on any server error or any answer the schema does
not describe (status code, content type, body), as borough staff, an inspector and an
administrator.

Seeded (Hypothesis derandomised: the same requests on every run) and bounded: at most
SCHEMATHESIS_EXAMPLES cases per operation and user (8; `make test` stays well under its 15
minutes), half of them on borough A's real records (the `sample` fixture), half on whatever the
schema allows. Raise SCHEMATHESIS_EXAMPLES for a longer hunt."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.conftest import api_client_for
from tests.endpoints import path_parameters

pytestmark = pytest.mark.django_db

# Demand (landed on main at 09:40) answers nulls its schema does not declare nullable
# (/api/v1/demand/wards/: residents, *_per_1000, change): left out until its serializers say so.
NOT_YET = ()
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
RUN = settings(
    max_examples=EXAMPLES,
    derandomize=True,  # the seed: the same cases every run
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # a failure is reported as found, not shrunk
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def served_schema():
    """The schema as the API serves it, with the WSGI app to send the cases to. Django closes
    the database connection when a request ends; as its own test client does, keep it open for
    the length of the test (it holds the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def failure_of(case, response) -> str | None:
    try:
        case.validate_response(response, checks=CHECKS)
    except Exception as exc:  # schemathesis raises a group of the checks that failed
        return f"{case.method} {case.formatted_path} -> {response.status_code}: {exc}"[:2000]
    return None


def exercise(operation, headers, real_parameters) -> list[str]:
    """Run the operation's generated cases; the failures found, at most one per operation."""
    found = []

    @RUN
    @given(case=operation.as_strategy(), real=st.booleans())
    def run(case, real):
        if found:
            return
        if real and real_parameters:
            case.path_parameters = {**(case.path_parameters or {}), **real_parameters}
        response = case.call(headers=headers)
        if failure := failure_of(case, response):
            found.append(failure)

    run()
    return found


@pytest.mark.parametrize("who", ["staff_a", "inspector_a", "admin_user"])
def test_every_operation_answers_as_its_schema_says(served_schema, sample, cast, who):
    client = api_client_for(cast(who))
    headers = {"Authorization": client._credentials["HTTP_AUTHORIZATION"]}
    failures, operations = [], 0
    for result in served_schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith(NOT_YET):
            continue
        operations += 1
        failures += exercise(operation, headers, path_parameters(operation.path, sample))
    assert operations >= 90
    assert failures == [], "\n\n".join(failures)
