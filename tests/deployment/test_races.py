"""Decisions racing on the same officers, on real PostgreSQL in real transactions (one
connection per thread): flex approvals against abstractions against duties, round after round.

Each round starts every writer at the same moment. Whatever the interleaving:
- no error escapes but the protocol's own refusals (a deadlock or a serialization failure is
  run again by config.transactions.decision, never a server error);
- an officer is never held twice at once (the approval and the abstraction of the same officer:
  one of them is refused);
- the home ward never ends a round below minimum cover: of two decisions that each leave it at
  its minimum, the second sees the first (the borough's cover lock), and no override was given;
- every approved flex holds each of its officers and every abstraction holds its officer.

Before the borough's cover lock and one lock order, the approval locked the borough row FOR
UPDATE then the officers, and the abstraction locked the officer then took a key-share lock on
the borough row for its foreign key: most rounds deadlocked and one side got a 500."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from config.errors import DomainError
from config.timeutils import LONDON, shift_bounds
from deployment import services
from deployment.cover import cover_below_minimum
from deployment.duties import abstraction_record, duty_record
from deployment.models import Abstraction, AbstractionType, Commitment, FlexRequest, FlexStatus
from tests.conftest import api_client_for
from tests.deployment.factories import raise_flex, staff_ward

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 25
API_ROUNDS = 8
EXPECTED = (DomainError, PermissionDenied)  # ConflictError is a DomainError


@pytest.fixture
def ward_w(team_a, ward_a_east, team_a_east):
    """ward_a with exactly its minimum plus one PC (3 PCs, 1 PCSO); ward_a_east staffed."""
    staff_ward(team_a_east, pcs=2, pcsos=1)
    return staff_ward(team_a, pcs=3, pcsos=1)


def race(*writers) -> list[BaseException | str]:
    """Run each writer in its own thread and connection, all released at once; the outcome of
    each: "ok" or the exception it raised."""
    barrier = threading.Barrier(len(writers))
    outcomes = [None] * len(writers)

    def run(index, writer):
        try:
            barrier.wait(timeout=20)
            writer()
            outcomes[index] = "ok"
        except BaseException as exc:  # noqa: BLE001  (every escape is reported by the test)
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(t.is_alive() for t in threads), "a writer never finished"
    return outcomes


def day_of_round(number) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=10 + 3 * number)


def abstraction_of(officer, by, day):
    starts_at, ends_at = shift_bounds(day, datetime.time(8), datetime.time(16))
    return lambda: abstraction_record(
        officer=officer, abstraction_type=AbstractionType.objects.get(code="central-aid"),
        starts_at=starts_at, ends_at=ends_at, by=by, significant_event="Notting Hill Carnival",
        authorised_by_name="Supt Khan",
    )


def duty_of(officer, by, day):
    starts_at, ends_at = shift_bounds(day, datetime.time(7), datetime.time(15))
    return lambda: duty_record(officer=officer, starts_at=starts_at, ends_at=ends_at, by=by)


def unexpected(outcomes) -> list:
    return [o for o in outcomes if o != "ok" and not isinstance(o, EXPECTED)]


def check_invariants(ward, first, last):
    assert cover_below_minimum([ward.pk], first, last) == [], "the ward went below minimum cover"
    for flex in FlexRequest.objects.filter(status__in=[FlexStatus.APPROVED, FlexStatus.ACTIVE]):
        members = set(flex.members.values_list("officer_id", flat=True))
        held = set(flex.commitments.values_list("officer_id", flat=True))
        assert held == members, f"flex #{flex.pk} does not hold its officers"
    for abstraction in Abstraction.objects.all():
        assert Commitment.objects.filter(abstraction=abstraction).count() == 1
        assert not abstraction.below_cover  # planned: refused, never flagged


def test_approvals_abstractions_and_duties_race_without_an_error_escaping(
    sergeant_a, inspector_a, staff_a, chief_inspector_a, ward_a, ward_a_east, ward_w
):
    pc1, pc2, pc3 = ward_w[:3]
    tally = {"approved": 0, "abstracted": 0, "refused": 0}
    for number in range(ROUNDS):
        day = day_of_round(number)
        flex = raise_flex(sergeant_a, ward_a_east, [pc1], start=day, end=day)
        outcomes = race(
            lambda f=flex: services.flex_approve(
                flex=FlexRequest.objects.get(pk=f.pk), by=inspector_a
            ),
            abstraction_of(pc1, staff_a, day),  # the same officer as the flex
            abstraction_of(pc2, chief_inspector_a, day),  # the ward's last PC to spare
            duty_of(pc1, staff_a, day),
            duty_of(pc3, staff_a, day),
        )
        assert unexpected(outcomes) == [], f"round {number}: {outcomes}"
        assert outcomes[3] == outcomes[4] == "ok", "duties take no part in cover: both stand"
        # pc1 is held once at most: the flex and pc1's abstraction cannot both stand.
        assert not (outcomes[0] == "ok" and outcomes[1] == "ok")
        tally["approved"] += outcomes[0] == "ok"
        tally["abstracted"] += (outcomes[1] == "ok") + (outcomes[2] == "ok")
        tally["refused"] += sum(o != "ok" for o in outcomes)
        check_invariants(ward_a, day, day)
    # The rounds did race: each kind of decision won some and lost some.
    assert tally["approved"] and tally["abstracted"] and tally["refused"], tally


def test_two_planned_abstractions_that_together_breach_cover_cannot_both_stand(
    staff_a, ward_a, ward_w
):
    """ward_a has one PC to spare: either abstraction alone keeps it at its minimum."""
    pc1, pc2 = ward_w[:2]
    for number in range(ROUNDS):
        day = day_of_round(number)
        outcomes = race(abstraction_of(pc1, staff_a, day), abstraction_of(pc2, staff_a, day))
        assert unexpected(outcomes) == [], outcomes
        assert sorted(o == "ok" for o in outcomes) == [False, True], outcomes
        refused = next(o for o in outcomes if o != "ok")
        assert refused.code == "below_minimum_cover"
        check_invariants(ward_a, day, day)


def test_through_the_api_racing_writes_answer_without_a_server_error(
    sergeant_a, inspector_a, staff_a, ward_a, ward_a_east, ward_w
):
    pc1, pc2 = ward_w[:2]
    # A client each: a test client is not shared between threads.
    inspector, staff1, staff2 = (api_client_for(u) for u in (inspector_a, staff_a, staff_a))
    statuses = []
    for number in range(API_ROUNDS):
        day = day_of_round(number)
        flex = raise_flex(sergeant_a, ward_a_east, [pc1], start=day, end=day)
        starts_at = datetime.datetime.combine(day, datetime.time(8), LONDON).isoformat()
        ends_at = datetime.datetime.combine(day, datetime.time(16), LONDON).isoformat()

        def abstract(officer, staff, starts_at=starts_at, ends_at=ends_at):
            body = {
                "officer": officer.shoulder_number, "abstraction_type": "central-aid",
                "starts_at": starts_at, "ends_at": ends_at,
                "significant_event": "Notting Hill Carnival", "authorised_by_name": "Supt Khan",
            }
            statuses.append(staff.post("/api/v1/abstractions/", body, format="json").status_code)

        def approve(f=flex):
            url = f"/api/v1/flex-requests/{f.pk}/approve/"
            statuses.append(inspector.post(url, {}, format="json").status_code)

        outcomes = race(approve, lambda: abstract(pc1, staff1), lambda: abstract(pc2, staff2))
        assert unexpected(outcomes) == [], outcomes
        check_invariants(ward_a, day, day)
    assert statuses and set(statuses) <= {200, 201, 409}, statuses
    assert 500 not in statuses
