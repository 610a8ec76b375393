"""Overlapping records of the same officer arriving at the same moment, on real PostgreSQL in
real transactions (one connection per thread, every writer released at once: test_races.race):
two flexes naming the same officer over overlapping days, decided together or against a
withdrawal or refusal; two overlapping abstractions of one officer; and an officer's transfer
against a flex naming them, an abstraction of them or their duty.

The rules a single request meets hold when two arrive together:
- an officer is held once at a time: of two overlapping flexes or abstractions, one stands and
  the other is refused with officer_committed (409), never an IntegrityError nor a 500;
- every approved flex holds each of its officers (test_races.check_invariants);
- a borough records only the time an officer served in it: a flex, an abstraction or a duty
  racing the officer's transfer either lands first (and the transfer is refused: they are still
  committed here) or is refused after it (the officer moved), never recorded in the borough the
  officer left for days they no longer serve in it."""

import datetime
import itertools

import pytest
from django.db.models import Q
from django.utils import timezone

from config.errors import ConflictError, DomainError
from config.timeutils import LONDON, shift_bounds
from deployment import services
from deployment.duties import abstraction_record, duty_record
from deployment.models import (
    Abstraction,
    AbstractionType,
    Commitment,
    Duty,
    FlexOfficer,
    FlexStatus,
)
from deployment.protocol import AUTHORISED_STATUSES
from teams import services as teams_services
from teams.history import served_in
from teams.models import OfficerTransfer
from tests.conftest import api_client_for
from tests.deployment.factories import raise_flex, staff_ward
from tests.deployment.test_races import check_invariants, day_of_round, race, unexpected

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 10
API_ROUNDS = 5
PENDING_OR_HELD = [FlexStatus.DRAFT, FlexStatus.SUBMITTED, *AUTHORISED_STATUSES]
D = datetime.timedelta


@pytest.fixture
def pcs_a(team_a, team_a_east):
    """ward_a with a PC to spare (3 PCs, 1 PCSO); ward_a_east staffed."""
    staff_ward(team_a_east, pcs=2, pcsos=1)
    return staff_ward(team_a, pcs=3, pcsos=1)


def approve(flex, by):
    return lambda: services.flex_approve(flex=flex, by=by)


def no_officer_held_twice() -> None:
    """No two commitments of one officer overlap (the database's exclusion constraint, read
    back independently)."""
    by_officer = {}
    for c in Commitment.objects.order_by("officer_id", "starts_at"):
        by_officer.setdefault(c.officer_id, []).append(c)
    for held in by_officer.values():
        for first, second in itertools.pairwise(held):
            assert first.ends_at <= second.starts_at, f"officer held twice: {first}, {second}"


def refused_as(outcome, code) -> bool:
    return isinstance(outcome, ConflictError) and outcome.code == code


# -- two overlapping flexes ----------------------------------------------------------------------


def test_two_approvals_of_overlapping_flexes_of_one_officer_one_stands(
    sergeant_a, inspector_a, chief_inspector_a, ward_a, ward_a_east, pcs_a
):
    """Raised together, decided together, by two Inspectors: the officer is held by one."""
    pc = pcs_a[0]
    for number in range(ROUNDS):
        day = day_of_round(number)
        raised = []
        outcomes = race(
            *(
                lambda start=start, raised=raised: raised.append(
                    raise_flex(sergeant_a, ward_a_east, [pc], start=start, end=start + D(days=1))
                )
                for start in (day, day + D(days=1))
            )
        )
        assert outcomes == ["ok", "ok"], outcomes  # raising names, it does not hold
        outcomes = race(approve(raised[0], inspector_a), approve(raised[1], chief_inspector_a))
        assert unexpected(outcomes) == [], outcomes
        assert sorted(o == "ok" for o in outcomes) == [False, True], (number, outcomes)
        assert refused_as(next(o for o in outcomes if o != "ok"), "officer_committed")
        no_officer_held_twice()
        check_invariants(ward_a, day, day + D(days=2))


def test_an_approval_racing_the_approval_and_refusal_of_an_overlapping_flex(
    sergeant_a, inspector_a, chief_inspector_a, ward_a, ward_a_east, pcs_a
):
    """The first flex is approved or refused (one of the two); the second, overlapping it, is
    approved exactly when the first is not (the officer is held once)."""
    pc = pcs_a[0]
    for number in range(ROUNDS):
        day = day_of_round(number)
        first = raise_flex(sergeant_a, ward_a_east, [pc], start=day, end=day + D(days=1))
        second = raise_flex(
            sergeant_a, ward_a_east, [pc], start=day + D(days=1), end=day + D(days=2)
        )
        outcomes = race(
            approve(first, inspector_a),
            lambda first=first: services.flex_reject(
                flex=first, by=chief_inspector_a, reason="Response can cover it"
            ),
            approve(second, inspector_a),
        )
        assert unexpected(outcomes) == [], outcomes
        approved_first, rejected_first, approved_second = (o == "ok" for o in outcomes)
        assert approved_first != rejected_first, (number, outcomes)
        assert approved_second == (not approved_first), (number, outcomes)
        first.refresh_from_db()
        assert first.status == (FlexStatus.APPROVED if approved_first else FlexStatus.REJECTED)
        no_officer_held_twice()
        check_invariants(ward_a, day, day + D(days=2))


def test_an_approval_racing_the_withdrawal_of_the_flex_holding_the_officer(
    sergeant_a, inspector_a, ward_a, ward_a_east, pcs_a
):
    """The withdrawal always stands; the overlapping approval stands only if it saw the
    officer free, never beside the withdrawn flex's hold."""
    pc = pcs_a[0]
    for number in range(ROUNDS):
        day = day_of_round(number)
        held = raise_flex(sergeant_a, ward_a_east, [pc], start=day, end=day + D(days=1))
        services.flex_approve(flex=held, by=inspector_a)
        waiting = raise_flex(
            sergeant_a, ward_a_east, [pc], start=day + D(days=1), end=day + D(days=2)
        )
        outcomes = race(
            lambda held=held: services.flex_withdraw(flex=held, by=sergeant_a, reason="Done"),
            approve(waiting, inspector_a),
        )
        assert unexpected(outcomes) == [], outcomes
        assert outcomes[0] == "ok", outcomes
        assert outcomes[1] == "ok" or refused_as(outcomes[1], "officer_committed"), outcomes
        assert not held.commitments.exists()
        no_officer_held_twice()
        check_invariants(ward_a, day, day + D(days=2))


def test_through_the_api_two_overlapping_approvals_answer_200_and_409(
    sergeant_a, inspector_a, chief_inspector_a, ward_a, ward_a_east, pcs_a
):
    pc = pcs_a[0]
    clients = [api_client_for(inspector_a), api_client_for(chief_inspector_a)]
    for number in range(API_ROUNDS):
        day = day_of_round(number)
        flexes = [
            raise_flex(sergeant_a, ward_a_east, [pc], start=start, end=start + D(days=1))
            for start in (day, day + D(days=1))
        ]
        statuses = []
        outcomes = race(
            *(
                lambda i=i, flexes=flexes, statuses=statuses: statuses.append(
                    clients[i]
                    .post(f"/api/v1/flex-requests/{flexes[i].pk}/approve/", {}, format="json")
                    .status_code
                )
                for i in (0, 1)
            )
        )
        assert outcomes == ["ok", "ok"], outcomes
        assert sorted(statuses) == [200, 409], (number, statuses)
        no_officer_held_twice()
        check_invariants(ward_a, day, day + D(days=2))


# -- two overlapping abstractions ----------------------------------------------------------------


def abstraction_of(officer, by, day, hours):
    starts_at, ends_at = shift_bounds(day, datetime.time(hours[0]), datetime.time(hours[1]))
    return lambda: abstraction_record(
        officer=officer,
        abstraction_type=AbstractionType.objects.get(code="central-aid"),
        starts_at=starts_at,
        ends_at=ends_at,
        by=by,
        significant_event="Notting Hill Carnival",
        authorised_by_name="Supt Khan",
    )


def test_two_overlapping_abstractions_of_one_officer_one_stands(
    staff_a, chief_inspector_a, ward_a, pcs_a
):
    pc = pcs_a[0]
    for number in range(ROUNDS):
        day = day_of_round(number)
        outcomes = race(
            abstraction_of(pc, staff_a, day, (8, 16)),
            abstraction_of(pc, chief_inspector_a, day, (12, 20)),
        )
        assert unexpected(outcomes) == [], outcomes
        assert sorted(o == "ok" for o in outcomes) == [False, True], (number, outcomes)
        assert refused_as(next(o for o in outcomes if o != "ok"), "officer_committed")
        assert pc.abstractions.filter(starts_at__date=day).count() == 1
        no_officer_held_twice()
        check_invariants(ward_a, day, day)


def test_through_the_api_two_overlapping_abstractions_answer_201_and_409(
    staff_a, chief_inspector_a, ward_a, pcs_a
):
    pc = pcs_a[0]
    clients = [api_client_for(staff_a), api_client_for(chief_inspector_a)]
    for number in range(API_ROUNDS):
        day = day_of_round(number)
        statuses = []

        def post(index, hours, day=day, statuses=statuses):
            body = {
                "officer": pc.shoulder_number,
                "abstraction_type": "central-aid",
                "starts_at": datetime.datetime.combine(
                    day, datetime.time(hours[0]), LONDON
                ).isoformat(),
                "ends_at": datetime.datetime.combine(
                    day, datetime.time(hours[1]), LONDON
                ).isoformat(),
                "significant_event": "Notting Hill Carnival",
                "authorised_by_name": "Supt Khan",
            }
            statuses.append(
                clients[index].post("/api/v1/abstractions/", body, format="json").status_code
            )

        outcomes = race(lambda: post(0, (8, 16)), lambda: post(1, (12, 20)))
        assert outcomes == ["ok", "ok"], outcomes
        assert sorted(statuses) == [201, 409], (number, statuses)
        no_officer_held_twice()


# -- a transfer racing what holds the officer ----------------------------------------------------


def transfer_away(officer, borough, by):
    return lambda: teams_services.officer_transfer(
        officer=officer,
        to_borough=borough,
        effective_on=timezone.localdate(),
        reason="Promoted into Westminster's town centre team",
        by=by,
    )


def nothing_recorded_outside_service() -> None:
    """Every flex naming an officer, pending or held, and every abstraction and duty of them,
    is of a borough the officer served in over its days."""
    members = FlexOfficer.objects.filter(flex_request__status__in=PENDING_OR_HELD)
    for m in members.select_related("flex_request", "officer"):
        flex = m.flex_request
        assert served_in(m.officer, flex.borough_id, flex.start_date, flex.end_date), (
            f"flex #{flex.pk} names {m.officer.full_name}, who left its borough"
        )
    recorded = [
        (a.officer, a.borough_id, a.starts_at)
        for a in Abstraction.objects.select_related("officer")
    ] + [
        (d.officer, d.home_ward.borough_id, d.starts_at)
        for d in Duty.objects.select_related("officer", "home_ward")
    ]
    for officer, borough_id, starts_at in recorded:
        day = timezone.localtime(starts_at).date()
        assert served_in(officer, borough_id, day, day), f"{officer} recorded outside service"


def test_a_flex_raised_as_the_officer_transfers_out_is_refused_or_stops_the_transfer(
    staff_a, sergeant_a, team_a, ward_a_east, borough_b, pcs_a
):
    """The flex is raised from the officer as the form or API read them, in the borough; the
    transfer moves them the same moment. Before the officers a flex names were locked, a
    transfer that went first left a flex of the old borough naming an officer of the new one,
    which an Inspector could then approve."""
    for number in range(ROUNDS):
        officer = staff_ward(team_a, pcs=1, pcsos=0)[0]  # read before the race, as a form does
        day = day_of_round(number)
        outcomes = race(
            transfer_away(officer, borough_b, staff_a),
            lambda officer=officer, day=day: raise_flex(
                sergeant_a, ward_a_east, [officer], start=day, end=day + D(days=1)
            ),
        )
        assert unexpected(outcomes) == [], outcomes
        assert sorted(o == "ok" for o in outcomes) == [False, True], (number, outcomes)
        if outcomes[0] == "ok":
            assert refused_as(outcomes[1], "officer_moved"), outcomes
        else:
            assert isinstance(outcomes[0], DomainError) and "flex request" in str(outcomes[0])
        nothing_recorded_outside_service()


def test_an_officer_added_to_a_draft_as_they_transfer_out(
    staff_a, sergeant_a, team_a, ward_a_east, borough_b, pcs_a
):
    for number in range(ROUNDS):
        officer = staff_ward(team_a, pcs=1, pcsos=0)[0]
        day = day_of_round(number)
        draft = raise_flex(sergeant_a, ward_a_east, pcs_a[:1], start=day, end=day, submit=False)
        outcomes = race(
            transfer_away(officer, borough_b, staff_a),
            lambda draft=draft, officer=officer: services.flex_update(
                flex=draft, by=sergeant_a, officers=[pcs_a[0], officer]
            ),
        )
        assert unexpected(outcomes) == [], outcomes
        assert sorted(o == "ok" for o in outcomes) == [False, True], (number, outcomes)
        nothing_recorded_outside_service()


def test_a_transfer_racing_the_approval_of_a_flex_naming_the_officer_is_refused(
    staff_a, sergeant_a, inspector_a, team_a, ward_a, ward_a_east, borough_b, pcs_a
):
    """Named in a submitted request, the officer is not clear of the borough: the transfer is
    refused whether it runs before the approval (a request waiting) or after (an approved
    flex); the approval stands."""
    for number in range(ROUNDS):
        officer = staff_ward(team_a, pcs=1, pcsos=0)[0]
        day = day_of_round(number)
        flex = raise_flex(sergeant_a, ward_a_east, [officer], start=day, end=day)
        outcomes = race(transfer_away(officer, borough_b, staff_a), approve(flex, inspector_a))
        assert unexpected(outcomes) == [], outcomes
        assert outcomes[1] == "ok", outcomes
        assert isinstance(outcomes[0], DomainError), outcomes
        officer.refresh_from_db()
        assert officer.borough_id == team_a.borough_id
        assert not OfficerTransfer.objects.filter(officer=officer).exists()
        nothing_recorded_outside_service()
        check_invariants(ward_a, day, day)


def test_an_abstraction_or_a_duty_racing_the_officers_transfer(
    staff_a, sergeant_a, chief_inspector_a, team_a, ward_a, borough_b, pcs_a
):
    """Recorded first, it keeps the officer in the borough (the transfer is refused); after the
    transfer, it is refused: the officer moved, or did not serve here then."""
    for number, record in itertools.product(range(ROUNDS // 2), ("abstraction", "duty")):
        officer = staff_ward(team_a, pcs=1, pcsos=0)[0]
        day = day_of_round(number)
        if record == "abstraction":
            writer = abstraction_of(officer, chief_inspector_a, day, (8, 16))
        else:
            starts_at, ends_at = shift_bounds(day, datetime.time(7), datetime.time(15))
            writer = lambda o=officer, s=starts_at, e=ends_at: duty_record(  # noqa: E731
                officer=o, starts_at=s, ends_at=e, by=sergeant_a
            )
        outcomes = race(transfer_away(officer, borough_b, staff_a), writer)
        assert unexpected(outcomes) == [], outcomes
        assert sorted(o == "ok" for o in outcomes) == [False, True], (record, number, outcomes)
        nothing_recorded_outside_service()
        officer.refresh_from_db()
        moved = officer.borough_id == borough_b.pk
        assert moved == (outcomes[0] == "ok")
        open_postings = officer.postings.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate())
        )
        assert not open_postings.exclude(team__borough=officer.borough_id).exists()


def duty_of(officer, by, day, hours):
    starts_at, ends_at = shift_bounds(day, datetime.time(hours[0]), datetime.time(hours[1]))
    return lambda: duty_record(officer=officer, starts_at=starts_at, ends_at=ends_at, by=by)


def test_two_overlapping_duties_of_one_officer_one_stands(staff_a, sergeant_a, pcs_a):
    pc = pcs_a[0]
    for number in range(ROUNDS):
        day = day_of_round(number)
        outcomes = race(duty_of(pc, staff_a, day, (7, 15)), duty_of(pc, sergeant_a, day, (12, 20)))
        assert sorted(o == "ok" for o in outcomes) == [False, True], (number, outcomes)
        assert refused_as(next(o for o in outcomes if o != "ok"), "overlapping_shift")
        assert Duty.objects.filter(officer=pc, starts_at__date=day).count() == 1
