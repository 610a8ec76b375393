"""Duty, abstraction and flex times are whole minutes, at every entry point (the services, the
pages, the API, the roster import) and in the database; the migration cut existing times to the
minute."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from config.errors import DomainError
from config.timeutils import LONDON, WHOLE_MINUTES_MESSAGE
from deployment import services
from deployment.duties import abstraction_record, duty_record
from deployment.models import Abstraction, AbstractionType, Duty, FlexRequest
from deployment.roster import ROSTER_COLUMNS, roster_import
from tests.conftest import api_client_for
from tests.deployment.test_pages_recording import duty_data
from tests.pages import assert_error_summary, post_as

pytestmark = pytest.mark.django_db
D, T = datetime.date, datetime.time
EIGHT = datetime.datetime(2026, 3, 6, 8, 0, tzinfo=LONDON)
SECONDS = datetime.timedelta(seconds=30)


def test_the_services_refuse_seconds(staff_a, sergeant_a, dwos_a, ward_a_east, frozen_today):
    with pytest.raises(DomainError, match="whole minutes") as duty:
        duty_record(officer=dwos_a[0], starts_at=EIGHT + SECONDS,
                    ends_at=EIGHT + datetime.timedelta(hours=8), by=staff_a)
    assert duty.value.field == "starts_at"
    with pytest.raises(DomainError, match="whole minutes") as abstraction:
        abstraction_record(
            officer=dwos_a[0], abstraction_type=AbstractionType.objects.get(code="court"),
            starts_at=EIGHT, ends_at=EIGHT + datetime.timedelta(hours=2, microseconds=1),
            by=staff_a, significant_event="Trial", authorised_by_name="Supt Khan",
        )
    assert abstraction.value.field == "ends_at"
    with pytest.raises(DomainError, match="whole minutes") as flex:
        services.flex_create(
            borough=ward_a_east.borough, to_ward=ward_a_east, officers=dwos_a[:1],
            start_date=D(2026, 3, 9), end_date=D(2026, 3, 10), daily_start=T(8, 0, 30),
            daily_end=T(16), problem="Burglary", expected_benefit="Arrests", by=sergeant_a,
        )
    assert flex.value.field == "daily_start"
    assert not (Duty.objects.exists() or Abstraction.objects.exists()
                or FlexRequest.objects.exists())


def test_the_pages_refuse_seconds(client, staff_a, dwos_a, frozen_today):
    from django.urls import reverse

    response = post_as(client, staff_a, reverse("deployment:duty_new"),
                       duty_data(dwos_a[0], start="07:00:30"))
    assert_error_summary(response, WHOLE_MINUTES_MESSAGE, field="id_start")
    assert not Duty.objects.exists()


def test_the_api_refuses_seconds_with_a_field_error(staff_a, sergeant_a, dwos_a, ward_a_east,
                                                     frozen_today):
    staff, sergeant = api_client_for(staff_a), api_client_for(sergeant_a)
    duty = staff.post("/api/v1/duties/", {
        "officer": dwos_a[0].shoulder_number, "date": "2026-03-06", "start": "22:00:15",
        "end": "07:00",
    }, format="json")
    assert duty.status_code == 400 and "start" in duty.json()
    abstraction = staff.post("/api/v1/abstractions/", {
        "officer": dwos_a[0].shoulder_number, "abstraction_type": "court",
        "starts_at": "2026-03-06T08:00:00", "ends_at": "2026-03-06T10:00:59",
        "significant_event": "Trial", "authorised_by_name": "Supt Khan",
    }, format="json")
    assert abstraction.status_code == 400 and "ends_at" in abstraction.json()
    flex = sergeant.post("/api/v1/flex-requests/", {
        "to_ward": ward_a_east.code, "officers": [dwos_a[0].shoulder_number],
        "start_date": "2026-03-09", "end_date": "2026-03-10", "daily_start": "18:00",
        "daily_end": "02:00:01", "problem": "Snatches", "expected_benefit": "Arrests",
    }, format="json")
    assert flex.status_code == 400 and "daily_end" in flex.json()
    assert not (Duty.objects.exists() or Abstraction.objects.exists()
                or FlexRequest.objects.exists())


def test_the_roster_import_rejects_a_row_with_seconds(staff_a, dwos_a):
    a = dwos_a[0].shoulder_number
    text = ",".join(ROSTER_COLUMNS) + f"\n{a},2026-03-06,07:00,15:00:30,home,,,,,,\n"
    result = roster_import(text=text, by=staff_a)
    assert result.imported == 0
    assert WHOLE_MINUTES_MESSAGE in dict(result.rejected)[2]


def test_the_database_holds_every_time_to_whole_minutes(staff_a, ward_a, dwos_a):
    with pytest.raises(IntegrityError, match="duty_in_whole_minutes"), transaction.atomic():
        Duty.objects.create(officer=dwos_a[0], home_ward=ward_a, worked_ward=ward_a,
                            starts_at=EIGHT, ends_at=EIGHT + datetime.timedelta(hours=1) + SECONDS,
                            recorded_by=staff_a)
    with pytest.raises(IntegrityError, match="abstraction_in_whole_minutes"), \
            transaction.atomic():
        Abstraction.objects.create(
            officer=dwos_a[0], borough=ward_a.borough,
            abstraction_type=AbstractionType.objects.get(code="court"), starts_at=EIGHT + SECONDS,
            ends_at=EIGHT + datetime.timedelta(hours=2), recorded_by=staff_a,
        )
    with pytest.raises(IntegrityError, match="abstraction_shorter_than_max_days"), \
            transaction.atomic():
        Abstraction.objects.create(
            officer=dwos_a[0], borough=ward_a.borough,
            abstraction_type=AbstractionType.objects.get(code="court"), starts_at=EIGHT,
            ends_at=EIGHT.astimezone(datetime.UTC) + datetime.timedelta(days=31),
            recorded_by=staff_a,
        )


@pytest.mark.django_db(transaction=True)
def test_the_migration_cuts_existing_times_to_the_minute():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("deployment", "0007_monthly_report_moved_to_reports")])
    try:
        with connection.cursor() as cursor:
            cursor.execute("""
                INSERT INTO wards_bcu (code, name) VALUES ('ZZ', 'Z');
                INSERT INTO wards_borough (code, name, bcu_id)
                    SELECT 'E09999999', 'Z', id FROM wards_bcu WHERE code = 'ZZ';
            """)
        _insert_with_seconds()
        MigrationExecutor(connection).migrate(latest)
        with connection.cursor() as cursor:
            cursor.execute("SELECT starts_at, ends_at FROM deployment_duty ORDER BY starts_at")
            duties = cursor.fetchall()
            cursor.execute("SELECT daily_start, daily_end FROM deployment_flexrequest")
            windows = cursor.fetchall()
        utc = datetime.UTC
        assert duties == [
            (datetime.datetime(2026, 3, 6, 8, 0, tzinfo=utc),
             datetime.datetime(2026, 3, 6, 10, 0, tzinfo=utc)),
            # Ends at 10:00:50, the next starts 10:00:55: both 10:00, still apart.
            (datetime.datetime(2026, 3, 6, 10, 0, tzinfo=utc),
             datetime.datetime(2026, 3, 6, 10, 1, tzinfo=utc)),  # 20 s: one minute kept
        ]
        assert windows == [(T(18, 0), T(2, 0))]
    finally:
        MigrationExecutor(connection).migrate(latest)


def _insert_with_seconds():
    with connection.cursor() as cursor:
        cursor.execute("""
            WITH b AS (SELECT id FROM wards_borough WHERE code = 'E09999999'),
            w AS (INSERT INTO wards_ward (code, name, borough_id, centroid_lat, centroid_lng,
                                          boundary, bbox_south, bbox_north, bbox_west, bbox_east)
                  SELECT 'E05999999', 'Z', b.id, 51.5, -0.1, '{}', 51.4, 51.6, -0.2, 0
                  FROM b RETURNING id, borough_id),
            o AS (INSERT INTO teams_officer (shoulder_number, first_name, last_name, rank,
                                             is_detective, borough_id, active)
                  SELECT '1ZZ', 'A', 'B', 'pc', false, w.borough_id, true FROM w RETURNING id),
            u AS (INSERT INTO teams_user (password, is_superuser, username, first_name,
                                          last_name, email, is_staff, is_active, date_joined,
                                          role)
                  VALUES ('', false, 'migrator', '', '', '', false, true, now(), 'staff')
                  RETURNING id),
            d AS (INSERT INTO deployment_duty (officer_id, home_ward_id, worked_ward_id,
                                               starts_at, ends_at, kind, notes, recorded_by_id,
                                               recorded_at)
                  SELECT o.id, w.id, w.id, s, e, 'home', '', u.id, now()
                  FROM o, w, u, (VALUES
                      ('2026-03-06 08:00:20+00'::timestamptz,
                       '2026-03-06 10:00:50+00'::timestamptz),
                      ('2026-03-06 10:00:55+00', '2026-03-06 10:01:15+00')) AS t(s, e)
                  RETURNING 1)
            INSERT INTO deployment_flexrequest (borough_id, to_ward_id, start_date, end_date,
                daily_start, daily_end, problem, expected_benefit, status, requested_by_id,
                created_at, decision_reason, cover_override_reason)
            SELECT w.borough_id, w.id, '2026-03-09', '2026-03-10', '18:00:40', '02:00:05', 'p',
                   'b', 'draft', u.id, now(), '', ''
            FROM w, u
        """)
