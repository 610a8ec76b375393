"""Importing data.police.uk's street-level crime CSV, exactly as published.

Every row read ends up in exactly one of these counts, never dropped silently:
- imported: the Met's, with an LSOA in the 32 boroughs, placed in that LSOA's 2022 ward;
- other force: "Falls within" is not the Metropolitan Police Service;
- outside the Met: the LSOA is outside the 32 boroughs (the City of London, or outside London:
  Epping Forest, Dartford, Spelthorne…);
- without a location: no LSOA (police.uk publishes some crimes without a map point);
- rejected, with the line and the reason: a malformed row.

The file's LSOA vintage (2011 or 2021) is decided once, from all the codes it holds (the codes
only one vintage has), and every row is mapped with that vintage's lookup. The two lookups send
some codes to different wards, so a row is never tried against the other vintage: a London code
of the other vintage is rejected as such.

Importing replaces that month's rows of the categories the file holds (the real burglary-only
files leave the other categories alone), so importing a file twice changes nothing.
"""

from __future__ import annotations

import functools
import re

from django.db import connection, transaction

from config.db import copy_rows
from config.errors import DomainError
from demand import importing
from demand.importing import Outcome
from demand.locations import TransportHubs, classify
from demand.models import (
    Category,
    DataImport,
    DataMonth,
    Lsoa,
    StreetCrime,
    WardMonthCount,
    WardMonthTotal,
)
from demand.months import parse_month
from demand.reference import ASB, CITY_OF_LONDON, MET_FORCE
from wards.models import Place, Ward

HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip
OTHER_VINTAGE = {2011: 2021, 2021: 2011}
LSOA_RE = re.compile(r"^[EW]0[12]\d{6}$")
STAGING_COLUMNS = [
    "month", "category_id", "ward_id", "crime_id", "lsoa_code", "lng", "lat", "location",
    "outcome", "location_kind",
]  # fmt: skip


def import_file(record: DataImport, raw: bytes, *, all_or_nothing: bool = False) -> DataImport:
    """Read and save one file into `record`. Returns the record, finished (done or failed)."""
    read = functools.partial(_place_read, record)
    opening = importing.open_file(record, raw, read, all_or_nothing=all_or_nothing)
    if opening is None:
        return record
    outcome, began = opening.outcome, opening.began
    parsed, (vintage, mapped) = opening.parsed
    importing.set_stage(record, f"Saving {len(mapped):,} rows", vintage=vintage)
    with transaction.atomic():
        _save(record, parsed, mapped)
        importing.finish(
            record,
            outcome,
            began,
            status=DataImport.Status.DONE,
            imported=len(mapped),
            other_force=parsed.other_force,
            outside_met=parsed.outside_met,
            unlocated=parsed.unlocated,
            vintage=vintage,
            months=sorted({m for m, _c in parsed.pairs}),
            categories=sorted(parsed.category_slugs()),
        )
    counts = (WardMonthCount._meta.db_table, WardMonthTotal._meta.db_table)
    importing.analyze(StreetCrime._meta.db_table, *counts, vacuum=counts)
    return record


# --- reading -----------------------------------------------------------------------------------


def _place_read(record, text, outcome):
    """The rows read, and placed in wards (the vintage decided from all of them): a placing
    failure rejects rows too, so all or nothing is decided after it."""
    parsed = _read(record, text, outcome)
    return parsed, _place(parsed, outcome) if outcome.rows_read else (None, [])


class _Parsed:
    def __init__(self, categories):
        self.categories = categories  # "Crime type" -> Category
        self.rows: list[tuple[int, list]] = []  # (line, staging values with the LSOA)
        self.pairs: set = set()  # (month, category id) the file holds
        self.other_force = 0
        self.outside_met = 0
        self.unlocated = 0

    def category_slugs(self):
        by_id = {c.pk: c.slug for c in self.categories.values()}
        return {by_id[c] for _m, c in self.pairs}


def _read(record, text, outcome) -> _Parsed:
    reader = importing.csv_rows(text)
    header = next(reader, None)
    if header is None:
        raise DomainError("The file is empty.", field="file")
    if [h.strip() for h in header] != HEADER:
        raise DomainError(
            f"The header is not data.police.uk's street-level header: expected {','.join(HEADER)}.",
            field="file",
        )
    parsed = _Parsed({c.name: c for c in Category.objects.all()})
    for line, row in importing.data_rows(record, text, reader, outcome):
        try:
            values = _read_row(row, parsed)
        except ValueError as exc:
            outcome.reject(line, str(exc))
            continue
        if values is not None:
            parsed.rows.append((line, values))
    return parsed


def _read_row(row: list[str], parsed: _Parsed) -> list | None:
    """The row's values for the staging table, or None when it is counted outside the Met or
    without a location. Raises ValueError saying why a malformed row is rejected."""
    if len(row) != len(HEADER):
        raise ValueError(f"has {len(row)} columns, not {len(HEADER)}")
    crime_id, month_text, _by, falls_within, lng, lat, location, lsoa, _name, ctype, outcome = row[
        :11
    ]
    try:
        month = parse_month(month_text)
    except DomainError:
        raise ValueError(f"Month {month_text!r} is not a month (YYYY-MM)") from None
    category = parsed.categories.get(ctype.strip())
    if category is None:
        raise ValueError(f"Crime type {ctype!r} is not a data.police.uk category")
    if falls_within.strip() != MET_FORCE:
        parsed.other_force += 1
        return None
    parsed.pairs.add((month, category.pk))
    lsoa = lsoa.strip()
    if not lsoa:
        parsed.unlocated += 1
        return None
    if not LSOA_RE.match(lsoa):
        raise ValueError(f"LSOA code {lsoa!r} is not an LSOA code")
    point = _point(lng, lat)
    for name, value, limit in (("Crime ID", crime_id, 64), ("Location", location, 200)):
        if len(value) > limit:
            raise ValueError(f"{name} is longer than {limit} characters")
    return [
        month,
        category.pk,
        None,
        crime_id.strip(),
        lsoa,
        *point,
        location.strip(),
        outcome.strip()[:120],
    ]


def _point(lng: str, lat: str):
    if not lng.strip() and not lat.strip():
        return None, None
    try:
        x, y = float(lng), float(lat)
    except ValueError:
        raise ValueError(f"Longitude {lng!r} and Latitude {lat!r} must be numbers") from None
    if not (-9 <= x <= 3 and 49 <= y <= 61):
        raise ValueError(f"the point ({lat}, {lng}) is not in Great Britain")
    return x, y


# --- placing rows in wards ---------------------------------------------------------------------


def decide_vintage(codes: set[str], lookups: dict[int, dict]) -> tuple[int, str]:
    """The vintage whose lookup the file's codes belong to, and why. Codes both vintages share
    say nothing; the codes only one of them has decide."""
    only_2011 = sum(1 for c in codes if c in lookups[2011] and c not in lookups[2021])
    only_2021 = sum(1 for c in codes if c in lookups[2021] and c not in lookups[2011])
    if only_2011 == only_2021:
        return 2021, (
            "No code in the file belongs to one vintage more than the other: mapped with the "
            "LSOA 2021 lookup."
        )
    vintage = 2011 if only_2011 > only_2021 else 2021
    return vintage, (
        f"LSOA {vintage}: {max(only_2011, only_2021):,} of the file's codes exist only in LSOA "
        f"{vintage}, {min(only_2011, only_2021):,} only in LSOA {OTHER_VINTAGE[vintage]}."
    )


def _lookups() -> dict[int, dict[str, tuple[str, str]]]:
    tables: dict[int, dict] = {2011: {}, 2021: {}}
    for vintage, code, ward, borough in Lsoa.objects.values_list(
        "vintage", "code", "ward_code", "borough_code"
    ):
        tables[vintage][code] = (ward, borough)
    if not tables[2011] or not tables[2021]:
        raise DomainError("The LSOA lookups are not loaded: run `manage.py load_demand_reference`.")
    return tables


def _place(parsed: _Parsed, outcome: Outcome):
    """Give each row its ward; returns the vintage and the rows to save."""
    lookups = _lookups()
    codes = {values[4] for _line, values in parsed.rows}
    vintage, why = decide_vintage(codes, lookups)
    outcome.notes.append(why)
    table, other = lookups[vintage], lookups[OTHER_VINTAGE[vintage]]
    wards = dict(Ward.objects.values_list("code", "id"))
    hubs = TransportHubs(
        Place.objects.filter(kind=Place.Kind.TRANSPORT_HUB, lat__isnull=False)
        .values_list("lat", "lng")
        .iterator()
    )
    mapped = []
    for line, values in parsed.rows:
        found = table.get(values[4])
        if found is None:
            if values[4] in other and other[values[4]][1] != CITY_OF_LONDON:
                outcome.reject(
                    line, f"LSOA {values[4]} is not an LSOA {vintage} code, and the file is"
                )
            else:
                parsed.outside_met += 1
            continue
        ward_code, borough_code = found
        if borough_code == CITY_OF_LONDON:
            parsed.outside_met += 1
            continue
        ward_id = wards.get(ward_code)
        if ward_id is None:
            outcome.reject(line, f"ward {ward_code} is not loaded: run `manage.py load_london`")
            continue
        values[2] = ward_id
        values.append(classify(values[7], hubs.near(values[6], values[5])))
        mapped.append(values)
    return vintage, mapped


# --- saving ------------------------------------------------------------------------------------

STAGING = "demand_staging_crime"


def _save(record: DataImport, parsed: _Parsed, mapped: list) -> None:
    crime, counts = StreetCrime._meta.db_table, WardMonthCount._meta.db_table
    months = [m for m, _c in sorted(parsed.pairs)]
    categories = [c for _m, c in sorted(parsed.pairs)]
    with connection.cursor() as cursor:
        importing.lock("demand.police_uk")
        importing.staging_table(
            cursor,
            STAGING,
            "month date, category_id bigint, ward_id bigint, crime_id text, lsoa_code text, "
            "lng double precision, lat double precision, location text, outcome text, "
            "location_kind text",
        )
        copy_rows(cursor, STAGING, STAGING_COLUMNS, mapped)
        pairs = "(SELECT * FROM unnest(%s::date[], %s::bigint[]) AS p(month, category_id))"
        cursor.execute(
            f"DELETE FROM {crime} c USING {pairs} p "
            "WHERE c.month = p.month AND c.category_id = p.category_id",
            [months, categories],
        )
        cursor.execute(
            f"""
            INSERT INTO {crime} (month, category_id, ward_id, crime_id, lsoa_code, lng, lat,
                                 location, location_kind, outcome, data_import_id)
            SELECT month, category_id, ward_id, crime_id, lsoa_code, lng, lat, location,
                   location_kind, outcome, %s
            FROM {STAGING}
            """,
            [record.pk],
        )
        cursor.execute(
            f"DELETE FROM {counts} c USING {pairs} p "
            "WHERE c.month = p.month AND c.category_id = p.category_id",
            [months, categories],
        )
        cursor.execute(
            f"""
            INSERT INTO {counts} (ward_id, month, category_id, location_kind, count)
            SELECT c.ward_id, c.month, c.category_id, c.location_kind, COUNT(*)
            FROM {crime} c JOIN {pairs} p
              ON c.month = p.month AND c.category_id = p.category_id
            GROUP BY 1, 2, 3, 4
            """,
            [months, categories],
        )
        _record_months(cursor, record, months, categories)
        _refresh_totals(cursor, months)


def _refresh_totals(cursor, months) -> None:
    """Re-sum WardMonthTotal for the months the file touched."""
    totals, counts = WardMonthTotal._meta.db_table, WardMonthCount._meta.db_table
    asb = Category.objects.values_list("pk", flat=True).get(slug=ASB)
    cursor.execute(f"DELETE FROM {totals} WHERE month = ANY(%s::date[])", [months])
    cursor.execute(
        f"""
        INSERT INTO {totals} (ward_id, month, crimes, asb)
        SELECT ward_id, month, COALESCE(SUM(count) FILTER (WHERE category_id <> %s), 0),
               COALESCE(SUM(count) FILTER (WHERE category_id = %s), 0)
        FROM {counts} WHERE month = ANY(%s::date[])
        GROUP BY 1, 2
        """,
        [asb, asb, months],
    )


def _record_months(cursor, record, months, categories) -> None:
    """The months × categories the file held now have data (even if none of it is in London)."""
    cursor.execute(
        f"""
        INSERT INTO {DataMonth._meta.db_table} (month, category_id, rows, data_import_id)
        SELECT p.month, p.category_id, COALESCE(SUM(c.count), 0), %s
        FROM unnest(%s::date[], %s::bigint[]) AS p(month, category_id)
        LEFT JOIN {WardMonthCount._meta.db_table} c
          ON c.month = p.month AND c.category_id = p.category_id
        GROUP BY 1, 2
        ON CONFLICT (month, category_id) DO UPDATE
        SET rows = EXCLUDED.rows, data_import_id = EXCLUDED.data_import_id
        """,
        [record.pk, months, categories],
    )
