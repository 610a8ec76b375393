"""Rest days (deployment.rest_days): recorded one at a time or as a run of dates from the page,
the API and a roster's "rest" rows; shown in the ward calendar as "Rest day", or "Rest day
worked" when a duty is recorded on it too (never refused, but counted), without changing the
day's headcount; scoped like duties; recording and deleting logged."""

import datetime
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from config.errors import ConflictError, DomainError
from config.timeutils import shift_bounds
from deployment.duties import duty_record
from deployment.models import RestDay
from deployment.rest_days import (
    MAX_REST_DAYS_AT_ONCE,
    rest_day_delete,
    rest_day_record,
    rest_day_worked,
    with_worked,
)
from tests.pages import assert_error_summary, post_as

pytestmark = pytest.mark.django_db
D = datetime.date
T = datetime.time


def rest(officer, by, first, last=None):
    return rest_day_record(officer=officer, first=first, last=last, by=by)


EARLY, EARLY_ENDS = T(7), T(15)


def shift(officer, by, day, start=EARLY, end=EARLY_ENDS):
    starts_at, ends_at = shift_bounds(day, start, end)
    return duty_record(officer=officer, starts_at=starts_at, ends_at=ends_at, by=by)


# --- the rules -------------------------------------------------------------------------------


def test_one_rest_day_and_a_run_of_them(staff_a, dwos_a, borough_a):
    [one] = rest(dwos_a[0], staff_a, D(2026, 3, 3))
    assert (one.day, one.borough_id, one.recorded_by_id) == (
        D(2026, 3, 3), borough_a.pk, staff_a.pk
    )
    week = rest(dwos_a[1], staff_a, D(2026, 3, 7), D(2026, 3, 13))
    assert [r.day for r in week] == [
        D(2026, 3, 7) + datetime.timedelta(days=n) for n in range(7)
    ]
    assert RestDay.objects.count() == 8


def test_a_rest_day_is_recorded_once_and_a_run_is_all_or_nothing(staff_a, dwos_a):
    rest(dwos_a[0], staff_a, D(2026, 3, 10))
    with pytest.raises(ConflictError, match="already has a rest day recorded on 10 March 2026"):
        rest(dwos_a[0], staff_a, D(2026, 3, 8), D(2026, 3, 12))
    assert list(RestDay.objects.values_list("day", flat=True)) == [D(2026, 3, 10)]


@pytest.mark.parametrize("first, last, field", [
    (D(1, 1, 1), None, "date"),
    (D(9999, 12, 31), None, "date"),
    (D(2026, 3, 10), D(9999, 12, 31), "last_date"),
    (D(2026, 3, 10), D(2026, 3, 9), "last_date"),
    (D(2026, 3, 1), D(2026, 3, 1) + datetime.timedelta(days=MAX_REST_DAYS_AT_ONCE), "last_date"),
])
def test_dates_out_of_range_backwards_or_too_many_are_refused(staff_a, dwos_a, first, last, field):
    with pytest.raises(DomainError) as refused:
        rest(dwos_a[0], staff_a, first, last)
    assert refused.value.field == field
    assert not RestDay.objects.exists()


def test_the_clock_change_days_are_ordinary_dates(staff_a, dwos_a):
    saved = rest(dwos_a[0], staff_a, D(2026, 3, 28), D(2026, 3, 30))
    saved += rest(dwos_a[0], staff_a, D(2026, 10, 25))
    assert [r.day for r in saved] == [D(2026, 3, 28), D(2026, 3, 29), D(2026, 3, 30),
                                      D(2026, 10, 25)]


def test_a_reader_or_another_borough_cannot_record(commander_a, staff_b, dwos_a):
    with pytest.raises(PermissionDenied):
        rest(dwos_a[0], commander_a, D(2026, 3, 3))
    with pytest.raises(DomainError, match="did not serve in your borough"):
        rest(dwos_a[0], staff_b, D(2026, 3, 3))
    assert not RestDay.objects.exists()


def test_another_borough_cannot_delete_one_even_through_the_service(staff_a, staff_b, dwos_a):
    [saved] = rest(dwos_a[0], staff_a, D(2026, 3, 3))
    rest_day_delete(rest_day=saved, by=staff_b)
    assert RestDay.objects.filter(pk=saved.pk).exists()


def test_a_duty_on_a_rest_day_is_not_refused_and_makes_it_worked(staff_a, dwos_a):
    rest(dwos_a[0], staff_a, D(2026, 3, 3), D(2026, 3, 4))
    shift(dwos_a[0], staff_a, D(2026, 3, 3), T(22), T(6))  # a night: counts on the day it starts
    worked = dict(with_worked(RestDay.objects.all()).values_list("day", "worked"))
    assert worked == {D(2026, 3, 3): True, D(2026, 3, 4): False}
    assert rest_day_worked(True, True) and not rest_day_worked(True, False)
    assert not rest_day_worked(False, True)


def test_recording_and_deleting_are_logged(
    staff_a, dwos_a, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="neighbourhood_ops.audit")
    with django_capture_on_commit_callbacks(execute=True):
        [saved] = rest(dwos_a[0], staff_a, D(2026, 3, 3))
    with django_capture_on_commit_callbacks(execute=True):
        rest_day_delete(rest_day=saved, by=staff_a)
    lines = [r.getMessage() for r in caplog.records if r.name == "neighbourhood_ops.audit"]
    number = dwos_a[0].shoulder_number
    assert lines == [
        f"Rest day recorded: officer {number} on 2026-03-03 (borough {saved.borough_id}), by "
        f"{staff_a.username} ({staff_a}, user {staff_a.pk})",
        f"Rest day deleted: officer {number} on 2026-03-03 (borough {saved.borough_id}), by "
        f"{staff_a.username} ({staff_a}, user {staff_a.pk})",
    ]
    assert not RestDay.objects.exists()


# --- the ward calendar and the officer's month -------------------------------------------------


def calendar_cells(client, user, ward, officer):
    client.force_login(user)
    response = client.get(reverse("deployment:ward_calendar", args=[ward.code, 2026, 3]))
    assert response.status_code == 200
    grid = response.context["grid"]
    column = [row.officer for row in grid.officers].index(officer)
    cells = {day: (c[column].state.code if c[column].state else None) for day, c, _ in grid.rows}
    return response, cells, {day: cover for day, _, cover in grid.rows}


def test_the_calendar_shows_rest_days_worked_ones_and_keeps_the_headcount(
    client, staff_a, ward_a, dwos_a
):
    shift(dwos_a[0], staff_a, D(2026, 3, 4))
    _, _, cover_before = calendar_cells(client, staff_a, ward_a, dwos_a[0])
    rest(dwos_a[0], staff_a, D(2026, 3, 3), D(2026, 3, 4))
    response, cells, cover_after = calendar_cells(client, staff_a, ward_a, dwos_a[0])
    assert cells[D(2026, 3, 3)] == "rest_day"
    assert cells[D(2026, 3, 4)] == "rest_day_worked"
    assert cells[D(2026, 3, 5)] == "not_recorded"
    assert cover_after == cover_before  # rest days are not cover
    row = response.context["grid"].officers[0]
    assert (row.totals["rest_day"], row.totals["rest_day_worked"]) == (1, 1)
    content = response.content.decode()
    assert "Rest day worked" in content and "govuk-tag--purple" in content  # key and cells
    assert "A rostered rest day, recorded." in content  # the key says it in words


def test_the_officers_own_month_shows_their_rest_days(client, constable_a, staff_a):
    officer = constable_a.officer
    rest(officer, staff_a, D(2026, 3, 3), D(2026, 3, 4))
    shift(officer, staff_a, D(2026, 3, 4))
    client.force_login(constable_a)
    response = client.get(
        reverse("deployment:officer_month", args=[officer.shoulder_number, 2026, 3])
    )
    assert response.status_code == 200
    lines = [(line.day, line.worked) for line in response.context["rest_days"]]
    assert lines == [(D(2026, 3, 3), False), (D(2026, 3, 4), True)]
    assert "Rest day worked" in response.content.decode()


# --- the page ----------------------------------------------------------------------------------


def test_the_page_records_a_run_of_rest_days(client, staff_a, dwos_a):
    officer = dwos_a[0]
    response = post_as(client, staff_a, reverse("deployment:rest_day_new"), {
        "officer": officer.pk, "date-day": "7", "date-month": "3", "date-year": "2026",
        "last_date-day": "9", "last_date-month": "3", "last_date-year": "2026",
    })
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "deployment:officer_month", args=[officer.shoulder_number, 2026, 3]
    )
    assert RestDay.objects.filter(officer=officer).count() == 3


@pytest.mark.parametrize("data, message, field", [
    ({}, "Enter the date of the rest day", "id_date"),
    ({"date-day": "31", "date-month": "2", "date-year": "2026"},
     "Rest day must be a real date", "id_date"),
    ({"date-day": "1", "date-month": "3", "date-year": "9999"}, "", "id_date"),
    ({"date-day": "9", "date-month": "3", "date-year": "2026",
      "last_date-day": "7", "last_date-month": "3", "last_date-year": "2026"},
     "The last rest day must be on or after the first", "id_last_date"),
])
def test_the_page_shows_errors_in_the_govuk_summary(client, staff_a, dwos_a, data, message, field):
    response = post_as(client, staff_a, reverse("deployment:rest_day_new"),
                       {"officer": dwos_a[0].pk, **data})
    assert_error_summary(response, message, field=field)
    assert not RestDay.objects.exists()


def test_the_page_refuses_a_rest_day_already_recorded(client, staff_a, dwos_a):
    rest(dwos_a[0], staff_a, D(2026, 3, 7))
    response = post_as(client, staff_a, reverse("deployment:rest_day_new"), {
        "officer": dwos_a[0].pk, "date": "2026-03-07",
    })
    assert_error_summary(response, "already has a rest day recorded on 07 March 2026",
                         field="id_date")


def test_the_page_for_an_outsider_and_a_reader(client, staff_b, commander_a, dwos_a):
    url = reverse("deployment:rest_day_new") + f"?officer={dwos_a[0].shoulder_number}"
    client.force_login(staff_b)
    assert client.get(url).status_code == 404
    response = post_as(client, staff_b, reverse("deployment:rest_day_new"),
                       {"officer": dwos_a[0].pk, "date": "2026-03-07"})
    assert_error_summary(response, "Choose an active officer of your borough")
    client.force_login(commander_a)
    assert client.get(url).status_code == 403
    assert not RestDay.objects.exists()


def test_the_delete_page(client, staff_a, staff_b, commander_a, dwos_a):
    [saved] = rest(dwos_a[0], staff_a, D(2026, 3, 7))
    url = reverse("deployment:rest_day_delete", args=[saved.pk])
    assert post_as(client, staff_b, url, {}).status_code == 404
    assert post_as(client, commander_a, url, {}).status_code == 403
    client.force_login(staff_a)
    assert "Delete the rest day" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not RestDay.objects.exists()


# --- the API -----------------------------------------------------------------------------------


def test_the_api_records_lists_filters_and_deletes(client_of, staff_a, dwos_a):
    api = client_of("staff_a")
    number = dwos_a[0].shoulder_number
    created = api.post("/api/v1/rest-days/", {
        "officer": number, "date": "2026-03-07", "last_date": "2026-03-08",
    }, format="json")
    assert created.status_code == 201, created.content
    assert [r["date"] for r in created.json()] == ["2026-03-07", "2026-03-08"]
    shift(dwos_a[0], staff_a, D(2026, 3, 8))
    rest(dwos_a[1], staff_a, D(2026, 3, 7))
    listed = api.get("/api/v1/rest-days/", {"officer": number, "date_from": "2026-03-08"})
    assert [(r["date"], r["worked"]) for r in listed.json()["results"]] == [("2026-03-08", True)]
    gone = api.delete(f"/api/v1/rest-days/{created.json()[0]['id']}/")
    assert gone.status_code == 204
    assert RestDay.objects.count() == 2


@pytest.mark.parametrize("body, field", [
    ({"date": "2026-03-07"}, "officer"),
    ({"officer": "NOBODY", "date": "2026-03-07"}, "officer"),
    ({"officer": "{own}", "date": "31/02/2026"}, "date"),
    ({"officer": "{own}", "date": "9999-12-31"}, "date"),
    ({"officer": "{own}", "date": "2026-03-07", "last_date": "2026-03-01"}, "last_date"),
])
def test_the_api_answers_bad_input_with_400(client_of, dwos_a, body, field):
    body = {k: v.replace("{own}", dwos_a[0].shoulder_number) for k, v in body.items()}
    response = client_of("staff_a").post("/api/v1/rest-days/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not RestDay.objects.exists()


def test_the_api_twice_is_409_and_scoped(client_of, staff_a, dwos_a):
    [saved] = rest(dwos_a[0], staff_a, D(2026, 3, 7))
    body = {"officer": dwos_a[0].shoulder_number, "date": "2026-03-07"}
    assert client_of("staff_a").post("/api/v1/rest-days/", body, format="json").status_code == 409
    outsider = client_of("staff_b")
    assert outsider.get(f"/api/v1/rest-days/{saved.pk}/").status_code == 404
    assert outsider.delete(f"/api/v1/rest-days/{saved.pk}/").status_code == 404
    assert outsider.get("/api/v1/rest-days/").json()["results"] == []
    assert outsider.post("/api/v1/rest-days/", body, format="json").status_code == 400
    reader = client_of("commander_a")
    assert reader.delete(f"/api/v1/rest-days/{saved.pk}/").status_code == 403
    assert RestDay.objects.count() == 1


def test_the_api_list_runs_a_fixed_number_of_queries(
    client_of, staff_a, dwos_a, django_assert_num_queries
):
    for officer in dwos_a:
        rest(officer, staff_a, D(2026, 3, 1), D(2026, 3, 10))
    api = client_of("staff_a")
    with django_assert_num_queries(3):  # the token with its user and boroughs, count, page
        assert len(api.get("/api/v1/rest-days/").json()["results"]) == 40


def test_the_sql_and_the_python_rule_agree_on_generated_rest_days_and_shifts(staff_a, dwos_a):
    """with_worked (the API) and the calendar's rest_day_worked (the ward calendar and the
    officer's month) mark the same rest days worked, nights and clock changes included."""
    import random

    from deployment.calendar import officer_duties, officer_rest_days
    from deployment.models import Duty

    chance = random.Random(14)
    first, last = D(2026, 3, 1), D(2026, 3, 31)
    for officer in dwos_a:
        days = sorted(chance.sample(range(1, 32), 12))
        for day in days[:8]:
            rest(officer, staff_a, D(2026, 3, day))
        for day in days[4:]:
            start = chance.choice([T(0, 30), T(7), T(22)])
            shift(officer, staff_a, D(2026, 3, day), start, T(6) if start == T(22) else T(9))
    sql = dict(
        ((r.officer_id, r.day), r.worked) for r in with_worked(RestDay.objects.all())
    )
    python = {}
    for officer in dwos_a:
        duties, _ = officer_duties(Duty.objects.all(), officer, first, last)
        for line in officer_rest_days(RestDay.objects.all(), officer, first, last, duties):
            python[(officer.pk, line.day)] = line.worked
    assert python == sql
    assert len(sql) == 32 and sum(sql.values()) == 16
