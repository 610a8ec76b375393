"""The SN Deployment Protocol's rules for flex requests, each refused with a clear message."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from config.errors import ConflictError, DomainError
from deployment import flex_daily, services
from deployment.duties import abstraction_record
from deployment.models import Abstraction, AbstractionType, Commitment, FlexStatus, FlexTransition
from tests import factories as f
from tests.deployment.factories import raise_flex

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_flex_stays_within_the_borough(sergeant_a, ward_b, dwos_a, frozen_today):
    with pytest.raises(DomainError, match="within the borough only") as exc:
        raise_flex(sergeant_a, ward_b, dwos_a[:1])
    assert exc.value.field == "to_ward"


def test_officers_of_another_borough_cannot_be_flexed(
    sergeant_a, ward_a_east, borough_b, frozen_today
):
    outsider = f.OfficerFactory(borough=borough_b)
    with pytest.raises(DomainError, match="within the borough only"):
        raise_flex(sergeant_a, ward_a_east, [outsider])


def test_a_flex_lasts_at_most_28_days(sergeant_a, ward_a_east, dwos_a, frozen_today):
    with pytest.raises(DomainError, match="at most 28 days"):
        raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 9), end=D(2026, 4, 6))
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 9), end=D(2026, 4, 5))
    assert flex.days == 28


def test_an_officer_is_not_flexed_to_their_own_ward(sergeant_a, ward_a, dwos_a, frozen_today):
    with pytest.raises(DomainError, match="home ward is"):
        raise_flex(sergeant_a, ward_a, dwos_a[:1])


def test_only_an_inspector_or_above_decides(
    sergeant_a, staff_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    for user in (staff_a, sergeant_a):
        with pytest.raises(PermissionDenied):
            services.flex_approve(flex=flex, by=user)
    flex.refresh_from_db()
    assert flex.status == FlexStatus.SUBMITTED


def test_the_requester_never_decides_their_own_request(
    inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
):
    flex = raise_flex(inspector_a, ward_a_east, dwos_a[:1])
    with pytest.raises(PermissionDenied, match="another Inspector"):
        services.flex_approve(flex=flex, by=inspector_a)


def test_an_inspector_of_another_borough_cannot_decide(
    sergeant_a, inspector_b, ward_a_east, dwos_a, frozen_today
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    with pytest.raises(PermissionDenied, match="borough"):
        services.flex_approve(flex=flex, by=inspector_b)


def test_approval_holds_the_officers_and_starts_on_the_first_day(
    sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 2), end=D(2026, 3, 15))
    flex = services.flex_approve(flex=flex, by=inspector_a, reason="Intelligence supports it")
    assert flex.status == FlexStatus.ACTIVE  # approved on its first day: active at once
    assert flex.review_due == D(2026, 3, 16)
    commitment = Commitment.objects.get(flex_request=flex)
    assert commitment.officer == dwos_a[0]
    path = list(flex.transitions.values_list("from_status", "to_status"))
    assert path == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "approved"),
        ("approved", "active"),
    ]


def test_an_officer_cannot_be_in_two_approved_flexes(
    sergeant_a, inspector_a, chief_inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
):
    first = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    services.flex_approve(flex=first, by=inspector_a)
    second = raise_flex(
        sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 20), end=D(2026, 3, 30)
    )
    with pytest.raises(ConflictError, match="already committed to approved flex"):
        services.flex_approve(flex=second, by=inspector_a)


def test_the_database_refuses_overlapping_commitments_itself(
    sergeant_a, inspector_a, staff_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
):
    """Even code that skips the service's check cannot write an overlap: the exclusion
    constraint."""
    from django.db import IntegrityError, transaction

    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    services.flex_approve(flex=flex, by=inspector_a)
    existing = Commitment.objects.get(flex_request=flex)
    abstraction = Abstraction.objects.create(
        officer=dwos_a[0],
        abstraction_type=AbstractionType.objects.get(code="court"),
        starts_at=existing.starts_at + datetime.timedelta(hours=30),
        ends_at=existing.starts_at + datetime.timedelta(hours=40),
        recorded_by=staff_a,
    )
    with pytest.raises(IntegrityError, match="commitment_no_overlap_per_officer"):
        with transaction.atomic():
            Commitment.objects.create(
                officer=dwos_a[0],
                abstraction=abstraction,
                starts_at=existing.starts_at + datetime.timedelta(hours=30),
                ends_at=existing.starts_at + datetime.timedelta(hours=40),
            )


def test_an_officer_cannot_be_flexed_while_abstracted(
    sergeant_a, inspector_a, staff_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
):
    from config.timeutils import shift_bounds

    starts_at, ends_at = shift_bounds(D(2026, 3, 12), datetime.time(22), datetime.time(6))
    abstraction_record(
        officer=dwos_a[0],
        abstraction_type=AbstractionType.objects.get(code="central-aid"),
        starts_at=starts_at,
        ends_at=ends_at,
        by=staff_a,
        significant_event="Demonstration in Whitehall",
        authorised_by_name="Supt Khan",
    )
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    with pytest.raises(ConflictError, match="an abstraction"):
        services.flex_approve(flex=flex, by=inspector_a)


def test_leaving_a_ward_below_minimum_needs_a_chief_inspector_and_a_reason(
    sergeant_a, inspector_a, chief_inspector_a, team_a, ward_a_east, dwos_a_east, frozen_today
):
    from tests.deployment.factories import staff_ward

    home = staff_ward(team_a, pcs=2, pcsos=1)  # exactly the minimum
    flex = raise_flex(sergeant_a, ward_a_east, home[:1])
    with pytest.raises(ConflictError, match="below minimum dedicated cover") as exc:
        services.flex_approve(flex=flex, by=inspector_a)
    assert "Chief Inspector" in exc.value.message
    with pytest.raises(DomainError, match="Record why"):
        services.flex_approve(flex=flex, by=chief_inspector_a)
    flex = services.flex_approve(
        flex=flex, by=chief_inspector_a, cover_override_reason="Knife crime spike outweighs it"
    )
    assert flex.status == FlexStatus.APPROVED
    assert flex.cover_override_reason == "Knife crime spike outweighs it"


def test_rejection_needs_a_reason_and_is_recorded(
    sergeant_a, inspector_a, ward_a_east, dwos_a, frozen_today
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    with pytest.raises(DomainError, match="reason"):
        services.flex_reject(flex=flex, by=inspector_a, reason="  ")
    flex = services.flex_reject(flex=flex, by=inspector_a, reason="Not intelligence-led")
    last = flex.transitions.last()
    assert (last.from_status, last.to_status, last.by, last.reason) == (
        "submitted",
        "rejected",
        inspector_a,
        "Not intelligence-led",
    )
    assert not Commitment.objects.filter(flex_request=flex).exists()


def test_a_decided_request_cannot_be_decided_again(
    sergeant_a, inspector_a, chief_inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    services.flex_approve(flex=flex, by=inspector_a)
    with pytest.raises(ConflictError, match="already been decided") as exc:
        services.flex_reject(flex=flex, by=chief_inspector_a, reason="Changed my mind")
    assert exc.value.code == "already_decided"


def test_only_drafts_are_edited(sergeant_a, ward_a_east, dwos_a, frozen_today):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], submit=False)
    services.flex_update(flex=flex, by=sergeant_a, problem="Burglary series")
    services.flex_submit(flex=flex, by=sergeant_a)
    with pytest.raises(ConflictError, match="Only a draft"):
        services.flex_update(flex=flex, by=sergeant_a, problem="Something else")


def test_withdrawing_an_approved_flex_frees_the_officers(
    sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    services.flex_approve(flex=flex, by=inspector_a)
    services.flex_withdraw(flex=flex, by=sergeant_a, reason="Problem solved")
    assert not Commitment.objects.filter(flex_request=flex).exists()


def test_review_continue_and_end_early(
    sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today, time_machine
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 2), end=D(2026, 3, 29))
    services.flex_approve(flex=flex, by=inspector_a)
    time_machine.move_to(datetime.datetime(2026, 3, 16, 9, 0), tick=False)  # its review day
    flex = services.flex_review(flex=flex, by=inspector_a, decision="continue", reason="Working")
    assert flex.status == FlexStatus.ACTIVE
    assert (flex.transitions.last().reason, flex.transitions.last().step) == (
        "Working", "review_continue"
    )
    time_machine.move_to(datetime.datetime(2026, 3, 18, 9, 0), tick=False)
    flex = services.flex_review(flex=flex, by=inspector_a, decision="end", reason="Series detected")
    assert flex.status == FlexStatus.ENDED
    assert flex.ended_on == D(2026, 3, 18)
    commitment = Commitment.objects.get(flex_request=flex)
    assert commitment.ends_at.date() == D(2026, 3, 19)  # officers back from the 19th


def test_daily_housekeeping_starts_ends_and_flags_reviews(
    sergeant_a, inspector_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 3), end=D(2026, 3, 20))
    services.flex_approve(flex=flex, by=inspector_a)
    assert flex_daily.flex_daily_housekeeping(today=D(2026, 3, 2))["started"] == 0
    assert flex_daily.flex_daily_housekeeping(today=D(2026, 3, 3))["started"] == 1
    outcome = flex_daily.flex_daily_housekeeping(today=D(2026, 3, 17))
    assert outcome["reviews_due"] == [flex.pk]
    # The reminder is claimed once: the next day's run does not send it again.
    assert flex_daily.flex_daily_housekeeping(today=D(2026, 3, 18))["reviews_due"] == []
    assert flex_daily.flex_daily_housekeeping(today=D(2026, 3, 21))["ended"] == 1
    flex.refresh_from_db()
    assert flex.status == FlexStatus.ENDED
    assert FlexTransition.objects.filter(flex_request=flex, to_status="ended", by=None).exists()


def test_moving_a_draft_to_an_officers_home_ward_is_refused(
    sergeant_a, ward_a, ward_a_east, dwos_a, frozen_today
):
    """The rule "flexing moves officers to another ward" holds when only the ward changes."""
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], submit=False)
    with pytest.raises(DomainError, match="home ward is"):
        services.flex_update(flex=flex, by=sergeant_a, to_ward=ward_a)
    flex.refresh_from_db()
    assert flex.to_ward == ward_a_east


def test_an_inspector_of_another_borough_cannot_withdraw_review_or_end(
    sergeant_a, inspector_a, inspector_b, ward_a_east, dwos_a, frozen_today, time_machine
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=frozen_today)
    with pytest.raises(PermissionDenied):
        services.flex_withdraw(flex=flex, by=inspector_b, reason="Not mine")
    flex = services.flex_approve(flex=flex, by=inspector_a)
    time_machine.move_to(datetime.datetime(2026, 3, 16, 9, 0), tick=False)
    assert flex.status == FlexStatus.ACTIVE
    with pytest.raises(PermissionDenied):
        services.flex_review(flex=flex, by=inspector_b, decision="end")
    with pytest.raises(PermissionDenied):
        services.flex_end(flex=flex, by=inspector_b, reason="Not mine")
    flex.refresh_from_db()
    assert flex.status == FlexStatus.ACTIVE
