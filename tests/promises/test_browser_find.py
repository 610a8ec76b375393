"""Find your team in Chromium on a phone: by the browser's location (the button appears only
where the browser can locate, and posts hidden coordinates), by postcode, and an empty search
answered with the GOV.UK error summary."""

import os

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
HAVERSTOCK_SCHOOL = {"latitude": 51.5448319, "longitude": -0.1531931}


@pytest.fixture
def browser_context_args(browser_context_args):
    """The browser knows where it is (near Haverstock School) and may say so."""
    return {
        **browser_context_args,
        "geolocation": HAVERSTOCK_SCHOOL,
        "permissions": ["geolocation"],
        "viewport": PHONE,
    }


@pytest.fixture
def haverstock(ward_a):
    f.PostcodeFactory(
        postcode="NW3 2BL", ward=ward_a, lat="51.544900", lng="-0.153400"
    )
    return ward_a


def test_my_location_finds_my_team_in_one_tap(live_server, page: Page, haverstock):
    page.goto(live_server.url + "/find/")
    expect(page.locator("input[name=lat]")).to_be_hidden()
    page.get_by_role("button", name="Use my location").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Haverstock neighbourhood team")
    assert "lat" not in page.url and "51.54" not in page.url  # posted, not in the address


def test_a_postcode_finds_the_team_and_an_empty_search_says_what_to_do(
    live_server, page: Page, haverstock
):
    page.goto(live_server.url + "/find/")
    page.get_by_role("button", name="Search").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a postcode, or the name of a ward or borough")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary

    page.get_by_label("Postcode, or ward or borough name").fill("nw3 2bl")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Haverstock neighbourhood team")


def test_where_the_browser_cannot_locate_the_button_is_not_offered(
    live_server, browser, haverstock
):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/find/")
    expect(page.get_by_role("button", name="Use my location")).to_be_hidden()
    expect(page.get_by_label("Postcode, or ward or borough name")).to_be_visible()
    context.close()
