"""Load London's policing geography (BCUs, Met boroughs, wards with boundaries), its secondary
schools and its postcodes from the reference files in wards/data/ (sources and licences:
wards/data/PROVENANCE.md).

The load is keyed by natural keys (BCU name, ONS codes, a school's URN, a postcode), runs in one
transaction and only writes rows whose values differ, so running it again changes nothing. It
never deletes a ward: wards that disappear from the files are reported, because postings,
promises and crimes refer to them. Postcodes are the exception: nothing refers to them, and a
postcode the file no longer lists has been terminated, so it is deleted."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import models, transaction
from django.utils.text import capfirst
from shapely.geometry import shape

from config.db import analyze
from wards.models import BCU, Borough, Place, Postcode, Ward
from wards.postcode_load import PostcodeLoad, load_postcodes

DATA_DIR = Path(__file__).resolve().parent / "data"
POSTCODE_FILE = "london_postcodes_2025-10.csv"
CITY_OF_LONDON = "E09000001"  # policed by the City of London Police, not the Met


@dataclass
class SyncCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LondonLoadReport:
    counts: dict[str, SyncCounts] = field(default_factory=dict)
    # Wards in the database that the files no longer list: kept, for a person to look at.
    missing_wards: list[str] = field(default_factory=list)
    # Schools whose ward_code is not a Met ward we know.
    skipped_places: list[str] = field(default_factory=list)
    postcodes: PostcodeLoad | None = None

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())


def load_london(data_dir: Path = DATA_DIR) -> LondonLoadReport:
    report = LondonLoadReport()
    with transaction.atomic():
        bcus = _sync(BCU, "name", _bcu_rows(data_dir), report)
        boroughs = _sync(Borough, "code", _borough_rows(data_dir, bcus), report)
        wards = _sync(Ward, "code", _ward_rows(data_dir, boroughs), report)
        report.missing_wards = sorted(
            f"{code} {name}"
            for code, name in Ward.objects.exclude(code__in=wards).values_list("code", "name")
        )
        _sync(Place, "source_ref", _school_rows(data_dir, wards, report), report)
        report.postcodes = load_postcodes(data_dir / POSTCODE_FILE, city_code=CITY_OF_LONDON)
        report.counts["Postcodes"] = SyncCounts(
            report.postcodes.created, report.postcodes.updated, report.postcodes.unchanged
        )
        analyze(BCU, Borough, Ward, Place, Postcode)
    return report


# --- reading the files ------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _dec(value: str, places: int) -> Decimal | None:
    if value in ("", None):
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-places))


def _bcu_rows(data_dir: Path) -> dict[str, dict]:
    return {
        row["bcu_name"]: {"name": row["bcu_name"], "code": row["bcu_code_unverified"]}
        for row in _read_csv(data_dir / "met_bcus.csv")
    }


def _borough_rows(data_dir: Path, bcus: dict[str, BCU]) -> dict[str, dict]:
    rows = {}
    for row in _read_csv(data_dir / "london_boroughs_2022.csv"):
        if row["borough_code"] == CITY_OF_LONDON or not row["bcu_name"]:
            continue
        rows[row["borough_code"]] = {
            "code": row["borough_code"],
            "name": row["borough_name"],
            "bcu_id": bcus[row["bcu_name"]].pk,
            "centroid_lat": _dec(row["centroid_lat"], 6),
            "centroid_lng": _dec(row["centroid_lng"], 6),
            "area_km2": _dec(row["area_km2"], 3),
        }
    return rows


def _boundaries(data_dir: Path) -> dict[str, dict]:
    """Each ward's boundary as a GeoJSON MultiPolygon, with its bounding box."""
    with (data_dir / "london_wards_2022_bsc.geojson").open(encoding="utf-8") as f:
        features = json.load(f)["features"]
    result = {}
    for feature in features:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            geometry = {"type": "MultiPolygon", "coordinates": [geometry["coordinates"]]}
        west, south, east, north = shape(geometry).bounds
        result[feature["properties"]["ward_code"]] = {
            "boundary": geometry,
            "bbox_south": south,
            "bbox_north": north,
            "bbox_west": west,
            "bbox_east": east,
        }
    return result


def _ward_rows(data_dir: Path, boroughs: dict[str, Borough]) -> dict[str, dict]:
    boundaries = _boundaries(data_dir)
    empty = dict.fromkeys(["boundary", "bbox_south", "bbox_north", "bbox_west", "bbox_east"])
    rows = {}
    for row in _read_csv(data_dir / "london_wards_2022.csv"):
        borough = boroughs.get(row["borough_code"])
        if borough is None:  # the City of London's wards
            continue
        # Eight concave wards have their centroid outside the polygon: use the label point.
        inside = row["centroid_inside_polygon"] == "True"
        lat, lng = ("centroid_lat", "centroid_lng") if inside else ("label_lat", "label_lng")
        rows[row["ward_code"]] = {
            "code": row["ward_code"],
            "name": row["ward_name"],
            "borough_id": borough.pk,
            "centroid_lat": _dec(row[lat], 6),
            "centroid_lng": _dec(row[lng], 6),
            "area_km2": _dec(row["area_km2"], 4),
            **boundaries.get(row["ward_code"], empty),
        }
    return rows


def _school_rows(data_dir: Path, wards: dict[str, Ward], report: LondonLoadReport) -> dict:
    rows = {}
    for row in _read_csv(data_dir / "london_secondary_schools_latlng_pvhee_subset.csv"):
        ward = wards.get(row["ward_code"])
        ref = f"urn:{row['URN']}"
        if ward is None:
            report.skipped_places.append(f"{ref} {row['EstablishmentName']}")
            continue
        values = {
            "source_ref": ref,
            "name": row["EstablishmentName"].strip(),
            "kind": Place.Kind.SECONDARY_SCHOOL,
            "ward_id": ward.pk,
            "lat": _dec(row["Latitude"], 6),
            "lng": _dec(row["Longitude"], 6),
        }
        # This file has no address; a later file may. Never blank an address typed by a person.
        if row.get("address"):
            values["address"] = row["address"].strip()
        if row.get("postcode"):
            values["postcode"] = row["postcode"].strip()
        rows[ref] = values
    return rows


# --- writing ----------------------------------------------------------------------------------


def _sync(
    model: type[models.Model], key: str, rows: dict[str, dict], report: LondonLoadReport
) -> dict[str, models.Model]:
    """Create the rows that are missing and update those whose values differ, in bulk.
    Returns every row of the file as a saved object, by key."""
    existing = {
        getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": list(rows)})
    }
    to_create, to_update, changed_fields = [], [], set()
    counts = report.counts.setdefault(capfirst(model._meta.verbose_name_plural), SyncCounts())
    for natural_key, values in rows.items():
        obj = existing.get(natural_key)
        if obj is None:
            to_create.append(model(**values))
            continue
        differing = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in differing:
            setattr(obj, name, values[name])
        if differing:
            to_update.append(obj)
            changed_fields.update(differing)
        else:
            counts.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=200)
    counts.created += len(to_create)
    counts.updated += len(to_update)
    return {**existing, **{getattr(obj, key): obj for obj in to_create}}


def format_report(report: LondonLoadReport) -> Iterable[str]:
    for label, c in report.counts.items():
        yield (
            f"{label:<12} created {c.created:>4}  updated {c.updated:>4}  "
            f"unchanged {c.unchanged:>4}"
        )
    if report.missing_wards:
        yield (
            f"{len(report.missing_wards)} ward(s) in the database are not in the files; kept, "
            "not deleted (records may refer to them):"
        )
        yield from (f"  {ward}" for ward in report.missing_wards)
    if report.postcodes:
        yield from report.postcodes.describe()
    if report.skipped_places:
        yield f"{len(report.skipped_places)} school(s) skipped: their ward is not a Met ward:"
        yield from (f"  {place}" for place in report.skipped_places)
