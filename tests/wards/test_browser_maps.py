"""The ward and borough maps in a real browser (Chromium through Playwright): with no tile URL
configured, the ward's outline (and its places) or the borough's wards are drawn with no tiles,
beside their tables, and axe-core finds nothing critical or serious on either page."""

import os

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.demand.test_browser_demand import no_serious_accessibility_problems, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ward_map_draws_the_outline_and_places_without_tiles(
    live_server, page: Page, staff_a, ward_a
):
    f.PlaceFactory(ward=ward_a, name="Haverstock School", lat=ward_a.centroid_lat,
                   lng=ward_a.centroid_lng)
    sign_in(page, f"{live_server.url}/wards/{ward_a.code}/", username="staff_a")
    expect(page.get_by_role("heading", level=1)).to_have_text("Haverstock")
    region = page.get_by_role("region", name="Map of Haverstock: its boundary and places")
    expect(region).to_have_attribute("data-ready", "true", timeout=10_000)
    # The ward's outline and one circle for its one place, both SVG paths.
    expect(region.locator("path.leaflet-interactive")).to_have_count(2)
    outline = region.locator("path.leaflet-interactive").first.get_attribute("d")
    assert outline and outline.count("L") >= 3  # a polygon, not a dot
    assert region.locator(".leaflet-tile").count() == 0  # no tile URL set: no tiles
    table = page.get_by_role("table").filter(has_text="Places in the ward")
    expect(table).to_contain_text("Haverstock School")
    no_serious_accessibility_problems(page)


def test_the_borough_map_draws_each_ward_without_tiles(
    live_server, page: Page, staff_a, borough_a, ward_a
):
    f.WardFactory(borough=borough_a, name="Highgate")
    sign_in(page, f"{live_server.url}/boroughs/{borough_a.code}/", username="staff_a")
    expect(page.get_by_role("heading", level=1)).to_have_text("Camden")
    region = page.get_by_role("region", name="Map of Camden's wards")
    expect(region).to_have_attribute("data-ready", "true", timeout=10_000)
    expect(region.locator("path.leaflet-interactive")).to_have_count(2)
    assert region.locator(".leaflet-tile").count() == 0
    expect(page.get_by_role("table").filter(has_text="The wards on the map")).to_contain_text(
        "Highgate"
    )
    no_serious_accessibility_problems(page)
