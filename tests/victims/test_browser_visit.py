"""A ward officer's journey in a real browser: record a crime with its victim, offer the visit,
record the acceptance, schedule it with an officer of the ward team and record it as done."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from teams.models import Posting
from tests import factories as f
from tests.conftest import PASSWORD
from tests.pages import fill_date
from victims.models import OfferStatus, VisitOffer

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_a_new_crime_to_a_completed_visit(live_server, page: Page, staff_a, team_a):
    officer = f.OfficerFactory(
        first_name="Priya", last_name="Shah", shoulder_number="7016EA", borough=team_a.borough
    )
    f.PostingFactory(officer=officer, team=team_a, role=Posting.Role.DEDICATED)

    page.goto(live_server.url + "/victims/")
    page.get_by_label("Username").fill("staff_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Victims")

    page.get_by_role("link", name="Record a crime").click()
    page.get_by_label("Crime reference number").fill("CR-0001234-26")
    page.get_by_label("Crime type").select_option(label="Bicycle theft")
    page.get_by_label("Ward").select_option(label="Haverstock")
    # "When it happened" is never pre-filled: the officer types it.
    happened = timezone.localtime() - datetime.timedelta(hours=2)
    fill_date(page, "When it happened", happened, time=happened.strftime("%H:%M"))
    first = page.locator("#victim-1")
    first.get_by_label("Name").fill("Jo Bloggs")
    first.get_by_label("Phone").fill("07700 900123")
    first.get_by_label("Consents to referral to victim support services").check()
    page.get_by_role("button", name="Record the crime").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Crime CR-0001234-26")
    card = page.locator(".govuk-summary-card").filter(has_text="Jo Bloggs")
    expect(card.locator("[data-status]")).to_have_text("Offer due")

    card.locator("summary").filter(has_text="Record an offer attempt").click()
    card.get_by_label("How was the visit offered?").select_option(label="Phone")
    card.locator("button[data-action=offer]").click()
    expect(card.locator("[data-status]")).to_have_text("Offered")

    card.locator("summary").filter(has_text="Record the victim's answer").click()
    card.get_by_label("Accepted").check()
    card.locator("button[data-action=respond]").click()
    expect(card.locator("[data-status]")).to_have_text("Accepted")

    card.locator("summary").filter(has_text="Schedule the visit").click()
    card.get_by_label("Officer").select_option(label="PC Priya Shah (7016EA)")
    start = timezone.localtime()  # the minute the crime was reported: a visit never comes before
    fill_date(card, "Visit window starts", start, time=start.strftime("%H:%M"))
    end = start + datetime.timedelta(hours=3)
    fill_date(card, "Visit window ends", end, time=end.strftime("%H:%M"))
    card.locator("button[data-action=schedule]").click()
    expect(card.locator("[data-status]")).to_have_text("Visit scheduled")

    card.locator("summary").filter(has_text="Record the visit as done").click()
    card.get_by_label("Needs assessment done").check()
    card.get_by_label("Referred to victim support").check()
    card.get_by_label("Victim's satisfaction").select_option("5")
    card.locator("button[data-action=complete]").click()

    expect(card.locator("[data-status]")).to_have_text("Visit completed")
    expect(card).to_contain_text("Referred to victim support")
    offer = VisitOffer.objects.get(victim__crime__reference="CR-0001234-26")
    assert (offer.status, offer.satisfaction, offer.officer) == (
        OfferStatus.COMPLETED,
        5,
        officer,
    )
