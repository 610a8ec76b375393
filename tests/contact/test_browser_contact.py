"""In Chromium on a phone: a resident finds their team by postcode, sends it a message (after a
person's pause: the form refuses what a script sends at once), gets a reference, and the team's
sergeant signs in and finds it in the inbox. axe-core finds nothing critical or serious on the
form, the confirmation, the inbox or the message."""

import os

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from contact.models import Message
from tests import factories as f
from tests.deployment.test_browser_flex import sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
AXE_JS = """async () => (await axe.run()).violations
  .filter(v => v.impact === 'critical' || v.impact === 'serious')
  .map(v => v.id + ' (' + v.nodes.map(n => n.target.join(' ')).slice(0, 2).join(', ') + ')')"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE}


def axe_findings(page: Page, base_url: str) -> list[str]:
    page.add_script_tag(url=f"{base_url}{settings.STATIC_URL}vendor/axe.min.js")
    return page.evaluate(AXE_JS)


def test_a_resident_finds_the_team_sends_a_message_and_the_sergeant_sees_it(
    live_server, page: Page, ward_a, team_a, sergeant_a
):
    f.PostcodeFactory(postcode="NW3 2BL", ward=ward_a, lat="51.544900", lng="-0.153400")
    base = live_server.url
    page.goto(base + "/find/")
    page.get_by_label("Postcode, or ward or borough name").fill("NW3 2BL")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Haverstock neighbourhood team")

    page.get_by_role("link", name="Send the team a message").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contact the Haverstock")
    assert axe_findings(page, base) == []
    page.get_by_label("Report a local problem").check()
    page.get_by_label("Your message").fill("Fly-tipping behind the parade on Haverstock Hill.")
    page.get_by_label("Email address (optional)").fill("pat@example.com")
    page.wait_for_timeout((settings.CONTACT_FORM_MIN_SECONDS + 0.5) * 1000)  # a person's pace
    page.get_by_role("button", name="Send your message").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Message sent")
    reference = page.locator("#reference").inner_text()
    assert reference == Message.objects.get().reference
    expect(page.locator("#reply-by")).not_to_be_empty()
    assert axe_findings(page, base) == []

    page.context.clear_cookies()
    sign_in(page, base, sergeant_a.username)
    page.goto(base + "/messages/")
    assert axe_findings(page, base) == []
    page.get_by_role("link", name=reference).click()
    expect(page.locator("#message-text")).to_contain_text("Fly-tipping behind the parade")
    assert axe_findings(page, base) == []
