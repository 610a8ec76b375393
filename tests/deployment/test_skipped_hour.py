"""The hour the spring clock change skips (01:00-01:59 London time on its Sunday) never
happened: a time typed in it is refused with the same words on every entry point (a form's date
and time boxes, a single value from a script, the duty form, the duty API, the roster CSV), never
silently moved an hour. The hour the autumn change repeats happened twice: it is read as its
first occurrence (BST)."""

import datetime

import pytest
from django import forms

from config.forms import LondonDateTimeField
from config.limits import RECORD
from config.timeutils import LONDON, shift_bounds, skipped_in_london, wall_clock
from deployment.models import Duty
from deployment.roster import ROSTER_COLUMNS
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db
D, T = datetime.date, datetime.time
SPRING, AUTUMN = D(2026, 3, 29), D(2026, 10, 25)
SKIPPED = "01:30 on 29 March 2026 did not happen in London: the clocks went forward"


@pytest.mark.parametrize(
    "day, clock, skipped",
    [
        (SPRING, T(0, 59), False),
        (SPRING, T(1, 0), True),
        (SPRING, T(1, 59), True),
        (SPRING, T(2, 0), False),
        (AUTUMN, T(1, 30), False),
        (D(1, 1, 1), T(0, 0), False),
        (D(9999, 12, 31), T(23, 59), False),
    ],
)
def test_which_times_the_clocks_skipped(day, clock, skipped):
    local = datetime.datetime.combine(day, clock, tzinfo=LONDON)
    assert skipped_in_london(local) is skipped
    if skipped:
        with pytest.raises(ValueError):
            wall_clock(day, clock)
    else:
        assert wall_clock(day, clock) == local


def test_the_repeated_autumn_hour_is_read_as_its_first_occurrence():
    first = wall_clock(AUTUMN, T(1, 30))
    assert first.utcoffset() == datetime.timedelta(hours=1)  # BST
    assert first.astimezone(datetime.UTC).hour == 0


def test_a_planned_window_runs_across_the_skipped_hour_in_real_time():
    starts, ends = shift_bounds(SPRING, T(1, 0), T(3, 0))
    assert ends.astimezone(datetime.UTC) - starts.astimezone(datetime.UTC) == datetime.timedelta(
        hours=1
    )


class WhenForm(forms.Form):
    when = LondonDateTimeField(kind=RECORD, label="When it happened")


@pytest.mark.parametrize(
    "data",
    [
        {"when-day": "29", "when-month": "3", "when-year": "2026", "when-time": "01:30"},
        {"when": "2026-03-29T01:30"},
    ],
)
def test_a_form_refuses_a_skipped_time(data):
    form = WhenForm(data)
    assert not form.is_valid()
    assert form.errors["when"][0].startswith(SKIPPED)


def test_a_form_takes_the_hour_either_side():
    form = WhenForm(
        {"when-day": "29", "when-month": "3", "when-year": "2026", "when-time": "02:00"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"].utcoffset() == datetime.timedelta(hours=1)


def test_the_duty_form_refuses_a_shift_starting_in_the_skipped_hour(client, staff_a, dwos_a):
    client.force_login(staff_a)
    response = client.post("/duties/new/", {
        "officer": dwos_a[0].pk, "date": "2026-03-29", "start": "01:30", "end": "09:00",
        "kind": "home",
    })  # fmt: skip
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text and SKIPPED in response.text
    assert not Duty.objects.exists()


def test_the_duty_api_refuses_a_shift_ending_in_the_skipped_hour(staff_a, dwos_a):
    body = {
        "officer": dwos_a[0].shoulder_number, "date": "2026-03-28", "start": "22:00",
        "end": "01:30", "kind": "home",
    }  # fmt: skip
    response = api_client_for(staff_a).post("/api/v1/duties/", body, format="json")
    assert response.status_code == 400
    assert SKIPPED in str(response.json())
    assert not Duty.objects.exists()


def test_a_roster_row_in_the_skipped_hour_is_rejected_with_its_line(staff_a, dwos_a):
    sn = dwos_a[0].shoulder_number
    text = ",".join(ROSTER_COLUMNS) + f"\n{sn},2026-03-29,01:30,09:00,home,,\n"
    response = api_client_for(staff_a).post("/api/v1/duties/import/", text, content_type="text/csv")
    assert response.status_code == 400
    [rejected] = response.json()["rejected"]
    assert rejected["line"] == 2 and SKIPPED in rejected["message"]
    assert not Duty.objects.exists()
