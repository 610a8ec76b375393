"""Months as demand counts them: the first day of a month, written YYYY-MM, from police.uk's
first month to the last month a record may fall in (config.limits.DATE_RANGES; year 1 and 9999
are not months anyone has data for)."""

import datetime
import re

from config.errors import DomainError
from config.limits import RECORD, date_range
from config.timeutils import add_months, months_between

FIRST_MONTH = datetime.date(2010, 12, 1)  # data.police.uk's first month of street-level data
MAX_RANGE_MONTHS = 10 * 12
DEFAULT_RANGE_MONTHS = 12
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")

__all__ = ["add_months", "months_between", "parse_month", "check_range", "label"]


def parse_month(text, *, field: str = "month") -> datetime.date:
    match = MONTH_RE.match(str(text or "").strip())
    month = None
    if match and 1 <= int(match[2]) <= 12 and int(match[1]) >= 1:  # year 0 is no date
        month = datetime.date(int(match[1]), int(match[2]), 1)
    last = last_month()
    if month is None or not FIRST_MONTH <= month <= last:
        raise DomainError(
            f"Give a month as YYYY-MM between {FIRST_MONTH:%Y-%m} and {last:%Y-%m}.",
            field=field,
        )
    return month


def last_month() -> datetime.date:
    """The last month a record may fall in (read when asked: it follows config.limits)."""
    return date_range(RECORD).last.replace(day=1)


def check_range(first: datetime.date, last: datetime.date) -> None:
    if last < first:
        raise DomainError("The last month must not be before the first.", field="month_to")
    if len(months_between(first, last)) > MAX_RANGE_MONTHS:
        raise DomainError(
            f"Choose at most {MAX_RANGE_MONTHS} months ({MAX_RANGE_MONTHS // 12} years).",
            field="month_to",
        )


def label(first: datetime.date, last: datetime.date) -> str:
    if first == last:
        return f"{first:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"
