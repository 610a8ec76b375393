"""The hotspot map and the demand profile's heatmap in a real browser (Chromium through
Playwright), each with its table of the same numbers, and axe-core finding nothing critical or
serious on the pages."""

import os

import pytest
from playwright.sync_api import Page, expect

from demand.models import Lsoa
from tests import factories as f
from tests.conftest import PASSWORD
from tests.demand.conftest import crime_file, crime_row, run_cad, run_police_uk

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def camden(borough_a, ward_a, inspector_a):
    second = f.WardFactory(code="E05013661", name="Highgate", borough=borough_a)
    for n, ward in enumerate([ward_a, second]):
        for vintage in (2011, 2021):
            Lsoa.objects.create(
                vintage=vintage,
                code=f"E0190000{n}",
                name=ward.name,
                ward_code=ward.code,
                borough_code=borough_a.code,
            )
    lat, lng = str(ward_a.centroid_lat), str(ward_a.centroid_lng)
    rows = [
        crime_row(crime_id=f"c{i}", month="2025-03", lsoa="E01900000", lat=lat, lng=lng)
        for i in range(3)
    ]
    rows.append(crime_row(crime_id="h", month="2025-03", lsoa="E01900001"))
    run_police_uk(crime_file(rows))
    run_cad(
        b"reference,received_at,ward_code,type,grade\n"
        b"C1,2025-03-07T21:30:00,E05013660,asb,S\nC2,2025-03-08T21:40:00,E05013660,asb,S\n"
    )
    return second


def sign_in(page: Page, url: str, username="inspector_a"):
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def no_serious_accessibility_problems(page: Page):
    # From our own static files: the Content-Security-Policy refuses inline scripts.
    origin = "/".join(page.url.split("/", 3)[:3])
    page.add_script_tag(url=f"{origin}/static/vendor/axe.min.js")
    found = page.evaluate(
        "async () => (await axe.run()).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))"
    )
    serious = [v for v in found if v["impact"] in ("critical", "serious")]
    assert serious == [], serious


def test_the_borough_map_shades_each_ward_beside_a_table_of_the_same_numbers(
    live_server, page: Page, camden
):
    sign_in(
        page, f"{live_server.url}/demand/?borough=E09000007&month_from=2025-03&month_to=2025-03"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Demand: crime, ASB and calls")
    map_region = page.get_by_role("region", name="Map of All crime by ward")
    expect(map_region).to_have_attribute("data-ready", "true", timeout=10_000)
    expect(map_region.locator("path.leaflet-interactive")).to_have_count(2)
    expect(map_region.locator(".app-map__legend")).to_contain_text("All crime")
    assert map_region.locator(".leaflet-tile").count() == 0  # no tile URL set: no tiles
    # The two wards' shades differ: 3 crimes against 1.
    fills = map_region.locator("path.leaflet-interactive").evaluate_all(
        "paths => paths.map(p => p.getAttribute('fill'))"
    )
    assert len(set(fills)) == 2
    table = page.get_by_role("table").filter(has_text="Wards, ranked within their borough")
    expect(table.get_by_role("row", name="Haverstock")).to_contain_text("3")
    expect(table.get_by_role("row", name="Highgate")).to_contain_text("1")
    no_serious_accessibility_problems(page)


def test_a_ward_map_shows_police_uk_points(live_server, page: Page, camden):
    sign_in(page, f"{live_server.url}/demand/wards/E05013660/?month_from=2025-03&month_to=2025-03")
    region = page.get_by_role("region", name="Map of Haverstock with police.uk's points")
    expect(region).to_have_attribute("data-ready", "true", timeout=10_000)
    # The ward's polygon and one circle (three rows share police.uk's point).
    expect(region.locator("path.leaflet-interactive")).to_have_count(2)
    expect(page.get_by_role("table").filter(has_text="The busiest points")).to_contain_text("3")
    no_serious_accessibility_problems(page)


def test_the_profile_heatmap_marks_busy_thinly_covered_hours(live_server, page: Page, camden):
    sign_in(
        page,
        f"{live_server.url}/demand/profile/?ward=E05013660&month_from=2025-03&month_to=2025-03",
    )
    heat = page.locator("table[data-heatmap=calls]")
    expect(heat.locator("td")).to_have_count(168)
    friday_9pm = heat.get_by_role("row", name="Fri").locator("td").nth(21)
    expect(friday_9pm).to_contain_text("1")
    expect(friday_9pm).to_have_class(
        "govuk-table__cell app-heat__cell app-heat--5 app-heat__cell--marked"
    )
    no_serious_accessibility_problems(page)
