"""The Safer Schools import reads its file as every other import does (config.limits.
read_csv_upload, by config.fields.CSVFileField in the API): UTF-8 with or without a byte-order
mark, one message for anything else, and the import body limit (413) before any of it, on the
page and in the API, as a multipart file or a text/csv body."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from config.limits import NOT_UTF8
from schools.models import School
from tests.conftest import api_client_for
from tests.pages import assert_error_summary

pytestmark = pytest.mark.django_db
PAGE = "/safer-schools/import/"
API = "/api/v1/safer-schools/import/"
BOM = "\ufeff".encode()
# "Sébastien" written by a spreadsheet saving in Windows-1252: not UTF-8.
NOT_UTF8_BYTES = "urn,name\n100001,Sébastien\n".encode("cp1252")
SMALL_LIMITS = {"import": 1000, "default": 1000}


def victims_of(urn):
    return School.objects.get(urn=urn).victims


def page_upload(client, user, body: bytes):
    client.force_login(user)
    return client.post(PAGE, {"file": SimpleUploadedFile("schools.csv", body, "text/csv")})


def api_file(user, body: bytes, **extra):
    upload = SimpleUploadedFile("schools.csv", body, content_type="text/csv")
    return api_client_for(user).post(API, {"file": upload, **extra}, format="multipart")


def api_body(user, body: bytes):
    return api_client_for(user).generic("POST", API, body, content_type="text/csv")


def test_a_file_not_in_utf8_is_refused_on_the_page_with_the_imports_message(
    client, hand_built, staff_a
):
    response = page_upload(client, staff_a, NOT_UTF8_BYTES)
    assert_error_summary(response, NOT_UTF8, field="id_file")
    assert School.objects.get(urn="100001").name == "School 100001"


def test_a_file_not_in_utf8_is_a_400_on_the_file_in_the_api(hand_built, staff_a):
    response = api_file(staff_a, NOT_UTF8_BYTES)
    assert response.status_code == 400
    assert response.json() == {"file": [NOT_UTF8]}
    assert School.objects.get(urn="100001").name == "School 100001"


def test_a_body_not_in_utf8_is_a_400_with_the_same_message(hand_built, staff_a):
    response = api_body(staff_a, NOT_UTF8_BYTES)
    assert response.status_code == 400
    assert response.json()["detail"] == NOT_UTF8


@pytest.mark.parametrize("how", ["page", "api file", "api body"])
def test_a_byte_order_mark_is_read_past_everywhere(client, hand_built, staff_a, how):
    """Excel's "CSV UTF-8" starts with a byte-order mark: the first column is still `urn`."""
    body = BOM + b"urn,victims\n100001,7\n"
    if how == "page":
        response = page_upload(client, staff_a, body)
        assert response.status_code == 200 and response.context["report"].rejected == []
    else:
        response = api_file(staff_a, body) if how == "api file" else api_body(staff_a, body)
        assert response.status_code == 201, response.json()
        assert response.json()["imported"] == 1
    assert victims_of("100001") == 7


@pytest.mark.parametrize("how", ["page", "api file", "api body"])
def test_a_file_over_the_import_limit_is_a_413_and_changes_nothing(
    client, hand_built, staff_a, how
):
    body = b"urn,victims\n" + b"100001,9\n" * 200  # 1,812 bytes
    with override_settings(REQUEST_BODY_LIMITS=SMALL_LIMITS):
        if how == "page":
            response = page_upload(client, staff_a, body)
        else:
            response = api_file(staff_a, body) if how == "api file" else api_body(staff_a, body)
    assert response.status_code == 413
    if how != "page":
        assert response.json()["code"] == "too_large"
    assert victims_of("100001") is None


@pytest.mark.parametrize(
    "url, field",
    [
        (API, "file"),
        ("/api/v1/duties/import/", "file"),
        ("/api/v1/crimes/import/", "file"),
    ],
)
def test_every_api_import_gives_one_message_for_a_file_not_in_utf8(
    hand_built, staff_a, url, field
):
    """The schools', rosters' and crimes' uploads: one reader, one message (the crimes' import
    used to replace what it could not read and carry on)."""
    upload = SimpleUploadedFile("upload.csv", NOT_UTF8_BYTES, content_type="text/csv")
    response = api_client_for(staff_a).post(url, {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()[field] == [NOT_UTF8]


def crimes_with_one_bad_row() -> bytes:
    from victims.importer import HEADER as header

    return (",".join(header) + "\n" + ",".join(["x"] * len(header)) + "\n").encode()


@pytest.mark.parametrize(
    "url, body",
    [
        (API, b"urn,victims\n100001,lots\n"),
        ("/api/v1/duties/import/", b"shoulder_number,date,start,end\nNOPE,2026-03-06,7:00,8:00\n"),
        ("/api/v1/crimes/import/", None),
    ],
)
def test_every_api_import_reads_valid_only_in_the_query_as_one_boolean(
    hand_built, staff_a, url, body
):
    """config.api.import_input: `?valid_only=yes` keeps the good rows (here none) instead of
    refusing the file, and a value that is no boolean is a 400, on every import (the schools'
    and crimes' imports used to take only "1" or "true" and ignore anything else)."""
    body = body or crimes_with_one_bad_row()
    api = api_client_for(staff_a)

    def send(flag):
        return api.generic("POST", f"{url}?valid_only={flag}", body, content_type="text/csv")

    refused, kept, unreadable = send("false"), send("yes"), send("maybe")
    assert refused.status_code == 400 and refused.json()["code"] == "rows_rejected"
    assert kept.status_code == 200, kept.json()
    assert kept.json()["imported"] == 0 and kept.json()["rejected"]
    assert unreadable.status_code == 400 and "rejected" not in unreadable.json()


def test_columns_are_matched_whatever_their_case_and_spaces(client, hand_built, staff_a):
    """config.parsers.column_names, the one rule of the places', schools' and confidence
    survey's imports."""
    from config.parsers import column_names

    assert column_names([" URN ", "Victims"]) == {"urn": " URN ", "victims": "Victims"}
    response = page_upload(client, staff_a, b" URN ,Victims\n100001,4\n")
    assert response.status_code == 200 and response.context["report"].rejected == []
    assert victims_of("100001") == 4


def test_every_import_endpoint_is_described_alike_in_the_schema(staff_a):
    """config.import_views.import_action and VALID_ONLY_PARAMETER: a multipart file or a
    text/csv body, with ?valid_only, on each import of the API."""
    schema = api_client_for(staff_a).get("/api/v1/schema/?format=json").json()
    for path in ("/api/v1/duties/import/", "/api/v1/crimes/import/", API):
        post = schema["paths"][path]["post"]
        assert set(post["requestBody"]["content"]) == {"multipart/form-data", "text/csv"}, path
        assert [p["name"] for p in post["parameters"] if p["in"] == "query"] == ["valid_only"]
