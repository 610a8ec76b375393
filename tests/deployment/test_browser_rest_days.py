"""In Chromium: staff record a week's rest days for an officer from the form (GOV.UK date inputs;
an empty submission lands in the error summary), a duty is recorded on one of them, and the
ward calendar's key and cells say "Rest day" and "Rest day worked" in words, not colour only.
axe-core finds nothing critical or serious on the form or the calendar."""

import datetime
import os

import pytest
from playwright.sync_api import Page, expect

from config.timeutils import shift_bounds
from deployment.duties import duty_record
from teams.models import Posting
from tests import factories as f
from tests.contact.test_browser_contact import axe_findings
from tests.deployment.test_browser_flex import sign_in
from tests.pages import fill_date

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_record_rest_days_and_the_calendar_keys_them(live_server, page: Page, staff_a,
                                                           team_a):
    priya = f.OfficerFactory(
        first_name="Priya", last_name="Shah", shoulder_number="7016EA", borough=team_a.borough
    )
    f.PostingFactory(officer=priya, team=team_a, role=Posting.Role.DEDICATED,
                     start_date=datetime.date(2025, 1, 1))
    base = live_server.url
    sign_in(page, base, "staff_a")
    page.goto(f"{base}/rest-days/new/?officer=7016EA")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record rest days")
    page.get_by_role("button", name="Record the rest days").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the rest day")
    assert axe_findings(page, base) == []

    fill_date(page, "Rest day", datetime.date(2026, 3, 7))
    fill_date(page, "Last rest day (optional)", datetime.date(2026, 3, 8))
    page.get_by_role("button", name="Record the rest days").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Rest days recorded for Priya Shah: 2 days from 07 March 2026 to 08 March 2026"
    )
    starts_at, ends_at = shift_bounds(datetime.date(2026, 3, 8), datetime.time(7),
                                      datetime.time(15))
    duty_record(officer=priya, starts_at=starts_at, ends_at=ends_at, by=staff_a)

    page.goto(f"{base}/wards/{team_a.ward.code}/deployment/2026/03/")
    key = page.locator(".app-calendar-key")
    expect(key).to_contain_text("A rostered rest day, recorded.")
    expect(key).to_contain_text("A rest day cancelled: the officer was called in")
    expect(key.locator(".govuk-tag--purple")).to_have_text("Rest day")
    expect(key.locator(".govuk-tag--pink")).to_have_text("Rest day worked")
    table = page.locator("table").filter(has_text="Rest day worked")
    expect(table.locator(".govuk-tag--purple").first).to_have_text("Rest day")
    expect(table.locator(".govuk-tag--pink")).to_have_count(1)
    assert axe_findings(page, base) == []
