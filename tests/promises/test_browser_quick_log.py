"""The activity log on a phone, in Chromium at 390×844: a sergeant or a constable logs a patrol
from their home page in at most 4 taps, with "Log it" on the first screen (no scrolling); the
rest of the team waits in a collapsed list, and axe-core finds nothing critical or serious."""

import os

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from promises.models import Activity
from teams.models import Posting
from tests import factories as f

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TAP_BUDGET = 4
AXE_JS = """async () => (await axe.run()).violations
  .filter(v => v.impact === 'critical' || v.impact === 'serious').map(v => v.id)"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "has_touch": True}


@pytest.fixture
def busy_borough(borough_a, team_a):
    """Ward_a's team of a dozen and 60 more officers in the borough: the list the log hid."""
    for _ in range(12):
        f.PostingFactory(officer=f.OfficerFactory(borough=borough_a), team=team_a)
    f.OfficerFactory.create_batch(60, borough=borough_a)


def _sergeant(sergeant_a, team_a):
    officer = f.OfficerFactory(borough=team_a.borough, rank="sergeant", first_name="Jo",
                               last_name="Bloggs")
    f.PostingFactory(officer=officer, team=team_a, role=Posting.Role.SUPERVISOR)
    sergeant_a.officer = officer
    sergeant_a.save(update_fields=["officer"])
    return sergeant_a


def signed_in(page: Page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.mark.parametrize("who", ["sergeant_a", "constable_a"])
def test_a_patrol_is_logged_from_home_in_four_taps_with_log_it_on_the_first_screen(
    live_server, page: Page, cast, team_a, ward_a, busy_borough, who
):
    user = _sergeant(cast(who), team_a) if who == "sergeant_a" else cast(who)
    signed_in(page, live_server, user)
    page.goto(live_server.url + "/")
    taps = 0

    def tap(locator):
        nonlocal taps
        taps += 1
        locator.tap()

    tap(page.get_by_role("link", name="Log an activity"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log activity")
    expect(page.get_by_text(f"{ward_a.name}, {ward_a.borough.name}")).to_be_visible()
    me = page.get_by_role("checkbox", name=f"{user.officer.rank_title} {user.officer.full_name}")
    expect(me).to_be_checked()
    expect(page.locator("details", has_text="Others in the team")).not_to_have_attribute(
        "open", ""
    )
    tap(page.get_by_label("Patrol"))
    log_it = page.get_by_role("button", name="Log it")
    box = log_it.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], "Log it is below the first screen"
    assert page.evaluate("window.scrollY") == 0

    page.add_script_tag(url=f"{live_server.url}{settings.STATIC_URL}vendor/axe.min.js")
    assert page.evaluate(AXE_JS) == []

    tap(log_it)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Patrol logged")
    assert taps <= TAP_BUDGET
    activity = Activity.objects.get()
    assert (activity.kind, activity.ward_id, activity.recorded_by_id) == (
        "patrol", ward_a.pk, user.pk
    )
    assert list(activity.officers.all()) == [user.officer]
