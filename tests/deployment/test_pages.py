"""Who may open each deployment page: anonymous visitors sign in first, borough_a's readers see its
records, read-only roles may not open the forms that change them, and outsiders learn nothing."""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import EDITORS_OF_A, READERS_OF_A, ROLE_FIXTURES
from tests.deployment.factories import raise_flex

pytestmark = pytest.mark.django_db
D = datetime.date


def read_status(who):
    return 200 if who in READERS_OF_A else 404


def write_status(who):
    return 200 if who in EDITORS_OF_A else 403 if who in READERS_OF_A else 404


@pytest.fixture
def draft(sergeant_a, ward_a_east, dwos_a, frozen_today):
    return raise_flex(sergeant_a, ward_a_east, dwos_a[:1], submit=False)


@pytest.fixture
def pages(draft, ward_a, dwos_a, borough_a):
    officer = dwos_a[0].shoulder_number
    return {
        "flex_list": reverse("deployment:flex_list"),
        "flex_queue": reverse("deployment:flex_queue"),
        "flex_detail": reverse("deployment:flex", args=[draft.pk]),
        "flex_edit": reverse("deployment:flex_edit", args=[draft.pk]),
        "flex_new": reverse("deployment:flex_new") + f"?borough={borough_a.code}",
        "calendar": reverse("deployment:ward_calendar", args=[ward_a.code, 2026, 3]),
        "calendar_now": reverse("deployment:ward_calendar", args=[ward_a.code]),
        "officer_month": reverse("deployment:officer_month", args=[officer, 2026, 3]),
        "officer_now": reverse("deployment:officer_month", args=[officer]),
        "duty_new": reverse("deployment:duty_new") + f"?officer={officer}",
        "abstraction_new": reverse("deployment:abstraction_new") + f"?officer={officer}",
        "roster_import": reverse("deployment:roster_import"),
        "roster_template": reverse("deployment:roster_template"),
    }


ALL_PAGES = [
    "flex_list", "flex_queue", "flex_detail", "flex_edit", "flex_new", "calendar",
    "calendar_now", "officer_month", "officer_now", "duty_new", "abstraction_new",
    "roster_import", "roster_template",
]
# Pages about one of borough_a's records: readers see them, outsiders get 404.
RECORD_PAGES = ["flex_detail", "calendar", "calendar_now", "officer_month", "officer_now"]
# Forms that change borough_a's records: editors only; read-only roles 403, outsiders 404.
FORM_PAGES = ["flex_edit", "flex_new", "duty_new", "abstraction_new"]
# Pages of the user's own boroughs, whoever they are.
OWN_PAGES = ["flex_list", "flex_queue", "roster_template"]


@pytest.mark.parametrize("name", ALL_PAGES)
def test_pages_send_anonymous_visitors_to_sign_in(client, pages, name):
    response = client.get(pages[name])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", RECORD_PAGES)
@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_borough_a_records_open_to_its_readers_and_hide_from_outsiders(
    client, cast, pages, name, who
):
    client.force_login(cast(who))
    assert client.get(pages[name]).status_code == read_status(who)


@pytest.mark.parametrize("name", FORM_PAGES)
@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_forms_open_to_editors_forbid_read_only_roles_and_hide_from_outsiders(
    client, cast, pages, name, who
):
    client.force_login(cast(who))
    assert client.get(pages[name]).status_code == write_status(who)


@pytest.mark.parametrize("name", OWN_PAGES)
@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_lists_of_the_users_own_boroughs_open_to_everyone_signed_in(
    client, cast, pages, name, who
):
    client.force_login(cast(who))
    assert client.get(pages[name]).status_code == 200


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_the_roster_upload_is_for_editors_of_any_borough(client, cast, pages, who):
    client.force_login(cast(who))
    expected = 403 if who in {"commander_a", "hq"} else 200
    assert client.get(pages["roster_import"]).status_code == expected


@pytest.mark.parametrize("who", ["commander_a", "hq"])
@pytest.mark.parametrize("name", ["duty_new", "abstraction_new", "roster_import"])
def test_read_only_roles_cannot_open_recording_forms_even_without_an_officer(
    client, cast, name, who, borough_a
):
    client.force_login(cast(who))
    assert client.get(reverse(f"deployment:{name}")).status_code == 403


def test_an_unknown_flex_request_is_not_found(client, staff_a):
    client.force_login(staff_a)
    assert client.get(reverse("deployment:flex", args=[999999])).status_code == 404


@pytest.mark.parametrize("path", ["2026/13/", "2026/00/", "2026/3/", "26/03/"])
def test_a_month_that_does_not_exist_is_not_found(client, staff_a, ward_a, path):
    client.force_login(staff_a)
    response = client.get(f"/wards/{ward_a.code}/deployment/{path}")
    assert response.status_code == 404


def test_the_navigation_and_the_ward_and_officer_pages_link_to_deployment(
    client, staff_a, ward_a, dwos_a
):
    client.force_login(staff_a)
    ward_page = client.get(reverse("wards:ward", args=[ward_a.code])).content.decode()
    assert reverse("deployment:flex_list") in ward_page
    assert reverse("deployment:ward_calendar", args=[ward_a.code]) in ward_page
    officer = dwos_a[0].shoulder_number
    officer_page = client.get(reverse("teams:officer", args=[officer])).content.decode()
    assert reverse("deployment:officer_month", args=[officer]) in officer_page
