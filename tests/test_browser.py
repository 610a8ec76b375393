"""A member of staff's journey in a real browser: sign in, open the borough and a ward, post an
officer there and see them on the ward page. Runs against the live server with GOV.UK Frontend's
CSS and JavaScript loaded."""

import datetime
import os

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.conftest import PASSWORD
from tests.pages import fill_date

# Playwright's sync API runs an event loop in this thread; the ORM calls in fixtures are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SYSTEM_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", arial, sans-serif'

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_post_an_officer_to_a_ward_and_see_them_there(
    live_server, page: Page, staff_a, team_a
):
    f.OfficerFactory(
        first_name="Priya", last_name="Shah", shoulder_number="7016EA", borough=team_a.borough
    )

    page.goto(live_server.url + "/")
    expect(page).to_have_title("Sign in – Neighbourhood Ops")
    page.get_by_label("Username").fill("staff_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("main").get_by_role("link", name="Camden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Camden")
    # The borough page names a ward in more than one panel (its wards, the cover today): any of
    # its links leads to the ward.
    page.get_by_role("link", name="Haverstock", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Haverstock")

    page.get_by_role("button", name="Post an officer here").click()
    page.get_by_label("Officer", exact=True).select_option(label="PC Priya Shah (7016EA)")
    page.get_by_label("Dedicated ward officer").check()
    fill_date(page, "Start date", datetime.date(2025, 6, 1))
    page.get_by_role("button", name="Post officer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Haverstock")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Priya Shah posted to Haverstock SNT"
    )
    officers = page.get_by_role("table").filter(has_text="Officers posted here today")
    expect(officers.get_by_role("link", name="Priya Shah")).to_be_visible()
    # GOV.UK Frontend's stylesheet loaded, with the system font stack (not GOV.UK's GDS Transport).
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_css("font-family", SYSTEM_FONTS)


def test_staff_plan_a_transfer_then_cancel_it(live_server, page: Page, staff_a, team_a, borough_b):
    """The transfer form in a browser: an empty submission lands in the error summary with a
    link to the field, a transfer dated ahead is planned and shown, then cancelled."""
    import datetime

    officer = f.OfficerFactory(
        first_name="Priya", last_name="Shah", shoulder_number="7016EA", borough=team_a.borough
    )
    f.PostingFactory(officer=officer, team=team_a)
    page.goto(live_server.url + "/")
    page.get_by_label("Username").fill("staff_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server.url}/officers/7016EA/")
    page.get_by_role("button", name="Transfer to another borough").click()
    page.get_by_role("button", name="Transfer officer").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the borough the officer is joining")
    summary.get_by_role("link", name="Enter why the officer is transferring").click()
    expect(page.get_by_label("Reason")).to_be_focused()

    later = datetime.date.today() + datetime.timedelta(days=30)
    page.get_by_label("Borough they are joining").select_option(label="Westminster")
    fill_date(page, "First day in the new borough", later)
    page.get_by_label("Reason").fill("Promoted to the town centre team")
    page.get_by_role("button", name="Transfer officer").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Transfer of Priya Shah to Westminster planned"
    )
    transfers = page.locator("#transfers")
    expect(transfers).to_contain_text("Planned")
    transfers.get_by_role("link", name="Cancel this transfer").click()
    page.get_by_label("Why is the transfer cancelled?").fill("Stays in Camden")
    page.get_by_role("button", name="Cancel the transfer").click()
    expect(page.locator("#transfers")).to_contain_text("Cancelled: Stays in Camden")
