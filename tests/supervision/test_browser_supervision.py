"""A commander walks, in a real browser, from their borough page to the recommendation, moves a
ward to another group and records the decision; axe-core finds nothing critical or serious."""

import datetime
import os

import pytest
from playwright.sync_api import Page, expect

from config.timeutils import today
from supervision.models import SupervisionDecision
from tests.demand.test_browser_demand import no_serious_accessibility_problems, sign_in
from tests.pages import fill_date

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commander_goes_from_the_recommendation_to_a_recorded_decision(
    live_server, page: Page, row, commander_a
):
    sign_in(page, f"{live_server.url}/", username="commander_a")
    page.goto(f"{live_server.url}/boroughs/E09000007/")
    page.get_by_role("link", name="Which wards share a sergeant").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shared supervision: Camden")
    proposal = page.locator("#proposal")
    expect(proposal.locator("tbody tr")).to_have_count(3)
    expect(page.locator("#objective-proposal")).to_have_text("1,000")
    expect(page.locator("#objective-today")).to_have_text("1,080")
    no_serious_accessibility_problems(page)

    # Adjust: W3 joins W1 and W2's group (1,080 instead of 1,000: the commander's call).
    page.get_by_label("W3", exact=True).select_option(label="Group 1")
    fill_date(page, "From", today() + datetime.timedelta(days=7))
    page.get_by_label("Rationale").fill("W3's night-time economy needs the same sergeant as W2.")
    page.get_by_role("button", name="Record the decision").click()

    expect(page.locator(".govuk-notification-banner, .govuk-panel").first).to_contain_text(
        "Decision recorded"
    )
    decision = SupervisionDecision.objects.get()
    assert decision.objective_decided == 1080
    groups = sorted(sorted(w.name for w in g.wards.all()) for g in decision.groups.all())
    assert groups == [["W1", "W2", "W3"], ["W4", "W5"], ["W6"]]
    expect(page.get_by_text("W3's night-time economy")).to_be_visible()
