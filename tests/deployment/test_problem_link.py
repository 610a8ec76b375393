"""The named problem is linked to a ward priority or an intelligence reference where one exists
(the protocol: "intelligence-led against a named problem"), and a Chief Inspector's reason for
accepting a ward below minimum cover is the timeline's "why"."""

import datetime

import pytest
from django.urls import reverse

from config.errors import DomainError
from deployment import services
from tests import factories as f
from tests.conftest import api_client_for
from tests.deployment.factories import raise_flex, staff_ward
from tests.pages import page_of
from tests.promises.factories import WardPriorityFactory

pytestmark = pytest.mark.django_db
D = datetime.date
URL = "/api/v1/flex-requests/"


def new_flex(officers, to_ward, **extra):
    return {
        "to_ward": to_ward.code, "officers": [o.shoulder_number for o in officers],
        "start_date": "2026-03-09", "end_date": "2026-03-22", "daily_start": "18:00",
        "daily_end": "02:00", "problem": "Drug dealing near the estate",
        "expected_benefit": "Arrests", **extra,
    }


def test_a_request_links_the_destination_wards_priority_and_an_intelligence_reference(
    sergeant_a, ward_a_east, dwos_a, frozen_today
):
    priority = WardPriorityFactory(ward=ward_a_east)
    response = api_client_for(sergeant_a).post(
        URL, new_flex(dwos_a[:1], ward_a_east, ward_priority=priority.pk,
                      intelligence_ref="INT/2026/0412"), format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["ward_priority"], body["ward_priority_issue"], body["intelligence_ref"]) == (
        priority.pk, priority.issue, "INT/2026/0412"
    )


@pytest.mark.parametrize("whose", ["another ward", "another borough", "closed", "none"])
def test_only_an_open_priority_of_the_destination_ward_is_linked(
    sergeant_a, ward_a, ward_a_east, ward_b, dwos_a, frozen_today, whose
):
    priority = {
        "another ward": lambda: WardPriorityFactory(ward=ward_a),
        "another borough": lambda: WardPriorityFactory(ward=ward_b),
        "closed": lambda: WardPriorityFactory(ward=ward_a_east, closed_on=D(2026, 1, 1)),
        "none": lambda: type("NoPriority", (), {"pk": 2**62})(),
    }[whose]()
    response = api_client_for(sergeant_a).post(
        URL, new_flex(dwos_a[:1], ward_a_east, ward_priority=priority.pk), format="json"
    )
    assert response.status_code == 400
    assert "ward_priority" in response.json()


def test_moving_a_draft_to_another_ward_checks_its_priority_again(
    sergeant_a, ward_a_east, dwos_a, borough_a, frozen_today
):
    priority = WardPriorityFactory(ward=ward_a_east)
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], submit=False)
    services.flex_update(flex=flex, by=sergeant_a, ward_priority=priority.pk)
    third = f.WardFactory(borough=borough_a)
    with pytest.raises(DomainError, match="open priorities") as refused:
        services.flex_update(flex=flex, by=sergeant_a, to_ward=third)
    assert refused.value.field == "ward_priority"


def test_the_form_offers_the_boroughs_open_priorities_and_the_page_shows_the_link(
    client, sergeant_a, inspector_a, ward_a_east, ward_b, dwos_a, borough_a, frozen_today
):
    mine = WardPriorityFactory(ward=ward_a_east, issue="Phone snatches by the station")
    theirs = WardPriorityFactory(ward=ward_b, issue="Shoplifting on Oxford Street")
    new_page = reverse("deployment:flex_new") + f"?borough={borough_a.code}"
    form = page_of(client, sergeant_a, new_page)
    assert mine.issue in form and theirs.issue not in form
    flex = services.flex_create(
        borough=borough_a, to_ward=ward_a_east, officers=dwos_a[1:2], start_date=D(2026, 3, 9),
        end_date=D(2026, 3, 10), daily_start=datetime.time(18), daily_end=datetime.time(2),
        problem="Snatches", expected_benefit="Arrests", by=sergeant_a,
        ward_priority=mine.pk, intelligence_ref="INT/7",
    )
    content = page_of(client, inspector_a, flex.get_absolute_url())
    assert "Phone snatches by the station" in content and "INT/7" in content


def test_the_chief_inspectors_cover_reason_is_the_timelines_why(
    client, sergeant_a, chief_inspector_a, team_a, ward_a_east, dwos_a_east, frozen_today
):
    home = staff_ward(team_a, pcs=2, pcsos=1)
    flex = raise_flex(sergeant_a, ward_a_east, home[:1])
    services.flex_approve(flex=flex, by=chief_inspector_a, reason="Intelligence supports it",
                          cover_override_reason="Knife crime spike outweighs it")
    approval = flex.transitions.get(to_status="approved")
    assert approval.reason.startswith("Intelligence supports it\nBelow minimum cover accepted: "
                                      "Knife crime spike outweighs it (Haverstock would have 1")
    api = api_client_for(chief_inspector_a).get(f"{URL}{flex.pk}/").json()
    assert "Knife crime spike outweighs it" in [
        t["reason"] for t in api["transitions"] if t["to_status"] == "approved"
    ][0]
    assert "Knife crime spike outweighs it" in page_of(client, chief_inspector_a,
                                                       flex.get_absolute_url())
