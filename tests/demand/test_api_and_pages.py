"""Who sees and changes demand data, through the API and the pages, and what bad input gets."""

import gzip

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from demand import importing
from demand.models import CadCall, DataImport, Lsoa, Theme
from tests.conftest import ROLE_FIXTURES, api_client_for, results
from tests.demand.conftest import crime_file, crime_row

pytestmark = pytest.mark.django_db
CAD = b"reference,received_at,ward_code,type,grade\nC1,2026-01-05T10:00:00,E05013660,asb,S\n"


@pytest.fixture
def lsoas(ward_a, ward_b):
    for vintage in (2011, 2021):
        Lsoa.objects.create(
            vintage=vintage,
            code="E01900000",
            name="a",
            ward_code=ward_a.code,
            borough_code=ward_a.borough.code,
        )


def test_anonymous_users_get_nothing(api, client, ward_a):
    for url in [
        "/api/v1/demand/wards/",
        "/api/v1/demand/map/",
        "/api/v1/demand/profile/?ward=E05013660",
        "/api/v1/demand/imports/",
    ]:
        assert api.get(url).status_code == 401
    assert client.get("/demand/").status_code == 302


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_each_role_sees_the_wards_of_its_boroughs(cast, who, ward_a, ward_b):
    codes = {r["ward"] for r in results(api_client_for(cast(who)).get("/api/v1/demand/wards/"))}
    expected = {
        "hq": {"E05013660", "E05013806"},
        "admin_user": {"E05013660", "E05013806"},
        "inspector_b": {"E05013806"},
    }.get(who, {"E05013660"})
    assert codes == expected
    outsider = api_client_for(cast(who)).get("/api/v1/demand/points/?ward=E05013806")
    assert outsider.status_code == (200 if "E05013806" in expected else 404)


@pytest.mark.parametrize(
    "query, field",
    [
        ("month_from=0001-01", "month_from"),
        ("month_from=9999-12", "month_from"),
        ("month_to=2025-00", "month_to"),
        ("month_from=2025-05&month_to=2025-01", "month_to"),
        ("month_from=2011-01&month_to=2024-01", "month_to"),
        ("month_from=2025%00-01", "month_from"),
        ("category=not-a-category", "category"),
        ("category=burglary%00", "category"),
        ("theme=not-a-theme", "theme"),
        ("theme=burglary&category=drugs", "theme"),
        ("borough=E09%00", "borough"),
        ("cluster=1e999", "cluster"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(client_of, ward_a, query, field):
    for url in ("/api/v1/demand/wards/", "/api/v1/demand/map/"):
        response = client_of("inspector_a").get(f"{url}?{query}")
        assert response.status_code == 400, (url, query, response.content)
        body = response.json()
        # A NUL anywhere in the address is refused before the view, as never valid.
        assert field in body or ("%00" in query and "NUL" in body["detail"]), body


def test_the_wards_list_runs_a_fixed_number_of_queries(client_of, borough_a, assert_fixed_queries):
    from tests import factories as f

    client = client_of("inspector_a")
    f.WardFactory(borough=borough_a)
    url = "/api/v1/demand/wards/?month_from=2025-01&month_to=2025-12"
    client.get(url)
    # token (with the user and their boroughs), categories, wards (all the user's: no area
    # filter), ASB id, crime counts, CAD counts, months with data (no year-before query without
    # data).
    assert_fixed_queries(
        lambda: client.get(url), lambda: f.WardFactory(borough=borough_a), queries=7
    )


# --- imports -----------------------------------------------------------------------------------


def _upload(client, kind, raw, name="file.csv"):
    """POST the file, running the import queued on commit (the test's transaction never commits;
    Celery is eager in tests); `.final` is the import re-read from its status URL."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/api/v1/demand/imports/",
            {"kind": kind, "file": SimpleUploadedFile(name, raw)},
            format="multipart",
        )
    if response.status_code == 202:
        response.final = client.get(response.json()["status_url"]).json()
    return response


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_police_uk_files_are_imported_by_hq_and_admins_only(cast, who, lsoas):
    response = _upload(
        api_client_for(cast(who)), "police_uk", crime_file([crime_row(lsoa="E01900000")])
    )
    if who in ("hq", "admin_user"):
        assert response.status_code == 202, response.content
        body = response.json()
        assert body["status"] == "queued"
        assert (response.final["status"], response.final["imported"]) == ("done", 1)
        assert body["status_url"].endswith(f"/api/v1/demand/imports/{body['id']}/")
        assert response["Location"] == body["status_url"]
    else:
        assert response.status_code == 403
        assert not DataImport.objects.exists()


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_cad_calls_are_imported_by_the_borough_s_editors(cast, who, ward_a, ward_b):
    response = _upload(api_client_for(cast(who)), "cad", CAD)
    if who in ("staff_a", "sergeant_a", "inspector_a", "chief_inspector_a", "admin_user"):
        assert response.status_code == 202
        assert CadCall.objects.count() == 1
    elif who == "inspector_b":  # may import, but not borough_a's wards
        assert response.status_code == 202
        assert response.final["rejections"] == [[2, "ward E05013660 is not in your boroughs"]]
    else:
        assert response.status_code == 403


def test_an_outsider_does_not_see_another_borough_s_cad_import(client_of, ward_a, ward_b):
    _upload(client_of("staff_a"), "cad", CAD)
    record = DataImport.objects.get()
    assert client_of("inspector_b").get(f"/api/v1/demand/imports/{record.pk}/").status_code == 404
    assert client_of("inspector_a").get(f"/api/v1/demand/imports/{record.pk}/").status_code == 200
    assert client_of("hq").get(f"/api/v1/demand/imports/{record.pk}/").status_code == 200


def test_a_file_past_the_limit_is_a_413(client_of, settings, lsoas):
    settings.REQUEST_BODY_LIMITS = {**settings.REQUEST_BODY_LIMITS, "import": 300}
    response = _upload(client_of("hq"), "police_uk", crime_file([crime_row()] * 5))
    assert response.status_code == 413
    assert not DataImport.objects.exists()


def test_an_import_past_the_limit_from_code_is_refused_too(settings, hq):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from demand import services

    settings.REQUEST_BODY_LIMITS = {**settings.REQUEST_BODY_LIMITS, "import": 10}
    with pytest.raises(importing.TooLarge):
        services.import_start(
            kind="police_uk", upload=SimpleUploadedFile("x.csv", b"x" * 11), by=hq
        )


def test_a_worker_that_died_mid_import_leaves_it_to_be_run_again(lsoas, hq, settings):
    import datetime

    from django.utils import timezone

    from demand import runner

    raw = crime_file([crime_row(lsoa="E01900000")])
    record = importing.create_record(kind="police_uk", file_name="x.csv", raw=raw, by=hq)
    DataImport.objects.filter(pk=record.pk).update(status="running", started_at=timezone.now())
    assert runner.run(record.pk).status == "running"  # a live worker's claim: left alone
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    DataImport.objects.filter(pk=record.pk).update(started_at=long_ago)
    assert runner.run(record.pk).status == "done"
    assert runner.run(record.pk).imported == 1  # and a third delivery finds it done


def test_a_gzipped_file_imports_and_a_bad_kind_is_a_400(client_of, lsoas):
    raw = gzip.compress(crime_file([crime_row(lsoa="E01900000")]))
    assert _upload(client_of("hq"), "police_uk", raw, "x.csv.gz").final["imported"] == 1
    assert _upload(client_of("hq"), "poems", raw).status_code == 400


# --- pages ---------------------------------------------------------------------------------------


def test_the_pages_answer_each_reader(client, inspector_a, ward_a, ward_b):
    client.force_login(inspector_a)
    for url in [
        "/demand/",
        "/demand/wards/E05013660/",
        "/demand/imports/",
        "/demand/themes/",
        "/demand/profile/",
        "/demand/profile/?ward=E05013660",
        "/demand/wards.csv",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get("/demand/wards/E05013806/").status_code == 404
    page = client.get("/demand/?month_from=9999-01").content.decode()
    assert "govuk-error-summary" in page and "Give a month as YYYY-MM" in page


def test_the_upload_page_queues_an_import_and_shows_its_progress(client, hq, lsoas):
    from django.test import TestCase

    client.force_login(hq)
    raw = crime_file([crime_row(lsoa="E01900000")])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/demand/imports/", {"kind": "police_uk", "file": SimpleUploadedFile("m.csv", raw)}
        )
    record = DataImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/demand/imports/{record.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert (
        'data-module="app-import-progress"' in page
        and f"/api/v1/demand/imports/{record.pk}/" in page
    )
    assert record.imported_by == hq and record.status == "done" and record.payload is None
    # The importer by name, on the import and the list of imports; never the username.
    listing = client.get("/demand/imports/").content.decode()
    for text in (client.get(response["Location"]).content.decode(), listing):
        assert hq.display_name in text and ">hq<" not in text


def test_a_commander_cannot_upload_and_an_empty_form_shows_the_summary(client, commander_a, hq):
    client.force_login(commander_a)
    assert client.post("/demand/imports/", {"kind": "cad"}).status_code == 403
    client.force_login(hq)
    page = client.post("/demand/imports/", {}).content.decode()
    assert "Choose a file to import." in page and "govuk-error-summary" in page


def test_hq_edits_themes_and_targets_and_others_may_not(client, hq, inspector_a):
    client.force_login(inspector_a)
    assert client.get("/demand/themes/burglary/").status_code == 403
    client.force_login(hq)
    theme = Theme.objects.get(slug="transport")
    response = client.post(
        "/demand/themes/transport/",
        {
            "name": "Transport hubs",
            "slug": "transport",
            "at_locations": ["transport"],
            "proxy": "Stations",
            "ordering": 3,
            "active": "on",
        },
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.name == "Transport hubs"
    bad = client.post(
        "/demand/targets/new/",
        {
            "name": "x",
            "baseline_from": "2025-13",
            "reduction_percent": "150",
            "target_month": "2019-01",
        },
    )
    html = bad.content.decode()
    assert "Give a month as YYYY-MM" in html and "between 0 and 100" in html


def test_a_csv_body_is_an_import_too_and_its_kind_comes_from_its_header(client_of, ward_a):
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_of("staff_a").generic(
            "POST", "/api/v1/demand/imports/", CAD, content_type="text/csv"
        )
    assert response.status_code == 202 and response.json()["kind"] == "cad"
    assert CadCall.objects.count() == 1
    wrong = client_of("staff_a").generic(
        "POST", "/api/v1/demand/imports/?kind=police_uk", CAD, content_type="text/csv"
    )
    assert wrong.status_code == 400 and "kind" in wrong.json()
    unreadable = client_of("staff_a").generic(
        "POST",
        "/api/v1/demand/imports/",
        b'a,b\n"' + b"x" * 200_000 + b"\n",
        content_type="text/csv",
    )
    assert unreadable.status_code == 400 and "cannot be read" in unreadable.json()["detail"]


def test_the_wards_csv_neutralises_a_formula_in_a_name(client, inspector_a, ward_a):
    """Names are typed by people: through config.listing, a cell that would start a spreadsheet
    formula arrives as text (a leading apostrophe), numbers stay numbers."""
    import csv
    import io

    ward_a.name = "@SUM(1+1)"
    ward_a.save(update_fields=["name"])
    client.force_login(inspector_a)
    download = client.get("/demand/wards.csv")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["ward_code", "ward", "borough"]
    named = [row for row in rows[1:] if row[0] == ward_a.code]
    assert named and named[0][1] == "'@SUM(1+1)"
