"""Public attitude survey results: the share of people confident in the police locally, by
borough or ward and quarter, imported from a CSV file (the upload page for staff and HQ, or
`manage.py import_confidence FILE`).

The file's format (a header row, columns in any order, names case-insensitive):

    area,quarter,share_confident,respondents
    E09000007,2026-Q3,78.5,412
    Haverstock,2026-Q3,81,95

- area: a borough's ONS code (E09…) or a ward's (E05…), or a borough's or ward's name. A name
  is looked up within the uploader's boroughs; a ward name that several of them hold is refused,
  naming the candidates (give the code).
- quarter: YYYY-Qn, n from 1 to 4 (2026-Q3 is July to September 2026), within the years records
  may have (config.limits).
- share_confident: the percentage confident, 0 to 100, at most two decimal places ("78.5" or
  "78.5%").
- respondents: how many answered, a whole number of at least 1 (BCU and London figures weight
  the boroughs' shares by it).

A file is checked whole before anything is written: one bad row and nothing is imported (every
bad row is listed with its line). A row for an area and quarter already held replaces it. Every
area must be in the uploader's boroughs."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from config import limits
from config.access import Role
from config.errors import DomainError
from config.parsers import column_names, csv_rows
from reports.performance.models import ConfidenceResult
from wards.models import Borough, Ward

# Staff of a borough import its results; HQ and administrators any borough's.
IMPORTER_ROLES = frozenset({Role.STAFF, Role.HQ, Role.ADMIN})
COLUMNS = ("area", "quarter", "share_confident", "respondents")
MAX_ROWS = 20000
QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")


@dataclass
class ImportResult:
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, why)


def parse_quarter(text: str) -> datetime.date:
    match = QUARTER.fullmatch((text or "").strip().upper())
    if not match:
        raise ValueError("quarter must be written YYYY-Qn, e.g. 2026-Q3")
    year, first_month = int(match[1]), (int(match[2]) - 1) * 3 + 1
    quarter = datetime.date(max(year, 1), first_month, 1)  # year 0: out of range below
    if year < 1 or not limits.date_range(limits.RECORD).contains(quarter):
        raise ValueError(limits.out_of_range_message(limits.RECORD, "The quarter"))
    return quarter


def parse_share(text: str) -> Decimal:
    try:
        value = Decimal((text or "").strip().removesuffix("%").strip())
    except InvalidOperation:
        raise ValueError("share_confident must be a number from 0 to 100") from None
    if not value.is_finite() or not 0 <= value <= 100 or value.as_tuple().exponent < -2:
        raise ValueError("share_confident must be from 0 to 100, to at most 2 decimal places")
    return value


def parse_respondents(text: str) -> int:
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9 or int(text) < 1:
        raise ValueError("respondents must be a whole number of at least 1")
    return int(text)


class Areas:
    """Borough and ward lookups within the user's boroughs: two queries for the whole file."""

    def __init__(self, user):
        self.boroughs = list(Borough.objects.for_user(user))
        self.wards = list(Ward.objects.for_user(user).select_related("borough"))

    def find(self, text: str) -> tuple[Borough | None, Ward | None]:
        key = " ".join((text or "").split()).lower()
        boroughs = [b for b in self.boroughs if key in (b.code.lower(), b.name.lower())]
        if boroughs:
            return boroughs[0], None
        wards = [w for w in self.wards if key in (w.code.lower(), w.name.lower())]
        if len(wards) > 1:
            names = ", ".join(f"{w.name} ({w.borough.name}, {w.code})" for w in wards)
            raise ValueError(f"{text} names more than one ward: {names}. Give its code")
        if not wards:
            raise ValueError(
                f"{text or 'An empty area'} is not a borough or ward you may import for")
        return None, wards[0]


class _AllAreas(Areas):
    def __init__(self):
        self.boroughs = list(Borough.objects.all())
        self.wards = list(Ward.objects.select_related("borough"))


def _rows(text: str) -> list[dict]:
    fieldnames, rows = csv_rows(text)
    names = column_names(fieldnames)
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise DomainError(f"The header must have the columns {', '.join(COLUMNS)}; missing: "
                          f"{', '.join(missing)}.", field="file")
    if len(rows) > MAX_ROWS:
        raise DomainError(f"At most {MAX_ROWS} rows in one file.", field="file")
    return [{c: row.get(names[c]) for c in COLUMNS} for row in rows]


def import_confidence(text: str, *, user=None) -> ImportResult:
    """Check the whole file, then write it in one transaction (or nothing). `user` None: the
    management command, for every borough."""
    result = ImportResult()
    rows = _rows(text)
    areas = Areas(user) if user is not None else _AllAreas()
    parsed, seen = [], {}
    for line, row in enumerate(rows, start=2):
        try:
            borough, ward = areas.find(row["area"])
            values = (parse_quarter(row["quarter"]), parse_share(row["share_confident"]),
                      parse_respondents(row["respondents"]))
        except ValueError as exc:
            result.errors.append((line, str(exc)))
            continue
        key = (borough.pk if borough else None, ward.pk if ward else None, values[0])
        if key in seen:
            result.errors.append((line, f"the same area and quarter as line {seen[key]}"))
            continue
        seen[key] = line
        parsed.append((borough, ward, *values))
    if result.errors:
        return result
    with transaction.atomic():
        for borough, ward, quarter, share, respondents in parsed:
            ConfidenceResult.objects.update_or_create(
                borough=borough, ward=ward, quarter=quarter,
                defaults={"share_confident": share, "respondents": respondents,
                          "imported_by": user},
            )
    result.imported = len(parsed)
    return result
