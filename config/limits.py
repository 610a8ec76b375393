"""What the system accepts in an uploaded file or a typed date, declared once.

- An upload's size is held, for every content type, by the request body limits
  (REQUEST_BODY_LIMITS in config/settings/security.py, enforced by config/guards.py: 413).
- Its text is read by `read_csv_upload` (UTF-8, with or without a byte-order mark) and its rows by
  config.parsers.csv_rows, for every importer.
- Every date the product accepts falls in the range of its kind (DATE_RANGES): a record of
  something that happened (a crime, an offer made, a visit done, an activity logged, a report's
  month, an import row, a figures period) from 2000; anything planned (duties, abstractions,
  flexes, postings, promises, visits, events) up to the end of 2099. Each range is checked where
  a date comes in (form fields, serializer fields, filters, imports: config.forms,
  config.fields, config.filters) and again by the service that writes it (`check_dates`).
  Narrower rules of the domain (a visit cannot precede its crime, a crime is not reported in the
  future) live in their services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from config.errors import DomainError
from config.timeutils import LONDON


@dataclass(frozen=True)
class DateRange:
    """The first and last London calendar day a date of one kind may fall on."""

    kind: str
    first: datetime.date
    last: datetime.date

    def contains(self, value) -> bool:
        """Whether `value` (a date, or an aware or naive date-time, read as London time) falls
        in the range. A date-time too far out to be placed in London time does not."""
        day = london_day(value)
        return day is not None and self.first <= day <= self.last

    def text(self) -> str:
        return f"between {_day_text(self.first)} and {_day_text(self.last)}"


RECORD = "record"
PLANNED = "planned"
# No record here is older than 2000; a plan past 2099 is a typing mistake (year 9999, 20266).
DATE_RANGES: dict[str, DateRange] = {
    RECORD: DateRange(RECORD, datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)),
    PLANNED: DateRange(PLANNED, datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)),
}


def _day_text(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def date_range(kind: str) -> DateRange:
    """The range of `kind`, read when asked, so every check follows a change to DATE_RANGES."""
    return DATE_RANGES[kind]


def london_day(value) -> datetime.date | None:
    """The London calendar day of a date or date-time; None when it cannot be placed (Python's
    calendar ends at 9999 and starts at year 1, and London's local mean time at year 1 falls
    before it)."""
    if not isinstance(value, datetime.datetime):
        return value
    if value.tzinfo is None:
        return value.date()
    try:
        return value.astimezone(LONDON).date()
    except (OverflowError, ValueError):
        return None


def out_of_range_message(kind: str, label: str = "The date") -> str:
    return f"{label} must be {date_range(kind).text()}."


def check_dates(kind: str, **values) -> None:
    """The services' check: each of `values` (name=date or date-time; None is skipped) falls in
    the range of `kind`, else DomainError on the first that does not, naming its field."""
    for field, value in values.items():
        if value is not None and not date_range(kind).contains(value):
            raise DomainError(
                out_of_range_message(kind, field.replace("_", " ").capitalize()),
                field=field,
                code="out_of_range",
            )


@deconstructible
class InRange:
    """A validator for form, serializer and filter fields: the value falls in the range of
    `kind` (read when validating)."""

    def __init__(self, kind: str):
        date_range(kind)  # fails at import for an unknown kind
        self.kind = kind

    def __call__(self, value):
        if value is not None and not date_range(self.kind).contains(value):
            raise ValidationError(out_of_range_message(self.kind), code="out_of_range")

    def __eq__(self, other):
        return isinstance(other, InRange) and other.kind == self.kind


NOT_UTF8 = "The file must be a CSV file saved as UTF-8"


def decode_csv(raw: bytes) -> str:
    """The text of a CSV file's bytes: UTF-8, with its byte-order mark (as Excel's "CSV UTF-8"
    writes it) dropped. ValidationError when it is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(NOT_UTF8, code="not_utf8") from None


def read_csv_upload(upload) -> str:
    """The text of an uploaded CSV file (a form's or a serializer's file), by decode_csv."""
    return decode_csv(upload.read())
