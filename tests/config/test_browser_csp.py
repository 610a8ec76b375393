"""In Chromium, the pages that run script (GOV.UK Frontend on every page, the report charts, the
public find page, the API's Swagger UI) work under the Content-Security-Policy: no inline script
is needed, and the browser refuses nothing (the `page` fixture fails a test on any refusal)."""

import os

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inline_script_would_be_refused(live_server, context):
    """The check the `page` fixture relies on: here the browser does refuse inline script, and
    says so on the console. (A page of its own: this refusal is the point, not a failure.)"""
    page = context.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/find/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.ran") is None
    assert any("Content Security Policy" in text for text in refused)


def test_scripted_pages_run_under_the_policy(live_server, page: Page, sample, inspector_a):
    page.goto(live_server.url + "/find/")
    # GOV.UK Frontend's scripts ran (from static files): the body says so, and the location
    # button (static/js/find.js) is shown where the browser can locate.
    expect(page.locator("body.js-enabled.govuk-frontend-supported")).to_have_count(1)
    expect(page.get_by_role("button", name="Use my location")).to_be_visible()

    page.goto(live_server.url + "/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Neighbourhood Ops API")

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("inspector_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/reports/{sample['report'].pk}/")
    expect(page.locator("#chart-rate")).to_be_visible()
    assert page.locator(".app-chart--medium").bounding_box()["height"] == 420
    page.goto(f"{live_server.url}/api/v1/wards/?format=api")
    expect(page.get_by_role("heading", name="Ward List")).to_be_visible()
