"""Request body parsers that refuse hostile JSON with a 400 instead of failing later.

- Nesting is checked before parsing: Python's parser recurses, so `[` × 100,000 would end in a
  RecursionError. A body nested deeper than JSON_MAX_DEPTH, or whose brackets do not match, is
  refused without being parsed.
- A number with more digits than any field takes is handed to the serializer as a string, so the
  field that receives it answers with its own message ("A valid integer is required.") instead of
  Python refusing to convert it (int max str digits) for the whole body.
- NaN and Infinity are not JSON (as DRF's own parser)."""

import csv
import datetime
import io
import json
import math
import re

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from config.errors import DomainError

# A JSON string (with its escapes), and everything that is not a bracket. A string left open runs
# to the end of the text: the pattern always matches where it starts, so it never rescans.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*+"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST_PAIR = re.compile(r"\[\]|\{\}")
# The most digits a number may have and still be read as a number (a 64-bit id has 19).
MAX_NUMBER_DIGITS = 40


def check_nesting(text: str, limit: int) -> None:
    """Raise ParseError if `text`'s brackets nest deeper than `limit` or do not match. Each pass
    removes the innermost pairs, so it takes at most `limit` passes of a regular expression."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    for _ in range(limit):
        if not brackets:
            return
        brackets, removed = _INNERMOST_PAIR.subn("", brackets)
        if not removed:
            raise ParseError("JSON parse error - the brackets do not match.")
    if brackets:
        raise ParseError(f"JSON parse error - nested more than {limit} levels deep.")


def _number(text: str):
    return text if len(text) > MAX_NUMBER_DIGITS else int(text)


def _float(text: str):
    """A float, or the text itself when it is too long or too large for one (1e400)."""
    value = float(text) if len(text) <= MAX_NUMBER_DIGITS else math.inf
    return value if math.isfinite(value) else text


def _no_constants(name: str):
    raise ValueError(f"{name} is not valid JSON")


def loads(text: str):
    check_nesting(text, settings.JSON_MAX_DEPTH)
    try:
        return json.loads(
            text,
            parse_int=_number,
            parse_float=_float,
            parse_constant=_no_constants,
        )
    except ValueError as exc:
        raise ParseError(f"JSON parse error - {exc}") from None


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError("JSON parse error - the body is not UTF-8 text.") from None
        return loads(text)


# A database id: BigAutoField's range has at most 19 digits.
_ID = re.compile(r"[0-9]{1,19}")


def parse_id(text: str) -> int | None:
    """The id written in `text` (a CSV cell, a query value), or None if it is not one. Never asks
    Python to convert thousands of digits (a ValueError beyond 4,300)."""
    text = text.strip()
    return int(text) if _ID.fullmatch(text) else None


def csv_rows(text: str) -> tuple[list[str], list[dict]]:
    """The header and the rows of a CSV file's text, for every importer. A file that cannot be
    read as CSV (NUL bytes, a field longer than the csv module's limit, a quote never closed) is
    a DomainError on the file, never an exception from the csv module."""
    if "\x00" in text:
        raise DomainError(
            "The file holds NUL bytes, so it is not a CSV text file: save it as CSV UTF-8.",
            field="file",
        )
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        return list(reader.fieldnames or []), list(reader)
    except csv.Error as exc:
        raise DomainError(
            f"Line {reader.line_num} of the CSV cannot be read: {exc}.", field="file"
        ) from None


def column_names(fieldnames) -> dict[str, str]:
    """{a column's name stripped and in lower case: its name as the file writes it}. The small
    imports (places, schools, the confidence survey) match their columns whatever their case or
    the spaces around them, as people type headers."""
    return {(name or "").strip().lower(): name for name in fieldnames}


# Dates and clock times as people and spreadsheets write them in the UK: 27/11/2026 (Excel's
# UK short date, also 27-11-2026 and 27.11.2026, with or without leading zeros, sometimes with a
# midnight time after it), and 2026-11-27 (ISO). Four-digit years only: "20266" is a typing
# mistake, never a year. Times on the 24-hour clock: 7:00, 07:00, 07:00:00 (Excel's), 0700.
# ASCII digits only (re.ASCII): Python's \d also takes Arabic-Indic and other scripts' digits,
# which no one means in a roster and which would read as a date no one typed.
_UK_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+0?0:00(?::00)?)?", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]0?0:00(?::00)?)?", re.ASCII)
_CLOCK = re.compile(r"(\d{1,2}):?(\d{2})(?::(\d{2}))?", re.ASCII)
DATE_FORMATS_TEXT = "DD/MM/YYYY or YYYY-MM-DD, for example 27/11/2026"
CLOCK_FORMATS_TEXT = "HH:MM on the 24-hour clock, for example 07:00 or 19:30"


def parse_day(text: str) -> datetime.date:
    """The date written in `text` (see above), else ValueError saying how to write one."""
    text = str(text or "").strip()
    if found := _UK_DATE.fullmatch(text):
        day, month, year = (int(part) for part in found.groups())
    elif found := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in found.groups())
    else:
        raise ValueError(f"Enter the date as {DATE_FORMATS_TEXT}")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text} is not a real date: enter it as {DATE_FORMATS_TEXT}") from None


def parse_clock(text: str) -> datetime.time:
    """The time of day written in `text` (see above), else ValueError. Seconds other than :00
    are refused: times are recorded in whole minutes."""
    text = str(text or "").strip()
    found = _CLOCK.fullmatch(text)
    if not found:
        raise ValueError(f"Enter the time as {CLOCK_FORMATS_TEXT}")
    hour, minute, second = (int(part or 0) for part in found.groups())
    if second:
        raise ValueError("Times are recorded in whole minutes: leave out the seconds")
    if hour > 23 or minute > 59:
        raise ValueError(f"{text} is not a real time: enter it as {CLOCK_FORMATS_TEXT}")
    return datetime.time(hour, minute)


# A month as people type it: "November 2026", "Nov 2026", "2026-11", "11/2026" (also "11-2026",
# "2026/11", any case and spacing).
_MONTH_NAMES = {
    name: number
    for number in range(1, 13)
    for name in (
        datetime.date(2000, number, 1).strftime("%B").lower(),
        datetime.date(2000, number, 1).strftime("%b").lower(),
    )
}
_MONTH_NAMED = re.compile(r"([a-z]+)\.?,?\s*(\d{4})", re.ASCII)
_MONTH_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})", re.ASCII)
_MONTH_YEAR_LAST = re.compile(r"(\d{1,2})[-/.](\d{4})", re.ASCII)
MONTH_FORMATS_TEXT = "a month and year, for example November 2026 or 11/2026"


def parse_month_text(text: str) -> datetime.date:
    """The first day of the month written in `text`, else ValueError saying how to write one."""
    text = " ".join(str(text or "").lower().split())
    if found := _MONTH_NAMED.fullmatch(text):
        month, year = _MONTH_NAMES.get(found[1], 0), int(found[2])
    elif found := _MONTH_YEAR_FIRST.fullmatch(text):
        year, month = int(found[1]), int(found[2])
    elif found := _MONTH_YEAR_LAST.fullmatch(text):
        month, year = int(found[1]), int(found[2])
    else:
        month = year = 0
    if not 1 <= month <= 12 or year < 1:
        raise ValueError(f"Enter the month as {MONTH_FORMATS_TEXT}")
    return datetime.date(year, month, 1)
