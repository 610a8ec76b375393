"""A real deadlock between two PostgreSQL connections, with a teams decision (a move, a transfer)
the one PostgreSQL aborts: config.transactions.decision runs it again once the other has
committed, and the caller gets the move or the transfer done (201/200 in the API), never a 500
nor a 409 that only says the database gave up.

The deadlock is built, not hoped for: the other connection holds the row the decision's insert
points at (the new team, the borough joined) FOR UPDATE, so the insert waits on it; once the
decision is seen waiting (pg_locks), the other asks for the officer's row, which the decision
holds. The decision waits first, so its deadlock check runs first and aborts it (the other's
deadlock_timeout is set far beyond the test). Its retry may lock the officer again before the
other does and meet the same deadlock: the random pause between tries sorts them out."""

import datetime
import logging
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from teams import services
from teams.models import Officer, OfficerTransfer, Posting
from tests import factories as f
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db(transaction=True)
REASON = "Promoted into the town centre team"


def _lock_waiter(pid) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", [pid])
        return cursor.fetchone()[0] > 0


def deadlocked(caller, pointed_at, officer) -> dict:
    """Run `caller` (a decision that locks `officer` then inserts a row pointing at
    `pointed_at`) against another transaction that holds `pointed_at` and then asks for
    `officer`. The outcome of each: "ok" (or the caller's return) or the exception raised."""
    holding, outcomes, pid = threading.Event(), {}, {}

    def decide():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid["caller"] = cursor.fetchone()[0]
            assert holding.wait(30)
            outcomes["caller"] = caller()
        except BaseException as exc:  # noqa: BLE001  (the test reports it)
            outcomes["caller"] = exc
        finally:
            connection.close()

    def other():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL deadlock_timeout = '60s'")
                type(pointed_at).objects.select_for_update().get(pk=pointed_at.pk)
                holding.set()
                deadline = time.monotonic() + 30
                while not ("caller" in pid and _lock_waiter(pid["caller"])):
                    assert time.monotonic() < deadline, "the decision never waited"
                    time.sleep(0.01)
                Officer.objects.select_for_update().get(pk=officer.pk)  # the cycle
            outcomes["other"] = "ok"
        except BaseException as exc:  # noqa: BLE001
            outcomes["other"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=decide), threading.Thread(target=other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert not any(t.is_alive() for t in threads), "a transaction never finished"
    return outcomes


@pytest.fixture
def retries(caplog):
    """The decisions config.transactions ran again after PostgreSQL aborted them."""
    caplog.set_level(logging.WARNING, logger="config.transactions")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "config.transactions"]


@pytest.fixture
def posted(team_a):
    officer = f.OfficerFactory(borough=team_a.borough)
    f.PostingFactory(
        officer=officer, team=team_a, start_date=timezone.localdate() - datetime.timedelta(365)
    )
    return officer


def test_a_move_aborted_by_a_deadlock_is_run_again_and_done(posted, team_a, staff_a, retries):
    east = f.TeamFactory(ward=f.WardFactory(borough=team_a.borough))
    today = timezone.localdate()
    outcomes = deadlocked(
        lambda: services.posting_move(
            officer=posted, team=east, role=Posting.Role.DEDICATED, start_date=today, by=staff_a
        ),
        east,
        posted,
    )
    assert outcomes["other"] == "ok"
    assert isinstance(outcomes["caller"], Posting), outcomes
    # Retried once, as a whole: the posting_create the insert ran in is a savepoint inside the
    # move's transaction, and does not run again on its own.
    retried = retries()
    assert retried and all(m.startswith("posting_move:") for m in retried), retried
    assert "deadlock detected" in retried[0]
    current = Posting.objects.get(officer=posted, end_date__isnull=True)
    assert current.team == east and current.start_date == today
    ended = Posting.objects.get(officer=posted, team=team_a)
    assert ended.end_date == today - datetime.timedelta(days=1)


def test_the_api_answers_a_move_that_met_a_deadlock_with_201(posted, team_a, staff_a, retries):
    east = f.TeamFactory(ward=f.WardFactory(borough=team_a.borough))
    client = api_client_for(staff_a)
    body = {
        "officer": posted.shoulder_number, "team": east.pk, "role": Posting.Role.DEDICATED,
        "start_date": timezone.localdate().isoformat(),
    }
    outcomes = deadlocked(
        lambda: client.post("/api/v1/postings/move/", body, format="json"), east, posted
    )
    assert outcomes["other"] == "ok"
    assert outcomes["caller"].status_code == 201, outcomes["caller"].content
    assert outcomes["caller"].json()["team"] == east.pk
    assert retries()
    assert Posting.objects.get(officer=posted, end_date__isnull=True).team == east


def test_a_transfer_aborted_by_a_deadlock_is_run_again_and_done(
    posted, borough_b, staff_a, retries
):
    client = api_client_for(staff_a)
    body = {"borough": borough_b.code, "effective_on": timezone.localdate().isoformat(),
            "reason": REASON}
    url = f"/api/v1/officers/{posted.shoulder_number}/transfer/"
    outcomes = deadlocked(lambda: client.post(url, body, format="json"), borough_b, posted)
    assert outcomes["other"] == "ok"
    assert outcomes["caller"].status_code == 200, outcomes["caller"].content
    retried = retries()
    assert retried and all(m.startswith("officer_transfer:") for m in retried), retried
    posted.refresh_from_db()
    assert posted.borough == borough_b
    assert OfficerTransfer.objects.get(officer=posted).status == OfficerTransfer.Status.DONE

