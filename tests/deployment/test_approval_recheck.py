"""Approving a flex (or a change to one) asks again, of the officers as they stand at the
decision (their rows locked), the rule they met when it was raised: each still of the flex's
borough over its days (deployment.workflow.refuse_outside_borough, the raise's own rule), and
still posted where the request says they come from. An officer transferred, or whose posting
ended, since the raise is refused by name: 400 with the field in the API, the GOV.UK error
summary on the page, a message in the admin; never a 500, and nothing is approved.

A transfer is itself refused today while the officer is named in a request waiting for a
decision, or in a change to one (deployment.transfer_checks); the tests that transfer one
anyway let it through that check, so that the approval is shown to stand on its own."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from config.errors import DomainError
from deployment import services
from deployment.models import Commitment, FlexChange, FlexStatus
from teams import services as teams_services
from teams.models import Posting
from tests.conftest import api_client_for
from tests.deployment.factories import raise_flex
from tests.pages import assert_error_summary, post_as

pytestmark = pytest.mark.django_db
D = datetime.date
URL = "/api/v1/flex-requests/"
MOVED = "is not an officer of"


@pytest.fixture
def submitted(sergeant_a, ward_a_east, dwos_a, dwos_a_east, frozen_today):
    """dwos_a[0] flexed from ward_a to ward_a_east, 9 to 22 March; today is 2 March."""
    return raise_flex(sergeant_a, ward_a_east, dwos_a[:1])


def transfer(officer, borough, by, monkeypatch=None, on=None):
    """Transfer `officer` through the service; with `monkeypatch`, past the check that holds an
    officer named in a request waiting for a decision."""
    if monkeypatch is not None:
        monkeypatch.setattr(teams_services, "still_committed", lambda *a: None)
    teams_services.officer_transfer(
        officer=officer, to_borough=borough, effective_on=on or D(2026, 3, 2),
        reason="Posted to the town centre", by=by,
    )
    officer.refresh_from_db()
    assert officer.borough == borough


def still_submitted(flex) -> None:
    flex.refresh_from_db()
    assert flex.status == FlexStatus.SUBMITTED and flex.decided_by is None
    assert not Commitment.objects.filter(flex_request=flex).exists()


def test_the_transfer_check_holds_an_officer_named_in_a_request(submitted, dwos_a, borough_b,
                                                                staff_a):
    """Why the tests below let the transfer through: on its own it is refused."""
    with pytest.raises(DomainError, match="still waiting for a decision"):
        transfer(dwos_a[0], borough_b, staff_a)


def test_the_api_refuses_to_approve_an_officer_transferred_since_the_raise(
    submitted, dwos_a, borough_b, staff_a, inspector_a, monkeypatch
):
    transfer(dwos_a[0], borough_b, staff_a, monkeypatch)
    response = api_client_for(inspector_a).post(
        f"{URL}{submitted.pk}/approve/", {"reason": "Go"}, format="json"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "not_of_borough"
    assert dwos_a[0].full_name in body["officers"][0] and MOVED in body["officers"][0]
    assert borough_b.name not in response.content.decode()  # where they went is not said
    still_submitted(submitted)


def test_the_api_refuses_to_approve_an_officer_whose_posting_ended_since_the_raise(
    submitted, dwos_a, staff_a, inspector_a
):
    posting = Posting.objects.get(officer=dwos_a[0])
    teams_services.posting_end(posting=posting, end_date=D(2026, 3, 5), reason="Left", by=staff_a)
    response = api_client_for(inspector_a).post(
        f"{URL}{submitted.pk}/approve/", {"reason": "Go"}, format="json"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "posting_changed"
    assert dwos_a[0].full_name in body["officers"][0]
    still_submitted(submitted)


def test_a_posting_ended_after_the_flex_began_leaves_the_approval_standing(
    submitted, dwos_a, staff_a, inspector_a
):
    """The request names where the officer comes from on its first day: a posting ending
    after it changes nothing the approval relied on."""
    posting = Posting.objects.get(officer=dwos_a[0])
    teams_services.posting_end(posting=posting, end_date=D(2026, 3, 10), reason="Left", by=staff_a)
    assert services.flex_approve(flex=submitted, by=inspector_a).status == FlexStatus.APPROVED


def test_the_page_shows_the_refusal_in_the_error_summary(
    client, submitted, dwos_a, borough_b, staff_a, inspector_a, monkeypatch
):
    transfer(dwos_a[0], borough_b, staff_a, monkeypatch)
    response = post_as(client, inspector_a, submitted.get_absolute_url(),
                       {"action": "decide", "decision": "approve", "reason": "Good case"})
    assert_error_summary(response, f"{dwos_a[0].full_name} {MOVED}")
    still_submitted(submitted)


def test_the_admin_action_reports_the_refusal(
    client, submitted, dwos_a, borough_b, staff_a, inspector_a, monkeypatch
):
    transfer(dwos_a[0], borough_b, staff_a, monkeypatch)
    inspector_a.is_staff = True
    inspector_a.save()
    client.force_login(inspector_a)
    response = client.post(
        reverse("admin:deployment_flexrequest_changelist"),
        {"action": "approve", "_selected_action": [submitted.pk]}, follow=True,
    )
    assert response.status_code == 200
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(f"{dwos_a[0].full_name} {MOVED}" in t for t in texts), texts
    still_submitted(submitted)


def test_the_api_refuses_a_change_adding_an_officer_transferred_since_it_was_proposed(
    sergeant_a, inspector_a, chief_inspector_a, staff_a, ward_a_east, dwos_a, dwos_a_east,
    borough_b, time_machine, frozen_today, monkeypatch,
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 2), end=D(2026, 3, 22))
    flex = services.flex_approve(flex=flex, by=inspector_a)
    time_machine.move_to(datetime.datetime(2026, 3, 16, 9, 0), tick=False)
    services.flex_review(flex=flex, by=inspector_a, decision="change",
                         reason="Snatches moved to the market",
                         change={"officers": [dwos_a[0], dwos_a[1]]})
    with pytest.raises(DomainError, match="named in a change to flex"):
        transfer(dwos_a[1], borough_b, staff_a, on=D(2026, 3, 16))
    transfer(dwos_a[1], borough_b, staff_a, monkeypatch, on=D(2026, 3, 16))
    response = api_client_for(chief_inspector_a).post(
        f"{URL}{flex.pk}/approve-change/", {"reason": "Agreed"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "not_of_borough"
    assert dwos_a[1].full_name in response.json()["officers"][0]
    change = FlexChange.objects.get(flex_request=flex)
    assert change.status == FlexChange.Status.PROPOSED
    assert not Commitment.objects.filter(flex_request=flex, officer=dwos_a[1]).exists()
