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


def test_a_large_crimes_file_is_queued_and_imports_only_the_importers_borough(
    client_of, ward_a, ward_b, settings, django_capture_on_commit_callbacks
):
    """Past IMPORT_IN_REQUEST_MAX_ROWS the file goes to a worker (202, a status URL); a crime of
    another borough is a row error there too, never written."""
    from config.models import BulkImport
    from victims.models import Crime

    settings.IMPORT_IN_REQUEST_MAX_ROWS = 2
    body = csv_of(
        row(ward_a, ref="CR-Q-1"), row(ward_a, ref="CR-Q-2"), row(ward_b, ref="CR-Q-B")
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_of("staff_a").post(
            URL + "?valid_only=1", body, content_type="text/csv"
        )
    assert answer.status_code == 202, answer.content
    status = client_of("staff_a").get(answer["Location"]).json()
    assert (status["kind"], status["status"], status["rows_total"]) == ("crimes", "done", 3)
    assert (status["rows_created"], status["error_count"]) == (2, 1)
    assert status["errors"][0]["row"] == 4
    assert set(Crime.objects.values_list("reference", flat=True)) == {"CR-Q-1", "CR-Q-2"}
    assert client_of("staff_b").get(answer["Location"]).status_code == 404
    assert BulkImport.objects.get().payload == ""


def test_a_role_that_cannot_record_crimes_cannot_queue_them(
    client_of, ward_a, settings
):
    from config.models import BulkImport

    settings.IMPORT_IN_REQUEST_MAX_ROWS = 0
    answer = client_of("commander_a").post(URL, csv_of(row(ward_a)), content_type="text/csv")
    assert answer.status_code == 403
    assert not BulkImport.objects.exists()
