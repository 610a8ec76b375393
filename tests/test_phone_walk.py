"""The phone-sized walk, beyond tests/test_phone_pages.py's 390×844 pass: every page, once, at
the smallest phone (320×568), with the longest names the records hold (an 80-character ward,
60-character officer names, each one unbroken word), checked for sideways scrolling of the page
body, text clipped by its box, and axe-core with its WCAG 2.2 target-size rule (24×24 CSS px,
off by default) switched on: nothing critical or serious.

One browser for the module (pytest-playwright's session browser), one context per walker."""

import os
from collections import defaultdict

import pytest
from django.conf import settings
from django.test import Client

from teams.models import Officer
from tests.test_phone_pages import _openable
from wards.models import Ward

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL = {"width": 320, "height": 568}

# The longest names the columns hold, as one unbroken word (the worst case for wrapping).
LONG_WARD = "Longwardname" * 6 + "Endofward"[:8]  # 80 characters
LONG_NAME = "Longofficername" * 4  # 60 characters

# In the page: how much wider than the screen the document is (and the widest elements that
# stick out), and text clipped by a box that hides its overflow (the text cut off, unreadable).
LAYOUT_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1 && !el.closest('.app-table-scroll')
            && !el.closest('.govuk-visually-hidden, .govuk-skip-link, .leaflet-container'))
    .slice(0, 3).map(el => el.tagName + '.' + el.className + ' ' + (el.id || ''));
  const clipped = [...document.querySelectorAll('main *, header *')]
    .filter(el => {
      const style = getComputedStyle(el);
      if (!['hidden', 'clip'].includes(style.overflowX) || el.closest('.govuk-visually-hidden'))
        return false;
      if (el.closest('.leaflet-container') || !el.textContent.trim()) return false;
      return el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0;
    })
    .slice(0, 3).map(el => el.tagName + '.' + el.className);
  const markup = document.querySelector('main').outerHTML.replace(/(value|nonce)="[^"]*"/g, '');
  return {scroll: document.documentElement.scrollWidth, width, wide, clipped, markup};
}"""
# axe-core with its WCAG 2.2 target-size rule (off by default) switched on.
AXE_JS = """async () => (await axe.run({rules: {'target-size': {enabled: true}}})).violations
  .filter(v => v.impact === 'critical' || v.impact === 'serious')
  .map(v => v.id + ' (' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ') + ')')"""

def _context(browser, live_server, user, viewport):
    context = browser.new_context(viewport=viewport, has_touch=True)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    return context

def _check(page, live_server, label, checked):
    """The layout and axe-core findings on the open page, as lines ([] when it is sound); axe
    runs once for each distinct page content."""
    problems = []
    size = page.evaluate(LAYOUT_JS)
    if size["scroll"] > size["width"]:
        problems.append(f"{label}: {size['scroll']} px wide at {size['width']}, {size['wide']}")
    if size["clipped"]:
        problems.append(f"{label}: text clipped in {size['clipped']}")
    if checked is not None:
        if size["markup"] in checked:
            return problems
        checked.add(size["markup"])
    page.add_script_tag(url=f"{live_server.url}{settings.STATIC_URL}vendor/axe.min.js")
    problems += [f"{label}: axe {finding}" for finding in page.evaluate(AXE_JS)]
    return problems

def _long_names(sample):
    Ward.objects.filter(pk=sample["ward"].pk).update(name=LONG_WARD)
    Officer.objects.filter(pk=sample["officer"].pk).update(first_name=LONG_NAME,
                                                           last_name=LONG_NAME)

# Who walks each page at 320 wide: the first of these that opens it (the public first, then the
# roles that use the service on a phone most), so every page is walked once as someone who uses
# it; tests/test_phone_pages.py walks every role's view at 390 wide.
WALKERS = ["the public", "sergeant_a", "constable_a", "inspector_a", "staff_a",
           "chief_inspector_a", "commander_a", "hq", "admin_user"]

def _walk_plan(sample, cast):
    """{who: [url, ...]} visiting every page once, as the first of WALKERS that opens it."""
    pairs, _ = _openable(sample, cast)
    openers = defaultdict(set)
    for url, who in pairs:
        openers[url].add(who)
    plan = defaultdict(list)
    for url, who in openers.items():
        plan[next(w for w in WALKERS if w in who)].append(url)
    return plan

@pytest.fixture
def walk(sample, cast, sergeant_a):
    """The sample with the longest names, and the plan of the walk."""
    sergeant_a.officer = sample["officer"]
    sergeant_a.save()
    _long_names(sample)
    return _walk_plan(sample, cast)

def _user_of(cast, who):
    return None if who == "the public" else cast(who)

def test_every_page_at_320_wide_with_the_longest_names(live_server, browser, walk, cast):
    problems, checked = [], set()
    for who, urls in walk.items():
        context = _context(browser, live_server, _user_of(cast, who), SMALL)
        page = context.new_page()
        for url in urls:
            page.goto(live_server.url + url)
            problems += _check(page, live_server, f"{url} as {who}", checked)
        context.close()
    assert not problems, "\n".join(problems)
    assert sum(len(urls) for urls in walk.values()) > 70  # every page, not an empty plan

def test_axe_flags_a_tap_target_under_24_px(browser):
    """The target-size rule runs: two 12-pixel buttons side by side are reported."""
    page = browser.new_page()
    page.set_content('<main><h1>Taps</h1><button style="width:12px;height:12px;padding:0">a'
                     '</button><button style="width:12px;height:12px;padding:0">b</button></main>')
    page.add_script_tag(path=os.path.join(settings.BASE_DIR, "static/vendor/axe.min.js"))
    assert any(f.startswith("target-size") for f in page.evaluate(AXE_JS))
    page.close()
