"""A flex request's journey in a real browser: a sergeant raises and submits it, an inspector
approves it from the queue, and the ward's deployment calendar shows the officer flexed in.

Set SCREENSHOT_DIR to keep a screenshot of each step (they are not part of the repository)."""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from teams.models import Posting
from tests import factories as f
from tests.conftest import PASSWORD
from tests.pages import fill_date

# Playwright's sync API runs an event loop in this thread; the ORM calls in fixtures are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    # The seeded abstraction types come back after the flush through tests/conftest.py's
    # _reference_data (a serialized rollback would clash with the content types that the flush
    # after an earlier transactional test re-creates).
    pytest.mark.django_db(transaction=True),
]


def snap(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + "/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_sergeant_raises_a_flex_an_inspector_approves_it_and_the_calendar_shows_it(
    live_server, page: Page, sergeant_a, inspector_a, team_a, ward_a_east, dwos_a, dwos_a_east
):
    priya = f.OfficerFactory(
        first_name="Priya", last_name="Shah", shoulder_number="7016EA", borough=team_a.borough
    )
    f.PostingFactory(officer=priya, team=team_a, role=Posting.Role.DEDICATED)
    start = datetime.date.today() + datetime.timedelta(days=7)
    end = start + datetime.timedelta(days=6)

    # The sergeant raises the request and submits it.
    sign_in(page, live_server.url, "sergeant_a")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Flex requests").click()
    page.get_by_role("button", name="Raise a flex request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a flex request")
    page.get_by_label("Ward to flex officers to").select_option(label="Highgate")
    page.get_by_label("PC Priya Shah (7016EA)").check()
    expect(page.locator(".govuk-checkboxes__item").filter(has_text="Priya Shah")).to_contain_text(
        "Home ward: Haverstock"
    )
    fill_date(page, "First day", start)
    fill_date(page, "Last day", end)
    page.get_by_label("Daily start time").fill("18:00")
    page.get_by_label("Daily end time").fill("02:00")
    page.get_by_label("The problem").fill("Moped-enabled phone snatches around the station")
    page.get_by_label("Expected benefit").fill("Arrests and fewer snatches")
    snap(page, "1-raise")
    page.get_by_role("button", name="Submit for decision").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("submitted")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Flex to Highgate")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submitted")
    snap(page, "2-submitted")
    page.get_by_role("button", name="Sign out").click()

    # The inspector approves it from the queue, with its conflicts and cover checked.
    sign_in(page, live_server.url, "inspector_a")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Flex requests").click()
    page.get_by_role("link", name="Requests waiting for your decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flex requests to decide")
    card = page.locator(".govuk-summary-card").filter(has_text="Priya Shah")
    expect(card).to_contain_text("No conflicts")
    card.get_by_label("Reason for the decision").fill("Intelligence supports it")
    snap(page, "3-queue")
    card.get_by_role("button", name="Approve").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("approved")
    expect(page.locator(".govuk-summary-card").filter(has_text="Priya Shah")).to_have_count(0)

    # The ward's deployment calendar shows Priya flexed in.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Flex requests").click()
    page.get_by_role("row").filter(has_text="Priya Shah").get_by_role("link").first.click()
    expect(page.locator(".moj-timeline")).to_contain_text("Submitted → Approved")
    snap(page, "4-request")
    page.get_by_role("link", name=f"Highgate's deployment in {start:%B %Y}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Deployment in Highgate: {start:%B %Y}"
    )
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=f"{start:%a} {start.day} {start:%b %Y}", exact=True)
    )
    expect(row).to_contain_text("Flexed in")
    expect(row).to_contain_text("from Haverstock")
    header = page.get_by_role("columnheader").filter(has_text="Priya Shah")
    expect(header).to_contain_text("Flexed in")
    snap(page, "5-calendar")
