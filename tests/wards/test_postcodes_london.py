"""London's real postcodes and ward names, loaded once for this module by `load_london`: the
spot checks of wards/data/PROVENANCE.md, every ward reachable by postcode, the names people
type, and a load that runs again, loses a terminated postcode, or meets a malformed file."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.wards.test_load_london import london_files
from wards.london import POSTCODE_FILE, load_london
from wards.models import Postcode, Ward
from wards.postcodes import locate, postcode_lookup
from wards.search import wards_named

pytestmark = pytest.mark.django_db

ROWS_IN_FILE = 180_792
CITY_POSTCODES = 1_584


@pytest.fixture(scope="module", autouse=True)
def london(django_db_setup, django_db_blocker):
    """All London loaded once (a few seconds); each test runs in a transaction on top of it,
    and the module empties the database when it is done."""
    with django_db_blocker.unblock():
        load_london()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def test_every_postcode_in_the_file_is_loaded_and_every_ward_has_some():
    assert Postcode.objects.count() == ROWS_IN_FILE
    assert Postcode.objects.filter(ward=None).count() == CITY_POSTCODES
    assert Ward.objects.filter(postcodes=None).count() == 0
    assert Ward.objects.count() == 679


@pytest.mark.parametrize(
    "postcode, ward, borough",
    [
        ("NW1 9LT", "Camden Town", "Camden"),
        ("SW1A 1AA", "St James's", "Westminster"),
        ("SE1 7PB", "Waterloo & South Bank", "Lambeth"),
        ("N1 9GU", "Caledonian", "Islington"),
        ("TW6 1EW", "Heathrow Villages", "Hillingdon"),
        ("HA9 0WS", "Wembley Park", "Brent"),
        ("TN16 3AA", "Darwin", "Bromley"),
        ("nw19lt", "Camden Town", "Camden"),
    ],
)
def test_the_provenance_spot_checks(postcode, ward, borough):
    match = postcode_lookup(postcode)
    assert (match.ward.name, match.ward.borough.name) == (ward, borough)


def test_a_city_postcode_is_the_city_of_london_polices():
    assert postcode_lookup("EC2R 8AH").in_city


def test_a_district_spans_its_wards_with_counts_that_add_up():
    match = postcode_lookup("NW3")
    assert sum(s.postcodes for s in match.wards) == Postcode.objects.filter(
        postcode__startswith="NW3 "
    ).count()
    assert {"Belsize", "Hampstead Town", "Haverstock"} <= {s.ward.name for s in match.wards}
    counts = [s.postcodes for s in match.wards]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize(
    "typed, first",
    [
        ("Kings Cross", ("King's Cross", "Camden")),
        ("Haverstok", ("Haverstock", "Camden")),
        ("Waterloo and South Bank", ("Waterloo & South Bank", "Lambeth")),
        ("Croydn", ("South Croydon", "Croydon")),
    ],
)
def test_names_as_people_type_them(typed, first):
    assert (wards_named(typed)[0].name, wards_named(typed)[0].borough.name) == first


@pytest.mark.parametrize("name", ["Kilburn", "Highgate", "Regent's Park"])
def test_names_two_boroughs_share_list_both(name):
    found = wards_named(name)
    assert len(found) == 2 and {w.name for w in found} == {name}
    assert len({w.borough_id for w in found}) == 2


def test_a_point_is_placed_by_its_nearest_postcode():
    assert locate(51.5448319, -0.1531931).ward.name == "Haverstock"  # Haverstock School
    assert locate(51.5133, -0.0886).in_city  # Bank
    assert locate(51.5073, -0.1657).ward.name == "Hyde Park"  # in the park, far from postcodes


def test_a_second_load_changes_nothing():
    before = Postcode.objects.order_by("pk").values_list()
    before = hash(tuple(before))
    report = load_london()
    counts = report.counts["Postcodes"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, ROWS_IN_FILE)
    assert report.postcodes.deleted == 0 and report.postcodes.skipped == 0
    assert hash(tuple(Postcode.objects.order_by("pk").values_list())) == before


def postcode_files(tmp_path, change_rows):
    return london_files(tmp_path, change_rows, file=POSTCODE_FILE)


def test_a_terminated_postcode_goes_and_a_moved_one_follows_the_file(tmp_path):
    def change(rows):
        for row in rows:
            if row["postcode"] == "NW1 9LT":
                continue  # terminated
            if row["postcode"] == "SW1A 1AA":
                row["ward_code"] = "E05013808"  # West End
            yield row

    out = io.StringIO()
    call_command("load_london", "--data-dir", str(postcode_files(tmp_path, change)), stdout=out)
    assert not Postcode.objects.filter(pk="NW1 9LT").exists()
    assert postcode_lookup("SW1A 1AA").ward.name == "West End"
    assert "1 postcode(s) deleted: no longer in the file" in out.getvalue()


def test_a_postcode_of_an_unknown_ward_is_skipped_and_reported(tmp_path):
    def change(rows):
        for row in rows:
            if row["postcode"] == "NW1 9LT":
                row["ward_code"] = "E05999999"
            yield row

    report = load_london(postcode_files(tmp_path, change))
    assert report.postcodes.skipped == 1 and report.postcodes.skipped_examples == ["NW1 9LT"]
    assert report.postcodes.deleted == 1  # no stale ward left behind
    assert not Postcode.objects.filter(pk="NW1 9LT").exists()


@pytest.mark.parametrize("bad", ["nw1 9lt", ""])
def test_a_malformed_postcode_file_stops_the_load_and_names_the_row(tmp_path, bad):
    def change(rows):
        for row in rows:
            if row["postcode"] == "NW1 9LT":
                row["postcode"] = bad
            yield row

    with pytest.raises(CommandError, match="not a normalised postcode"):
        call_command("load_london", "--data-dir", str(postcode_files(tmp_path, change)),
                     stdout=io.StringIO())
    assert Postcode.objects.filter(pk="NW1 9LT").exists()  # nothing changed
