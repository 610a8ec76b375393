"""Only an Inspector or above OF THAT BOROUGH decides (teams.authority): deciding or reviewing a
flex, accepting a ward below minimum cover and authorising a planned abstraction that leaves one
below it go by role, rank and borough alone. A superuser or an administrator as such decides
nothing; where a login is linked to an officer, the officer's rank counts too."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from config.access import Role
from config.errors import ConflictError
from config.timeutils import shift_bounds
from deployment import services
from deployment.duties import abstraction_record
from deployment.models import Abstraction, AbstractionType, FlexStatus
from teams.models import Rank
from tests import factories as f
from tests.conftest import api_client_for
from tests.deployment.factories import raise_flex, staff_ward

pytestmark = pytest.mark.django_db
D = datetime.date
URL = "/api/v1/flex-requests/"


@pytest.fixture
def superuser(db):
    """The administrator as `createuser --role admin --superuser` makes them."""
    return f.UserFactory(username="root", role=Role.ADMIN, is_superuser=True, is_staff=True)


@pytest.fixture
def superuser_inspector_elsewhere(borough_b):
    """A superuser whose role is Inspector, of another borough."""
    return f.UserFactory(
        username="root_b", role=Role.INSPECTOR, is_superuser=True, boroughs=[borough_b]
    )


@pytest.fixture
def submitted(sergeant_a, ward_a_east, dwos_a, dwos_a_east, frozen_today):
    return raise_flex(sergeant_a, ward_a_east, dwos_a[:1])


@pytest.fixture
def leaves_a_gap(sergeant_a, borough_a, ward_a_east, dwos_a_east, frozen_today):
    """Taking one of a ward's two PCs leaves it below minimum cover."""
    team = f.TeamFactory(ward=f.WardFactory(borough=borough_a))
    return raise_flex(sergeant_a, ward_a_east, staff_ward(team, pcs=2, pcsos=1)[:1])


def linked(user, borough, rank):
    user.officer = f.OfficerFactory(borough=borough, rank=rank)
    user.save()
    return user


@pytest.mark.parametrize("who", ["superuser", "superuser_inspector_elsewhere"])
def test_a_superuser_does_not_decide_a_flex(request, who, submitted):
    user = request.getfixturevalue(who)
    for decide in (
        lambda: services.flex_approve(flex=submitted, by=user),
        lambda: services.flex_reject(flex=submitted, by=user, reason="No"),
    ):
        with pytest.raises(PermissionDenied, match="Inspector or above of"):
            decide()
    submitted.refresh_from_db()
    assert submitted.status == FlexStatus.SUBMITTED


def test_the_api_refuses_a_superusers_approval_with_a_403(superuser, submitted):
    response = api_client_for(superuser).post(f"{URL}{submitted.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert "Inspector or above" in response.json()["detail"]


def test_next_actions_tell_a_superuser_why_not(superuser, submitted, frozen_today):
    actions = {a.name: a for a in services.next_actions(submitted, superuser, frozen_today)}
    assert not actions["approve"].allowed
    assert "Inspector or above" in actions["approve"].why_not


def test_a_superuser_with_a_role_decides_as_that_role_in_their_own_borough(
    borough_a, submitted
):
    """Being a superuser neither grants nor takes away: an Inspector of the borough decides."""
    user = f.UserFactory(role=Role.INSPECTOR, is_superuser=True, boroughs=[borough_a])
    assert services.flex_approve(flex=submitted, by=user).status == FlexStatus.APPROVED


def test_a_superuser_does_not_accept_a_cover_gap(superuser, leaves_a_gap):
    with pytest.raises(PermissionDenied):
        services.flex_approve(flex=leaves_a_gap, by=superuser, cover_override_reason="Because")


def test_a_superuser_does_not_review_or_end_a_flex(
    superuser, inspector_a, submitted, time_machine
):
    flex = services.flex_approve(flex=submitted, by=inspector_a)
    time_machine.move_to(datetime.datetime(2026, 3, 23, 9), tick=False)
    with pytest.raises(PermissionDenied):
        services.flex_review(flex=flex, by=superuser, decision="continue")
    with pytest.raises(PermissionDenied):
        services.flex_end(flex=flex, by=superuser, reason="Admin says")


def test_an_inspector_login_linked_to_a_sergeant_does_not_decide(
    inspector_a, borough_a, submitted
):
    linked(inspector_a, borough_a, Rank.SERGEANT)
    with pytest.raises(PermissionDenied, match="an Inspector or above"):
        services.flex_approve(flex=submitted, by=inspector_a)


def test_a_chief_inspector_login_linked_to_an_inspector_decides_but_accepts_no_gap(
    chief_inspector_a, borough_a, submitted, leaves_a_gap
):
    linked(chief_inspector_a, borough_a, Rank.INSPECTOR)
    assert services.flex_approve(flex=submitted, by=chief_inspector_a).status == "approved"
    with pytest.raises(ConflictError, match="Only a Chief Inspector"):
        services.flex_approve(flex=leaves_a_gap, by=chief_inspector_a,
                              cover_override_reason="Because")


def test_a_login_linked_to_an_officer_of_another_borough_does_not_decide(
    inspector_a, borough_b, submitted
):
    linked(inspector_a, borough_b, Rank.INSPECTOR)
    with pytest.raises(PermissionDenied, match="another borough"):
        services.flex_approve(flex=submitted, by=inspector_a)


def test_an_inactive_linked_officer_does_not_decide(inspector_a, borough_a, submitted):
    linked(inspector_a, borough_a, Rank.INSPECTOR).officer.__class__.objects.filter(
        pk=inspector_a.officer_id
    ).update(active=False)
    inspector_a.refresh_from_db()
    with pytest.raises(PermissionDenied, match="no longer an active officer"):
        services.flex_approve(flex=submitted, by=inspector_a)


def test_a_linked_officer_of_rank_decides(inspector_a, borough_a, submitted):
    linked(inspector_a, borough_a, Rank.SUPERINTENDENT)
    assert services.flex_approve(flex=submitted, by=inspector_a).status == "approved"


@pytest.fixture
def planned_below_cover(team_a, frozen_today):
    """ward_a at exactly its minimum, and a demonstration on 12 March (planned: it is the 2nd)."""
    home = staff_ward(team_a, pcs=2, pcsos=1)
    starts_at, ends_at = shift_bounds(D(2026, 3, 12), datetime.time(8), datetime.time(16))

    def record(by, reason=""):
        return abstraction_record(
            officer=home[0], abstraction_type=AbstractionType.objects.get(code="central-aid"),
            starts_at=starts_at, ends_at=ends_at, by=by, significant_event="Demonstration",
            authorised_by_name="Supt Khan", cover_override_reason=reason,
        )

    return record


@pytest.mark.parametrize("who", ["superuser", "admin_user", "inspector_a", "staff_a"])
def test_only_a_chief_inspector_of_the_borough_authorises_an_abstraction_below_cover(
    request, who, planned_below_cover
):
    with pytest.raises(ConflictError, match="Only a Chief Inspector") as refused:
        planned_below_cover(request.getfixturevalue(who), "The event needs everyone")
    assert refused.value.code == "below_minimum_cover"
    assert not Abstraction.objects.exists()


def test_a_chief_inspector_authorises_it_and_is_recorded(chief_inspector_a, planned_below_cover):
    abstraction = planned_below_cover(chief_inspector_a, "Carnival needs every officer")
    assert (abstraction.cover_override_by, abstraction.cover_override_reason) == (
        chief_inspector_a, "Carnival needs every officer"
    )
    assert not abstraction.below_cover
