"""`make test` cannot hang on a query: a statement runs at most a minute, and a cancelled one
fails showing its SQL; statistics are gathered after bulk loads; no test runs for ever."""

import pytest
from django.db import OperationalError, connection, transaction

from config.db import BULK_ROWS, analyze, analyze_if_bulk
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
