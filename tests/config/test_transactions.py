"""config.transactions.decision: a decision's transaction is run again when PostgreSQL aborts it
(a deadlock, a serialization failure), a bounded number of times, and then answers a conflict,
never a server error. Only the outermost decision retries."""

import threading

import psycopg.errors
import pytest
from django.db import OperationalError, connection, transaction
from rest_framework.test import APIRequestFactory

from config import transactions
from config.api import exception_handler
from config.transactions import Busy, decision, is_retryable
from tests import factories as f
from wards.models import Borough


def deadlocked() -> OperationalError:
    """The error Django raises when PostgreSQL picked this transaction to break a deadlock."""
    try:
        try:
            raise psycopg.errors.DeadlockDetected("deadlock detected")
        except psycopg.errors.DeadlockDetected as cause:
            raise OperationalError("deadlock detected") from cause
    except OperationalError as exc:
        return exc


def test_deadlocks_and_serialization_failures_are_retryable_other_errors_are_not():
    assert is_retryable(deadlocked())
    try:
        raise OperationalError("x") from psycopg.errors.SerializationFailure("x")
    except OperationalError as exc:
        assert is_retryable(exc)
    try:
        raise OperationalError("x") from psycopg.errors.QueryCanceled("x")
    except OperationalError as exc:
        assert not is_retryable(exc)


@pytest.mark.django_db(transaction=True)
def test_a_real_deadlock_is_run_again_and_both_decisions_stand(bcu_a):
    """Two decisions lock two rows in opposite orders: PostgreSQL aborts one, which is run again
    once the other has committed."""
    first, second = f.BoroughFactory(bcu=bcu_a), f.BoroughFactory(bcu=bcu_a)
    both_hold_one = threading.Barrier(2)
    tries = {"ab": 0, "ba": 0}
    results, errors = {}, []

    def locking(name, one, other):
        @decision
        def take():
            tries[name] += 1
            type(one).objects.select_for_update().get(pk=one.pk)
            if tries[name] == 1:
                both_hold_one.wait(timeout=60)  # the first try of each: a certain deadlock
            type(other).objects.select_for_update().get(pk=other.pk)
            return name

        def run():
            try:
                results[name] = take()
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                connection.close()

        return threading.Thread(target=run)

    threads = [locking("ab", first, second), locking("ba", second, first)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)  # bounded: a loaded machine is slow, a hang still fails
    assert not any(t.is_alive() for t in threads), "a decision never finished"
    assert errors == []
    assert results == {"ab": "ab", "ba": "ba"}
    assert sorted(tries.values()) == [1, 2]  # one of them was aborted, then ran again


@pytest.mark.django_db(transaction=True)
def test_after_every_try_fails_it_is_a_conflict_and_nothing_is_kept(bcu_a, monkeypatch):
    monkeypatch.setattr(transactions, "MAX_PAUSE", 0)
    calls = []

    @decision
    def always_deadlocks():
        calls.append(f.BoroughFactory(bcu=bcu_a).pk)
        raise deadlocked()

    with pytest.raises(Busy) as refused:
        always_deadlocks()
    assert refused.value.status_code == 409 and refused.value.code == "busy"
    assert len(calls) == transactions.ATTEMPTS
    assert not Borough.objects.filter(pk__in=calls).exists()  # every try was rolled back


@pytest.mark.django_db
def test_inside_a_transaction_already_open_the_error_rises_to_whoever_opened_it(bcu_a):
    calls = []

    @decision
    def inner():
        calls.append(1)
        raise deadlocked()

    with pytest.raises(OperationalError), transaction.atomic():
        inner()
    assert calls == [1]


@pytest.mark.django_db
def test_other_errors_are_not_retried(bcu_a):
    calls = []

    @decision
    def fails():
        calls.append(1)
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        fails()
    assert calls == [1]


def test_the_api_answers_a_deadlock_that_escaped_a_decision_with_a_409():
    request = APIRequestFactory().post("/api/v1/flex-requests/1/approve/")
    response = exception_handler(deadlocked(), {"request": request, "view": None})
    assert response.status_code == 409
    assert response.data["code"] == "busy"
