"""Import what is known of each school's need from a CSV file, and add the schools the DfE file
lacks (pupil referral units, colleges, primary schools). Each bad row is rejected with its line
number and the reason; the good rows are saved together (the page, as the places import), or,
all or nothing, none when any row is bad (the API's default, as its other imports).

Columns (header row, case-insensitive; README "Safer Schools" documents each):
- `urn` (required): the DfE unique reference number, 6 or 7 digits;
- for a school not yet known: `name`, `kind` (secondary, primary, pru, college, special, or
  their labels) and `postcode` (a London postcode) or `lat` and `lng`;
- criteria, each optional (an empty cell leaves the value as it was; `-` clears it):
  `free_school_meals_pct`, `exclusions_pct`, `unauthorised_absence_pct` (0-100),
  `first_time_entrants`, `serious_youth_violence`, `victims` (whole numbers, the last 12 months),
  `gang_intelligence`, `weapon_intelligence` (yes or no),
  `attainment8_vs_england` (Attainment 8 less England's average, -100 to 100).
A school outside the importer's boroughs is rejected."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial

from django.db import transaction
from django.utils import timezone

from config.access import borough_ids
from config.db import transaction_lock
from config.errors import DomainError
from config.parsers import column_names, csv_rows, parse_id
from schools.models import School
from wards.models import Postcode, Ward

MAX_ROWS = 5000
KINDS = {**{v: v for v in School.Kind.values}, **{lbl.lower(): v for v, lbl in School.Kind.choices}}
PERCENT = {"free_school_meals_pct": "free_meals", "exclusions_pct": "exclusions",
           "unauthorised_absence_pct": "absence"}  # fmt: skip
COUNTS = {"first_time_entrants": "first_time_entrants", "serious_youth_violence": "youth_violence",
          "victims": "victims"}  # fmt: skip
FLAGS = {"gang_intelligence": "gang", "weapon_intelligence": "weapon"}
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}
COUNT_MAX = 100_000
CLEAR = "-"
IMPORT_LOCK = "schools.import"


@dataclass
class ImportReport:
    created: list[School] = field(default_factory=list)
    updated: list[School] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    committed: bool = False

    @property
    def imported(self) -> int:
        return len(self.created) + len(self.updated)


def import_schools(text: str, *, user, valid_only: bool = True) -> ImportReport:
    """Import the file. With `valid_only` (the page) the good rows are saved and the bad named;
    without it (the API's default, as its other imports) one bad row means nothing is saved."""
    report = ImportReport()
    try:
        fieldnames, rows = csv_rows(text)
    except DomainError as exc:
        report.rejected.append((1, exc.message))
        return report
    names = column_names(fieldnames)
    if "urn" not in names:
        report.rejected.append((1, "The header must have the column urn."))
        return report
    if len(rows) > MAX_ROWS:
        report.rejected.append((1, f"At most {MAX_ROWS} rows in a file."))
        return report
    rows = [{k: (row.get(n) or "").strip() for k, n in names.items()} for row in rows]
    # One upload at a time, from reading the schools there to saving: a second upload of the
    # same file finds the schools the first added and updates them (not a duplicate URN).
    with transaction.atomic():
        transaction_lock(IMPORT_LOCK)
        return _import_rows(rows, report, user=user, valid_only=valid_only)


def _import_rows(rows, report: ImportReport, *, user, valid_only: bool) -> ImportReport:
    existing = {s.urn: s for s in School.objects.filter(urn__in={r["urn"] for r in rows})}
    scope, seen, schools = borough_ids(user), set(), []
    for line, row in enumerate(rows, start=2):
        try:
            if row["urn"] in seen:
                raise ValueError(f"URN {row['urn']} appears earlier in the file.")
            schools.append(_school(row, existing, scope, user))
            seen.add(row["urn"])
        except ValueError as exc:
            report.rejected.append((line, str(exc)))
    if report.rejected and not valid_only:
        return report
    now = timezone.now()
    report.committed = bool(schools)
    for school in schools:
        (report.updated if school.pk else report.created).append(school)
        school.imported_at, school.imported_by = now, user
        school.save()
    return report


def _school(row, existing, scope, user) -> School:
    urn = row["urn"]
    if parse_id(urn) is None or not 6 <= len(urn) <= 7:
        raise ValueError(f"URN “{urn[:20]}” is not 6 or 7 digits.")
    school = existing.get(urn)
    if school is not None and scope is not None and school.borough_id not in scope:
        raise ValueError(f"URN {urn} is a school of another borough.")
    if school is None:
        school = _new_school(row, urn, user)
    _criteria(row, school)
    return school


def _new_school(row, urn, user) -> School:
    name = row.get("name", "")
    if not name:
        raise ValueError(f"URN {urn} is a new school: give its name, kind and postcode.")
    kind = KINDS.get(row.get("kind", "").lower())
    if kind is None:
        raise ValueError(f"Unknown kind “{row.get('kind', '')[:40]}”: one of "
                         f"{', '.join(School.Kind.values)}.")  # fmt: skip
    ward, lat, lng, placed = _where(row, user)
    return School(
        urn=urn, name=name[:200], kind=kind, borough_id=ward.borough_id, ward=ward, lat=lat,
        lng=lng, placed=placed, postcode=row.get("postcode", "").upper()[:8],
        source="Imported",
    )  # fmt: skip


def _where(row, user):
    wards = Ward.objects.for_user(user)
    lat, lng = _coordinate(row.get("lat", "")), _coordinate(row.get("lng", ""))
    if lat is not None and lng is not None:
        found = wards.containing(lat, lng)
        if not found:
            raise ValueError("That location is not in any of your wards.")
        return found[0], lat, lng, School.Placed.COORDINATES
    postcode = " ".join(row.get("postcode", "").upper().split())
    if not postcode:
        raise ValueError("Give the school's postcode, or its lat and lng.")
    found = Postcode.objects.filter(postcode=postcode, ward__in=wards).first()
    if found is None:
        raise ValueError(f"Postcode “{postcode[:10]}” is not a postcode of your wards.")
    return found.ward, float(found.lat), float(found.lng), School.Placed.POSTCODE


def _coordinate(text: str) -> float | None:
    try:
        value = float(text) if text else None
    except ValueError:
        raise ValueError(f"“{text[:20]}” is not a number.") from None
    if value is not None and not -90 <= value <= 90:
        raise ValueError(f"“{text[:20]}” is not a latitude or longitude.")
    return value


def _criteria(row, school: School) -> None:
    """Every criterion of the row checked first, then set: a rejected row changes nothing."""
    parsers = [
        *((column, name, partial(_decimal, low=0, high=100)) for column, name in PERCENT.items()),
        *((column, name, _count) for column, name in COUNTS.items()),
        *((column, name, _flag) for column, name in FLAGS.items()),
        ("attainment8_vs_england", "attainment", partial(_decimal, low=-100, high=100)),
    ]
    changes = {}
    for column, name, parse in parsers:
        text = row.get(column, "")
        if text == CLEAR:
            changes[name] = None
        elif text:
            changes[name] = parse(text, column)
    for name, value in changes.items():
        setattr(school, name, value)


def _decimal(text, column, *, low, high) -> Decimal:
    try:
        value = Decimal(text.rstrip("%"))
        if not value.is_finite() or not low <= value <= high:
            raise InvalidOperation
    except InvalidOperation:
        raise ValueError(f"{column} “{text[:20]}” is not a number from {low} to {high}.") from None
    return value.quantize(Decimal("0.01"))


def _count(text, column) -> int:
    value = parse_id(text)
    if value is None or value > COUNT_MAX:
        raise ValueError(f"{column} “{text[:20]}” is not a whole number from 0 to {COUNT_MAX}.")
    return value


def _flag(text, column) -> bool:
    if text.lower() in YES:
        return True
    if text.lower() in NO:
        return False
    raise ValueError(f"{column} “{text[:20]}” is not yes or no.")
