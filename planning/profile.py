"""Demand profiles for shift patterns: when calls come in, against when SN officers were on duty.

For a ward, a cluster or a borough and a range of months, over the 168 hours of the week (Monday
00:00 first, London time, the clock changes counted: the hour the clocks repeat in autumn counts
twice, the hour they skip in spring not at all):

- demand: CAD calls received in the area's wards in that hour of the week (all types; ASB shown
  apart too);
- SN officer-minutes on duty in the area in that hour: minutes of the duties of officers whose home
  ward is in the area, minus those abstracted, minus those flexed out of the area, plus duties
  flexed into the area from elsewhere. Whole minutes, real elapsed time;
- the hours to look at: demand in the top quarter of the week's hours and SN minutes in the bottom
  quarter (a quarter is the nearest-rank 75th and 25th percentile of the 168 values; demand must be
  above nought);
- evenings (18:00-24:00) and weekends (Saturday and Sunday): each one's share of SN minutes
  against its share of demand. The share of SN minutes must be at least the setting
  DEMAND_PROFILE_EVENING_RATIO (weekends: DEMAND_PROFILE_WEEKEND_RATIO) times the share of demand.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from config.timeutils import LONDON, add_months, day_bounds
from demand.models import HOURS_IN_WEEK, CadWardMonth
from demand.selectors import Selection
from deployment.models import MAX_SHIFT_HOURS, Duty

EVENING_HOURS = range(18, 24)
WEEKEND_DAYS = (5, 6)
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TERMS = ("rostered", "abstracted", "flex_out", "flex_in", "on_duty")
HOUR = datetime.timedelta(hours=1)


@dataclass
class Profile:
    area_label: str
    selection: Selection
    calls: list[int]
    asb_calls: list[int]
    minutes: dict[str, list[int]]  # TERMS -> 168 officer-minutes
    marked: list[bool] = field(default_factory=list)

    @property
    def on_duty(self) -> list[int]:
        return self.minutes["on_duty"]

    def share(self, slots, values) -> float | None:
        total = sum(values)
        return sum(values[s] for s in slots) / total if total else None

    def check(self, slots, ratio) -> dict:
        demand, cover = self.share(slots, self.calls), self.share(slots, self.on_duty)
        met = None if demand is None or cover is None else cover >= ratio * demand
        return {"demand_share": demand, "sn_share": cover, "ratio": ratio, "met": met}

    @property
    def evenings(self) -> dict:
        slots = [d * 24 + h for d in range(7) for h in EVENING_HOURS]
        return self.check(slots, settings.DEMAND_PROFILE_EVENING_RATIO)

    @property
    def weekends(self) -> dict:
        slots = [d * 24 + h for d in WEEKEND_DAYS for h in range(24)]
        return self.check(slots, settings.DEMAND_PROFILE_WEEKEND_RATIO)

    def cells(self):
        """One dict per hour of the week, Monday 00:00 first."""
        for slot in range(HOURS_IN_WEEK):
            yield {
                "weekday": slot // 24,
                "day": DAYS[slot // 24],
                "hour": slot % 24,
                "calls": self.calls[slot],
                "asb_calls": self.asb_calls[slot],
                "sn_officer_minutes": self.on_duty[slot],
                "sn_officer_hours": round(self.on_duty[slot] / 60, 1),
                "high_demand_low_cover": self.marked[slot],
            }

    def totals(self) -> dict:
        return {term: sum(values) for term, values in self.minutes.items()}


def nearest_rank(values, fraction: float):
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def mark(calls, minutes) -> list[bool]:
    busy, thin = nearest_rank(calls, 0.75), nearest_rank(minutes, 0.25)
    return [c >= busy and c > 0 and m <= thin for c, m in zip(calls, minutes, strict=True)]


def build(area_label: str, ward_ids: list[int], sel: Selection) -> Profile:
    """The profile of the wards over the selection's months. Two queries."""
    calls, asb = demand_by_hour(ward_ids, sel)
    minutes = officer_minutes_by_hour(ward_ids, *months_instants(sel))
    profile = Profile(area_label, sel, calls, asb, minutes)
    profile.marked = mark(calls, minutes["on_duty"])
    return profile


def months_instants(sel: Selection):
    last_day = add_months(sel.last, 1) - datetime.timedelta(days=1)
    return day_bounds(sel.first, last_day)


def demand_by_hour(ward_ids, sel: Selection) -> tuple[list[int], list[int]]:
    rows = CadWardMonth.objects.filter(
        ward_id__in=ward_ids, month__gte=sel.first, month__lte=sel.last
    ).values_list("kind", "by_hour")
    arrays = {"asb": [], "other": []}
    for kind, by_hour in rows:
        arrays[kind].append(by_hour)
    asb = [sum(hour) for hour in zip(*arrays["asb"], strict=True)] or [0] * HOURS_IN_WEEK
    other = [sum(hour) for hour in zip(*arrays["other"], strict=True)] or [0] * HOURS_IN_WEEK
    return [a + o for a, o in zip(asb, other, strict=True)], asb


# Duties touching the area, grouped by their exact times: the officers of a borough work a few
# shift patterns, so a year of duties is a few thousand groups to spread over the hours.
DUTY_GROUPS_SQL = """
SELECT d.starts_at, d.ends_at, d.kind,
       d.home_ward_id = ANY(%(wards)s) AS home_in,
       d.worked_ward_id = ANY(%(wards)s) AS worked_in,
       COUNT(*)
FROM {duty} d
WHERE (d.home_ward_id = ANY(%(wards)s) OR d.worked_ward_id = ANY(%(wards)s))
  AND d.starts_at >= %(earliest)s AND d.starts_at < %(end)s AND d.ends_at > %(start)s
GROUP BY 1, 2, 3, 4, 5
"""


def officer_minutes_by_hour(ward_ids, start, end) -> dict[str, list[int]]:
    """Officer-minutes per hour of the week in [start, end), for each term of the sum."""
    minutes = {term: [0] * HOURS_IN_WEEK for term in TERMS}
    params = {
        "wards": list(ward_ids),
        "earliest": start - datetime.timedelta(hours=MAX_SHIFT_HOURS),
        "start": start,
        "end": end,
    }
    with connection.cursor() as cursor:
        cursor.execute(DUTY_GROUPS_SQL.format(duty=Duty._meta.db_table), params)
        groups = cursor.fetchall()
    for starts_at, ends_at, kind, home_in, worked_in, count in groups:
        terms = _terms(kind, home_in, worked_in)
        if not terms:
            continue
        for slot, n in _spread(max(starts_at, start), min(ends_at, end)):
            for term in terms:
                minutes[term][slot] += n * count
    return minutes


def _terms(kind, home_in, worked_in) -> tuple[str, ...]:
    """Which terms of the sum a duty counts in. on_duty = rostered − abstracted − flex_out +
    flex_in, which is: worked in the area and not abstracted."""
    terms = []
    if home_in:
        terms.append("rostered")
        if kind == Duty.Kind.ABSTRACTED:
            terms.append("abstracted")
        elif kind == Duty.Kind.FLEXED and not worked_in:
            terms.append("flex_out")
    if worked_in and kind == Duty.Kind.FLEXED and not home_in:
        terms.append("flex_in")
    if worked_in and kind != Duty.Kind.ABSTRACTED:
        terms.append("on_duty")
    return tuple(terms)


def _spread(begins: datetime.datetime, ends: datetime.datetime):
    """(hour-of-week slot, whole minutes) of [begins, ends), hour by hour. London's offset from
    UTC is whole hours, so UTC hours are London hours; each is placed by its London time (hour
    by hour only when the clocks change inside the duty)."""
    begins = begins.astimezone(datetime.UTC).replace(second=0, microsecond=0)
    ends = ends.astimezone(datetime.UTC).replace(second=0, microsecond=0)
    first_local, last_local = begins.astimezone(LONDON), ends.astimezone(LONDON)
    steady = first_local.utcoffset() == last_local.utcoffset()
    slot = first_local.weekday() * 24 + first_local.hour
    hour = begins.replace(minute=0)
    while hour < ends:
        part = min(hour + HOUR, ends) - max(hour, begins)
        if not steady:
            local = hour.astimezone(LONDON)
            slot = local.weekday() * 24 + local.hour
        yield slot % HOURS_IN_WEEK, int(part.total_seconds()) // 60
        slot += 1
        hour += HOUR
