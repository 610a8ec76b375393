"""The public team page on a phone (390 px) in Chromium: the ward's outline drawn with no tiles,
its text alternative, the promises in plain words and the next events, nothing wider than the
screen, and nothing critical or serious for axe-core."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.contact.test_browser_contact import axe_findings
from tests.promises.factories import EngagementEventFactory, PatrolPromiseFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE}


def test_the_public_team_page_on_a_phone(live_server, page: Page, ward_a, team_a):
    PatrolPromiseFactory(
        ward=ward_a, title="Patrol Malden Road on Friday and Saturday nights",
        start=timezone.localdate() - datetime.timedelta(days=60),
    )  # fmt: skip
    EngagementEventFactory(ward=ward_a, title="Coffee with a cop")
    page.goto(f"{live_server.url}/neighbourhoods/{ward_a.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Haverstock neighbourhood team")

    region = page.get_by_role("region", name="Map of Haverstock ward")
    expect(region).to_have_attribute("data-ready", "true", timeout=10_000)
    expect(region.locator("path.leaflet-interactive")).to_have_count(1)
    assert region.locator(".leaflet-tile").count() == 0  # no tile URL: the outline alone
    expect(page.locator("#map-description")).to_contain_text(
        "Haverstock is a ward in Camden. The map shows its boundary."
    )
    expect(page.locator("#promises")).to_contain_text(
        "We promised: Patrol Malden Road on Friday and Saturday nights. This week we have done "
        "0 of 2 patrols"
    )
    expect(page.locator("#events")).to_contain_text("Coffee with a cop")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    assert axe_findings(page, live_server.url) == []
