"""Import places (places of worship, colleges, hospitals, licensed premises, transport hubs…) from
a CSV file. Each row is put in a ward by its `ward_code` column, else by the ward whose boundary
contains its latitude/longitude. Rows that cannot be placed, are outside the user's boroughs or
are malformed are rejected with the reason; the good rows are saved together.

Columns (header row, case-insensitive): name, kind, address, postcode, lat, lng, ward_code,
source_ref. `kind` is a label or value of Place.Kind ("Place of worship" or place_of_worship)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from config import audit
from config.access import borough_ids
from config.errors import DomainError
from config.parsers import column_names, csv_rows
from wards import services
from wards.models import Place, Ward

KINDS = {
    **{v: v for v in Place.Kind.values},
    **{label.lower(): v for v, label in Place.Kind.choices},
}
MAX_ROWS = 5000


@dataclass
class ImportReport:
    created: list[Place] = field(default_factory=list)
    updated: list[Place] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)


def import_places(text: str, *, user) -> ImportReport:
    report = ImportReport()
    try:
        fieldnames, rows = csv_rows(text)
    except DomainError as exc:
        report.rejected.append((1, exc.message))
        return report
    names = column_names(fieldnames)
    if "name" not in names or "kind" not in names:
        report.rejected.append((1, "The header must have at least the columns name and kind."))
        return report
    rows = [{key: row.get(name) for key, name in names.items()} for row in rows[:MAX_ROWS]]
    wards = Ward.objects.for_user(user)
    by_code = {w.code: w for w in wards.filter(code__in={r.get("ward_code", "") for r in rows})}
    existing = {
        p.source_ref: p
        for p in Place.objects.select_related("ward")
        .filter(source_ref__in={_ref(r) for r in rows})
        .exclude(source_ref="")
    }
    scope = borough_ids(user)
    places, seen = [], set()
    for line, row in enumerate(rows, start=2):
        try:
            ref = _ref(row)
            if ref and ref in seen:
                raise ValueError(f"{ref} appears earlier in the file.")
            places.append(_place(row, wards, by_code, existing, scope, user))
            seen.add(ref)
        except ValueError as exc:
            report.rejected.append((line, str(exc)))
    with transaction.atomic():
        for place in places:
            (report.updated if place.pk else report.created).append(place)
            services.place_save(place, by=user)
    return report


def _ref(row) -> str:
    """The place's reference in its source, as stored (the column holds 40 characters)."""
    return str(row.get("source_ref") or "").strip()[:40]


def _place(row, wards, by_code, existing, scope, user) -> Place:
    name = (row.get("name") or "").strip()
    if not name:
        raise ValueError("No name.")
    kind = KINDS.get((row.get("kind") or "").strip().lower())
    if kind is None:
        raise ValueError(f"Unknown kind “{row.get('kind')}”.")
    lat, lng = _coordinate(row, "lat"), _coordinate(row, "lng")
    try:
        services.place_check(Place(name=name, kind=kind, lat=lat, lng=lng))
    except DomainError as exc:
        raise ValueError(exc.message) from None
    ward = _ward(row, wards, by_code, lat, lng)
    ref = _ref(row)
    place = existing.get(ref) if ref else None
    if place is not None and scope is not None and place.ward.borough_id not in scope:
        # Source references are unique across London: say only that it is taken (logged).
        raise ValueError(audit.identifier_in_use("source reference", ref, by=user))
    place = place or Place(source_ref=ref)
    place.name, place.kind, place.ward = name[:200], kind, ward
    place.address = (row.get("address") or "").strip()[:300]
    place.postcode = (row.get("postcode") or "").strip().upper()[:10]
    place.lat, place.lng = lat, lng
    return place


def _coordinate(row, column):
    value = (row.get(column) or "").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
        if not number.is_finite():
            raise InvalidOperation
        return round(number, 6)
    except InvalidOperation:
        raise ValueError(f"{column} “{value}” is not a number.") from None


def _ward(row, wards, by_code, lat, lng) -> Ward:
    code = (row.get("ward_code") or "").strip()
    if code:
        if code not in by_code:
            raise ValueError(f"Ward {code} is not one of your wards.")
        return by_code[code]
    if lat is None:
        raise ValueError("Give a ward_code or the place's lat and lng.")
    found = wards.containing(float(lat), float(lng))
    if not found:
        raise ValueError("That location is not in any of your wards.")
    by_code[found[0].code] = found[0]
    return found[0]
