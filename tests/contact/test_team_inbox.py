"""The inbox by ward team: a sergeant reads the messages of the ward teams they are posted to
today, not every ward of their borough (another ward's message is a 404, as another borough's);
the borough's staff and inspectors read every ward's, as before; a message is assigned only
within its team (its sergeants, the borough's staff and inspectors); every message names its
ward team."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from config.access import Role
from config.errors import DomainError
from contact import services
from contact.access import readers
from contact.models import Category, Message
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_ward(borough_a):
    """A second ward of borough_a, with its own team and its own sergeant."""
    ward = f.WardFactory(code="E05013661", name="Belsize", borough=borough_a)
    team = f.TeamFactory(ward=ward, name="Belsize SNT")
    sergeant = f.UserFactory(
        username="sergeant_belsize", role=Role.SERGEANT, boroughs=[borough_a],
        first_name="Bea", last_name="Belsize",
    )  # fmt: skip
    f.post_to_team(sergeant, team)
    ward.sergeant = sergeant
    return ward


def message_in(ward):
    return services.message_send(ward=ward, category=Category.QUESTION, text="When?")


def test_a_sergeant_reads_only_their_own_ward_teams_messages(
    client, sergeant_a, message_a, other_ward
):
    theirs = message_in(other_ward)
    client.force_login(sergeant_a)
    inbox = client.get(reverse("contact:inbox")).content.decode()
    assert message_a.reference in inbox and theirs.reference not in inbox
    assert client.get(reverse("contact:message", args=[message_a.pk])).status_code == 200
    for action in ("message", "message_assign", "message_reply", "message_close"):
        method = client.get if action == "message" else client.post
        assert method(reverse(f"contact:{action}", args=[theirs.pk])).status_code == 404, action
    assert set(Message.objects.for_user(other_ward.sergeant)) == {theirs}


@pytest.mark.parametrize("who", ["staff_a", "inspector_a", "chief_inspector_a"])
def test_the_borough_s_staff_and_inspectors_read_every_ward_team_s(cast, who, message_a,
                                                                   other_ward):  # fmt: skip
    theirs = message_in(other_ward)
    assert set(Message.objects.for_user(cast(who))) == {message_a, theirs}


def test_a_sergeant_no_longer_posted_there_no_longer_reads_it(client, sergeant_a, message_a):
    posting = sergeant_a.officer.postings.get()
    posting.end_date = timezone.localdate() - datetime.timedelta(days=1)
    posting.save(update_fields=["end_date"])
    client.force_login(sergeant_a)
    assert client.get(reverse("contact:message", args=[message_a.pk])).status_code == 404


def test_a_sergeant_without_an_officer_record_reads_nothing(borough_a, message_a):
    unlinked = f.UserFactory(username="sergeant_unlinked", role=Role.SERGEANT,
                             boroughs=[borough_a])  # fmt: skip
    assert not Message.objects.for_user(unlinked).exists()


def test_a_message_is_assigned_within_its_team(client, sergeant_a, inspector_a, staff_a,
                                               message_a, other_ward):  # fmt: skip
    assert set(readers(message_a)) == {sergeant_a, inspector_a, staff_a}
    client.force_login(sergeant_a)
    page = client.get(reverse("contact:message", args=[message_a.pk])).content.decode()
    assert "Bea Belsize" not in page  # the other ward's sergeant is not offered
    response = client.post(reverse("contact:message_assign", args=[message_a.pk]),
                           {"assigned_to": other_ward.sergeant.pk})  # fmt: skip
    assert response.status_code == 400
    with pytest.raises(DomainError, match="ward's team"):
        services.message_assign(message_a, to=other_ward.sergeant, by=sergeant_a)
    services.message_assign(message_a, to=inspector_a, by=sergeant_a)
    message_a.refresh_from_db()
    assert message_a.assigned_to == inspector_a


def test_a_message_names_its_ward_team(client, sergeant_a, team_a, message_a):
    client.force_login(sergeant_a)
    inbox = client.get(reverse("contact:inbox")).content.decode()
    page = client.get(reverse("contact:message", args=[message_a.pk])).content.decode()
    assert team_a.name in inbox and f"For {team_a.name}" in page
