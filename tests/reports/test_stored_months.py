"""Closed months stored once (reports.stored_months) give the trend the same figures as the live
minutes statement: on random months (Hypothesis, seeded), after a duty is back-dated into a stored
month, and when a flex of a stored month changes status after the month's end."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from deployment.models import FlexStatus, FlexTransition
from reports import hours_figures
from reports.figures import borough_figures
from reports.measures import TREND_FIELDS
from reports.models import StoredWardMonth
from teams.models import Officer, Rank
from tests.reports.conftest import MARCH, at, duty
from tests.reports.test_figures_property import (  # noqa: F401 (cast: the fixture)
    LATER,
    OCTOBER,
    build,
    cast,
    month_spec,
)

pytestmark = pytest.mark.django_db
NOVEMBER = datetime.date(2026, 11, 1)
APRIL = datetime.date(2026, 4, 1)
UTC = datetime.UTC
IN_JANUARY = datetime.datetime(2027, 1, 5, tzinfo=UTC)
IN_MAY = datetime.datetime(2026, 5, 5, tzinfo=UTC)


def live(borough, month, now):
    """The figures with nothing stored: every month of the trend computed by the statement."""
    StoredWardMonth.objects.all().delete()
    return borough_figures(borough, month, now=now)


def stored_sums(borough, month) -> dict:
    rows = StoredWardMonth.objects.filter(borough=borough, month=month)
    return {
        "rostered_minutes": sum(r.rostered_minutes for r in rows),
        "abstracted_in_duty_minutes": sum(r.abstracted_in_duty_minutes for r in rows),
        "flexed_out_minutes": sum(r.flexed_out_minutes for r in rows),
        "unauthorised_flex_minutes": sum(
            r.flexed_out_minutes - r.authorised_flex_minutes for r in rows
        ),
    }


def trend_point(figures, month) -> dict:
    point = next(p for p in figures["trend"] if p["month"] == f"{month:%Y-%m}")
    return {k: point[k] for k in TREND_FIELDS}


def months_read_from_the_store(borough, month, now) -> set[str]:
    """The trend's months that minutes_rows read from the store rather than computed."""
    from reports.figures import cutoff_of
    from reports.measures import add_months, month_instants

    start, _ = month_instants(month)
    end, to_date = cutoff_of(month, now)
    ward_ids = list(borough.wards.values_list("pk", flat=True))
    sections = hours_figures.minutes_rows(borough.pk, ward_ids, month, start, end,
                                          None if to_date else end)
    first = add_months(month, -(hours_figures.TREND_MONTHS - 1))
    return {f"{add_months(first, r['idx']):%Y-%m}" for r in sections["stored"]}


@seed(20261130)
@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=month_spec, extra=st.integers(0, 30 * 24 * 60))
def test_stored_and_live_months_agree(spec, extra, cast):  # noqa: F811
    """October's report stores October; November's trend reads it from the store and equals the
    trend computed with nothing stored, and October's own figures. A duty then back-dated into
    October is counted by the next report's trend as by the live statement."""
    borough = cast["borough"]
    with transaction.atomic():
        build(cast, spec)
        october = live(borough, OCTOBER, LATER)
        assert stored_sums(borough, OCTOBER) == trend_point(october, OCTOBER)
        assert "2026-10" in months_read_from_the_store(borough, NOVEMBER, IN_JANUARY)
        from_store = borough_figures(borough, NOVEMBER, now=IN_JANUARY)
        assert from_store["trend"] == live(borough, NOVEMBER, IN_JANUARY)["trend"]
        assert trend_point(from_store, OCTOBER) == {
            k: october["total"][k] for k in TREND_FIELDS
        }

        # Back-dated: a duty recorded now for a day of the stored October.
        borough_figures(borough, NOVEMBER, now=IN_JANUARY)  # October stored again
        starts = datetime.datetime(2026, 10, 1, tzinfo=UTC) + datetime.timedelta(minutes=extra)
        officer = Officer.objects.create(shoulder_number="9010TT", first_name="Late",
                                         last_name="Record", rank=Rank.PC, borough=borough)
        duty(officer, cast["wards"][2], starts, starts + datetime.timedelta(hours=3),
             by=cast["by"])
        assert not StoredWardMonth.objects.filter(month=OCTOBER).exists()
        after = borough_figures(borough, NOVEMBER, now=IN_JANUARY)
        assert after["trend"] == live(borough, NOVEMBER, IN_JANUARY)["trend"]
        transaction.set_rollback(True)


def test_a_flex_withdrawn_after_its_month_ended(march):
    """March's flexes as they stood at March's end are stored with March; April's report reads
    them as they stood at April's end. A flex withdrawn in April makes April's report compute
    March again (not read the stored March), and store nothing for it."""
    on_2_april = datetime.datetime(2026, 4, 2, 9, 0, tzinfo=UTC)
    march_figures = borough_figures(march.borough, MARCH, now=on_2_april)
    assert stored_sums(march.borough, MARCH) == trend_point(march_figures, MARCH)
    assert "2026-03" in months_read_from_the_store(march.borough, APRIL, IN_MAY)

    burglary = march.borough.flex_requests.get(problem="Burglary series", status="active")
    withdrawn = FlexTransition.objects.create(
        flex_request=burglary, from_status=burglary.status, to_status=FlexStatus.WITHDRAWN,
        reason="After the month")
    FlexTransition.objects.filter(pk=withdrawn.pk).update(at=at(2026, 4, 10, 9))
    burglary.status = FlexStatus.WITHDRAWN
    burglary.save()
    # The transition forgot March; March's own report stores it again, as at its end.
    assert not StoredWardMonth.objects.filter(month=MARCH).exists()
    assert borough_figures(march.borough, MARCH, now=on_2_april) == march_figures
    assert StoredWardMonth.objects.filter(month=MARCH).exists()

    # April's report reads March's flexes as at April's end: computed again, not read.
    assert "2026-03" not in months_read_from_the_store(march.borough, APRIL, IN_MAY)
    april = borough_figures(march.borough, APRIL, now=IN_MAY)
    assert april["trend"] == live(march.borough, APRIL, IN_MAY)["trend"]
    # (the withdrawn flex no longer authorises March's minutes, read at April's end)
    assert trend_point(april, MARCH)["unauthorised_flex_minutes"] > trend_point(
        march_figures, MARCH)["unauthorised_flex_minutes"]


def test_a_month_not_over_is_not_stored(march):
    """A "to date" report reads flexes as they stand now, and its month may still change."""
    borough_figures(march.borough, MARCH, now=datetime.datetime(2026, 3, 20, tzinfo=UTC))
    assert not StoredWardMonth.objects.filter(month=MARCH).exists()
    assert StoredWardMonth.objects.filter(month=datetime.date(2026, 2, 1)).exists()


def test_a_ward_changing_borough_forgets_every_stored_month(march, borough_b):
    borough_figures(march.borough, MARCH, now=IN_MAY)
    assert StoredWardMonth.objects.exists()
    march.ward_east.borough = borough_b
    march.ward_east.save()
    assert not StoredWardMonth.objects.exists()


def test_rows_of_another_definition_are_not_read(march):
    borough_figures(march.borough, MARCH, now=IN_MAY)
    StoredWardMonth.objects.update(definition="older", rostered_minutes=1)
    assert "2026-03" not in months_read_from_the_store(march.borough, APRIL, IN_MAY)
    assert borough_figures(march.borough, APRIL, now=IN_MAY)["trend"] == live(
        march.borough, APRIL, IN_MAY)["trend"]


def test_the_monthly_run_stores_each_boroughs_month(march, borough_b):
    from reports import tasks
    from reports.models import MonthlyReport

    tasks.reports_monthly.delay("2026-03").get()
    report = MonthlyReport.objects.get(borough=march.borough, month=MARCH)
    assert stored_sums(march.borough, MARCH) == {
        k: report.figures["total"][k] for k in TREND_FIELDS
    }
    assert set(StoredWardMonth.objects.filter(month=MARCH).values_list("ward", flat=True)) == set(
        march.borough.wards.values_list("pk", flat=True)
    ) | set(borough_b.wards.values_list("pk", flat=True))


def lock_statement(ctx) -> str:
    """The store's lock as sent (with the synchronous_commit it sets for its transaction)."""
    return next(q["sql"] for q in ctx.captured_queries
                if "pg_advisory_xact_lock_shared" in q["sql"])


def synchronous_commit() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def test_inside_a_callers_transaction_its_commit_stays_durable(march):
    """The store commits without waiting for the disk only in a transaction of its own: inside
    a caller's, whose other writes must be durable, the setting is left as it was."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The server's own setting (off where CI starts PostgreSQL without fsync, PG_FAST=1).
    before = synchronous_commit()
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        borough_figures(march.borough, MARCH, now=IN_MAY)
        assert StoredWardMonth.objects.filter(month=MARCH).exists()
        assert synchronous_commit() == before
    assert "COALESCE(NULL, current_setting('synchronous_commit'))" in lock_statement(ctx)


@pytest.mark.django_db(transaction=True)
def test_in_its_own_transaction_the_store_commits_without_waiting_and_no_later_write_does(
    march, settings
):
    """Outside any transaction (a worker producing a report) the months are stored in a
    transaction that does not wait for the disk, committed, and the next transaction on the
    connection (the report's publishing) is durable again. (Here on the caller's connection, to
    see its queries; beside the report's others, config.beside, on a kept connection of its own:
    tests/reports/test_beside.py.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.READS_BESIDE = False
    assert not connection.in_atomic_block
    # The server's own setting (off where CI starts PostgreSQL without fsync, PG_FAST=1).
    before = synchronous_commit()
    with CaptureQueriesContext(connection) as ctx:
        figures = borough_figures(march.borough, MARCH, now=IN_MAY)
    assert "COALESCE('off', current_setting('synchronous_commit'))" in lock_statement(ctx)
    assert stored_sums(march.borough, MARCH) == {k: figures["total"][k] for k in TREND_FIELDS}
    assert synchronous_commit() == before
    with transaction.atomic():
        assert synchronous_commit() == before
