"""Bulk import of crimes: data.police.uk's street-level CSV plus columns for the victims.

The first twelve columns are data.police.uk's, exactly; then `Reported at` (ISO date-time,
required: the offer's deadline runs from it), `Occurred at` (optional, default the report) and
one victim per row: `Victim name`, `Victim phone`, `Victim email`, `Preferred contact`,
`Preferred times`, `Enhanced reason` (blank: no enhanced rights), `Consents to referral`
(yes/no), `Address`, `Postcode`. Rows sharing a Crime ID are one crime with several victims.

One bad row means nothing is imported unless `valid_only`: then the valid crimes are recorded
and the others reported. Each crime is checked by crime_create's rules, in batch
(victims.crime_batch), and all are written at once."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.dateparse import parse_datetime

from config import limits
from config.db import analyze_if_bulk
from config.errors import DomainError
from config.parsers import csv_rows
from config.timeutils import LONDON
from victims import crime_batch
from victims.models import Crime, CrimeCategory, Victim, VisitOffer, VisitTransition
from victims.privacy import works_with_victims
from victims.services import VictimInput

POLICE_UK = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip
VICTIM_COLUMNS = [
    "Reported at", "Occurred at", "Victim name", "Victim phone", "Victim email",
    "Preferred contact", "Preferred times", "Enhanced reason", "Consents to referral",
    "Address", "Postcode",
]  # fmt: skip
HEADER = POLICE_UK + VICTIM_COLUMNS
YES = {"yes", "y", "true", "1"}


@dataclass
class ImportResult:
    imported: int = 0
    rejected: list = field(default_factory=list)  # (line, message)
    committed: bool = False


def _when(text, column):
    """A date-time cell, as London time (an offset is converted: PostgreSQL refuses some, such
    as -23:00), in the range of records (config.limits)."""
    try:
        value = parse_datetime((text or "").strip())
    except ValueError:  # well formed but not a real date, e.g. 2026-02-30
        value = None
    if value is None:
        raise DomainError(f"{column} must be a date and time like 2026-03-02T14:30.")
    if not limits.date_range(limits.RECORD).contains(value):
        raise DomainError(limits.out_of_range_message(limits.RECORD, column))
    return value.astimezone(LONDON) if value.tzinfo else value.replace(tzinfo=LONDON)


def _check_lengths(model, values: dict) -> None:
    """Reject (rather than fail on) a value longer than its column."""
    for name, value in values.items():
        limit = model._meta.get_field(name).max_length
        if isinstance(value, str) and limit and len(value) > limit:
            label = model._meta.get_field(name).verbose_name
            raise DomainError(f"The {label} is longer than {limit} characters.")


def _victim(row) -> VictimInput:
    reason = (row.get("Enhanced reason") or "").strip().lower().replace(" ", "_")
    if reason and reason not in Victim.EnhancedReason.values:
        raise DomainError(
            f"Enhanced reason {reason!r} is not one of {', '.join(Victim.EnhancedReason.values)}."
        )
    contact = (row.get("Preferred contact") or "phone").strip().lower() or "phone"
    if contact not in Victim.ContactMethod.values:
        raise DomainError(f"Preferred contact {contact!r} is not phone, email, text or letter.")
    victim = VictimInput(
        name=(row.get("Victim name") or "").strip(),
        phone=(row.get("Victim phone") or "").strip(),
        email=(row.get("Victim email") or "").strip(),
        preferred_contact=contact,
        preferred_times=(row.get("Preferred times") or "").strip(),
        enhanced_rights=bool(reason),
        enhanced_reason=reason,
        consents_to_referral=(row.get("Consents to referral") or "").strip().lower() in YES,
        address=(row.get("Address") or "").strip(),
        postcode=(row.get("Postcode") or "").strip().upper(),
    )
    _check_lengths(Victim, {k: v for k, v in vars(victim).items() if isinstance(v, str)})
    return victim


def _crime_fields(row, categories) -> dict:
    if not (row.get("Crime ID") or "").strip():
        raise DomainError("No Crime ID (an anti-social behaviour row?): give the reference.")
    category = categories.get((row.get("Crime type") or "").strip().lower())
    if category is None:
        raise DomainError(f"Unknown crime type {row.get('Crime type')!r}.")
    try:
        lat, lng = float(row["Latitude"]), float(row["Longitude"])
    except (TypeError, ValueError):
        raise DomainError("Latitude and Longitude must be numbers.") from None
    _check_lengths(Crime, {"reference": row["Crime ID"].strip()})
    reported = _when(row.get("Reported at"), "Reported at")
    occurred = _when(row["Occurred at"], "Occurred at") if row.get("Occurred at") else reported
    return {
        "reference": row["Crime ID"].strip(),
        "category": category,
        "occurred_at": occurred,
        "reported_at": reported,
        "lat": round(lat, 6),
        "lng": round(lng, 6),
        "location": (row.get("Location") or "").strip()[:200],
    }


def _groups(rows, categories, result, progress=None):
    """{Crime ID: (first line, crime fields, [victims])}, rejecting bad rows as it goes."""
    groups: dict = {}
    for line, row in enumerate(rows, start=2):
        if progress:
            progress(line - 2, len(result.rejected))
        try:
            fields = _crime_fields(row, categories)
            victim = _victim(row)
        except DomainError as e:
            result.rejected.append((line, e.message))
            continue
        key = fields["reference"]
        if key in groups:
            groups[key][2].append(victim)
        else:
            groups[key] = (line, fields, [victim])
    return groups


def crime_rows(text: str, by=None) -> list[dict]:
    """The rows of a crimes file, once its header has the needed columns (and, given `by`, once
    they may record crimes: before a file is queued for a worker)."""
    if by is not None and not works_with_victims(by):
        raise PermissionDenied("Your role cannot record crimes.")
    fieldnames, rows = csv_rows(text)
    missing = [c for c in POLICE_UK + ["Reported at", "Victim name"] if c not in fieldnames]
    if missing:
        raise DomainError(f"The CSV lacks column(s): {', '.join(missing)}.", field="file")
    return rows


def crimes_import(*, text: str, by, valid_only: bool = False, progress=None) -> ImportResult:
    """Import the crimes; `progress(rows read, rows rejected)` is told as they are read (a
    worker's import: config.bulkimport)."""
    result = ImportResult()
    rows = crime_rows(text)
    categories = {c.name.lower(): c for c in CrimeCategory.objects.all()}
    groups = _groups(rows, categories, result, progress)
    good = crime_batch.checked(groups, by=by, result=result)
    if not result.rejected or valid_only:
        with transaction.atomic():
            crime_batch.record(good, by=by)
        result.imported = len(good)
    result.rejected.sort()
    result.committed = result.imported > 0
    if result.committed:
        analyze_if_bulk(result.imported, Crime, Victim, VisitOffer, VisitTransition)
    return result
