"""The fields the CSV lacks are derived from the row alone: the same ids on every call and after
the same file is imported again (rows deleted and written anew, with new primary keys)."""

import pytest
from django.test import Client

from tests.demand.conftest import crime_file, crime_row, london, run_police_uk  # noqa: F401

pytestmark = [pytest.mark.timeout(300), pytest.mark.usefixtures("london")]

ROWS = [
    crime_row(crime_id="e" * 64, lat="51.571", lng="-0.147"),
    # Two anti-social behaviour rows alike in every column: told apart by their order in the file
    crime_row(crime_id="", crime_type="Anti-social behaviour", outcome="", lat="51.571",
              lng="-0.147"),
    crime_row(crime_id="", crime_type="Anti-social behaviour", outcome="", lat="51.571",
              lng="-0.147"),
    crime_row(crime_id="", crime_type="Anti-social behaviour", outcome="", lat="51.5712",
              lng="-0.1471", location="On or near Highgate High Street"),
]


def answer():
    response = Client().get("/api/crimes-street/all-crime",
                            {"lat": "51.571", "lng": "-0.147", "date": "2024-03"})
    assert response.status_code == 200
    return sorted((c["id"], c["location"]["street"]["id"], c["persistent_id"])
                  for c in response.json())


def test_ids_survive_a_reimport_of_the_same_file():
    from demand.models import StreetCrime

    run_police_uk(crime_file(ROWS))
    first, pks = answer(), set(StreetCrime.objects.values_list("pk", flat=True))
    assert len(first) == 4 and len({i for i, _s, _p in first}) == 4
    assert answer() == first  # and on every call
    run_police_uk(crime_file(ROWS))
    assert not pks & set(StreetCrime.objects.values_list("pk", flat=True))  # rows anew
    assert answer() == first
