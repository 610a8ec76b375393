"""Getting into the API (a token for a username and password, throttled and protected by
django-axes) and its description (the OpenAPI schema and the Swagger UI page, served without
the internet)."""

import json

import pytest
import yaml
from django.core.management import call_command
from knox.models import AuthToken

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def test_a_username_and_password_get_a_token_that_opens_the_api(api, staff_a, ward_a):
    response = api.post(TOKEN_URL, {"username": "staff_a", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert AuthToken.objects.get().user == staff_a

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    wards = api.get("/api/v1/wards/")
    assert wards.status_code == 200
    assert [w["code"] for w in wards.json()["results"]] == ["E05013660"]


def test_a_bad_token_is_refused(api, ward_a):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get("/api/v1/wards/").status_code == 401


@pytest.mark.parametrize(
    "body, field",
    [
        ({"username": "staff_a", "password": "wrong"}, "non_field_errors"),
        ({"username": "nobody", "password": PASSWORD}, "non_field_errors"),
        ({"username": "staff_a"}, "password"),
        ({"password": PASSWORD}, "username"),
    ],
)
def test_bad_credentials_are_a_400_with_field_errors(api, staff_a, body, field):
    response = api.post(TOKEN_URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not AuthToken.objects.exists()


def test_an_inactive_user_gets_no_token(api, staff_a):
    staff_a.is_active = False
    staff_a.save()
    response = api.post(TOKEN_URL, {"username": "staff_a", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert not AuthToken.objects.exists()


def test_a_locked_out_user_is_told_to_wait_even_with_the_right_password(api, staff_a, settings):
    wrong = {"username": "staff_a", "password": "wrong"}
    statuses = [
        api.post(TOKEN_URL, wrong, format="json").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # The attempt that reaches the limit locks the account: 429 from then on.
    assert statuses == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]

    right = api.post(TOKEN_URL, {"username": "staff_a", "password": PASSWORD}, format="json")
    assert right.status_code == 429
    assert "Too many failed sign-in attempts" in right.json()["detail"]
    assert not AuthToken.objects.exists()


def test_token_requests_are_throttled(api, staff_a, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "10/min"}
    # Different usernames each time, so django-axes never locks anyone: only the throttle acts.
    responses = [
        api.post(TOKEN_URL, {"username": f"guess{n}", "password": "x"}, format="json")
        for n in range(11)
    ]
    assert [r.status_code for r in responses] == [400] * 10 + [429]
    assert responses[-1].json()["code"] == "throttled"
    assert 0 < int(responses[-1]["Retry-After"]) <= 60


def test_the_schema_describes_every_endpoint(api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["info"]["title"] == "Neighbourhood Ops API"
    for path in [
        "/api/v1/auth/token/",
        "/api/v1/bcus/",
        "/api/v1/boroughs/{code}/",
        "/api/v1/wards/{code}/",
        "/api/v1/clusters/",
        "/api/v1/places/{id}/",
        "/api/v1/officers/{shoulder_number}/",
        "/api/v1/teams/{id}/",
        "/api/v1/postings/",
        "/api/v1/postings/{id}/end/",
        "/api/v1/postings/move/",
    ]:
        assert path in schema["paths"], path
    assert "patch" not in schema["paths"]["/api/v1/postings/{id}/"]


def test_the_schema_is_also_served_as_json(api):
    response = api.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/wards/" in json.loads(response.content)["paths"]


def test_the_schema_generates_valid_openapi_without_warnings(tmp_path):
    # --fail-on-warn turns every drf-spectacular warning or error into a failure.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/postings/move/" in yaml.safe_load(out.read_text())["paths"]


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(api):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower()
