"""A commander in a real browser: asks for last month's report, sees it with its charts drawn
by Chart.js, and downloads its CSV."""

import os

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commander_opens_a_report_and_downloads_its_csv(
    live_server, page: Page, march, commander_a
):
    page.goto(live_server.url + "/reports/")
    page.get_by_label("Username").fill("commander_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly abstraction reports")
    page.get_by_label("Borough").first.select_option(label="Camden")
    page.locator("#generate-month").fill("2026-03")
    page.get_by_role("button", name="Produce report").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Camden, March 2026")
    expect(page.locator("[data-abstraction-rate]")).to_contain_text("16.85% against a target")
    # Chart.js drew the charts: it sizes each canvas it owns.
    # Wait for it: the page draws the charts once its script has run (a timeout fails the test).
    page.wait_for_function(
        "window.Chart && !!window.Chart.getChart(document.getElementById('chart-rate'))",
        timeout=10_000,
    )

    # Each chart's labels are the figures as the tables show them (hours:minutes, "20.55%").
    shown = page.evaluate("""() => ["chart-rate", "chart-flows"].map(function (id) {
        var chart = window.Chart.getChart(document.getElementById(id));
        return chart.options.plugins.tooltip.callbacks.label.call(
            chart.tooltip, {dataset: chart.data.datasets[0], datasetIndex: 0, dataIndex: 0});
    })""")
    assert shown == ["Abstraction rate (%): 20.55%", "Authorised flex, hours:minutes: 16:00"]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV (Datastore shape)").click()
    download = download_info.value
    assert download.suggested_filename == "snt-abstraction-report-E09000007-2026-03-v1.csv"
    text = open(download.path(), encoding="utf-8").read()
    assert text.splitlines()[0].startswith("Month,BCU,Borough,Borough Code,Team,")
    assert "Haverstock SNT" in text
