"""On a phone: an officer logs a school visit with the quick form, and the ward's public team
page shows the promise delivered. Real Chromium through Playwright, GOV.UK Frontend loaded."""

import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.conftest import PASSWORD
from tests.pages import fill_date
from tests.promises.factories import VisitPromiseFactory, earlier_this_month

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_an_officer_logs_a_visit_on_a_phone_and_the_public_page_shows_it(
    live_server, page: Page, staff_a, team_a, ward_a
):
    f.PlaceFactory(ward=ward_a, name="Haverstock School")
    VisitPromiseFactory(
        ward=ward_a,
        owner_user=staff_a,
        title="Visit every secondary school every month",
        start=timezone.localdate().replace(day=1),
    )
    page.set_viewport_size(PHONE)

    page.goto(live_server.url + "/activities/new/")
    page.get_by_label("Username").fill("staff_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Log activity")
    page.get_by_label("Ward").select_option(label="Haverstock (Camden)")
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Visit to a place").check()
    # The place, the time and how long wait in collapsed sections (the log's first screen is
    # what and "Log it").
    page.get_by_text("Where (the place visited), promises and notes").click()
    page.get_by_label("Place visited").select_option(label="Haverstock School (Secondary school)")
    page.get_by_text("When: now, for 60 minutes").click()
    started = earlier_this_month(hours=1)
    fill_date(page, "When it started", started, time=f"{started:%H:%M}")
    page.get_by_label("How long (minutes)").fill("40")
    button = page.get_by_role("button", name="Log it")
    # Big touch targets: the submit button spans the phone's width.
    assert button.bounding_box()["width"] >= PHONE["width"] - 40
    button.click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Visit to a place logged in Haverstock"
    )
    delivery = page.get_by_role("table").filter(has_text="Delivery this period")
    expect(delivery).to_contain_text("1 of 1")
    expect(delivery).to_contain_text("Met")

    page.context.clear_cookies()  # the public, signed out
    page.goto(live_server.url + f"/neighbourhoods/{ward_a.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Haverstock neighbourhood team")
    promises = page.locator("#promises")
    expect(promises).to_contain_text("Visit every secondary school every month")
    expect(promises).to_contain_text("1 of 1")
    expect(page.get_by_text("Sign out")).to_have_count(0)
