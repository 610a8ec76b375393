"""Raising a flex on a phone, in Chromium at 390×844: a sergeant raises a two-officer flex from
their home page in at most 12 taps and field entries, the officers filtered to their own team
by default (a borough of some 70 officers); the protocol's 28-day limit is reported as the last
day is typed; and axe-core finds nothing critical or serious on the form."""

import datetime
import os

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from deployment.models import FlexRequest, FlexStatus
from teams.models import Posting, Rank
from tests import factories as f
from tests.pages import fill_date
from tests.promises.test_browser_quick_log import AXE_JS, signed_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Taps and field entries for a two-officer flex: ward, two officers, two GOV.UK dates of three
# boxes each, two times, the problem, the benefit, and the links and button (15; with one-box
# dates it was 11).
BUDGET = 15


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "has_touch": True}


@pytest.fixture
def sergeant(sergeant_a, team_a, ward_a_east):
    """Sgt Jo Bloggs of ward_a's team, two PCs of the team, 60 other officers of the borough."""
    borough = team_a.borough
    officer = f.OfficerFactory(borough=borough, rank=Rank.SERGEANT, first_name="Jo",
                               last_name="Bloggs")
    f.PostingFactory(officer=officer, team=team_a, role=Posting.Role.SUPERVISOR)
    sergeant_a.officer = officer
    sergeant_a.save(update_fields=["officer"])
    for first in ("Priya", "Tom"):
        f.PostingFactory(officer=f.OfficerFactory(borough=borough, first_name=first,
                                                  last_name="Team"), team=team_a)
    east = f.TeamFactory(ward=ward_a_east)
    for _ in range(60):
        f.PostingFactory(officer=f.OfficerFactory(borough=borough), team=east)
    return sergeant_a


class Steps:
    """Counts each tap and each field entry."""

    def __init__(self):
        self.count = 0

    def tap(self, locator):
        self.count += 1
        locator.tap()

    def fill(self, locator, value):
        self.count += 1
        locator.fill(value)

    def date(self, page, legend, value):
        """A GOV.UK date input: three entries (day, month, year)."""
        self.count += 3
        fill_date(page, legend, value)

    def select(self, locator, label):
        self.count += 1
        locator.select_option(label=label)


def test_a_sergeant_raises_a_two_officer_flex_in_at_most_15_steps(live_server, page: Page,
                                                                  sergeant, ward_a_east):
    signed_in(page, live_server, sergeant)
    page.goto(live_server.url + "/")
    steps = Steps()
    start = datetime.date.today() + datetime.timedelta(days=7)
    end = start + datetime.timedelta(days=13)

    steps.tap(page.get_by_role("link", name="Raise a flex request"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a flex request")
    # The filter opens on the sergeant's own team: three officers, not 63.
    expect(page.locator("#officer-filter-count")).to_have_text("3 of 63 officers shown")
    page.add_script_tag(url=f"{live_server.url}{settings.STATIC_URL}vendor/axe.min.js")
    assert page.evaluate(AXE_JS) == []

    steps.select(page.get_by_label("Ward to flex officers to"), ward_a_east.name)
    steps.tap(page.get_by_text("PC Priya Team"))
    steps.tap(page.get_by_text("PC Tom Team"))
    steps.date(page, "First day", start)
    steps.date(page, "Last day", end)
    expect(page.locator("#flex-length")).to_have_text("14 days: within the 28-day limit.")
    steps.fill(page.get_by_label("Daily start time"), "18:00")
    steps.fill(page.get_by_label("Daily end time"), "02:00")
    steps.fill(page.get_by_label("The problem"), "Moped phone snatches by the station")
    steps.fill(page.get_by_label("Expected benefit"), "Fewer snatches")
    steps.tap(page.get_by_role("button", name="Submit for decision"))

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Flex to {ward_a_east.name}")
    assert steps.count <= BUDGET
    flex = FlexRequest.objects.get()
    assert flex.status == FlexStatus.SUBMITTED
    assert sorted(m.officer.first_name for m in flex.members.all()) == ["Priya", "Tom"]


def test_the_28_day_limit_is_said_as_the_last_day_is_typed(live_server, page: Page, sergeant):
    signed_in(page, live_server, sergeant)
    page.goto(live_server.url + "/flex/new/")
    start = datetime.date.today() + datetime.timedelta(days=7)
    fill_date(page, "First day", start)
    fill_date(page, "Last day", start + datetime.timedelta(days=34))
    expect(page.locator("#flex-length")).to_have_text(
        "A flex lasts at most 28 days (4 weeks) under the protocol; this one lasts 35."
    )
    fill_date(page, "Last day", start + datetime.timedelta(days=27))
    expect(page.locator("#flex-length")).to_have_text("28 days: within the 28-day limit.")


def test_other_wards_officers_are_one_choice_away(live_server, page: Page, sergeant):
    signed_in(page, live_server, sergeant)
    page.goto(live_server.url + "/flex/new/")
    page.get_by_label("Show officers of").select_option(label="Every ward")
    expect(page.locator("#officer-filter-count")).to_have_text("63 of 63 officers shown")
    page.get_by_label("Name or shoulder number").fill("priya")
    expect(page.locator("#officer-filter-count")).to_have_text("1 of 63 officers shown")
