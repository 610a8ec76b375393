"""The public form: a message gets a reference and a reply-by date; spam (too fast, too old,
forged, trap filled) is refused quietly with nothing stored; a client that sends too much gets
429 with Retry-After; a message about a crime shows how to report one and is only a message."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from contact import honeypot
from contact.models import Message, Status
from tests.contact.conftest import form_data

pytestmark = pytest.mark.django_db


def url(ward):
    return reverse("contact:send", args=[ward.code])


def test_the_team_page_links_to_the_form(client, ward_a, team_a):
    page = client.get(reverse("promises:public_team", args=[ward_a.code])).content.decode()
    assert url(ward_a) in page


def test_the_form_says_how_messages_are_used_and_kept(client, ward_a, settings):
    settings.CONTACT_RETENTION_DAYS = 90
    page = client.get(url(ward_a)).content.decode()
    assert "How we use your message" in page
    assert "90 days after we close it" in page
    assert 'name="started"' in page and "tel:999" in page


def test_a_message_is_stored_with_a_reference_and_a_reply_by_date(client, ward_a, settings):
    settings.CONTACT_REPLY_DAYS = 5
    response = client.post(url(ward_a), form_data())
    assert response.status_code == 200
    message = Message.objects.get()
    assert message.ward == ward_a and message.borough == ward_a.borough
    assert message.status == Status.NEW and message.email == "pat@example.com"
    assert message.reply_by == timezone.localdate() + datetime.timedelta(days=5)
    assert message.reference.startswith("NO-") and len(message.reference) == 10
    page = response.content.decode()
    assert message.reference in page
    assert message.reply_by.strftime("%-d %B %Y") in page
    assert not message.mentions_crime and 'id="report-a-crime"' not in page


def test_contact_details_are_optional(client, ward_a):
    response = client.post(url(ward_a), form_data(name="", email="", phone=""))
    assert response.status_code == 200
    assert Message.objects.get().email == ""


def test_references_differ(client, ward_a):
    for _ in range(3):
        client.post(url(ward_a), form_data())
    assert Message.objects.values("reference").distinct().count() == 3


def test_bad_input_gets_the_error_summary_and_stores_nothing(client, ward_a):
    response = client.post(url(ward_a), form_data(category="", text="x" * 2001, email="nope"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Choose what your message is about" in page
    assert "2000 characters or fewer" in page
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        # Made when the test runs: the form was served a moment ago, or three hours ago.
        pytest.param(lambda: {"started": honeypot.issue(at=time.time() - 1)}, id="too fast"),
        pytest.param(
            lambda: {"started": honeypot.issue(at=time.time() - 3 * 60 * 60)}, id="too old"
        ),
        pytest.param(lambda: {"started": "12345:forged"}, id="forged"),
        pytest.param(lambda: {"started": ""}, id="missing"),
        pytest.param(lambda: {"website": "http://spam.example"}, id="trap filled"),
    ],
)
def test_spam_is_refused_quietly_and_nothing_is_stored(client, ward_a, overrides):
    response = client.post(url(ward_a), form_data(**overrides()))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your message was not sent" in page
    assert "honeypot" not in page.lower() and "too fast" not in page.lower()
    assert not Message.objects.exists()


def test_a_client_sending_too_much_gets_429_with_retry_after(client, ward_a, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "contact": "3/hour"}
    statuses = [client.post(url(ward_a), form_data()).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.post(url(ward_a), form_data())
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert Message.objects.count() == 3


def test_a_message_about_a_crime_shows_how_to_report_one_and_is_only_a_message(client, ward_a):
    response = client.post(
        url(ward_a), form_data(category="problem", text="My bike was stolen from the station")
    )
    page = response.content.decode()
    assert 'id="report-a-crime"' in page and "tel:101" in page and "tel:999" in page
    message = Message.objects.get()
    assert message.mentions_crime
    from victims.models import Crime

    assert not Crime.objects.exists()


def test_an_unknown_ward_is_404(client, db):
    assert client.get(reverse("contact:send", args=["E05999999"])).status_code == 404
