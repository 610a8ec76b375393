"""Time arithmetic in one place. Everything is Europe/London and timezone-aware."""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone

from config.errors import DomainError

LONDON = ZoneInfo("Europe/London")


def london_midnight(day: datetime.date) -> datetime.datetime:
    """The instant a London calendar day starts (23 or 25 hours long across the clock change)."""
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=LONDON)


def day_bounds(
    first: datetime.date, last: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """[start of `first`, start of the day after `last`) in London time. (The last day of
    Python's calendar has no day after it: its end is the calendar's last instant, so a record
    stored there before the date ranges held (config.limits) still shows.)"""
    if last == datetime.date.max:
        return london_midnight(first), datetime.datetime.max.replace(tzinfo=LONDON)
    return london_midnight(first), london_midnight(last + datetime.timedelta(days=1))


def skipped_in_london(local: datetime.datetime) -> bool:
    """Whether a London wall-clock time never happened: the hour the spring clock change skips
    (01:00-01:59 on its Sunday). A time the autumn change repeats did happen (twice): it is read
    as its first occurrence, in BST (fold 0)."""
    naive = local.replace(tzinfo=None)
    try:
        back = local.astimezone(datetime.UTC).astimezone(LONDON).replace(tzinfo=None)
    except (OverflowError, ValueError):  # the calendar's first and last hours: no change there
        return False
    return back != naive


def skipped_message(local: datetime.datetime) -> str:
    return (
        f"{local:%H:%M} on {local.day} {local:%B %Y} did not happen in London: the clocks went "
        "forward from 01:00 to 02:00"
    )


def wall_clock(day: datetime.date, clock: datetime.time) -> datetime.datetime:
    """A London date and time as an instant; ValueError for a time the clocks skipped."""
    local = datetime.datetime.combine(day, clock, tzinfo=LONDON)
    if skipped_in_london(local):
        raise ValueError(skipped_message(local))
    return local


def shift_bounds(
    day: datetime.date, start: datetime.time, end: datetime.time, *, recorded: bool = False
) -> tuple[datetime.datetime, datetime.datetime]:
    """A shift starting on `day` at `start`; ending at `end` the same day, or the next day when
    `end` is not after `start` (a night shift crosses midnight). A `recorded` shift (one a person
    typed) may not start or end at a time the clocks skipped; a planned window (a promise's
    daily hours) simply runs in real time across it."""
    begins = datetime.datetime.combine(day, start, tzinfo=LONDON)
    try:
        end_day = day if end > start else day + datetime.timedelta(days=1)
    except OverflowError:  # a night shift starting on 31 December 9999
        raise DomainError("That date is out of range.", field="date") from None
    ends = datetime.datetime.combine(end_day, end, tzinfo=LONDON)
    if recorded:
        for field, moment in (("start", begins), ("end", ends)):
            if skipped_in_london(moment):
                raise DomainError(skipped_message(moment), field=field)
    return begins, ends


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, month, 1)
    nxt = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first, nxt - datetime.timedelta(days=1)


def dates_between(first: datetime.date, last: datetime.date):
    for n in range((last - first).days + 1):
        yield first + datetime.timedelta(days=n)


def today() -> datetime.date:
    return timezone.localdate()


def answer_time(value: datetime.datetime) -> datetime.datetime:
    """An aware instant as the API answers it: in London time, unless London's offset then had
    seconds (its local mean time, -00:01:15, before 1847), which an RFC 3339 date-time cannot
    write, or the instant has no London date (the first 75 seconds of year 1): then in UTC."""
    try:
        local = value.astimezone(LONDON)
    except (OverflowError, ValueError):
        return value.astimezone(datetime.UTC)
    if local.utcoffset() % datetime.timedelta(minutes=1):
        return value.astimezone(datetime.UTC)
    return local


def elapsed(starts_at: datetime.datetime, ends_at: datetime.datetime) -> datetime.timedelta:
    """Real time between two instants. (Python subtracts wall-clock times when both share a
    tzinfo, which is an hour out across the clock change.)"""
    return ends_at.astimezone(datetime.UTC) - starts_at.astimezone(datetime.UTC)


# --- whole minutes -------------------------------------------------------------------------------

# Duties, abstractions and flex windows are recorded in whole minutes, so every figure built from
# them is a whole number of minutes (deployment's CheckConstraints hold the database to it).
WHOLE_MINUTES_MESSAGE = "Times are recorded in whole minutes: leave out the seconds."


def is_whole_minute(value: datetime.datetime | datetime.time | None) -> bool:
    """No seconds: for an instant, in real (UTC) time, as the database checks it."""
    if value is None:
        return True
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.astimezone(datetime.UTC)
    return value.second == 0 and value.microsecond == 0


def validate_whole_minute(value) -> None:
    """A field validator (model, form and serializer fields)."""
    if not is_whole_minute(value):
        raise ValidationError(WHOLE_MINUTES_MESSAGE, code="whole_minutes")


def check_whole_minutes(**values) -> None:
    """For the services: a DomainError naming the first field with seconds."""
    for field, value in values.items():
        if not is_whole_minute(value):
            raise DomainError(WHOLE_MINUTES_MESSAGE, field=field)


# --- working days (England and Wales bank holidays) ------------------------------------------

# Bank holidays moved or added by proclamation, which no rule predicts.
_MOVED_HOLIDAYS = {
    datetime.date(2020, 5, 4): datetime.date(2020, 5, 8),  # early May moved for VE Day 75
    datetime.date(2022, 5, 30): datetime.date(2022, 6, 2),  # spring: Platinum Jubilee
}
_EXTRA_HOLIDAYS = {
    datetime.date(2022, 6, 3),  # Platinum Jubilee
    datetime.date(2022, 9, 19),  # State funeral of Queen Elizabeth II
    datetime.date(2023, 5, 8),  # Coronation of King Charles III
}


def easter_sunday(year: int) -> datetime.date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher")."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _nth_monday(year: int, month: int, n: int) -> datetime.date:
    """The n-th Monday of the month; n=-1 for the last."""
    if n > 0:
        first = datetime.date(year, month, 1)
        return first + datetime.timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))
    last = month_bounds(year, month)[1]
    return last - datetime.timedelta(days=last.weekday())


def _substituted(days: list[datetime.date]) -> list[datetime.date]:
    """Fixed-date holidays falling on a weekend (or on another holiday) move to the next free
    weekday: Christmas on a Saturday gives Monday 27 and Boxing Day Tuesday 28."""
    taken: list[datetime.date] = []
    for day in days:
        while day.weekday() >= 5 or day in taken:
            day += datetime.timedelta(days=1)
        taken.append(day)
    return taken


def bank_holidays(year: int) -> frozenset[datetime.date]:
    """England and Wales bank holidays in `year`."""
    easter = easter_sunday(year)
    days = {
        easter - datetime.timedelta(days=2),  # Good Friday
        easter + datetime.timedelta(days=1),  # Easter Monday
        _nth_monday(year, 5, 1),  # early May
        _nth_monday(year, 5, -1),  # spring
        _nth_monday(year, 8, -1),  # summer
    }
    days.update(_substituted([datetime.date(year, 1, 1)]))
    days.update(_substituted([datetime.date(year, 12, 25), datetime.date(year, 12, 26)]))
    days = {_MOVED_HOLIDAYS.get(d, d) for d in days}
    days.update(d for d in _EXTRA_HOLIDAYS if d.year == year)
    return frozenset(days)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `day` (a report on a Saturday, with n=1, is due Monday)."""
    while n > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


# --- months ------------------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    """The first day of the month `n` months after `month`'s (n may be negative)."""
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every month from `first`'s to `last`'s, both included (first days)."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [add_months(month_start(first), n) for n in range(max(count, 0))]
