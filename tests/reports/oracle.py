"""The independent recomputation's oracle: each figure of the monthly report worked out from the
raw rows (duties, abstractions, postings, flex requests and their transitions) by the words of
reports.definitions, minute by minute in plain Python (sets of epoch minutes), sharing nothing
with the application's SQL or its time helpers.

- A minute is a real elapsed minute (epoch minutes), so a night across a clock change has the
  length the clocks say it had.
- A flex request's daily window runs from its daily start to its daily end, London time, the next
  morning when the end is not after the start; a wall-clock time the clocks skip or repeat is
  read as GMT (deployment.commitments says so: PostgreSQL's reading).
- A flex counts as authorised when its status as the month stood at its end was approved, active
  or ended: the `from_status` of its first transition at or after that instant, or its status now.
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from deployment.models import Abstraction, Duty, FlexOfficer, FlexRequest, FlexTransition
from teams.models import Posting, Rank

LONDON_NAME = "Europe/London"
FIELDS = (
    "rostered_minutes", "home_ward_minutes", "abstracted_minutes", "abstracted_in_duty_minutes",
    "abstracted_outside_duty_minutes", "flexed_out_minutes", "flexed_in_minutes",
    "authorised_flex_minutes", "unauthorised_flex_minutes",
    "posted_strength_below_minimum_days", "cover_below_minimum_days",
)
AUTHORISED = ("approved", "active", "ended")  # the definition's words, as status values
AWAY_MINUTES = 4 * 60  # "at least 4 hours of the day" (COVER_AWAY_HOURS' default)
MIN_PCS, MIN_PCSOS = 2, 1  # the DWO minimum: 2 PCs and 1 PCSO


LONDON = ZoneInfo(LONDON_NAME)


def epoch_minute(moment: datetime.datetime) -> int:
    return int(moment.timestamp()) // 60


def at_minute(minute: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(minute * 60, tz=datetime.UTC)


def wall_clock(day: datetime.date, time: datetime.time) -> int:
    """The epoch minute of a London wall-clock time; one the clocks skip or repeat is read as
    GMT (of the two readings, the one with the smaller UTC offset)."""
    readings = [datetime.datetime.combine(day, time, tzinfo=LONDON).replace(fold=fold)
                for fold in (0, 1)]
    return epoch_minute(min(readings, key=lambda r: r.utcoffset()))


def london_midnight(day: datetime.date) -> int:
    return wall_clock(day, datetime.time(0))


def minutes_of_days(first: datetime.date, after: datetime.date) -> set[int]:
    return set(range(london_midnight(first), london_midnight(after)))


def next_month(month: datetime.date) -> datetime.date:
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def days_of(month: datetime.date):
    day = month
    while day < next_month(month):
        yield day
        day += datetime.timedelta(days=1)


def london_date(minute: int) -> datetime.date:
    return at_minute(minute).astimezone(LONDON).date()


def span_of(row) -> set[int]:
    return set(range(epoch_minute(row.starts_at), epoch_minute(row.ends_at)))


def rate(part: int, whole: int) -> str | None:
    """part / whole in per cent, rounded once, half up, to 0.01: written apart from the
    application's own rounding."""
    if not whole:
        return None
    return str((Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def hours_minutes(minutes: int) -> str:
    """Whole minutes as the pages show them: 1234 → "20:34"."""
    sign = "-" if minutes < 0 else ""
    return f"{sign}{abs(minutes) // 60}:{abs(minutes) % 60:02d}"


# -- flex requests: authorised as the month stood at its end, and their windows ----------------

def status_then(flex: FlexRequest, instant: datetime.datetime) -> str:
    later = sorted((t for t in FlexTransition.objects.filter(flex_request=flex)
                    if t.at >= instant), key=lambda t: (t.at, t.pk))
    return later[0].from_status if later else flex.status


def windows(month: datetime.date) -> list[tuple]:
    """[(officer id, to ward id, set of minutes)] of every flex authorised at the month's end,
    each member's windows on their own days (days around the month kept: a window may open the
    evening before the 1st)."""
    instant = at_minute(london_midnight(next_month(month)))
    return [w for flex in FlexRequest.objects.all()
            if status_then(flex, instant) in AUTHORISED for w in windows_of(flex)]


def authorised_now() -> list[tuple]:
    """The windows of every flex authorised now (its status now)."""
    return [w for flex in FlexRequest.objects.filter(status__in=AUTHORISED)
            for w in windows_of(flex)]


def windows_of(flex) -> list[tuple]:
    """[(officer id, to ward id, set of minutes)]: each member's daily windows on their days."""
    found = []
    last_day = flex.ended_on or flex.end_date
    for member in FlexOfficer.objects.filter(flex_request=flex):
        first = max(flex.start_date, member.first_day or flex.start_date)
        last = min(last_day, member.last_day or flex.end_date)
        minutes = set()
        day = first
        while day <= last:
            after = day + datetime.timedelta(days=flex.daily_end <= flex.daily_start)
            minutes |= set(range(wall_clock(day, flex.daily_start),
                                 wall_clock(after, flex.daily_end)))
            day += datetime.timedelta(days=1)
        found.append((member.officer_id, flex.to_ward_id, minutes))
    return found


# -- the oracle ---------------------------------------------------------------------------------

def oracle(ward_ids, borough_ids, month) -> dict:
    """{"wards": {ward id: {field: value}}, "no_ward": {borough id: minutes}} for `month`."""
    span = minutes_of_days(month, next_month(month))
    abstracted, worked = defaultdict(set), defaultdict(set)
    abstractions, duties = list(Abstraction.objects.all()), list(Duty.objects.all())
    for a in abstractions:
        abstracted[a.officer_id] |= span_of(a)
    for d in duties:
        worked[d.officer_id] |= span_of(d)
    flex_windows = windows(month)
    wards = {pk: defaultdict(int) for pk in ward_ids}
    for d in duties:
        _duty(wards, d, span, abstracted[d.officer_id], flex_windows)
    no_ward = {pk: 0 for pk in borough_ids}
    for a in abstractions:
        outside = len((span_of(a) & span) - worked[a.officer_id])
        home = _primary_ward_on(a.officer_id, a.starts_at.astimezone(LONDON).date(), a.borough_id)
        if home is None:
            no_ward[a.borough_id] += outside
        else:
            wards[home]["abstracted_outside_duty_minutes"] += outside
    for row in wards.values():
        row["abstracted_minutes"] = (row["abstracted_in_duty_minutes"]
                                     + row["abstracted_outside_duty_minutes"])
        row["home_ward_minutes"] = (row["rostered_minutes"] - row["abstracted_in_duty_minutes"]
                                    - row["flexed_out_minutes"])
        row["unauthorised_flex_minutes"] = (row["flexed_out_minutes"]
                                            - row["authorised_flex_minutes"])
    _cover(month, abstracted, flex_windows, wards)
    return {"wards": wards, "no_ward": no_ward}


def _duty(wards, d, span, abstracted, flex_windows) -> None:
    inside = span_of(d) & span
    away = inside & abstracted
    row = wards[d.home_ward_id]
    row["rostered_minutes"] += len(inside)
    row["abstracted_in_duty_minutes"] += len(away)
    if d.worked_ward_id == d.home_ward_id:
        return
    flexed = inside - away
    held = set().union(*(m for officer, ward, m in flex_windows
                         if officer == d.officer_id and ward == d.worked_ward_id))
    row["flexed_out_minutes"] += len(flexed)
    row["authorised_flex_minutes"] += len(flexed & held)
    wards[d.worked_ward_id]["flexed_in_minutes"] += len(flexed)


def _primary_ward_on(officer_id, day, borough_id):
    posting = Posting.objects.filter(
        officer_id=officer_id, is_primary=True, start_date__lte=day,
        team__ward__borough_id=borough_id,
    ).exclude(end_date__lt=day).select_related("team").first()
    return posting.team.ward_id if posting else None


def posted_on(postings, ward_id, day) -> list:
    return [p.officer for p in postings if p.team.ward_id == ward_id
            and p.start_date <= day and (p.end_date is None or p.end_date >= day)]


def below(people) -> bool:
    pcs = sum(o.rank == Rank.PC for o in people)
    pcsos = sum(o.rank == Rank.PCSO for o in people)
    return pcs < MIN_PCS or pcsos < MIN_PCSOS


def taken(officer_id, day, abstracted, flex_windows) -> bool:
    """Taken elsewhere on `day`: abstractions and authorised flex windows (counted once where
    they overlap) take at least 4 hours of the day's real minutes."""
    span = minutes_of_days(day, day + datetime.timedelta(days=1))
    held = abstracted[officer_id].union(*(m for o, _w, m in flex_windows if o == officer_id))
    return len(held & span) >= AWAY_MINUTES


def dedicated_postings() -> list:
    return list(Posting.objects.filter(role=Posting.Role.DEDICATED)
                .select_related("officer", "team"))


def _cover(month, abstracted, flex_windows, wards) -> None:
    """Per London day: the dedicated PCs and PCSOs posted (from the postings), and those of them
    not taken elsewhere, against 2 PCs + 1 PCSO."""
    postings = dedicated_postings()
    for day in days_of(month):
        for ward_id, row in wards.items():
            posted = posted_on(postings, ward_id, day)
            present = [o for o in posted if not taken(o.pk, day, abstracted, flex_windows)]
            row["posted_strength_below_minimum_days"] += below(posted)
            row["cover_below_minimum_days"] += below(present)


def abstracted_minutes() -> dict:
    found = defaultdict(set)
    for a in Abstraction.objects.all():
        found[a.officer_id] |= span_of(a)
    return found


def expected_rows(wards_of_borough, expected, borough_id) -> tuple[dict, dict]:
    """{ward name: the oracle's row} for the borough's wards, and its total."""
    rows = {w.name: {k: expected["wards"][w.pk][k] for k in FIELDS} for w in wards_of_borough}
    total = {k: sum(r[k] for r in rows.values()) for k in FIELDS}
    total["abstracted_outside_duty_minutes"] += expected["no_ward"][borough_id]
    total["abstracted_minutes"] += expected["no_ward"][borough_id]
    return rows, total


# -- today's cover and the inspector's queue ----------------------------------------------------

def present_on(ward_id, day, abstracted, flex_windows, postings) -> tuple[list, list]:
    """(posted, present): the ward's dedicated officers posted on `day`, and those of them not
    taken elsewhere that day."""
    posted = posted_on(postings, ward_id, day)
    return posted, [o for o in posted if not taken(o.pk, day, abstracted, flex_windows)]


def counts(people) -> tuple[int, int]:
    return sum(o.rank == Rank.PC for o in people), sum(o.rank == Rank.PCSO for o in people)


def cover_today(ward_ids, day) -> dict:
    """{"posted_strength": ward ids below, "cover": ward ids below} on `day`, flexes as they
    stand now."""
    abstracted, flex_windows = abstracted_minutes(), authorised_now()
    postings = dedicated_postings()
    found = {"posted_strength": set(), "cover": set()}
    for ward_id in ward_ids:
        posted, present = present_on(ward_id, day, abstracted, flex_windows, postings)
        if below(posted):
            found["posted_strength"].add(ward_id)
        if below(present):
            found["cover"].add(ward_id)
    return found


def gaps_made(flex) -> set[tuple]:
    """{(ward id, day, PCs, PCSOs)}: the ward-days approving `flex` would take below minimum
    cover, or further below it, in every ward its officers are posted to on each London day its
    windows touch (a window past midnight touches the next day too)."""
    abstracted, postings = abstracted_minutes(), dedicated_postings()
    others = [w for f in FlexRequest.objects.filter(status__in=AUTHORISED).exclude(pk=flex.pk)
              for w in windows_of(f)]
    mine = windows_of(flex)
    officers = {officer for officer, _ward, _m in mine}
    days = {london_date(minute) for _o, _w, minutes in mine for minute in minutes}
    found = set()
    for day in sorted(days):
        wards = {p.team.ward_id for p in postings if p.officer.pk in officers
                 and p.start_date <= day and (p.end_date is None or p.end_date >= day)}
        for ward_id in wards:
            _posted, with_it = present_on(ward_id, day, abstracted, others + mine, postings)
            _posted, without_it = present_on(ward_id, day, abstracted, others, postings)
            if below(with_it) and (not below(without_it) or counts(with_it) != counts(without_it)):
                found.add((ward_id, day, *counts(with_it)))
    return found


def reviews_due(today: datetime.date) -> set[int]:
    """Active flexes whose review day (14 days after the first) has come while still running
    (planned to last until it, not ended on or before it), never reviewed."""
    due = set()
    for flex in FlexRequest.objects.filter(status="active"):
        review = flex.start_date + datetime.timedelta(days=14)
        reviewed = flex.last_reviewed_at or FlexTransition.objects.filter(
            flex_request=flex, from_status="active", to_status="active").exists()
        if (review <= today and flex.end_date >= review and not reviewed
                and not (flex.ended_on and flex.ended_on <= review)):
            due.add(flex.pk)
    return due
