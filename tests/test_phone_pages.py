"""Every page fits a phone. For every GET URL pattern, for every role that may open it (and the
public, for the pages anyone may open), at a 390×844 viewport in Chromium: the document is no
wider than the screen (a wide table scrolls inside its own box), and axe-core finds nothing
critical or serious.

The URLs come from the URL patterns (tests/endpoints.py) filled with one real record of every
kind, so a new page is covered the day it is added; a pattern no role can open as a page fails
the coverage test until it is listed below with the reason."""

import datetime
import os
from collections import defaultdict

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from deployment.models import FlexStatus
from teams import services as teams
from tests import factories as f
from tests.endpoints import every_endpoint, url_for
from tests.reports.conftest import flex

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE = {"width": 390, "height": 844}
# One member of the cast for each role, all of borough_a, where the sample records are (the
# constable is a PC of the sample's ward team).
ROLES = [
    "staff_a", "sergeant_a", "inspector_a", "chief_inspector_a", "commander_a", "hq",
    "admin_user", "constable_a",
]
# GET patterns that answer with something other than a page, or only redirect.
NOT_PAGES = {
    "logout": "signing out is a POST; a GET is refused",
    "deployment:roster_template": "a CSV file",
    "reports:csv": "a CSV file",
    "reports:wards_csv": "a CSV file",
    "reports:performance_csv": "a CSV file",
    "demand:table_csv": "a CSV file",
    "planning:profile_csv": "a CSV file",
    "supervision:proposal_csv": "a CSV file",
    "supervision:proposal_pdf": "a PDF file",
    "reports:pdf": "a PDF file",
    "reports:status": "the report page's progress poll (JSON)",
    "reports:generate": "a POST from the report list",
    "promises:priority_close": "a POST from the ward's promises page",
    "victims:crime_close": "a POST from the crime page",
    "victims:offer_action": "a POST from the crime page",
    "contact:message_assign": "a POST from the message page",
    "contact:message_reply": "a POST from the message page",
    "contact:message_close": "a POST from the message page",
    "deployment:flex_new": "redirects to the form for the user's borough, which is tested",
}


def page_endpoints():
    return [e for e in every_endpoint(admin=False) if not e.is_api and e.name != "bench_bare"]


def _more_records(sample, cast):
    """The records a few pages need beyond the sample, as URL kwargs by pattern name: an INPT
    team (a ward's team page redirects to the ward), a draft flex request (only drafts are
    edited) and an officer with a transfer planned."""
    borough, staff = sample["borough"], cast("staff_a")
    inpt = f.INPTFactory(cluster=f.WardClusterFactory(borough=borough))
    draft = flex(
        borough, sample["ward"], [], datetime.date(2026, 3, 9), datetime.date(2026, 3, 20),
        by=cast("sergeant_a"), status=FlexStatus.DRAFT,
    )
    moving = f.OfficerFactory(borough=borough)
    teams.officer_transfer(
        officer=moving, to_borough=cast("staff_b").boroughs.get(),
        effective_on=timezone.localdate() + datetime.timedelta(days=30), reason="Promoted",
        by=staff,
    )
    return {
        "teams:team": {"pk": inpt.pk},
        "deployment:flex_edit": {"pk": draft.pk},
        "teams:transfer_cancel": {"shoulder_number": moving.shoulder_number},
    }


def _openable(sample, cast):
    """(url, who) for every page pattern and every role that GETs it as an HTML page (and the
    public where a visitor gets one), with the set of pattern names that were reached."""
    pairs, reached = [], set()
    clients = {"the public": Client()}
    for who in ROLES:
        clients[who] = Client()
        clients[who].force_login(cast(who))
    more = _more_records(sample, cast)
    for endpoint in page_endpoints():
        if endpoint.name in NOT_PAGES:
            continue
        url = url_for(endpoint, sample, **more.get(endpoint.name, {}))
        for who, client in clients.items():
            response = client.get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                pairs.append((url, who))
                reached.add(endpoint.name)
    return pairs, reached


# The browser's checks, run in the page: how much wider than the screen the document is (and
# the widest elements that stick out, to say what to fix), and axe-core's serious findings.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1 && !el.closest('.app-table-scroll'))
    .slice(0, 3).map(el => el.tagName + '.' + el.className);
  // The page's own content without per-request values (CSRF tokens, CSP nonces), to skip running
  // axe again where another role saw exactly this (the header and footer are checked with the
  // first page each role opens).
  const markup = document.querySelector('main').outerHTML.replace(/(value|nonce)="[^"]*"/g, '');
  return {scroll: document.documentElement.scrollWidth, width, wide, markup};
}"""
AXE_JS = """async () => (await axe.run()).violations
  .filter(v => v.impact === 'critical' || v.impact === 'serious')
  .map(v => v.id + ' (' + v.nodes.map(n => n.target.join(' ')).slice(0, 2).join(', ') + ')')"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_fits_a_phone_for_every_role_that_may_open_it(
    live_server, browser, sample, cast, sergeant_a
):
    # A sergeant of the sample's borough linked to an officer record, as sergeants are.
    sergeant_a.officer = sample["officer"]
    sergeant_a.save()
    pairs, reached = _openable(sample, cast)
    unreached = {e.name for e in page_endpoints()} - reached - set(NOT_PAGES) - {"bench_bare"}
    assert not unreached, f"No role opens these as pages: list them in NOT_PAGES? {unreached}"

    by_role = defaultdict(list)
    for url, who in pairs:
        by_role[who].append(url)
    problems, checked, checked_chrome = [], set(), set()
    for who, urls in by_role.items():
        context = browser.new_context(viewport=PHONE)
        if who != "the public":
            client = Client()
            client.force_login(cast(who))
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
        page = context.new_page()
        for url in urls:
            page.goto(live_server.url + url)
            size = page.evaluate(OVERFLOW_JS)
            if size["scroll"] > size["width"]:
                problems.append(f"{url} as {who}: {size['scroll']} px wide, {size['wide']}")
            key = (who if who not in checked_chrome else "", size["markup"])
            checked_chrome.add(who)
            if key in checked:
                continue
            checked.add(key)
            page.add_script_tag(url=f"{live_server.url}{settings.STATIC_URL}vendor/axe.min.js")
            for finding in page.evaluate(AXE_JS):
                problems.append(f"{url} as {who}: axe {finding}")
        context.close()
    assert not problems, "\n".join(problems)
    assert len(pairs) > 100  # every role's pages were visited, not an empty list
