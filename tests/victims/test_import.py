"""Bulk import: data.police.uk street CSV plus victim columns, rejected rows reported."""

import pytest

from tests.victims.factories import URL, csv_of, row
from victims.models import Crime

pytestmark = pytest.mark.django_db


def test_valid_rows_are_imported_and_victims_grouped_by_crime_id(client_of, ward_a):
    body = csv_of(
        row(ward_a),
        row(ward_a, name="Second Victim", reason="vulnerable"),
        row(ward_a, ref="CR-IMP-2", kind="Violence and sexual offences"),
    )
    response = client_of("staff_a").post(URL, body, content_type="text/csv")
    assert response.status_code == 201, response.content
    assert response.json()["imported"] == 2
    crime = Crime.objects.get(reference="CR-IMP-1")
    assert (crime.ward, crime.victims.count()) == (ward_a, 2)
    assert Crime.objects.get(reference="CR-IMP-2").routed_to == "cid"
    assert crime.victims.get(name="Second Victim").enhanced_reason == "vulnerable"


def test_one_bad_row_imports_nothing_and_reports_every_rejected_row(client_of, ward_a):
    body = csv_of(row(ward_a), row(ward_a, ref="", name="ASB"), row(ward_a, ref="X", kind="Nope"))
    response = client_of("staff_a").post(URL, body, content_type="text/csv")
    assert response.status_code == 400
    rejected = response.json()["rejected"]
    assert [r["line"] for r in rejected] == [3, 4]
    assert (
        "No Crime ID" in rejected[0]["message"] and "Unknown crime type" in rejected[1]["message"]
    )
    assert not Crime.objects.exists()


def test_valid_only_imports_the_good_rows(client_of, ward_a, ward_b):
    body = csv_of(row(ward_a), row(ward_b, ref="CR-B"))
    response = client_of("staff_a").post(URL + "?valid_only=true", body, content_type="text/csv")
    assert response.status_code == 201
    body = response.json()
    assert body["imported"] == 1 and "own borough" in body["rejected"][0]["message"]
    assert list(Crime.objects.values_list("reference", flat=True)) == ["CR-IMP-1"]


def test_a_location_in_no_ward_is_rejected(client_of, ward_a):
    response = client_of("staff_a").post(
        URL + "?valid_only=1", csv_of(row(ward_a, lat="51.9")), content_type="text/csv"
    )
    assert response.json()["rejected"][0]["message"] == "No London ward contains that location."


def test_missing_columns_are_a_400(client_of, ward_a):
    response = client_of("staff_a").post(
        URL, "Crime ID,Month\nX,2026-03\n", content_type="text/csv"
    )
    assert response.status_code == 400 and "lacks column" in response.json()["detail"]


@pytest.mark.parametrize("who, code", [("commander_a", 403), ("hq", 403)])
def test_read_only_roles_cannot_import(client_of, ward_a, who, code):
    response = client_of(who).post(URL, csv_of(row(ward_a)), content_type="text/csv")
    assert response.status_code == code


def test_anonymous_cannot_import(api, ward_a):
    assert api.post(URL, csv_of(row(ward_a)), content_type="text/csv").status_code in (401, 403)
