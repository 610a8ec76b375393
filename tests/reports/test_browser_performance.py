"""A commander in Chromium opens Camden's performance for March 2026: the measures with their
ratings in words, the trend charts drawn by Chart.js, writes the month's commentary and goes down
to a ward and its one-page panel summary. axe-core finds nothing critical or serious."""

import os

import pytest
from playwright.sync_api import Page, expect

from reports.models import Commentary
from tests.contact.test_browser_contact import axe_findings
from tests.deployment.test_browser_flex import sign_in
from tests.reports.performance_data import build_march, ward_k_of

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commander_reads_the_borough_s_performance_and_writes_the_commentary(
    live_server, page: Page, staff_a, borough_a, ward_a, commander_a
):
    build_march(staff_a, borough_a, ward_a, ward_k_of(borough_a))
    base = live_server.url
    sign_in(page, base, "commander_a")
    page.goto(base + "/performance/borough/E09000007/?month=2026-03")
    expect(page.get_by_role("heading", level=1)).to_have_text("Camden, March 2026")
    abstraction = page.locator("[data-performance-measures] tr[data-measure='abstraction']")
    expect(abstraction).to_contain_text("6.00")
    expect(abstraction.locator("[data-rating]")).to_have_text("Amber")
    confidence = page.locator("[data-performance-measures] tr[data-measure='confidence']")
    expect(confidence.locator("[data-rating]")).to_have_text("Grey: no data")
    page.wait_for_function(
        "window.Chart && !!window.Chart.getChart(document.getElementById('chart-abstraction'))",
        timeout=10_000,
    )
    # The chart's point says the rated figure as the table does ("6.00%"), not Chart.js's 6.
    shown = page.evaluate("""() => {
        var chart = window.Chart.getChart(document.getElementById('chart-abstraction'));
        var last = chart.data.labels.length - 1;
        return chart.options.plugins.tooltip.callbacks.label.call(
            chart.tooltip, {dataset: chart.data.datasets[0], datasetIndex: 0, dataIndex: last});
    }""")
    assert shown == "Abstraction rate (%): 6.00%"
    assert axe_findings(page, base) == []

    page.get_by_label("Commentary").fill("Abstraction above target: two court weeks.")
    page.get_by_role("button", name="Save the commentary").click()
    expect(page.locator("[data-commentary]")).to_contain_text("two court weeks")
    assert Commentary.objects.get().written_by == commander_a

    page.get_by_role("link", name="Haverstock").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Haverstock, March 2026")
    page.get_by_role("link", name="One-page ward summary for the panel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Haverstock")
    expect(page.locator("[data-ward-summary]")).to_contain_text("Ward panel summary, 2026 Q1")
    assert axe_findings(page, base) == []
