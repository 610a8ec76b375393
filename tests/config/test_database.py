"""`make test` cannot hang on a query: a statement runs at most a minute, and a cancelled one
fails showing its SQL; statistics are gathered after bulk loads; no test runs for ever."""

import pytest
from django.db import OperationalError, connection, transaction

from config.db import BULK_ROWS, analyze, analyze_if_bulk, commit_without_waiting
from tests import factories as f
from wards.models import Borough

pytestmark = pytest.mark.django_db


def test_a_statement_runs_at_most_a_minute_in_tests():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "1min"


def test_a_cancelled_statement_fails_with_its_sql():
    with pytest.raises(OperationalError, match=r"(?s)statement timeout.*SELECT pg_sleep\(2\)"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = '50ms'")
            cursor.execute("SELECT pg_sleep(2)")


def reltuples(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def test_analyze_gives_the_planner_the_rows_just_loaded(bcu_a):
    f.BoroughFactory.create_batch(3, bcu=bcu_a)
    analyze(Borough)
    # reltuples is how many rows the planner believes the table holds.
    assert reltuples("wards_borough") == 3


def test_only_a_bulk_load_is_analysed(bcu_a):
    f.BoroughFactory.create_batch(2, bcu=bcu_a)
    before = reltuples("wards_borough")
    analyze_if_bulk(BULK_ROWS - 1, Borough)
    assert reltuples("wards_borough") == before != 2
    analyze_if_bulk(BULK_ROWS, Borough)
    assert reltuples("wards_borough") == 2


def test_no_test_may_run_for_ever(request):
    assert int(request.config.getini("timeout")) == 600
    assert request.config.getini("timeout_method") == "signal"


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_transaction_of_its_own_may_commit_without_waiting_and_only_it():
    """SET LOCAL: off for the transaction that asked, the server's setting again after it."""
    server = _synchronous_commit()
    with transaction.atomic():
        assert commit_without_waiting() is True
        assert _synchronous_commit() == "off"
    assert _synchronous_commit() == server


def test_inside_a_callers_transaction_its_commit_stays_durable():
    """A test runs in a transaction: an inner block must not make the caller's commit wait less
    (its other writes were meant to be durable)."""
    server = _synchronous_commit()
    with transaction.atomic():
        assert commit_without_waiting() is False
        assert _synchronous_commit() == server


@pytest.mark.django_db(transaction=True)
def test_a_reports_claim_and_version_commit_without_waiting(borough_a):
    """Each is done again when lost (reports.services): its commit does not wait for the disk;
    the publishing, which a commander reads, does."""
    import datetime

    from django.test.utils import CaptureQueriesContext

    from reports import services

    with CaptureQueriesContext(connection) as asked:
        report, _ = services.report_request(borough=borough_a, month=datetime.date(2026, 3, 1))
    with CaptureQueriesContext(connection) as claimed:
        assert services.report_claim(report.pk)
    for ctx in (asked, claimed):
        sql = [q["sql"] for q in ctx.captured_queries]
        assert "SET LOCAL synchronous_commit = off" in sql
        assert sql.index("SET LOCAL synchronous_commit = off") < next(
            i for i, s in enumerate(sql) if s.startswith(("INSERT", "UPDATE"))
        )
