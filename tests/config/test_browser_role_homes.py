"""Each role's home page on a phone, in Chromium at 390×844, with work in every panel: no wider
than the screen, and axe-core finds nothing critical or serious (tests/test_phone_pages.py walks
every page; this one fills the home panels first)."""

import os

import pytest
from django.conf import settings

from tests.config.test_role_homes import HOME_QUERIES, _more_work
from tests.promises.test_browser_quick_log import AXE_JS, signed_in
from tests.test_phone_pages import OVERFLOW_JS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE}


def test_every_role_home_fits_a_phone_and_passes_axe(live_server, browser, cast, borough_a,
                                                     ward_a, team_a, staff_a, sergeant_a):
    _more_work(borough_a, ward_a, staff_a, sergeant_a)
    problems = []
    for who in sorted(HOME_QUERIES):
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        signed_in(page, live_server, cast(who))
        page.goto(live_server.url + "/")
        size = page.evaluate(OVERFLOW_JS)
        if size["scroll"] > size["width"]:
            problems.append(f"{who}: {size['scroll']} px wide, {size['wide']}")
        page.add_script_tag(url=f"{live_server.url}{settings.STATIC_URL}vendor/axe.min.js")
        problems += [f"{who}: axe {finding}" for finding in page.evaluate(AXE_JS)]
        context.close()
    assert problems == []
