"""The crime form's map in Chromium: the postcode shows its point, a click inside one of the
user's wards moves it, and the crime is recorded there; nothing critical or serious for axe."""

import datetime
import os
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.contact.test_browser_contact import axe_findings
from tests.deployment.test_browser_flex import sign_in
from tests.pages import fill_date
from victims.models import Crime

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_postcode_then_a_click_moves_the_point(live_server, page: Page, staff_a, ward_a):
    postcode = f.PostcodeFactory(postcode="NW3 2QG", ward=ward_a)
    postcode.refresh_from_db()  # its point as the database keeps it (6 places)
    base = live_server.url
    sign_in(page, base, staff_a.username)
    page.goto(base + "/victims/crimes/new/")
    page.get_by_label("Crime reference number").fill("CR-0004321-26")
    page.get_by_label("Crime type").select_option(label="Bicycle theft")
    page.get_by_label("Postcode of the location").fill("NW3 2QG")
    page.get_by_role("button", name="Show the postcode on the map").click()

    region = page.get_by_role("region", name="Map to place the crime on")
    expect(region).to_have_attribute("data-ready", "true", timeout=10_000)
    status = page.locator("#crime-map-status")
    expect(status).to_have_text(f"Placed at {postcode.lat}, {postcode.lng}.")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)  # the rest is not checked yet
    assert page.locator("#id_lat").input_value() == ""  # the postcode's own centre, unchanged
    assert region.locator(".leaflet-tile").count() == 0  # no MAP_TILE_URL: the outlines alone
    assert axe_findings(page, base) == []

    expect(region.locator("path.leaflet-interactive")).to_have_count(2)  # the ward, the point
    box = region.bounding_box()
    region.click(position={"x": box["width"] / 2 + 40, "y": box["height"] / 2 + 30})
    expect(status).not_to_have_text(f"Placed at {postcode.lat}, {postcode.lng}.")
    lat = Decimal(page.locator("#id_lat").input_value())
    lng = Decimal(page.locator("#id_lng").input_value())
    assert lat < postcode.lat and lng > postcode.lng  # below and right of the centre
    expect(status).to_have_text(f"Placed at {lat}, {lng}.")

    fill_date(page, "When it happened", timezone.localdate() - datetime.timedelta(days=1),
              time="09:00")
    page.locator("#victim-1").get_by_label("Name").fill("Jo Bloggs")
    page.locator("#victim-1").get_by_label("Phone").fill("07700 900123")
    page.get_by_role("button", name="Record the crime").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Crime CR-0004321-26")
    crime = Crime.objects.get()
    assert (crime.lat, crime.lng, crime.ward) == (lat, lng, ward_a)
