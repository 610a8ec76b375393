"""Importing calls for service in our CAD format: placing calls in wards, London time across the
clock changes, the counts by hour of the week, borough scoping, and importing again."""

import datetime

import pytest

from demand.models import CadCall, CadWardMonth
from tests import factories as f
from tests.demand.conftest import run_cad

pytestmark = pytest.mark.django_db
HEADER = "reference,received_at,ward_code,latitude,longitude,type,grade"


def cad_file(*rows, header=HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def test_calls_are_placed_by_ward_code_or_point_and_counted_by_hour_of_week(ward_a):
    # ward_a's boundary is a small square around its centroid (tests/factories.py).
    lat, lng = float(ward_a.centroid_lat), float(ward_a.centroid_lng)
    record = run_cad(
        cad_file(
            "C1,2026-03-02T08:15:00+00:00,E05013660,,,asb,S",  # Monday 08:15 GMT
            f"C2,2026-03-02T08:45:00,,{lat},{lng},other,I",  # London time, placed by its point
            "C3,2026-03-08T23:59:00+00:00,E05013660,,,other,E",  # Sunday 23:59
        )
    )
    assert record.status == "done", record.error
    assert (record.imported, record.rejected) == (3, 0)
    rows = {r.kind: r for r in CadWardMonth.objects.filter(ward=ward_a)}
    assert rows["asb"].calls == 1 and rows["other"].calls == 2
    assert rows["asb"].by_hour[8] == 1  # Monday 08:00-09:00
    assert rows["other"].by_hour[8] == 1 and rows["other"].by_hour[6 * 24 + 23] == 1
    assert sum(rows["other"].by_hour) == 2


def test_london_time_across_the_clock_changes(ward_a):
    record = run_cad(
        cad_file(
            # 29 March 2026: 01:00 GMT becomes 02:00 BST, so 01:30 London time never happens.
            "S1,2026-03-29T01:30:00,E05013660,,,other,S",
            # 25 October 2026: 01:30 London time happens twice; without an offset, the first (BST).
            "A1,2026-10-25T01:30:00,E05013660,,,other,S",
            "A2,2026-10-25T01:30:00+00:00,E05013660,,,other,S",  # the second (GMT)
            "B1,2026-10-31T23:30:00+00:00,E05013660,,,other,S",  # 23:30 GMT Saturday, in October
        )
    )
    assert record.rejections == [
        [2, "received_at 2026-03-29T01:30:00 does not exist in London (the clocks went forward)"]
    ]
    first = CadCall.objects.get(reference="A1").received_at
    assert first == datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC)
    october = CadWardMonth.objects.get(ward=ward_a, month=datetime.date(2026, 10, 1))
    sunday_1am, saturday_11pm = 6 * 24 + 1, 5 * 24 + 23
    assert october.by_hour[sunday_1am] == 2  # the repeated hour counts both calls
    assert october.by_hour[saturday_11pm] == 1 and october.calls == 3


@pytest.mark.parametrize(
    "row, reason",
    [
        (
            "R1,yesterday,E05013660,,,asb,S",
            "received_at 'yesterday' is not an ISO 8601 date and time",
        ),
        (
            "R1,1999-12-31T23:00:00+00:00,E05013660,,,asb,S",
            "received_at 1999-12-31T23:00:00+00:00 is not between "
            "1 January 2000 and 31 December 2099, "
            "or is in the future",
        ),
        (
            "R1,9999-01-01T00:00:00+00:00,E05013660,,,asb,S",
            "received_at 9999-01-01T00:00:00+00:00 is not between "
            "1 January 2000 and 31 December 2099, "
            "or is in the future",
        ),
        ("R1,2026-01-01T10:00:00,E05013660,,,noise,S", "type 'noise' must be asb or other"),
        ("R1,2026-01-01T10:00:00,E05013660,,,asb,X", "grade 'X' must be I, S, E or R"),
        ("R1,2026-01-01T10:00:00,E05099999,,,asb,S", "ward_code 'E05099999' is not a Met ward"),
        ("R1,2026-01-01T10:00:00,,,,asb,S", "give a ward_code, or a latitude and longitude"),
        (
            "R1,2026-01-01T10:00:00,,10.0,10.0,asb,S",
            "the point (10.0, 10.0) is in none of your wards",
        ),
        (
            ",2026-01-01T10:00:00,E05013660,,,asb,S",
            "reference must be given, at most 30 characters",
        ),
        ("R1,2026-01-01T10:00:00,E05013660", "has 3 columns, not 7"),
    ],
)
def test_a_malformed_call_is_rejected_with_its_reason(ward_a, row, reason):
    record = run_cad(cad_file("OK,2026-01-01T09:00:00,E05013660,,,asb,S", row))
    assert record.rejections == [[3, reason]]
    assert CadCall.objects.count() == 1


def test_the_format_refuses_any_other_column(ward_a):
    record = run_cad(
        cad_file(
            "R1,2026-01-01T10:00:00,E05013660,Mrs Smith",
            header=HEADER.split(",latitude")[0] + ",caller",
        )
    )
    assert record.status == "failed" and "Not allowed: caller" in record.error
    assert not CadCall.objects.exists()


def test_a_user_imports_calls_for_their_own_wards_only(ward_a, ward_b, staff_a, staff_b):
    run_cad(cad_file("B1,2026-01-01T10:00:00,E05013806,,,asb,S"), by=staff_b)
    record = run_cad(
        cad_file(
            "A1,2026-01-01T10:00:00,E05013660,,,asb,S",
            "A2,2026-01-01T10:00:00,E05013806,,,asb,S",  # borough_b's ward
            "B1,2026-01-02T10:00:00,E05013660,,,other,I",  # borough_b's call: not moved
        ),
        by=staff_a,
    )
    assert record.rejections == [
        [3, "ward E05013806 is not in your boroughs"],
        [4, "reference B1 is another borough's call"],
    ]
    assert CadCall.objects.get(reference="B1").ward == ward_b
    assert CadCall.objects.filter(ward=ward_a).count() == 1


def test_importing_again_replaces_the_calls_and_recounts_both_months(ward_a):
    other = f.WardFactory(borough=ward_a.borough)
    run_cad(cad_file("C1,2026-01-31T23:30:00+00:00,E05013660,,,asb,S"))
    run_cad(cad_file(f"C1,2026-02-01T00:30:00+00:00,{other.code},,,other,I"))
    assert CadCall.objects.count() == 1
    assert not CadWardMonth.objects.filter(ward=ward_a).exists()
    moved = CadWardMonth.objects.get(ward=other)
    assert (moved.month, moved.kind, moved.calls) == (datetime.date(2026, 2, 1), "other", 1)


def test_all_or_nothing_keeps_everything_out_when_a_row_is_bad(ward_a):
    record = run_cad(
        cad_file("A1,2026-01-01T10:00:00,E05013660,,,asb,S", "bad"), all_or_nothing=True
    )
    assert record.status == "failed" and not CadCall.objects.exists()


def test_the_generator_writes_a_file_the_import_reads_with_a_rhythm(ward_a):
    from demand import generator

    raw = generator.cad_csv(
        datetime.date(2026, 7, 1), 14, [(ward_a.code, 10000)], calls_per_year=200_000
    )
    record = run_cad(raw)
    assert record.rejected == 0 and record.imported > 5000
    row_asb = CadWardMonth.objects.get(ward=ward_a, kind="asb")
    row_all = [
        a + b
        for a, b in zip(
            row_asb.by_hour,
            CadWardMonth.objects.get(ward=ward_a, kind="other").by_hour,
            strict=True,
        )
    ]
    night = sum(row_all[d * 24 + h] for d in range(7) for h in range(3, 6))
    evening = sum(row_all[d * 24 + h] for d in range(7) for h in range(17, 20))
    assert evening > 3 * night  # the daily rhythm
    weekend_evening_asb = sum(row_asb.by_hour[d * 24 + h] for d in (5, 6) for h in range(18, 24))
    weekday_evening_asb = sum(row_asb.by_hour[d * 24 + h] for d in (0, 1) for h in range(18, 24))
    assert weekend_evening_asb > weekday_evening_asb  # more ASB at weekends
