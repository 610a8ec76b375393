"""Forms the GOV.UK way (config.forms): dates in the Design System's date input (day, month,
year) with its error messages, "Enter …"/"Select …" instead of Django's words, no "---------"."""

import datetime

import pytest
from django import forms
from django.urls import reverse

from config.forms import DateField, ServiceForm
from config.limits import PLANNED

pytestmark = pytest.mark.django_db


class ShiftForm(ServiceForm):
    date = DateField(kind=PLANNED, label="Date the shift starts")
    ward = forms.ChoiceField(choices=[("", "---------"), ("a", "Haverstock")])
    notes = forms.CharField(label="Notes")


def errors_of(data) -> dict:
    form = ShiftForm(data)
    assert not form.is_valid()
    return form.errors


def parts(day="", month="", year="") -> dict:
    return {"date-day": day, "date-month": month, "date-year": year, "ward": "a", "notes": "x"}


def test_a_date_from_its_three_boxes():
    form = ShiftForm(parts("7", "3", "2026"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == datetime.date(2026, 3, 7)


def test_a_script_may_still_send_one_value():
    form = ShiftForm({"date": "27/11/2026", "ward": "a", "notes": "x"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == datetime.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "marked"),
    [
        ("", "", "", "Enter the date the shift starts", ("day", "month", "year")),
        ("7", "", "2026", "Date the shift starts must include a month", ("month",)),
        ("", "", "2026", "Date the shift starts must include a day and month", ("day", "month")),
        ("31", "2", "2026", "Date the shift starts must be a real date", ("day", "month", "year")),
        ("7", "x", "2026", "Date the shift starts must be a real date", ("month",)),
        ("7", "3", "26", "Date the shift starts must be a real date", ("year",)),
        ("1", "1", "0001", "The date must be between 1 January 2000 and 31 December 2099.",
         ("day", "month", "year")),
        ("31", "12", "9999", "The date must be between 1 January 2000 and 31 December 2099.",
         ("day", "month", "year")),
        ("31", "12", "10000", "Date the shift starts must be a real date", ("year",)),
        # More digits than a C integer holds: Python's date() raises OverflowError, not
        # ValueError (found by the hostile probe: a 500 on every page with a date input).
        ("9" * 20, "3", "2026", "Date the shift starts must be a real date",
         ("day", "month", "year")),
        ("7", "4294967297", "2026", "Date the shift starts must be a real date",
         ("day", "month", "year")),
        ("7", "3", "\u0662\u0660\u0662\u0666\u00b2", "Date the shift starts must be a real date",
         ("year",)),
        # Not an ASCII digit: the day's box is the one marked (config.forms._ascii_digits).
        ("\u00b2", "3", "2026", "Date the shift starts must be a real date", ("day",)),
        ("\u0663", "3", "2026", "Date the shift starts must be a real date", ("day",)),
    ],
)
def test_the_design_systems_date_errors(day, month, year, message, marked):
    form = ShiftForm(parts(day, month, year))
    assert not form.is_valid()
    assert form.errors["date"] == [message]
    assert form.fields["date"].error_parts == marked


def test_govuk_words_instead_of_djangos():
    errors = errors_of({})
    assert errors["ward"] == ["Select ward"]
    assert errors["notes"] == ["Enter notes"]
    form = ShiftForm()
    assert form.fields["ward"].choices[0] == ("", "Select ward")


def test_the_duty_page_asks_for_day_month_and_year(client, staff_a):
    client.force_login(staff_a)
    page = client.get(reverse("deployment:duty_new")).content.decode()
    for part in ("day", "month", "year"):
        assert f'name="date-{part}"' in page
    assert 'type="date"' not in page
    assert "---------" not in page
    response = client.post(reverse("deployment:duty_new"), {"date-day": "30", "date-month": "2",
                                                            "date-year": "2026"})
    page = response.content.decode()
    assert "Date the shift starts must be a real date" in page
    assert "This field is required." not in page
    assert 'href="#id_date"' in page  # the error summary links to the day box
    assert 'value="30"' in page  # what was typed is kept


def test_a_day_too_big_for_a_c_integer_is_an_error_on_the_page_not_a_500(client, staff_a):
    client.force_login(staff_a)
    response = client.post(reverse("deployment:duty_new"), {
        "date-day": "9" * 20, "date-month": "2", "date-year": "2026"})
    assert response.status_code == 200
    assert "Date the shift starts must be a real date" in response.content.decode()


def test_no_page_form_says_this_field_is_required(client, staff_a):
    client.force_login(staff_a)
    management = {"victims-TOTAL_FORMS": "1", "victims-INITIAL_FORMS": "0"}
    for url in (reverse("deployment:duty_new"), reverse("deployment:abstraction_new"),
                reverse("promises:promise_create"), reverse("victims:crime_new")):
        page = client.post(url, management).content.decode()
        assert "This field is required." not in page, url
        assert "---------" not in page, url
        assert "govuk-error-summary" in page, url


def test_the_crime_form_asks_when_it_happened_without_guessing_now(client, staff_a, ward_a):
    client.force_login(staff_a)
    page = client.get(reverse("victims:crime_new")).content.decode()
    assert 'name="occurred_at-day"' in page and 'name="occurred_at-time"' in page
    assert 'name="occurred_at-day" type="text" inputmode="numeric" value=""' in page
    response = client.post(reverse("victims:crime_new"), {
        "victims-TOTAL_FORMS": "1", "victims-INITIAL_FORMS": "0",
        "occurred_at-day": "27", "occurred_at-month": "11", "occurred_at-year": "2026",
        "occurred_at-time": "25:00",
    })
    page = response.content.decode()
    assert "25:00 is not a real time" in page
    assert "When it was reported" in page
