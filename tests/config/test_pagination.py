"""The API lists' count: exact up to EXACT_UP_TO rows, above it PostgreSQL's estimate, flagged,
with every page still reachable and the next link read from the rows (config/pagination.py).
EXACT_UP_TO and the page size are made small here so a few officers are a "large" list."""

import pytest

from config import pagination
from tests import factories as f
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(pagination, "EXACT_UP_TO", 3)
    monkeypatch.setattr(pagination.BoundedCountPagination, "page_size", 2)


def numbers(body) -> list[str]:
    return [o["shoulder_number"] for o in body["results"]]


def test_a_list_up_to_the_bound_is_counted_exactly(staff_a, borough_a, small_pages):
    f.OfficerFactory.create_batch(3, borough=borough_a)
    body = api_client_for(staff_a).get("/api/v1/officers/").json()
    assert (body["count"], body["count_exact"]) == (3, True)
    assert body["next"] is not None and len(body["results"]) == 2


def test_a_list_past_the_bound_is_estimated_and_every_page_is_reachable(staff_a, borough_a,
                                                                        small_pages):
    from django.db import connection

    f.OfficerFactory.create_batch(5, borough=borough_a)
    with connection.cursor() as cur:
        cur.execute("ANALYZE teams_officer")
    client = api_client_for(staff_a)
    first = client.get("/api/v1/officers/").json()
    assert first["count_exact"] is False
    assert first["count"] >= 4  # never less than the rows counted
    assert first["next"] is not None and first["previous"] is None
    seen, url = numbers(first), first["next"]
    while url:
        page = client.get(url).json()
        seen += numbers(page)
        url = page["next"]
    assert sorted(seen) == sorted(o.shoulder_number for o in borough_a.officers.all())
    assert len(seen) == 5  # the last page (3) has one row and no next link
    assert client.get("/api/v1/officers/?page=4").status_code == 404
    assert client.get("/api/v1/officers/?page=0").status_code == 404
    assert client.get("/api/v1/officers/?page=x").status_code == 404


def test_the_schema_describes_count_exact():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paginated = schema["components"]["schemas"]["PaginatedOfficerList"]
    assert paginated["properties"]["count_exact"]["type"] == "boolean"
    assert "count_exact" in paginated["required"]


@pytest.mark.parametrize("number", ["99999999999999999999", "4611686018427387904", "0", "-1",
                                    "1e3", "x"])
def test_a_page_past_any_row_of_an_estimated_list_is_not_found(staff_a, borough_a, small_pages,
                                                               number):
    """A page number no list reaches (an OFFSET past PostgreSQL's bigint, found by the hostile
    probe as a 500), zero, negative or not a number: 404 "Invalid page", as on an exact list."""
    f.OfficerFactory.create_batch(5, borough=borough_a)
    client = api_client_for(staff_a)
    assert client.get("/api/v1/officers/").json()["count_exact"] is False
    response = client.get("/api/v1/officers/", {"page": number})
    assert response.status_code == 404, response.content[:300]
    assert response.json()["detail"] == "Invalid page."
