"""The abstraction API (/api/v1/abstractions/), the abstraction types it refers to
(/api/v1/abstraction-types/), and deployment's place in the OpenAPI schema.

A borough's readers see its abstractions (outsiders get 404 and never see them in a list);
editors record them through the same rule as the pages: abstracting a dedicated ward officer
needs a significant event on the borough and who authorised it."""

import datetime

import pytest
import yaml
from django.core.management import call_command

from deployment.models import Abstraction, AbstractionType
from tests import factories as f
from tests.conftest import READERS_OF_A, ROLE_FIXTURES, api_client_for, results, write_status
from tests.deployment.factories import abstract, staff_ward

pytestmark = pytest.mark.django_db
SEES_B = {"hq", "admin_user", "inspector_b"}
URL = "/api/v1/abstractions/"
TYPES_URL = "/api/v1/abstraction-types/"
UTC = datetime.UTC


@pytest.fixture
def abstraction_a(dwos_a, staff_a):
    return abstract(dwos_a[0], staff_a, 6)


@pytest.fixture
def abstraction_b(team_b, staff_b):
    return abstract(staff_ward(team_b, pcs=1, pcsos=0)[0], staff_b, 6)


def new_abstraction(officer, **extra) -> dict:
    return {
        "officer": officer.shoulder_number,
        "abstraction_type": "central-aid",
        "starts_at": "2026-06-06T08:00",
        "ends_at": "2026-06-06T16:00",
        "significant_event": "Trooping the Colour",
        "authorised_by_name": "Supt Khan",
        **extra,
    }


# Abstraction types


def test_anonymous_users_cannot_read_the_types(api):
    assert api.get(TYPES_URL).status_code == 401


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_everyone_signed_in_reads_the_types_in_use(client_of, who):
    AbstractionType.objects.filter(code="cad-room").update(active=False)
    codes = [row["code"] for row in results(client_of(who).get(TYPES_URL))]
    assert codes == ["local-aid", "central-aid", "court", "training", "response-cover", "other"]


def test_a_type_is_found_by_code_and_never_written(client_of):
    client = client_of("admin_user")
    assert client.get(f"{TYPES_URL}court/").json()["name"] == "Court"
    assert client.post(TYPES_URL, {"code": "x", "name": "X"}, format="json").status_code == 405
    assert client.delete(f"{TYPES_URL}court/").status_code == 405


def test_the_types_list_runs_a_fixed_number_of_queries(assert_fixed_queries, staff_a):
    AbstractionType.objects.exclude(code__in=["court", "training"]).delete()
    client = api_client_for(staff_a)
    # 1 token and user, 2 count, 3 types (no borough scoping: reference data)
    before, after = assert_fixed_queries(
        lambda: client.get(TYPES_URL),
        lambda: [AbstractionType.objects.create(code=f"t{n}", name=f"Type {n}") for n in range(8)],
        queries=3,
    )
    assert (before.json()["count"], after.json()["count"]) == (2, 10)


# Abstractions


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_users_are_refused(api, method, abstraction_a):
    assert getattr(api, method)(URL).status_code == 401
    assert api.get(f"{URL}{abstraction_a.pk}/").status_code == 401


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_the_list_shows_only_the_users_boroughs(client_of, who, abstraction_a, abstraction_b):
    ids = {row["id"] for row in results(client_of(who).get(URL))}
    assert (abstraction_a.pk in ids) == (who in READERS_OF_A)
    assert (abstraction_b.pk in ids) == (who in SEES_B)


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_an_abstraction_is_404_for_outsiders(client_of, who, abstraction_a):
    response = client_of(who).get(f"{URL}{abstraction_a.pk}/")
    assert response.status_code == (200 if who in READERS_OF_A else 404)
    if response.status_code == 200:
        body = response.json()
        assert (body["abstraction_type"], body["abstraction_type_name"], body["borough"]) == (
            "central-aid",
            "Central aid",
            "E09000007",
        )


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_record_abstractions_of_their_borough(client_of, who, dwos_a):
    response = client_of(who).post(URL, new_abstraction(dwos_a[0]), format="json")
    # An outsider who may edit their own borough is told the officer "does not exist" (400).
    expected = 400 if who == "inspector_b" else write_status(who, 201)
    assert response.status_code == expected, response.content
    assert Abstraction.objects.exists() == (expected == 201)


def test_times_without_an_offset_are_london_time(client_of, dwos_a):
    response = client_of("staff_a").post(URL, new_abstraction(dwos_a[0]), format="json")
    assert response.status_code == 201
    assert response.json()["starts_at"] == "2026-06-06T08:00:00+01:00"
    assert Abstraction.objects.get().starts_at == datetime.datetime(2026, 6, 6, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"significant_event": ""}, "significant_event", "significant event"),
        ({"authorised_by_name": ""}, "authorised_by_name", "who authorised"),
        ({"ends_at": "2026-06-06T07:00"}, "ends_at", "must end after it starts"),
        ({"abstraction_type": "holiday"}, "abstraction_type", "does not exist"),
        ({"starts_at": "tomorrow"}, "starts_at", "wrong format"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client_of, dwos_a, extra, field, message):
    response = client_of("staff_a").post(URL, new_abstraction(dwos_a[0], **extra), format="json")
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Abstraction.objects.exists()


def test_an_officer_who_is_not_dedicated_needs_no_significant_event(client_of, borough_a):
    officer = f.OfficerFactory(borough=borough_a)
    body = new_abstraction(officer, significant_event="", authorised_by_name="")
    assert client_of("staff_a").post(URL, body, format="json").status_code == 201


def test_a_type_no_longer_in_use_is_refused(client_of, dwos_a):
    AbstractionType.objects.filter(code="central-aid").update(active=False)
    response = client_of("staff_a").post(URL, new_abstraction(dwos_a[0]), format="json")
    assert response.status_code == 400
    assert "no longer in use" in response.json()["detail"]


def test_an_officer_already_committed_is_a_409(client_of, dwos_a):
    client = client_of("staff_a")
    assert client.post(URL, new_abstraction(dwos_a[0]), format="json").status_code == 201
    overlapping = new_abstraction(
        dwos_a[0], starts_at="2026-06-06T15:00", ends_at="2026-06-06T20:00"
    )
    response = client.post(URL, overlapping, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "officer_committed"
    assert Abstraction.objects.count() == 1


@pytest.fixture
def assorted(dwos_a, staff_a, abstraction_b):
    return {
        "aid": abstract(dwos_a[0], staff_a, 6).pk,
        "court": abstract(dwos_a[1], staff_a, 9, type_code="court").pk,
        "b": abstraction_b.pk,
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ("borough=E09000007", {"aid", "court"}),
        ("borough=E09000033", {"b"}),
        ("abstraction_type=court", {"court"}),
        ("date_from=2026-03-07", {"court"}),
        ("date_to=2026-03-06", {"aid", "b"}),
    ],
)
def test_abstractions_filter_by_borough_type_and_dates(client_of, assorted, query, expected):
    ids = {row["id"] for row in results(client_of("hq").get(f"{URL}?{query}"))}
    assert ids == {assorted[name] for name in expected}


def test_abstractions_filter_by_officer(client_of, assorted, dwos_a):
    rows = results(client_of("staff_a").get(f"{URL}?officer={dwos_a[1].shoulder_number}"))
    assert [row["id"] for row in rows] == [assorted["court"]]


def test_the_list_runs_a_fixed_number_of_queries(assert_fixed_queries, staff_a, dwos_a):
    def add(days):
        for day in days:
            abstract(dwos_a[0], staff_a, day)

    add([1, 2])
    client = api_client_for(staff_a)
    # 1 token, user and their boroughs, 2 count, 3 abstractions with officer, borough,
    # type and recorder
    before, after = assert_fixed_queries(
        lambda: client.get(URL), lambda: add(range(3, 11)), queries=3
    )
    assert (before.json()["count"], after.json()["count"]) == (2, 10)


# The schema


DEPLOYMENT_PATHS = [
    "/api/v1/abstraction-types/",
    "/api/v1/abstraction-types/{code}/",
    "/api/v1/abstractions/",
    "/api/v1/abstractions/{id}/",
    "/api/v1/duties/",
    "/api/v1/duties/{id}/",
    "/api/v1/duties/import/",
    "/api/v1/flex-requests/",
    "/api/v1/flex-requests/{id}/",
    "/api/v1/flex-requests/{id}/submit/",
    "/api/v1/flex-requests/{id}/approve/",
    "/api/v1/flex-requests/{id}/reject/",
    "/api/v1/flex-requests/{id}/withdraw/",
    "/api/v1/flex-requests/{id}/review/",
]


def test_the_schema_describes_the_deployment_endpoints_without_warnings(tmp_path):
    # --fail-on-warn turns every drf-spectacular warning or error into a failure.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    paths = yaml.safe_load(out.read_text())["paths"]
    missing = [path for path in DEPLOYMENT_PATHS if path not in paths]
    assert missing == []
    assert set(paths["/api/v1/flex-requests/{id}/"]) == {"get", "put", "patch"}
    assert set(paths["/api/v1/duties/import/"]["post"]["requestBody"]["content"]) == {
        "multipart/form-data",
        "text/csv",
    }
