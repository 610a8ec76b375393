"""The 14-day review in a real browser: the tasking meeting's Inspector proposes a change on the
request page, the proposer is not offered its decision, and a Chief Inspector approves it from
the queue; the timeline shows each step with who and why."""

import datetime
import os

import pytest
from playwright.sync_api import Page, expect

from deployment import services
from tests.deployment.factories import raise_flex, staff_ward
from tests.deployment.test_browser_flex import sign_in
from tests.pages import fill_date

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_change_at_the_review_is_proposed_by_one_inspector_and_decided_by_another(
    live_server, page: Page, sergeant_a, inspector_a, chief_inspector_a, team_a, ward_a_east,
    team_a_east,
):
    staff_ward(team_a_east, pcs=2, pcsos=1)
    home = staff_ward(team_a, pcs=3, pcsos=1)
    today = datetime.date.today()
    flex = raise_flex(sergeant_a, ward_a_east, home[:1],
                      start=today - datetime.timedelta(days=14),
                      end=today + datetime.timedelta(days=3))
    services.flex_approve(flex=flex, by=inspector_a)
    new_end = today + datetime.timedelta(days=10)

    sign_in(page, live_server.url, "inspector_a")
    page.goto(live_server.url + flex.get_absolute_url())
    page.get_by_label("Change it (another Inspector decides the change)").check()
    page.get_by_label("Notes from the review").fill("Snatches moved to the market")
    page.get_by_text("What the change is").click()
    fill_date(page, "New last day (a change)", new_end)
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "the change waits for another Inspector"
    )
    expect(page.get_by_role("button", name="Approve the change")).to_have_count(0)
    expect(page.locator(".govuk-inset-text")).to_contain_text("You proposed this change")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "chief_inspector_a")
    page.goto(live_server.url + "/flex/queue/")
    card = page.locator(f"#change-{flex.pk}")
    expect(card).to_contain_text("Snatches moved to the market")
    card.get_by_label("Reason for the decision").fill("Agreed at tasking")
    card.get_by_role("button", name="Approve the change").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "the change applies from tomorrow"
    )
    page.goto(live_server.url + flex.get_absolute_url())
    timeline = page.locator(".moj-timeline")
    expect(timeline).to_contain_text("Reviewed: change proposed")
    expect(timeline).to_contain_text("Change approved")
    expect(timeline).to_contain_text("Agreed at tasking")
    expect(page.locator(".govuk-summary-list").first).to_contain_text(f"{new_end:%-d %b %Y}")


def test_the_chief_inspector_reads_the_abstractions_that_left_a_ward_below_cover(
    live_server, page: Page, staff_a, chief_inspector_a, team_a
):
    from deployment.duties import abstraction_record
    from deployment.models import AbstractionType

    home = staff_ward(team_a, pcs=2, pcsos=1)
    this_minute = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)
    started = this_minute - datetime.timedelta(hours=2)
    abstraction_record(
        officer=home[0], abstraction_type=AbstractionType.objects.get(code="central-aid"),
        starts_at=started, ends_at=started + datetime.timedelta(hours=8), by=staff_a,
        significant_event="Stabbing at the station: cordon", authorised_by_name="Supt Khan",
    )
    sign_in(page, live_server.url, "chief_inspector_a")
    page.goto(live_server.url + "/abstractions/below-cover/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Abstractions that left a ward below minimum cover"
    )
    expect(page.get_by_role("row").filter(has_text=home[0].full_name)).to_contain_text(
        "Stabbing at the station: cordon"
    )
