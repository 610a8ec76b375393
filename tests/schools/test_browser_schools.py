"""A commander walks, in a real browser, from their borough page to the Safer Schools ranking,
gives one more school an officer, names another contact and records the allocation; the ward
page then lists its schools with theirs. axe-core finds nothing critical or serious."""

import os

import pytest
from playwright.sync_api import Page, expect

from schools.models import AllocationDecision
from tests.demand.test_browser_demand import no_serious_accessibility_problems, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commander_goes_from_the_ranking_to_a_recorded_allocation(
    live_server, page: Page, hand_built, commander_a, borough_a
):
    from schools.models import SchoolWeights

    SchoolWeights.objects.create(borough=borough_a, officers=2, **{
        name: 1 for name in SchoolWeights().as_dict()
    })  # fmt: skip
    sign_in(page, f"{live_server.url}/", username="commander_a")
    page.goto(f"{live_server.url}/boroughs/E09000007/")
    page.get_by_role("link", name="Schools ranked by need").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safer Schools: Camden")
    rows = page.locator("#ranking tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("School 100003")
    expect(rows.first).to_contain_text("Point of contact")
    expect(page.locator('#ranking tr[data-urn="100001"]')).to_contain_text("Safer Schools officer")
    no_serious_accessibility_problems(page)

    # The commander's call: the PRU instead of 100002, and 1002AA as 100003's contact.
    page.get_by_label("2. School 100001").check()
    page.get_by_label("3. School 100002").uncheck()
    page.get_by_label("4. School 100005").check()
    page.get_by_text("Points of contact").click()
    page.get_by_label("School 100003: point of contact").select_option(
        label=f"PC {hand_built['pc2'].full_name} (1002AA)"
    )
    page.get_by_label("Rationale").fill("The PRU's exclusions call for an officer of its own.")
    page.get_by_role("button", name="Record the allocation").click()

    expect(page.locator(".govuk-notification-banner, .govuk-panel").first).to_contain_text(
        "Allocation recorded"
    )
    expect(page.locator("#in-force")).to_contain_text("Review due")
    decision = AllocationDecision.objects.get()
    kinds = dict(decision.allocations.values_list("school__urn", "kind"))
    assert [urn for urn, kind in sorted(kinds.items()) if kind == "officer"] == [
        "100001", "100005"
    ]
    page.goto(f"{live_server.url}{hand_built['w1'].get_absolute_url()}")
    expect(page.locator("#ward-schools")).to_contain_text(
        f"School 100003 (Primary school): point of contact PC {hand_built['pc2'].full_name}"
    )
