"""Importing data.police.uk's street-level files: the real ones in demand/data/, and small files
built by hand for each rule (vintage, ASB, other forces, LSOAs outside London, bad rows)."""

import csv
import gzip
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from demand.models import DataMonth, StreetCrime, WardMonthCount
from demand.police_uk import decide_vintage
from demand.reference import DATA_DIR
from tests.demand.conftest import HEADER, crime_file, crime_row, run_police_uk
from wards.models import Ward

pytestmark = pytest.mark.django_db
MARCH_2024 = DATA_DIR / "policeuk_2024-03-metropolitan-street_burglary.csv.gz"
JANUARY_2019 = DATA_DIR / "policeuk_2019-01-metropolitan-street_burglary.csv.gz"


def _hand_count(path, lookup_file):
    """A separate computation: the file's rows per ward code, through the lookup, with csv."""
    lookup = {}
    with open(DATA_DIR / lookup_file, newline="") as f:
        for row in csv.DictReader(f):
            lookup[row[next(k for k in row if k.endswith("_code") and k.startswith("lsoa"))]] = (
                row["ward_code"],
                row["borough_code"],
            )
    per_ward, outside, unlocated = Counter(), 0, 0
    with gzip.open(path, "rt", newline="") as f:
        for row in csv.DictReader(f):
            code = row["LSOA code"]
            if not code:
                unlocated += 1
            elif code not in lookup or lookup[code][1] == "E09000001":
                outside += 1
            else:
                per_ward[lookup[code][0]] += 1
    return per_ward, outside, unlocated


def _counts_by_ward():
    rows = WardMonthCount.objects.values("ward__code").annotate(n=Sum("count"))
    return {r["ward__code"]: r["n"] for r in rows}


def test_a_real_month_of_lsoa_2021_burglary_lands_in_its_wards(london):
    record = run_police_uk(MARCH_2024.read_bytes())
    per_ward, outside, unlocated = _hand_count(MARCH_2024, "lookup_lsoa21_to_ward2022_london.csv")

    assert record.status == "done", record.error
    assert record.vintage == 2021
    assert (record.rows_read, record.imported, record.outside_met) == (4618, 4615, 3)
    assert (record.other_force, record.unlocated, record.rejected) == (0, unlocated, 0)
    assert record.imported == sum(per_ward.values()) and record.outside_met == outside
    assert _counts_by_ward() == dict(per_ward)
    assert StreetCrime.objects.count() == 4615
    assert list(DataMonth.objects.values_list("month", "category__slug", "rows")) == [
        (record.months[0], "burglary", 4615)
    ]
    assert len(record.sha256) == 64 and record.categories == ["burglary"]


def test_a_real_2019_month_is_read_with_the_lsoa_2011_lookup(london):
    record = run_police_uk(JANUARY_2019.read_bytes())
    per_ward, outside, unlocated = _hand_count(JANUARY_2019, "lookup_lsoa11_to_ward2022_london.csv")

    assert record.vintage == 2011
    assert (record.imported, record.outside_met, record.unlocated) == (7453, 5, 20)
    assert (outside, unlocated) == (5, 20)
    assert _counts_by_ward() == dict(per_ward)
    assert "LSOA 2011" in record.notes[0]


def test_each_file_uses_one_vintage_even_where_the_lookups_disagree(london):
    """E01000099 is in both lookups but in Valence ward for 2011 and Whalebone for 2021. The
    file's other codes decide its vintage; the shared code follows it, never row by row."""
    only_2011 = crime_row(lsoa="E01000010", lsoa_name="x")
    shared = crime_row(lsoa="E01000099", lsoa_name="y", crime_id="b")
    run_police_uk(crime_file([only_2011, shared]))
    assert _counts_by_ward() == {"E05014053": 1, "E05014069": 1}  # Abbey, Valence (2011)

    only_2021 = crime_row(lsoa="E01033784", lsoa_name="z", month="2024-04")
    shared_2021 = crime_row(lsoa="E01000099", lsoa_name="y", month="2024-04", crime_id="c")
    record = run_police_uk(crime_file([only_2021, shared_2021]))
    assert record.vintage == 2021
    april = WardMonthCount.objects.filter(month__month=4).values_list("ward__code", "count")
    assert sorted(april) == [("E05013973", 1), ("E05014071", 1)]  # Harold Wood, Whalebone


def test_a_london_code_of_the_other_vintage_is_rejected_not_mapped(london):
    rows = [
        crime_row(lsoa="E01033784"),
        crime_row(lsoa="E01033785"),
        crime_row(lsoa="E01000010", crime_id="old"),
    ]
    record = run_police_uk(crime_file(rows))
    assert record.vintage == 2021 and record.imported == 2
    assert record.rejections == [[4, "LSOA E01000010 is not an LSOA 2021 code, and the file is"]]


def test_asb_other_forces_and_lsoas_outside_the_32_boroughs_are_counted_apart(london):
    rows = [
        crime_row(crime_id="", crime_type="Anti-social behaviour", outcome=""),
        crime_row(crime_id="", crime_type="Anti-social behaviour", outcome=""),
        crime_row(falls_within="Essex Police"),
        crime_row(falls_within="City of London Police", lsoa="E01000001"),
        crime_row(lsoa="E01000001"),  # the City, in a Met file
        crime_row(lsoa="E01033217"),  # just outside London
        crime_row(lng="", lat="", location="No location", lsoa="", lsoa_name=""),
        crime_row(),
    ]
    record = run_police_uk(crime_file(rows))
    assert (record.imported, record.other_force, record.outside_met, record.unlocated) == (
        3,
        2,
        2,
        1,
    )
    assert record.rows_read == 8 and record.rejected == 0
    counts = dict(WardMonthCount.objects.values_list("category__slug", "count"))
    assert counts == {"anti-social-behaviour": 2, "burglary": 1}
    assert set(
        StreetCrime.objects.filter(category__slug="anti-social-behaviour").values_list(
            "crime_id", flat=True
        )
    ) == {""}
    assert Ward.objects.get(code="E05013661").pk in set(
        StreetCrime.objects.values_list("ward_id", flat=True)
    )


@pytest.mark.parametrize(
    "row, reason",
    [
        (crime_row(month="2024-13"), "Month '2024-13' is not a month (YYYY-MM)"),
        (crime_row(month="9999-01"), "Month '9999-01' is not a month (YYYY-MM)"),
        (
            crime_row(crime_type="Jaywalking"),
            "Crime type 'Jaywalking' is not a data.police.uk category",
        ),
        (crime_row(lsoa="NOT-AN-LSOA"), "LSOA code 'NOT-AN-LSOA' is not an LSOA code"),
        (crime_row(lng="abc"), "Longitude 'abc' and Latitude '51.55' must be numbers"),
        (crime_row(lng="120", lat="-40"), "the point (-40, 120) is not in Great Britain"),
        (crime_row()[:5], "has 5 columns, not 12"),
        (crime_row(location="x" * 201), "Location is longer than 200 characters"),
    ],
)
def test_a_malformed_row_is_rejected_with_its_reason_and_the_rest_imported(london, row, reason):
    record = run_police_uk(crime_file([crime_row(), row]))
    assert record.rejections == [[3, reason]]
    assert (record.imported, record.rejected) == (1, 1)


def test_all_or_nothing_imports_nothing_when_a_row_is_malformed(london):
    run_police_uk(crime_file([crime_row(crime_id="before")]))
    record = run_police_uk(crime_file([crime_row(), crime_row(month="x")]), all_or_nothing=True)
    assert record.status == "failed" and "nothing was imported" in record.error
    assert list(StreetCrime.objects.values_list("crime_id", flat=True)) == ["before"]


@pytest.mark.parametrize(
    "raw, error",
    [
        (b"", "The file is empty."),
        (HEADER.encode() + b"\n", "The file holds no rows."),
        (b"\xff\xfe\x00garbage", "The file is not UTF-8 CSV text."),
        (b"a,b\x00,c\n", "The file holds NUL bytes: it is not a CSV text file."),
        (b"Crime ID,Month\n1,2024-03\n", "The header is not data.police.uk's street-level header"),
        (b"\x1f\x8bnot really gzip", "The file is not a readable gzip file."),
    ],
)
def test_a_file_that_cannot_be_read_fails_and_changes_nothing(london, raw, error):
    run_police_uk(crime_file([crime_row(crime_id="kept")]))
    record = run_police_uk(raw)
    assert record.status == "failed" and record.error.startswith(error)
    assert StreetCrime.objects.count() == 1


def test_importing_a_file_again_replaces_its_month_and_categories_only(london):
    other = crime_row(crime_type="Drugs", crime_id="drugs")
    run_police_uk(crime_file([crime_row(crime_id="a"), crime_row(crime_id="b"), other]))
    burglary_only = crime_file(
        [crime_row(crime_id="a"), crime_row(crime_id="c"), crime_row(crime_id="d")]
    )
    first = run_police_uk(burglary_only)
    second = run_police_uk(burglary_only)

    assert first.imported == second.imported == 3
    assert sorted(StreetCrime.objects.values_list("crime_id", flat=True)) == [
        "a",
        "c",
        "d",
        "drugs",
    ]
    counts = dict(WardMonthCount.objects.values_list("category__slug", "count"))
    assert counts == {"burglary": 3, "drugs": 1}


def test_the_vintage_is_decided_by_the_codes_only_one_vintage_has():
    lookups = {2011: {"A": 1, "B": 1, "OLD": 1}, 2021: {"A": 1, "B": 1, "NEW1": 1, "NEW2": 1}}
    assert decide_vintage({"A", "NEW1"}, lookups)[0] == 2021
    assert decide_vintage({"A", "OLD", "NEW1", "NEW2"}, lookups)[0] == 2021
    assert decide_vintage({"OLD", "B"}, lookups)[0] == 2011
    vintage, why = decide_vintage({"A", "B"}, lookups)
    assert vintage == 2021 and "No code" in why


def test_the_command_prints_each_count_and_fails_only_when_nothing_was_read(
    london, capsys, tmp_path
):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        crime_file(
            [
                crime_row(),
                crime_row(month="nope"),
                crime_row(lsoa="E01033217"),
                crime_row(falls_within="Kent Police"),
            ]
        )
    )
    call_command("import_police_uk", str(bad))
    out = capsys.readouterr().out
    assert "imported                       1" in out.replace(",", "")
    assert "another force" in out and "LSOA outside the 32 boroughs" in out
    assert "line 3: Month 'nope' is not a month (YYYY-MM)" in out

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="Nothing could be read"):
        call_command("import_police_uk", str(empty), str(tmp_path / "missing.csv"))
