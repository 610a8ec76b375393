"""A report's heaviest statements on a second connection (config.beside): the same figures as
in turn on one connection, its errors raised in the caller as they would be there, and no
connection left open behind it.

These tests commit their rows (transactional_db): outside a transaction is the only place the
second connection runs, since it cannot see a transaction's rows."""

import datetime
import random
import threading
import time

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from bench.reports import borough_checked, same_figures
from config import beside
from config.beside import Beside
from reports import figures as report_figures
from reports import services
from reports.figures import borough_figures
from reports.models import MonthlyReport
from tests.reports.test_independent_recomputation import build
from tests.reports.winter import MONTHS

pytestmark = pytest.mark.django_db(transaction=True)
MARCH = datetime.date(2026, 3, 1)
MINUTES_STATEMENT = "WITH\nperiod AS"
VICTIMS_STATEMENT = "WITH o AS MATERIALIZED"


def _statements(queries) -> str:
    return "\n".join(q["sql"] for q in queries)


def test_beside_and_in_turn_give_the_same_figures(march, settings):
    settings.READS_BESIDE = False
    with CaptureQueriesContext(connection) as in_turn:
        alone = borough_figures(march.borough, MARCH)
    settings.READS_BESIDE = True
    with CaptureQueriesContext(connection) as beside:
        together = borough_figures(march.borough, MARCH)

    assert together == alone
    assert together["total"]["rostered_minutes"] == 2670  # the month as conftest.march works it
    # In turn, this connection ran every statement; beside, the minutes and victims statements
    # ran on the other one.
    assert MINUTES_STATEMENT in _statements(in_turn.captured_queries)
    assert VICTIMS_STATEMENT in _statements(in_turn.captured_queries)
    assert MINUTES_STATEMENT not in _statements(beside.captured_queries)
    assert VICTIMS_STATEMENT not in _statements(beside.captured_queries)
    assert len(beside.captured_queries) < len(in_turn.captured_queries)


def test_a_report_produced_beside_agrees_with_the_hand_written_statement(march, settings):
    settings.READS_BESIDE = True
    report, _ = services.report_request(borough=march.borough, month=MARCH)
    report = services.report_produce(report.pk)
    stored = MonthlyReport.objects.get(pk=report.pk)

    assert stored.status == MonthlyReport.Status.READY
    assert borough_checked(stored.figures) == same_figures(MARCH)[march.borough.code]


def _pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _side_pids() -> set[int]:
    """The server processes of both kept threads' connections (two tasks that wait for each
    other run on both threads)."""
    both = threading.Barrier(2)

    def pid():
        both.wait(timeout=10)
        return _pid()

    first, second = Beside(pid), Beside(pid)
    return {first.result(), second.result()}


def _alive(pids) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s)", [list(pids)])
        return {row[0] for row in cursor.fetchall()}


def test_its_connections_are_kept_from_report_to_report_and_closed_by_close(
    march, settings, monkeypatch
):
    """A connection opened per report would spend it warming its server's caches: the threads
    keep theirs (CONN_MAX_AGE, as in production), from report to report, until close()."""
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 60)
    settings.READS_BESIDE = True
    beside.close()
    borough_figures(march.borough, MARCH)
    kept = _side_pids()
    assert len(kept) == beside.THREADS and _pid() not in kept
    for _ in range(3):
        borough_figures(march.borough, MARCH)
    assert _side_pids() == kept
    beside.close()
    deadline = time.monotonic() + 5  # a closed connection's process leaves a moment after
    while _alive(kept) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(kept)


def test_abandoned_work_is_cancelled_on_the_server_and_never_started_if_queued(settings):
    """The caller failing (or its time limit) cancels what runs beside it: the next report
    does not queue behind it."""
    settings.READS_BESIDE = True

    def sleep():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(30)")

    started = time.monotonic()
    running = [Beside(sleep) for _ in range(beside.THREADS)]
    queued = Beside(sleep)  # every thread is busy: it waits for one
    with pytest.raises(ZeroDivisionError), beside.abandoned(*running, queued):
        time.sleep(0.5)  # the statements under way
        raise ZeroDivisionError
    for work in running:
        with pytest.raises(OperationalError, match="cancel"):
            work.result()
    assert queued._future.cancelled()
    assert Beside(_pid).result()  # a thread is free again at once
    assert time.monotonic() - started < 10


def test_beside_a_worker_the_closed_months_are_stored(march, settings):
    """The production path: the minutes statement on a kept connection of its own stores the
    closed months it computed (committed there), and the caller's connection keeps its own
    durability setting."""
    from reports.models import StoredWardMonth

    settings.READS_BESIDE = True
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        before = cursor.fetchone()[0]
    borough_figures(march.borough, MARCH)
    assert StoredWardMonth.objects.filter(month=datetime.date(2026, 2, 1)).exists()
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == before


def test_with_autocommit_off_it_runs_on_the_callers_connection(settings):
    settings.READS_BESIDE = True
    transaction.set_autocommit(False)
    try:
        assert Beside(_pid).result() == _pid()
    finally:
        transaction.rollback()
        transaction.set_autocommit(True)


def test_an_error_beside_is_raised_in_the_caller_and_fails_the_report(
    march, settings, monkeypatch
):
    settings.READS_BESIDE = True

    def broken(*args, **kwargs):
        raise ZeroDivisionError("the victims statement broke")

    monkeypatch.setattr(report_figures, "victims_monthly_section", broken)
    report, _ = services.report_request(borough=march.borough, month=MARCH)
    with pytest.raises(ZeroDivisionError, match="victims statement broke"):
        services.report_produce(report.pk)
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.FAILED
    assert "the victims statement broke" in report.error


def test_inside_a_transaction_it_runs_at_once_on_the_callers_connection(settings):
    from django.db import transaction

    settings.READS_BESIDE = True
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE seen_here (n int) ON COMMIT DROP")
            cursor.execute("INSERT INTO seen_here VALUES (7)")

        def read():
            with connection.cursor() as cursor:  # a temporary table: this connection only
                cursor.execute("SELECT n FROM seen_here")
                return cursor.fetchone()[0]

        assert Beside(read).result() == 7


def test_outside_a_transaction_it_runs_on_another_connection(settings):
    settings.READS_BESIDE = True

    def backend():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    mine = backend()
    assert Beside(backend).result() != mine
    settings.READS_BESIDE = False
    assert Beside(backend).result() == mine


def _winter_spec(rng: random.Random):
    """A spec of tests.reports.test_independent_recomputation's shape (winter_spec), drawn with
    `rng`: 4-10 records for each of the 7 officers, the mover moving on day 1-50."""
    kinds = ["home", "flexed", "abstraction", "abstracted duty"]
    sequences = [
        (rng.randint(0, 36 * 24 * 60), [
            (rng.randint(0, 36 * 60), rng.randint(30, 14 * 60), rng.choice(kinds),
             rng.randint(0, 2), rng.randint(-120, 14 * 60), rng.randint(15, 8 * 60),
             rng.random() < 0.2)
            for _ in range(rng.randint(4, 10))
        ])
        for _ in range(7)
    ]
    return sequences, rng.randint(1, 50)


@pytest.mark.parametrize("seed", [20251215, 20260101])
def test_a_generated_winter_beside_and_in_turn(seed, winter, settings):
    """Generated records (as tests.reports.test_independent_recomputation builds them: an
    officer moving borough mid-month, an empty ward, wards without a team), committed: both
    boroughs' months give the same figures beside as in turn."""
    from deployment.models import Duty

    build(winter, _winter_spec(random.Random(seed)))
    assert Duty.objects.count() >= 10
    for borough in winter["boroughs"]:
        for month in MONTHS:
            settings.READS_BESIDE = False
            alone = borough_figures(borough, month)
            settings.READS_BESIDE = True
            assert borough_figures(borough, month) == alone
