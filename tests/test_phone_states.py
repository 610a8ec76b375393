"""The other states a sergeant meets on a phone, beyond tests/test_phone_walk.py's walk of every
page as it first opens: each main form sent empty and with bad values at 320×640 (the GOV.UK
error summary shown, focused, every link leading to a field, nothing wider than the screen,
axe-core with the WCAG 2.2 target-size rule finding nothing critical or serious); the sergeant's
main pages in landscape (640×360) and at 200% zoom (a 640 px window at device scale 2); a flex
raised with the keyboard alone; main actions of at least 24×24 px; and the 400, 403 (a role's
and a stale form's), 404, 405, 413, 429 and 500 pages at 320 wide.

The layout and axe checks are test_phone_walk's (_check); sign-in is the quick log's
(signed_in). One browser for the module (pytest-playwright's session browser)."""

import datetime
import os

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from deployment.models import FlexRequest, FlexStatus
from tests import factories as f
from tests.conftest import PASSWORD
from tests.promises.test_browser_quick_log import signed_in
from tests.test_phone_walk import LONG_NAME, _check, _long_names
from victims import services as victim_services

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
# Every collapsed part opened (the team's other officers, a crime's next steps…): what they hold
# must fit the phone too.
OPEN_DETAILS_JS = "() => document.querySelectorAll('main details').forEach(d => { d.open = true; })"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PORTRAIT, "has_touch": True}


@pytest.fixture(autouse=True)
def _short_waits(request):
    """A step that cannot happen fails in 10 seconds, not Playwright's 30."""
    if "page" in request.fixturenames:
        request.getfixturevalue("page").set_default_timeout(10_000)


@pytest.fixture
def sergeant(sample, sergeant_a):
    """The cast's sergeant, of the sample ward's team (tests/endpoints.py posts them there), with
    test_phone_walk's longest names on the sample's ward and officer: the error messages that
    name them must wrap too."""
    _long_names(sample)
    sample["ward"].refresh_from_db()
    sample["officer"].refresh_from_db()
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
    page.evaluate(OPEN_DETAILS_JS)
    scroll, width = page.evaluate(FITS_JS)
    if scroll > width:
        problems.append(f"{label}: {scroll} px wide at {width}")
    return problems + _check(page, live_server, label, None)


def type_date(scope, legend: str, day, month, year, time=None) -> None:
    """Type into the GOV.UK date input `legend` of `scope` (a page or a part of it) as given,
    valid or not (tests/pages.py's fill_date takes only a real date)."""
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day", exact=True).fill(str(day))
    group.get_by_label("Month", exact=True).fill(str(month))
    group.get_by_label("Year", exact=True).fill(str(year))
    if time is not None:
        group.get_by_label("Time (24-hour, hh:mm)").fill(time)


# -- error states of the main forms at 320×640 ---------------------------------------------------

def test_signing_in_with_nothing_then_a_wrong_password(live_server, page: Page, sergeant):
    page.goto(live_server.url + reverse("login"))
    page.get_by_role("button", name="Sign in").click()
    problems = error_state(page, live_server, "sign in, empty")
    page.get_by_label("Username").fill("sergeant_a")
    page.get_by_label("Password").fill(PASSWORD + "x")
    page.get_by_role("button", name="Sign in").click()
    problems += error_state(page, live_server, "sign in, wrong password")
    # Locked out after the limit of wrong passwords, with the longest name a username may be
    # typed as (the page names it).
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Username").fill(LONG_NAME * 2 + "@met.police.uk")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked")
    problems += _check(page, live_server, "locked out", None)
    assert not problems, "\n".join(problems)


def test_raising_a_flex_empty_then_with_bad_values(live_server, page: Page, sergeant, sample):
    signed_in(page, live_server, sergeant)
    page.goto(live_server.url + reverse("deployment:flex_new"))
    submit = page.get_by_role("button", name="Submit for decision")
    submit.click()
    problems = error_state(page, live_server, "flex, empty")
    page.get_by_label("Ward to flex officers to").select_option(label=sample["ward"].name)
    page.get_by_label("Show officers of").select_option(label="Every ward")
    page.locator(f"input[name=officers][value='{sample['officer'].pk}']").check()
    type_date(page, "First day", "31", "2", "2026")
    type_date(page, "Last day", "1", "13", "99999")
    page.get_by_label("Daily start time").fill("25:61")
    page.get_by_label("Daily end time").fill("teatime")
    page.get_by_label("The problem").fill("x" * 5000)
    page.get_by_role("button", name="Submit for decision").click()
    problems += error_state(page, live_server, "flex, bad values")
    assert not problems, "\n".join(problems)


def test_recording_a_duty_empty_then_with_bad_values(live_server, page: Page, sergeant, sample):
    signed_in(page, live_server, sergeant)
    page.goto(live_server.url + reverse("deployment:duty_new"))
    page.get_by_role("button", name="Record the duty").click()
    problems = error_state(page, live_server, "duty, empty")
    page.get_by_label("Officer", exact=True).select_option(value=str(sample["officer"].pk))
    type_date(page, "Date the shift starts", "0", "0", "0")
    page.get_by_label("Start time").fill("24:00")
    page.get_by_label("End time").fill("-1")
    page.get_by_role("button", name="Record the duty").click()
    problems += error_state(page, live_server, "duty, bad values")
    assert not problems, "\n".join(problems)


def test_logging_a_patrol_empty_then_with_bad_values(live_server, page: Page, sergeant, sample):
    signed_in(page, live_server, sergeant)
    page.goto(live_server.url + reverse("promises:activity_log") + f"?ward={sample['ward'].code}")
    page.get_by_role("button", name="Log it").click()
    problems = error_state(page, live_server, "activity, empty")
    page.get_by_label("Patrol").check()
    page.evaluate(OPEN_DETAILS_JS)
    page.get_by_label("Minutes").fill("-5")
    page.get_by_role("button", name="Log it").click()
    problems += error_state(page, live_server, "activity, bad values")
    assert not problems, "\n".join(problems)


def test_recording_a_visit_offer_outcome_empty_then_with_bad_values(
    live_server, page: Page, sergeant, sample
):
    """The victim's answer sent with none chosen, then with a value no choice has (a tampered
    form); then, the offer accepted, the visit scheduled with impossible dates; then, scheduled,
    a missed visit recorded without its reason."""
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
    type_date(schedule, "Visit window starts", "31", "2", "9999", time="25:00")
    schedule.get_by_role("button", name="Schedule the visit").click()
    problems += error_state(page, live_server, "visit schedule, bad values")
    # Scheduled for tomorrow, the visit's outcome: a missed visit recorded without its reason.
    schedule = step("schedule")
    schedule.get_by_label("Officer").select_option(value=str(sample["officer"].pk))
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    for legend, time in (("Visit window starts", "10:00"), ("Visit window ends", "12:00")):
        type_date(schedule, legend, tomorrow.day, tomorrow.month, tomorrow.year, time=time)
    schedule.get_by_role("button", name="Schedule the visit").click()
    miss = step("miss")
    miss.get_by_role("button", name="Record a missed visit").click()
    problems += error_state(page, live_server, "visit missed, no reason")
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


def test_finding_your_team_with_nothing_typed(live_server, page: Page, sample):
    """(A postcode or name that matches nothing is an answer, not an error: tests/promises.)"""
    page.goto(live_server.url + reverse("promises:find"))
    page.get_by_role("button", name="Search").click()
    problems = error_state(page, live_server, "find, empty")
    assert not problems, "\n".join(problems)


# -- the sergeant's main pages in landscape and at 200% zoom -------------------------------------

def sergeant_pages(sample) -> list[str]:
    ward = sample["ward"]
    return [
        reverse("home"),
        reverse("deployment:flex_list"),
        reverse("deployment:flex_new"),
        sample["flex"].get_absolute_url(),
        reverse("deployment:ward_calendar", kwargs={"code": ward.code}),
        reverse("deployment:duty_list"),
        reverse("promises:activity_log") + f"?ward={ward.code}",
        reverse("promises:ward_delivery", kwargs={"code": ward.code}),
        reverse("victims:ward_work_list", kwargs={"code": ward.code}),
        sample["crime"].get_absolute_url(),
        reverse("contact:inbox"),
        ward.get_absolute_url(),
    ]


# Main actions: buttons, the menu's toggle and links, summaries that open a step, form controls.
# Each at least 24×24 CSS px (WCAG 2.2 AA 2.5.8; links inside sentences are exempt).
SMALL_TARGETS_JS = """() => [...document.querySelectorAll(
    'button, .govuk-button, .govuk-service-navigation__link, .govuk-details__summary, '
    + 'select, textarea, input:not([type=hidden]), .govuk-pagination__link, '
    + '.govuk-header__homepage-link, .govuk-skip-link')]
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden'
          && !el.closest('[hidden], .govuk-visually-hidden'))
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, box]) => box.width && box.height && (box.width < 24 || box.height < 24))
  .filter(([el]) => !el.matches('.govuk-skip-link'))  // off screen until focused
  .map(([el, box]) => `${el.tagName}.${el.className} "${(el.textContent || el.name).trim()
    .slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`)"""


# A table wider than the screen scrolls inside its own box (.app-table-scroll), never the page.
LOOSE_TABLES_JS = """() => [...document.querySelectorAll('main table')]
  .filter(table => !table.closest('.app-table-scroll'))
  .map(table => (table.querySelector('caption') || table).textContent.trim().slice(0, 40))"""


def open_menu(page: Page) -> None:
    """Open the service navigation where it is collapsed (below 641 px), so that its links and
    the sign-out button are measured too."""
    toggle = page.locator(".govuk-service-navigation__toggle")
    if toggle.is_visible():
        toggle.click()
        expect(page.locator("#navigation")).to_be_visible()


@pytest.mark.parametrize("screen", ["landscape", "zoomed"])
def test_the_sergeants_pages_in_landscape_and_at_200_percent(
    live_server, browser, sample, sergeant, screen
):
    viewport, scale = (LANDSCAPE, 1) if screen == "landscape" else (ZOOMED, 2)
    context = browser.new_context(viewport=viewport, device_scale_factor=scale, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    signed_in(page, live_server, sergeant)
    problems, checked = [], set()
    for url in sergeant_pages(sample):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        problems += _check(page, live_server, f"{url} {screen}", checked)
        open_menu(page)
        problems += [f"{url} {screen}: target {t}" for t in page.evaluate(SMALL_TARGETS_JS)]
        problems += [f"{url} {screen}: table not in a scroll box: {t}"
                     for t in page.evaluate(LOOSE_TABLES_JS)]
    context.close()
    assert not problems, "\n".join(problems)


def test_main_actions_are_24_px_targets_at_320(live_server, page: Page, sample, sergeant):
    signed_in(page, live_server, sergeant)
    problems = []
    for url in sergeant_pages(sample):
        page.goto(live_server.url + url)
        open_menu(page)
        problems += [f"{url}: {t}" for t in page.evaluate(SMALL_TARGETS_JS)]
        page.evaluate(OPEN_DETAILS_JS)
        problems += _check(page, live_server, f"{url} opened", None)
    assert not problems, "\n".join(problems)


# -- the keyboard alone ---------------------------------------------------------------------------

# The focused element and whether its focus shows: GOV.UK's yellow (an outline, a box shadow or
# the background), or for a radio or checkbox (its input hidden) the ring of its label's box.
FOCUS_JS = """() => {
  const el = document.activeElement;
  const shows = style => (style.outlineStyle !== 'none' && style.outlineWidth !== '0px'
      && !style.outlineColor.endsWith(', 0)'))
    || (style.boxShadow && style.boxShadow !== 'none')
    || style.backgroundColor === 'rgb(255, 221, 0)';
  let visible = shows(getComputedStyle(el));
  if (!visible && el.matches('.govuk-checkboxes__input, .govuk-radios__input'))
    visible = shows(getComputedStyle(el.nextElementSibling, '::before'))
      || shows(getComputedStyle(el.nextElementSibling, '::after'));
  return {tag: el.tagName, id: el.id, text: (el.innerText || el.value || '').trim().slice(0, 40),
          visible};
}"""


def tab_to(page: Page, selector: str, *, limit: int = 80, unseen: list) -> None:
    """Press Tab until `selector` has focus, noting each focused element whose focus is not
    visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        if not focus["visible"]:
            unseen.append(focus)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never took focus in {limit} presses of Tab")


def test_a_sergeant_raises_a_flex_with_the_keyboard_alone(
    live_server, page: Page, sample, sergeant, borough_a
):
    east = f.WardFactory(code="E05013661", name="Highgate" + "Longwardname" * 6, borough=borough_a)
    signed_in(page, live_server, sergeant)
    page.goto(live_server.url + "/")
    unseen = []

    # The skip link comes first, shows when focused and moves focus to the main content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    assert page.evaluate(FOCUS_JS)["visible"]
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["height"] >= 24
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()

    # The menu's toggle at 320 wide: reached by Tab, opened with Enter, its state announced.
    page.goto(live_server.url + "/")
    toggle = page.get_by_role("button", name="Menu")
    tab_to(page, ".govuk-service-navigation__toggle", unseen=unseen)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "navigation")
    expect(page.locator("#navigation")).to_be_hidden()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#navigation")).to_be_visible()
    problems = _check(page, live_server, "the menu open at 320", None)
    page.keyboard.press("Tab")
    expect(page.locator("#navigation a").first).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "false")

    # Raise a flex: every field reached and filled from the keyboard, sent with Enter.
    tab_to(page, "a[href*='/flex/new/']", unseen=unseen)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a flex request")
    # Sent empty first: the error summary takes focus, and its first link leads to the field.
    tab_to(page, "button[value=submit]", limit=150, unseen=unseen)
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    tab_to(page, ".govuk-error-summary__list a", unseen=unseen)
    target = page.evaluate("() => document.activeElement.getAttribute('href').slice(1)")
    page.keyboard.press("Enter")
    expect(page.locator(f"[id='{target}']")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    tab_to(page, "select[name=to_ward]", unseen=unseen)
    page.keyboard.type(east.name[:4])
    expect(page.get_by_label("Ward to flex officers to")).to_have_value(str(east.pk))
    tab_to(page, f"input[name=officers][value='{sample['officer'].pk}']", unseen=unseen)
    page.keyboard.press("Space")
    start = datetime.date.today() + datetime.timedelta(days=7)
    end = start + datetime.timedelta(days=6)
    for name, value in (("start_date-day", start.day), ("start_date-month", start.month),
                        ("start_date-year", start.year), ("end_date-day", end.day),
                        ("end_date-month", end.month), ("end_date-year", end.year)):
        tab_to(page, f"input[name='{name}']", unseen=unseen)
        page.keyboard.type(str(value))
    for name, value in (("daily_start", "18:00"), ("daily_end", "02:00"),
                        ("problem", "Phone snatches by the station"),
                        ("expected_benefit", "Fewer snatches")):
        tab_to(page, f"[name={name}]", unseen=unseen)
        page.keyboard.type(value)
    tab_to(page, "button[value=submit]", unseen=unseen)
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("submitted")
    problems += _check(page, live_server, "the flex submitted", None)
    assert not problems, "\n".join(problems)
    assert FlexRequest.objects.get(to_ward=east).status == FlexStatus.SUBMITTED
    assert not unseen, f"focus not visible on {unseen}"


# -- the error pages at 320 wide -----------------------------------------------------------------

BIG_FORM_JS = """([fields, size]) => {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = location.pathname;
  for (let i = 0; i < fields; i++) {
    const input = document.createElement('input');
    input.type = 'hidden'; input.name = 'f' + i; input.value = 'x'.repeat(size);
    form.appendChild(input);
  }
  document.body.appendChild(form);
  form.submit();
}"""


def error_page(page: Page, live_server, label: str, status: int, response) -> list[str]:
    problems = []
    if response.status != status:
        problems.append(f"{label}: status {response.status}, not {status}")
    html = page.content()
    for leak in ("Traceback", "Exception Value", "boom-secret", "urlpatterns"):
        if leak in html:
            problems.append(f"{label}: shows {leak!r}")
    expect(page.locator("html.govuk-template")).to_have_count(1)
    expect(page.locator("header .govuk-header")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    way_back = page.get_by_role("main").get_by_role("link")
    if not way_back.count():
        problems.append(f"{label}: no link out of the page")
    return problems + _check(page, live_server, label, None)


def test_the_error_pages_at_320_wide(
    live_server, page: Page, sample, sergeant, monkeypatch, settings
):
    signed_in(page, live_server, sergeant)
    base = live_server.url
    problems = error_page(page, live_server, "404", 404, page.goto(base + "/no-such-page/"))
    page.context.clear_cookies()
    problems += error_page(page, live_server, "404 to the public", 404,
                           page.goto(base + "/neighbourhoods/NOSUCHWARD/"))
    signed_in(page, live_server, sergeant)
    problems += error_page(page, live_server, "403", 403,
                           page.goto(base + reverse("victims:view_log")))
    problems += error_page(page, live_server, "400 (NUL)", 400,
                           page.goto(base + reverse("victims:crime_list") + "?reference=%00"))
    page.goto(base + reverse("contact:send", kwargs={"code": sample["ward"].code}))
    with page.expect_navigation() as sent:
        page.evaluate(BIG_FORM_JS, [1, 12 * 1024 * 1024])
    problems += error_page(page, live_server, "413", 413, sent.value)
    page.goto(base + reverse("deployment:flex_new"))
    with page.expect_navigation() as sent:
        page.evaluate(BIG_FORM_JS, [settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10, 1])
    problems += error_page(page, live_server, "400 (too many fields)", 400, sent.value)

    # The public pages' rate limit, met (the limit is read as each request comes).
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": "1/min"}
    page.goto(base + reverse("privacy"))
    problems += error_page(page, live_server, "429", 429, page.goto(base + reverse("privacy")))
    # A link to an address that only takes a form (signing out, closing a crime).
    problems += error_page(page, live_server, "405", 405,
                           page.goto(base + f"/victims/crimes/{sample['crime'].pk}/close/"))
    # A form left open while its CSRF cookie went (cleared, or a new browser session).
    page.goto(base + reverse("deployment:flex_new"))
    page.context.clear_cookies(name=settings.CSRF_COOKIE_NAME)
    with page.expect_navigation() as sent:
        page.get_by_role("button", name="Submit for decision").click()
    problems += error_page(page, live_server, "403 (CSRF)", 403, sent.value)
    expect(page.get_by_role("link", name="Go back to the form")).to_be_visible()

    def fail(*args, **kwargs):
        raise RuntimeError("boom-secret")

    monkeypatch.setattr("config.panels.render", fail)
    problems += error_page(page, live_server, "500", 500, page.goto(base + "/"))
    assert not problems, "\n".join(problems)
