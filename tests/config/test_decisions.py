"""config.decisions: a borough decision's shape and rules, held once for Safer Schools
allocations and shared supervision: the rationale, the date, the borough's lock and history, and
the weights each recommendation uses."""

import datetime
import threading

import pytest
from django.db import connection

from config.decisions import (
    RATIONALE_MAX,
    BoroughDecision,
    BoroughWeights,
    check_decision_date,
    decision_rationale,
    lock_borough_decisions,
    weights_write,
)
from config.errors import ConflictError, DomainError
from schools.models import AllocationDecision, SchoolWeights
from supervision.models import DEFAULT_WEIGHTS, SupervisionDecision, WorkloadWeights

DAY = datetime.date(2026, 12, 1)


def test_both_decisions_and_both_weights_have_the_one_shape():
    shared = {"borough", "effective_from", "rationale", "decided_by", "decided_at"}
    for model in (AllocationDecision, SupervisionDecision):
        assert issubclass(model, BoroughDecision)
        assert shared <= {f.name for f in model._meta.get_fields()}
        assert model._meta.ordering == ["-effective_from", "-pk"]  # the latest first
    for model in (SchoolWeights, WorkloadWeights):
        assert issubclass(model, BoroughWeights)
        assert model._meta.get_field("borough").null  # HQ's London row has none


def test_the_rationale_is_required_stripped_and_at_most_4000_characters():
    assert decision_rationale("  Balances the load.\n") == "Balances the load."
    assert decision_rationale("x" * RATIONALE_MAX) == "x" * RATIONALE_MAX
    for bad, says in [(None, "Say why"), ("   ", "Say why"), ("x" * 4001, "At most 4000")]:
        with pytest.raises(DomainError) as caught:
            decision_rationale(bad)
        assert caught.value.field == "rationale" and says in caught.value.message


def test_a_decision_takes_effect_today_or_later_and_the_app_says_why_not():
    check_decision_date(DAY, DAY, past="Already history.")
    with pytest.raises(DomainError) as caught:
        check_decision_date(DAY - datetime.timedelta(days=1), DAY, past="Already history.")
    assert (caught.value.field, caught.value.message) == ("effective_from", "Already history.")
    with pytest.raises(DomainError):  # year 9999 is outside the planned range
        check_decision_date(datetime.date(9999, 12, 31), DAY, past="Already history.")


@pytest.mark.django_db
def test_no_decision_on_or_before_a_later_one_already_recorded(borough_a, borough_b, commander_a):
    SupervisionDecision.objects.create(
        borough=borough_a, effective_from=DAY, rationale="First.", decided_by=commander_a,
        objective_proposal=10, objective_decided=10, objective_today=12,
    )  # fmt: skip
    later = "A decision from {date:%d %B %Y} is already recorded."
    for day in (DAY, DAY - datetime.timedelta(days=3)):
        with pytest.raises(ConflictError) as caught:
            lock_borough_decisions(SupervisionDecision, borough_a, day, later=later)
        assert caught.value.message == "A decision from 01 December 2026 is already recorded."
    lock_borough_decisions(SupervisionDecision, borough_a, DAY + datetime.timedelta(days=1),
                           later=later)  # fmt: skip
    lock_borough_decisions(SupervisionDecision, borough_b, DAY, later=later)  # another borough
    # Allocations are a history of their own.
    lock_borough_decisions(AllocationDecision, borough_a, DAY, later=later)


@pytest.mark.django_db(transaction=True)
def test_two_first_weights_changes_at_once_make_one_row(borough_a, commander_a, admin_user):
    """Neither fails: the second waits for the borough's lock, then updates the row the first
    made."""
    start = threading.Barrier(2)
    errors = []

    def save(user, crime):
        try:
            start.wait(5)
            weights_write(WorkloadWeights, borough=borough_a, defaults=DEFAULT_WEIGHTS, by=user,
                          values={**DEFAULT_WEIGHTS, "crime": crime})  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - any error is the failure this test looks for
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(commander_a, 2)),
               threading.Thread(target=save, args=(admin_user, 3))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    row = WorkloadWeights.objects.get(borough=borough_a)
    assert row.crime in (2, 3) and row.updated_by in (commander_a, admin_user)
