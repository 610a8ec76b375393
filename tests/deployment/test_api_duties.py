"""The duty API: /api/v1/duties/, one shift at a time or a roster CSV at /api/v1/duties/import/.

A borough's readers see its duties (outsiders get 404 and never see them in a list); editors
record them, through the same rules as the pages; a roster with a bad row imports nothing
unless the user asks for the valid rows only."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.timeutils import shift_bounds
from deployment import services
from deployment.models import Duty
from tests import factories as f
from tests.conftest import READERS_OF_A, ROLE_FIXTURES, api_client_for, results, write_status
from tests.deployment.factories import raise_flex, record, staff_ward

pytestmark = pytest.mark.django_db
D, T = datetime.date, datetime.time
SEES_B = {"hq", "admin_user", "inspector_b"}
URL = "/api/v1/duties/"
IMPORT_URL = "/api/v1/duties/import/"


@pytest.fixture
def duty_a(dwos_a, staff_a):
    return record(dwos_a[0], staff_a, D(2026, 3, 6), T(7), T(15))


@pytest.fixture
def officers_b(team_b):
    return staff_ward(team_b, pcs=2, pcsos=1)


@pytest.fixture
def duty_b(officers_b, staff_b):
    return record(officers_b[0], staff_b, D(2026, 3, 6), T(7), T(15))


def night_shift(officer, **extra) -> dict:
    return {
        "officer": officer.shoulder_number,
        "date": "2026-03-06",
        "start": "22:00",
        "end": "07:00",
        **extra,
    }


def upload(text: str, **fields) -> dict:
    return {"file": SimpleUploadedFile("roster.csv", text.encode(), "text/csv"), **fields}


# Anonymous


def test_anonymous_users_cannot_read_a_duty(api, duty_a):
    assert api.get(f"{URL}{duty_a.pk}/").status_code == 401


# Reading


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_the_list_shows_only_the_users_boroughs(client_of, who, duty_a, duty_b):
    ids = {row["id"] for row in results(client_of(who).get(URL))}
    assert (duty_a.pk in ids) == (who in READERS_OF_A)
    assert (duty_b.pk in ids) == (who in SEES_B)


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_a_duty_is_404_for_outsiders(client_of, who, duty_a):
    response = client_of(who).get(f"{URL}{duty_a.pk}/")
    assert response.status_code == (200 if who in READERS_OF_A else 404)
    if response.status_code == 200:
        body = response.json()
        assert (body["kind"], body["home_ward"], body["worked_ward"], body["hours"]) == (
            "home",
            "E05013660",
            "E05013660",
            8.0,
        )


# Recording one shift


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_record_duties_of_their_borough(client_of, who, dwos_a):
    response = client_of(who).post(URL, night_shift(dwos_a[0]), format="json")
    # An outsider who may edit their own borough is told the officer "does not exist" (400).
    expected = 400 if who == "inspector_b" else write_status(who, 201)
    assert response.status_code == expected, response.content
    assert Duty.objects.exists() == (expected == 201)


def test_a_night_shift_crosses_midnight(client_of, dwos_a):
    response = client_of("staff_a").post(URL, night_shift(dwos_a[0]), format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["starts_at"], body["ends_at"], body["hours"]) == (
        "2026-03-06T22:00:00Z",
        "2026-03-07T07:00:00Z",
        9.0,
    )
    assert (body["home_ward"], body["recorded_by"]) == ("E05013660", "staff_a")


def test_a_flexed_shift_links_its_approved_flex(
    client_of, sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    services.flex_approve(flex=flex, by=inspector_a)
    body = night_shift(
        dwos_a[0], date="2026-03-10", kind="flexed", worked_ward="E05013661", flex_request=flex.pk
    )
    response = client_of("sergeant_a").post(URL, body, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["worked_ward"], response.json()["flex_request"]) == (
        "E05013661",
        flex.pk,
    )
    assert response.json()["unauthorised_flex"] is False


def test_an_overlapping_shift_is_a_409(client_of, dwos_a, staff_a):
    record(dwos_a[0], staff_a, D(2026, 3, 7), T(6), T(14))
    response = client_of("staff_a").post(URL, night_shift(dwos_a[0]), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "overlapping_shift"
    assert Duty.objects.count() == 1


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"kind": "flexed"}, "worked_ward", "Say which other ward"),
        ({"worked_ward": "E05013660"}, "worked_ward", "Only a flexed duty"),
        ({"kind": "abstracted"}, "abstraction", "Link the officer's abstraction"),
        ({"kind": "flexed", "worked_ward": "E05013806"}, "worked_ward", "does not exist"),
        ({"end": "7pm"}, "end", "Time has wrong format"),
        ({"start": "06:00", "end": "23:00"}, "ends_at", "at most 16 hours"),
        ({"kind": "holiday"}, "kind", "not a valid choice"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client_of, dwos_a, ward_b, extra, field, message):
    response = client_of("staff_a").post(URL, night_shift(dwos_a[0], **extra), format="json")
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Duty.objects.exists()


def test_an_officer_without_a_ward_posting_is_refused(client_of, borough_a):
    unposted = f.OfficerFactory(borough=borough_a)
    response = client_of("staff_a").post(URL, night_shift(unposted), format="json")
    assert response.status_code == 400
    assert "no ward posting" in response.json()["detail"]


def test_duties_are_not_edited_or_deleted_through_the_api(client_of, duty_a):
    client = client_of("admin_user")
    assert client.patch(f"{URL}{duty_a.pk}/", {"notes": "x"}, format="json").status_code == 405
    assert client.delete(f"{URL}{duty_a.pk}/").status_code == 405


# Importing a roster

HEADER = "shoulder_number,date,start,end,kind,worked_ward,notes\n"


@pytest.fixture
def roster(dwos_a):
    """Two good rows (a day and a night shift) around three bad ones."""
    a, b = dwos_a[0].shoulder_number, dwos_a[1].shoulder_number
    return HEADER + (
        f"{a},2026-03-06,07:00,15:00,home,,\n"
        "NOPE1,2026-03-06,07:00,15:00,home,,\n"
        f"{b},31/02/2026,07:00,15:00,home,,\n"
        f"{b},2026-03-06,22:00,07:00,,,Night turn\n"
        f"{a},2026-03-07,07:00,15:00,holiday,,\n"
    )


def test_a_roster_with_bad_rows_imports_nothing_and_says_why(client_of, roster):
    response = client_of("staff_a").post(IMPORT_URL, upload(roster), format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert (body["imported"], body["committed"], body["code"]) == (0, False, "rows_rejected")
    assert [row["line"] for row in body["rejected"]] == [3, 4, 6]
    assert "Column shoulder_number: no officer 'NOPE1'" in body["rejected"][0]["message"]
    assert "Column date: 31/02/2026 is not a real date" in body["rejected"][1]["message"]
    assert "Column kind: must be one of" in body["rejected"][2]["message"]
    assert "nothing was imported" in body["detail"]
    assert not Duty.objects.exists()


def test_valid_only_imports_the_good_rows_and_reports_the_others(client_of, roster, dwos_a):
    response = client_of("staff_a").post(
        IMPORT_URL, upload(roster, valid_only="true"), format="multipart"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["imported"], body["committed"]) == (2, True)
    assert [row["line"] for row in body["rejected"]] == [3, 4, 6]
    assert set(Duty.objects.values_list("officer", "notes")) == {
        (dwos_a[0].pk, ""),
        (dwos_a[1].pk, "Night turn"),
    }


def test_a_good_roster_may_be_sent_as_a_text_csv_body(client_of, dwos_a):
    text = HEADER + f"{dwos_a[0].shoulder_number},2026-03-06,22:00,07:00,home,,\n"
    response = client_of("staff_a").post(IMPORT_URL, text, content_type="text/csv")
    assert response.status_code == 201
    assert response.json() == {"imported": 1, "rejected": [], "committed": True}
    assert Duty.objects.get().ends_at.date() == D(2026, 3, 7)


def test_a_text_csv_body_takes_valid_only_from_the_query(client_of, roster):
    client = client_of("staff_a")
    response = client.post(f"{IMPORT_URL}?valid_only=true", roster, content_type="text/csv")
    assert (response.status_code, response.json()["imported"]) == (201, 2)
    response = client.post(f"{IMPORT_URL}?valid_only=maybe", roster, content_type="text/csv")
    assert response.status_code == 400


def test_a_roster_with_nothing_to_import_is_a_200(client_of):
    response = client_of("staff_a").post(IMPORT_URL, HEADER, content_type="text/csv")
    assert response.status_code == 200
    assert response.json() == {"imported": 0, "rejected": [], "committed": False}


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "file"),
        ({"file": SimpleUploadedFile("r.csv", b"\xff\xfe\x00bad", "text/csv")}, "file"),
        ({"file": SimpleUploadedFile("r.csv", b"officer,day\nX,Y\n", "text/csv")}, "file"),
    ],
)
def test_an_unreadable_roster_is_a_400(client_of, payload, field):
    response = client_of("staff_a").post(IMPORT_URL, payload, format="multipart")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_import_rosters_of_their_borough(client_of, who, dwos_a):
    text = HEADER + f"{dwos_a[0].shoulder_number},2026-03-06,07:00,15:00,home,,\n"
    response = client_of(who).post(IMPORT_URL, upload(text), format="multipart")
    # An outsider's rows name officers they cannot see: rejected, nothing imported.
    expected = 400 if who == "inspector_b" else write_status(who, 201)
    assert response.status_code == expected
    assert Duty.objects.exists() == (expected == 201)


# Filters and query counts


@pytest.fixture
def assorted(dwos_a, staff_a, duty_b):
    return {
        "day": record(dwos_a[0], staff_a, D(2026, 3, 6), T(7), T(15)).pk,
        "night": record(dwos_a[1], staff_a, D(2026, 3, 6), T(22), T(7)).pk,
        "flexed": record(
            dwos_a[0],
            staff_a,
            D(2026, 3, 10),
            T(7),
            T(15),
            kind=Duty.Kind.FLEXED,
            worked_ward=f.WardFactory(code="E05013661", borough=dwos_a[0].borough),
        ).pk,
        "b": duty_b.pk,
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ("borough=E09000007", {"day", "night", "flexed"}),
        ("borough=E09000033", {"b"}),
        ("ward=E05013661", {"flexed"}),  # worked there
        ("ward=E05013660", {"day", "night", "flexed"}),  # their home ward
        ("kind=flexed", {"flexed"}),
        ("date_from=2026-03-07", {"night", "flexed"}),  # the night shift ends on the 7th
        ("date_to=2026-03-06", {"day", "night", "b"}),
        ("date_from=2026-03-08&date_to=2026-03-09", set()),
    ],
)
def test_duties_filter_by_borough_ward_kind_and_dates(client_of, assorted, query, expected):
    ids = {row["id"] for row in results(client_of("hq").get(f"{URL}?{query}"))}
    assert ids == {assorted[name] for name in expected}


def test_duties_filter_by_officer(client_of, assorted, dwos_a):
    rows = results(client_of("staff_a").get(f"{URL}?officer={dwos_a[0].shoulder_number}"))
    assert [row["id"] for row in rows] == [assorted["day"], assorted["flexed"]]


def test_the_list_runs_a_fixed_number_of_queries(assert_fixed_queries, staff_a, dwos_a):
    def add(days):
        for n in days:
            record(dwos_a[n % 4], staff_a, D(2026, 3, 1) + datetime.timedelta(days=n), T(7), T(15))

    add(range(2))
    client = api_client_for(staff_a)
    # 1 token, user and their boroughs, 2 count, 3 duties with officer, borough, wards
    # and recorder
    before, after = assert_fixed_queries(
        lambda: client.get(URL), lambda: add(range(2, 10)), queries=3
    )
    assert (before.json()["count"], after.json()["count"]) == (2, 10)


def test_a_duty_stays_with_its_wards_borough_after_the_officer_moves(
    client_of, duty_a, borough_a, borough_b
):
    """Duties belong to the home ward's borough: the list, the borough filter and the borough
    field agree, whatever borough the officer belongs to now."""
    from teams.models import Officer

    Officer.objects.filter(pk=duty_a.officer_id).update(borough=borough_b)
    mine = results(client_of("staff_a").get(URL))
    assert [(d["id"], d["borough"]) for d in mine] == [(duty_a.pk, borough_a.code)]
    hq = client_of("hq")
    assert [d["id"] for d in results(hq.get(URL, {"borough": borough_a.code}))] == [duty_a.pk]
    assert results(hq.get(URL, {"borough": borough_b.code})) == []
    assert results(client_of("staff_b").get(URL)) == []


def test_an_abstraction_stays_with_the_borough_it_was_recorded_in(
    client_of, dwos_a, staff_a, borough_a, borough_b
):
    from deployment.duties import abstraction_record
    from deployment.models import AbstractionType
    from teams.models import Officer

    starts, ends = shift_bounds(D(2026, 3, 6), T(9), T(15))
    recorded = abstraction_record(
        officer=dwos_a[0], abstraction_type=AbstractionType.objects.get(code="court"),
        starts_at=starts, ends_at=ends, significant_event="Crown Court",
        authorised_by_name="Supt Example", by=staff_a,
    )
    Officer.objects.filter(pk=dwos_a[0].pk).update(borough=borough_b)
    url = "/api/v1/abstractions/"
    rows = results(client_of("hq").get(url, {"borough": borough_a.code}))
    assert [(a["id"], a["borough"]) for a in rows] == [(recorded.pk, borough_a.code)]
    assert results(client_of("staff_b").get(url)) == []
