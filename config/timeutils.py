"""Time arithmetic in one place. Everything is Europe/London and timezone-aware."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


def london_midnight(day: datetime.date) -> datetime.datetime:
    """The instant a London calendar day starts (23 or 25 hours long across the clock change)."""
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=LONDON)


def day_bounds(
    first: datetime.date, last: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """[start of `first`, start of the day after `last`) in London time."""
    return london_midnight(first), london_midnight(last + datetime.timedelta(days=1))


def shift_bounds(
    day: datetime.date, start: datetime.time, end: datetime.time
) -> tuple[datetime.datetime, datetime.datetime]:
    """A shift starting on `day` at `start`; ending at `end` the same day, or the next day when
    `end` is not after `start` (a night shift crosses midnight)."""
    begins = datetime.datetime.combine(day, start, tzinfo=LONDON)
    end_day = day if end > start else day + datetime.timedelta(days=1)
    ends = datetime.datetime.combine(end_day, end, tzinfo=LONDON)
    return begins, ends


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, month, 1)
    nxt = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first, nxt - datetime.timedelta(days=1)


def dates_between(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


def elapsed(starts_at: datetime.datetime, ends_at: datetime.datetime) -> datetime.timedelta:
    """Real time between two instants. (Python subtracts wall-clock times when both share a
    tzinfo, which is an hour out across the clock change.)"""
    return ends_at.astimezone(datetime.UTC) - starts_at.astimezone(datetime.UTC)
