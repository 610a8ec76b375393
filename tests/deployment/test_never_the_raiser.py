"""Never the person who raised it: every edit of a request (the API's PATCH or PUT, the page's
edit form) is a step on its timeline, and whoever created, changed or submitted a request may not
decide it, on any surface."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from deployment import services
from deployment.models import FlexStatus
from tests.conftest import api_client_for
from tests.deployment.factories import raise_flex
from tests.pages import page_of, post_as

pytestmark = pytest.mark.django_db
URL = "/api/v1/flex-requests/"


@pytest.fixture
def draft(sergeant_a, ward_a_east, dwos_a, dwos_a_east, frozen_today):
    return raise_flex(sergeant_a, ward_a_east, dwos_a[:1], submit=False)


def steps(flex):
    return list(flex.transitions.values_list("step", "by__username", "reason"))


def test_an_inspector_who_patches_a_sergeants_draft_then_submits_it_cannot_approve_it(
    inspector_a, chief_inspector_a, sergeant_a, draft
):
    api = api_client_for(inspector_a)
    response = api.patch(f"{URL}{draft.pk}/", {"problem": "Burglary series"}, format="json")
    assert response.status_code == 200
    assert response.json()["transitions"][-1] | {"at": None} == {
        "from_status": "draft", "to_status": "draft", "step": "edit", "by": "inspector_a",
        "at": None, "reason": "Changed: problem.",
    }
    services.flex_submit(flex=draft, by=sergeant_a)  # the sergeant submits it

    response = api.post(f"{URL}{draft.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert "another Inspector must decide it" in response.json()["detail"]
    actions = {a["action"]: a for a in api.get(f"{URL}{draft.pk}/").json()["next_actions"]}
    assert not actions["approve"]["allowed"] and not actions["reject"]["allowed"]
    # Another Inspector decides.
    assert services.flex_approve(flex=draft, by=chief_inspector_a).status == FlexStatus.APPROVED


def test_whoever_submits_a_request_cannot_decide_it(inspector_a, draft):
    services.flex_submit(flex=draft, by=inspector_a)
    with pytest.raises(PermissionDenied, match="another Inspector"):
        services.flex_reject(flex=draft, by=inspector_a, reason="Changed my mind")


def test_an_edit_on_the_page_is_recorded_and_bars_its_author(
    client, inspector_a, sergeant_a, draft, ward_a_east, dwos_a
):
    url = reverse("deployment:flex_edit", args=[draft.pk])
    response = post_as(client, inspector_a, url, {
        "to_ward": ward_a_east.pk, "officers": [dwos_a[0].pk, dwos_a[1].pk],
        "start_date": "2026-03-09", "end_date": "2026-03-20", "daily_start": "18:00",
        "daily_end": "02:00", "problem": "Moped-enabled phone snatches around the station",
        "expected_benefit": "Arrests", "action": "save",
    })
    assert response.status_code == 302
    assert steps(draft)[-1] == ("edit", "inspector_a", "Changed: last day, officers.")
    services.flex_submit(flex=draft, by=sergeant_a)
    content = page_of(client, inspector_a, draft.get_absolute_url())
    assert "You raised, changed or submitted this request" in content
    assert 'value="approve"' not in content


def test_saving_a_draft_unchanged_is_no_edit(sergeant_a, inspector_a, draft):
    services.flex_update(flex=draft, by=inspector_a, problem=draft.problem)
    assert [s for s, _by, _why in steps(draft)] == [""]
    services.flex_submit(flex=draft, by=sergeant_a)
    assert services.flex_approve(flex=draft, by=inspector_a).status == FlexStatus.APPROVED


def test_the_edit_is_on_the_timeline_page(client, inspector_a, draft):
    services.flex_update(flex=draft, by=inspector_a, end_date=datetime.date(2026, 3, 20))
    content = page_of(client, inspector_a, draft.get_absolute_url())
    assert "Changed: last day." in content
