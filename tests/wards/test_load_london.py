"""manage.py load_london: the Met's 12 BCUs, 32 boroughs and 679 wards from the ONS files, loaded
again and again without changing anything, never deleting a ward that records refer to."""

import csv
import hashlib
import io
import re
import shutil

import pytest
from django.core.management import call_command
from shapely.geometry import Point, shape

from teams.models import Posting
from tests import factories as f
from wards.london import DATA_DIR, load_london
from wards.models import BCU, Borough, Place, Ward

pytestmark = pytest.mark.django_db

TOWER_HAMLETS = "E09000030"
BETHNAL_GREEN = "E05009317"  # renamed "Bethnal Green East" in ONS's 2024 data, same code


def rows_digest() -> str:
    """A hash of every column of every loaded row."""
    digest = hashlib.sha256()
    for model in (BCU, Borough, Ward, Place):
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def london_files(tmp_path, change_rows, file="london_wards_2022.csv"):
    """A copy of wards/data/ with the rows of `file` (the wards by default) passed through
    `change_rows(rows) -> rows`."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / file
    with path.open(newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(change_rows(rows))
    return data


def only_tower_hamlets(rows):
    # One borough is enough for the rename and removal rules, and quick to load.
    return [r for r in rows if r["borough_code"] == TOWER_HAMLETS]


def test_it_loads_the_met_bcus_boroughs_and_wards():
    report = load_london()

    assert BCU.objects.count() == 12
    assert Borough.objects.count() == 32
    assert Ward.objects.count() == 679
    assert report.counts["Wards"].created == 679
    assert not Borough.objects.filter(code="E09000001").exists()  # the City has its own force
    assert set(BCU.objects.values_list("code", flat=True)) == {
        "AW", "AS", "CE", "CN", "NA", "NE", "NW", "EA", "SN", "SE", "SW", "WA"
    }
    camden = Borough.objects.select_related("bcu").get(code="E09000007")
    assert (camden.name, camden.bcu.name, camden.wards.count()) == ("Camden", "Central North", 20)


def test_every_ward_has_its_boundary_a_bounding_box_and_a_centroid_inside_it():
    load_london()

    for ward in Ward.objects.all():
        assert re.fullmatch(r"E05\d{6}N", ward.police_uk_id)
        assert ward.boundary["type"] == "MultiPolygon"
        polygon = shape(ward.boundary)
        assert (ward.bbox_west, ward.bbox_south, ward.bbox_east, ward.bbox_north) == (
            polygon.bounds
        )
        # Concave wards use the label point, so every ward's centroid lies in the ward.
        assert polygon.covers(Point(float(ward.centroid_lng), float(ward.centroid_lat))), ward
    lat, lng = 51.5136, -0.1365  # Soho
    assert [w.name for w in Ward.objects.containing(lat, lng)] == ["West End"]


def test_secondary_schools_are_places_in_their_ward():
    load_london()

    schools = Place.objects.filter(kind=Place.Kind.SECONDARY_SCHOOL)
    assert schools.count() == 375
    haverstock = schools.select_related("ward").get(source_ref="urn:100049")
    assert (haverstock.name, haverstock.ward.code, haverstock.address) == (
        "Haverstock School", "E05013660", ""
    )


def test_a_second_run_changes_nothing():
    call_command("load_london", stdout=io.StringIO())
    before = rows_digest()
    out = io.StringIO()

    report = load_london()
    call_command("load_london", stdout=out)

    assert all(c.created == 0 and c.updated == 0 for c in report.counts.values())
    assert report.counts["Wards"].unchanged == 679
    assert rows_digest() == before
    assert "already up to date" in out.getvalue()


def test_a_renamed_ward_is_updated_in_place(tmp_path):
    load_london(london_files(tmp_path / "2022", only_tower_hamlets))
    ward = Ward.objects.get(code=BETHNAL_GREEN)
    posting = f.PostingFactory(team=f.TeamFactory(ward=ward), officer__borough=ward.borough)

    def rename(rows):
        for row in only_tower_hamlets(rows):
            if row["ward_code"] == BETHNAL_GREEN:
                row["ward_name"] = "Bethnal Green East"
            yield row

    report = load_london(london_files(tmp_path / "2024", lambda rows: list(rename(rows))))

    renamed = Ward.objects.get(code=BETHNAL_GREEN)
    assert (renamed.pk, renamed.name) == (ward.pk, "Bethnal Green East")
    assert report.counts["Wards"].updated == 1
    assert Posting.objects.get(pk=posting.pk).team.ward_id == ward.pk


def test_a_ward_missing_from_the_files_is_kept_and_reported(tmp_path):
    load_london(london_files(tmp_path / "all", only_tower_hamlets))
    ward = Ward.objects.get(code=BETHNAL_GREEN)
    f.PostingFactory(team=f.TeamFactory(ward=ward), officer__borough=ward.borough)

    without = london_files(
        tmp_path / "without",
        lambda rows: [r for r in only_tower_hamlets(rows) if r["ward_code"] != BETHNAL_GREEN],
    )
    out = io.StringIO()
    call_command("load_london", "--data-dir", str(without), stdout=out)

    assert Ward.objects.filter(pk=ward.pk, name="Bethnal Green").exists()
    assert "E05009317 Bethnal Green" in out.getvalue()
    assert "not deleted" in out.getvalue()
