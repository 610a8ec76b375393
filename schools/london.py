"""Load London's schools from schools/data/ (sources and licences: schools/data/PROVENANCE.md):
every school of the DfE KS4 list in a Met borough, placed by its published coordinates where one
of the files has them (its ward by point in polygon), else by its postcode (the ward Code-Point
gives the postcode), with its Attainment 8 against England where the subset has it. Keyed by
URN; running it again changes only what the files changed, and never a criterion imported for a
school. Then crime and ASB around every school are recounted (schools.surroundings)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from config.db import analyze
from schools import surroundings
from schools.models import School
from wards.models import Borough, Postcode, Ward

DATA_DIR = Path(__file__).resolve().parent / "data"
KS4_FILE = "london_secondary_schools_ks4_2024.csv"
COORDINATES_FILE = "london_secondary_schools_latlng_pvhee_subset.csv"
FILE_FIELDS = ["name", "kind", "borough", "ward", "postcode", "lat", "lng", "placed", "attainment"]


@dataclass
class SchoolLoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    placed: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # not in a Met borough we know
    with_surroundings: int = 0


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def kind_of(type_group: str) -> str:
    """The DfE establishment type group as one of School.Kind."""
    text = type_group.lower()
    if "special" in text:
        return School.Kind.SPECIAL
    if "college" in text:
        return School.Kind.COLLEGE
    return School.Kind.SECONDARY


def _float(value: str | None) -> float | None:
    try:
        number = float(value) if value not in (None, "", "NA") else None
    except ValueError:
        return None
    return number if number is not None and -180 <= number <= 180 else None


def _attainment(value: str | None) -> Decimal | None:
    try:
        return Decimal(value).quantize(Decimal("0.01")) if value not in (None, "", "NA") else None
    except InvalidOperation:
        return None


def _place(row, extra, borough, postcodes) -> dict:
    """The school's point, ward and how it was placed."""
    lat = _float(row.get("lat_pvhee")) or _float(extra.get("Latitude"))
    lng = _float(row.get("lng_pvhee")) or _float(extra.get("Longitude"))
    postcode = postcodes.get((row.get("postcode") or "").strip().upper())
    if lat is not None and lng is not None:
        wards = [w for w in Ward.objects.containing(lat, lng) if w.borough_id == borough.pk]
        ward = wards[0] if wards else (postcode.ward if postcode else None)
        return {"lat": lat, "lng": lng, "ward": ward, "placed": School.Placed.COORDINATES}
    if postcode is not None:
        return {
            "lat": float(postcode.lat), "lng": float(postcode.lng), "ward": postcode.ward,
            "placed": School.Placed.POSTCODE,
        }  # fmt: skip
    return {"lat": None, "lng": None, "ward": None, "placed": School.Placed.UNPLACED}


def school_rows(data_dir: Path, report: SchoolLoadReport) -> dict[str, dict]:
    boroughs = {b.code: b for b in Borough.objects.all()}
    extra = {row["URN"]: row for row in _read(data_dir / COORDINATES_FILE)}
    rows = _read(data_dir / KS4_FILE)
    wanted = {(r.get("postcode") or "").strip().upper() for r in rows} - {""}
    postcodes = {
        p.postcode: p
        for p in Postcode.objects.filter(postcode__in=wanted).select_related("ward")
        .defer("ward__boundary")
    }  # fmt: skip
    values = {}
    for row in rows:
        urn, borough = row["urn"].strip(), boroughs.get(row["borough_code"])
        if borough is None:
            report.skipped.append(f"{urn} {row['school_name']}")
            continue
        school_extra = extra.get(urn, {})
        values[urn] = {
            "name": row["school_name"].strip()[:200],
            "kind": kind_of(row["establishment_type_group"]),
            "borough": borough, "postcode": (row.get("postcode") or "").strip().upper()[:8],
            "attainment": _attainment(school_extra.get("diffn_att8")),
            **_place(row, school_extra, borough, postcodes),
        }  # fmt: skip
    return values


def load_schools(data_dir: Path = DATA_DIR) -> SchoolLoadReport:
    report = SchoolLoadReport()
    rows = school_rows(data_dir, report)
    with transaction.atomic():
        existing = {s.urn: s for s in School.objects.filter(urn__in=list(rows))}
        to_create, to_update = [], []
        for urn, values in rows.items():
            school = existing.get(urn)
            if school is None:
                to_create.append(School(urn=urn, **values))
                continue
            differing = [name for name in FILE_FIELDS if _differs(school, name, values[name])]
            for name in differing:
                setattr(school, name, values[name])
            (to_update if differing else []).append(school)
        School.objects.bulk_create(to_create, batch_size=500)
        School.objects.bulk_update(to_update, FILE_FIELDS, batch_size=500)
        report.created, report.updated = len(to_create), len(to_update)
        report.unchanged = len(rows) - len(to_create) - len(to_update)
        for values in rows.values():
            report.placed[values["placed"]] = report.placed.get(values["placed"], 0) + 1
    analyze(School)
    report.with_surroundings = surroundings.refresh()
    return report


def _differs(school: School, name: str, value) -> bool:
    current = getattr(school, f"{name}_id" if name in ("borough", "ward") else name)
    if name in ("borough", "ward"):
        return current != (value.pk if value is not None else None)
    return current != value
