"""London's hospitals as Places (kind Hospital), a local factor of a ward's supervision workload:
from the NHS website's hospital list (supervision/data/PROVENANCE.md), each in the ward its
postcode places it in. Loaded again and again without changing anything: matched by the source
reference `ods:<ODS code>`; a hospital whose ward is not a Met ward we hold is skipped and
counted."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from config.errors import DomainError
from wards.models import Place, Ward
from wards.services import place_check

HOSPITALS_FILE = Path(__file__).parent / "data" / "london_hospitals_nhs_2020.csv"


@dataclass
class HospitalsReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # "<ods code> <name>: why"


def _coordinate(text: str) -> Decimal | None:
    try:
        return Decimal(text).quantize(Decimal("0.000001")) if text else None
    except InvalidOperation:
        return None


def load_hospitals(path: Path = HOSPITALS_FILE) -> HospitalsReport:
    report = HospitalsReport()
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    wards = dict(Ward.objects.values_list("code", "pk"))
    existing = {p.source_ref: p for p in Place.objects.filter(source_ref__startswith="ods:")}
    with transaction.atomic():
        for row in rows:
            _load_row(row, wards, existing, report)
    return report


def _load_row(row: dict, wards: dict, existing: dict, report: HospitalsReport) -> None:
    ref = f"ods:{row['ods_code']}"
    if row["ward_code"] not in wards:
        report.skipped.append(f"{row['ods_code']} {row['name']}: not in a Met ward")
        return
    values = {
        "name": row["name"][:200], "kind": Place.Kind.HOSPITAL,
        "ward_id": wards[row["ward_code"]], "address": row["address"][:300],
        "postcode": row["postcode"][:10], "lat": _coordinate(row["lat"]),
        "lng": _coordinate(row["lng"]),
    }  # fmt: skip
    place = existing.get(ref) or Place(source_ref=ref)
    if place.pk and all(getattr(place, k) == v for k, v in values.items()):
        report.unchanged += 1
        return
    for key, value in values.items():
        setattr(place, key, value)
    try:
        place_check(place)
    except DomainError as exc:
        report.skipped.append(f"{row['ods_code']} {row['name']}: {exc.message}")
        return
    created = place.pk is None
    place.save()
    if created:
        report.created += 1
    else:
        report.updated += 1
