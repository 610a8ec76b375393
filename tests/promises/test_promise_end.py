"""Ending a promise from its page: a last day and a reason, for the roles that may change the
borough's promises. Promises are ended, never deleted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from promises.models import Promise
from tests.conftest import EDITORS_OF_A, READERS_OF_A, ROLE_FIXTURES, write_status
from tests.promises.factories import PromiseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def promise_a(ward_a, staff_a):
    return PromiseFactory(
        ward=ward_a,
        owner_user=staff_a,
        title="Street briefing every month",
        start=datetime.date(2025, 1, 1),
    )


def end_url(promise):
    return reverse("promises:promise_end", args=[promise.pk])


ENDING = {"end": "2025-03-31", "reason": "Agreed at the March ward panel: replaced by patrols."}


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_only_editors_of_the_borough_end_its_promises(client, cast, who, promise_a):
    assert client.post(end_url(promise_a), ENDING).status_code == 302  # anonymous: sign in
    client.force_login(cast(who))
    assert client.get(end_url(promise_a)).status_code == write_status(who, 200)
    response = client.post(end_url(promise_a), ENDING)
    assert response.status_code == write_status(who, 302)
    promise_a.refresh_from_db()
    if response.status_code == 302:
        assert response["Location"] == promise_a.get_absolute_url()
        assert promise_a.end == datetime.date(2025, 3, 31)
        assert promise_a.end_reason == ENDING["reason"]
    else:
        assert (promise_a.end, promise_a.end_reason) == (None, "")


def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_changes(client, promise_a):
    response = client.post(end_url(promise_a), ENDING)
    assert response["Location"].startswith(reverse("login"))
    promise_a.refresh_from_db()
    assert promise_a.end is None


@pytest.mark.parametrize("who", sorted(READERS_OF_A))
def test_the_promise_page_offers_the_end_action_to_editors_only(client, cast, who, promise_a):
    client.force_login(cast(who))
    body = client.get(promise_a.get_absolute_url()).content.decode()
    offered = "End this promise" in body and end_url(promise_a) in body
    assert offered == (who in EDITORS_OF_A)


def test_the_ended_promise_shows_its_last_day_and_reason(client, staff_a, promise_a):
    client.force_login(staff_a)
    response = client.post(end_url(promise_a), ENDING, follow=True)
    body = response.content.decode()
    assert "31 March 2025" in body
    assert "replaced by patrols" in body


def test_a_missing_date_and_reason_are_shown_in_the_error_summary(client, staff_a, promise_a):
    client.force_login(staff_a)
    response = client.post(end_url(promise_a), {"end": "", "reason": " "})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter the promise&#x27;s last day" in body
    assert "Enter why the promise is ending" in body
    assert Promise.objects.get().end is None


def test_a_date_that_is_not_a_date_is_a_clear_error(client, staff_a, promise_a):
    client.force_login(staff_a)
    response = client.post(end_url(promise_a), {**ENDING, "end": "next Tuesday"})
    assert response.status_code == 200
    assert "Last day of the promise must be a real date" in response.content.decode()
    assert Promise.objects.get().end is None


def test_a_promise_cannot_end_before_it_starts(client, staff_a, promise_a):
    client.force_login(staff_a)
    response = client.post(end_url(promise_a), {**ENDING, "end": "2024-12-31"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "The end must be on or after the start." in body
    assert Promise.objects.get().end is None


def test_the_form_proposes_today_as_the_last_day(client, staff_a, promise_a):
    client.force_login(staff_a)
    response = client.get(end_url(promise_a))
    today = timezone.localdate()
    assert response.context["form"]["end"].value() == {
        "day": today.day, "month": today.month, "year": today.year
    }


def test_an_unknown_promise_is_not_found(client, staff_a):
    client.force_login(staff_a)
    assert client.get(reverse("promises:promise_end", args=[999999])).status_code == 404
