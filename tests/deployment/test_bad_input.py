"""Bad input to the deployment pages and API is a clear refusal (a form error, a 400 or a
rejected roster row), never a server error: dates at the end of the calendar, odd digits."""

import datetime

import pytest

from deployment.roster import ROSTER_COLUMNS
from tests.conftest import api_client_for
from tests.deployment.factories import abstract, record

pytestmark = pytest.mark.django_db
D, T = datetime.date, datetime.time
LAST_DAY = "9999-12-31"


OUT_OF_RANGE = "must be between 1 January 2000 and 31 December 2099."


@pytest.mark.parametrize("url", ["/api/v1/duties/", "/api/v1/abstractions/"])
def test_a_list_up_to_the_last_day_of_the_calendar_says_the_date_is_out_of_range(
    url, staff_a, dwos_a
):
    record(dwos_a[0], staff_a, D(2026, 3, 6), T(7), T(15))
    abstract(dwos_a[1], staff_a, day=6)
    response = api_client_for(staff_a).get(url, {"date_to": LAST_DAY})
    assert response.status_code == 400
    assert OUT_OF_RANGE in response.json()["date_to"][0]
    last_planned = api_client_for(staff_a).get(url, {"date_to": "2099-12-31"})
    assert last_planned.json()["count"] == 1


def test_a_night_shift_starting_on_the_last_day_of_the_calendar_is_a_400(staff_a, dwos_a):
    officer = dwos_a[0].shoulder_number
    body = {"officer": officer, "date": LAST_DAY, "start": "22:00", "end": "06:00"}
    response = api_client_for(staff_a).post("/api/v1/duties/", body, format="json")
    assert response.status_code == 400
    assert OUT_OF_RANGE in response.json()["date"][0]


def test_the_duty_form_says_the_date_is_out_of_range(client, staff_a, dwos_a):
    client.force_login(staff_a)
    data = {"officer": dwos_a[0].pk, "date": LAST_DAY, "start": "22:00", "end": "06:00"}
    response = client.post("/duties/new/", {**data, "kind": "home"})
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()


@pytest.mark.parametrize(
    "row, message",
    [
        ("{sn},9999-12-31,22:00,06:00,home,,", "Column date: Date " + OUT_OF_RANGE),
        (
            "{sn},2026-03-06,10:00,16:00,flexed,{ward},\u00b2",
            "Column flex_request: no flex request '\u00b2'",
        ),
        ("{sn},2026-03-06,10:00,16:00,home,,,,,," + "x" * 301, "Notes is at most 300 characters."),
        (
            "{sn},2026-03-06,10:00,16:00,abstracted,,,court," + "e" * 201 + ",Supt Khan",
            "Column significant_event: Significant event is at most 200 characters.",
        ),
    ],
)
def test_a_roster_row_out_of_range_is_rejected_not_a_crash(
    row, message, staff_a, dwos_a, ward_a_east
):
    text = ",".join(ROSTER_COLUMNS) + "\n" + row.format(
        sn=dwos_a[0].shoulder_number, ward=ward_a_east.code
    )
    response = api_client_for(staff_a).post(
        "/api/v1/duties/import/", text, content_type="text/csv"
    )
    assert response.status_code == 400
    [rejected] = response.json()["rejected"]
    assert rejected["line"] == 2
    assert rejected["message"].startswith(message)


def test_a_roster_with_nul_characters_is_refused_as_a_file(staff_a, dwos_a):
    text = "shoulder_number,date,start,end,notes\n{sn},2026-03-06,10:00,16:00,a\x00b\n"
    response = api_client_for(staff_a).post(
        "/api/v1/duties/import/", text.format(sn=dwos_a[0].shoulder_number), content_type="text/csv"
    )
    assert response.status_code == 400
    assert response.json()["file"] == [
        "The file holds NUL bytes, so it is not a CSV text file: save it as CSV UTF-8."
    ]
