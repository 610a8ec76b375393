"""Flex requests in the admin: read-only rows whose actions call the same services as the pages
and the API, showing their refusals as messages."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from deployment.models import FlexStatus
from tests.deployment.factories import raise_flex

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:deployment_flexrequest_changelist"


def act(client, user, action, flex):
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [flex.pk]}, follow=True
    )


def test_an_inspector_approves_from_the_admin(
    client, sergeant_a, inspector_a, ward_a_east, dwos_a, frozen_today
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    act(client, inspector_a, "approve", flex)
    flex.refresh_from_db()
    assert (flex.status, flex.decided_by) == (FlexStatus.APPROVED, inspector_a)


def test_the_requester_approving_in_the_admin_is_refused_with_the_rule(
    client, inspector_a, ward_a_east, dwos_a, frozen_today
):
    flex = raise_flex(inspector_a, ward_a_east, dwos_a[:1])
    response = act(client, inspector_a, "approve", flex)
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("another Inspector must decide it" in t for t in texts), texts
    flex.refresh_from_db()
    assert flex.status == FlexStatus.SUBMITTED


def test_an_outsider_cannot_act_on_another_boroughs_request(
    client, sergeant_a, inspector_b, ward_a_east, dwos_a, frozen_today
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    act(client, inspector_b, "withdraw", flex)
    flex.refresh_from_db()
    assert flex.status == FlexStatus.SUBMITTED
