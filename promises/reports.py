"""The promises section of the monthly report, per ward: promises met and missed in the month,
and places never visited under a "visit every place" promise.

A monthly promise is judged on the month. A weekly promise (patrols, weekly custom counts) is
judged on each week that ends in the month; it counts as met in the month only when every such
week was met. Queries: a handful per week of the month (at most 5 weeks), whatever the number of
wards or promises."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from config.timeutils import month_bounds
from promises.delivery import MET, deliveries
from promises.models import Promise


@dataclass
class WardPromises:
    met: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    never_visited: list[str] = field(default_factory=list)


def ward_promise_summary(wards, year: int, month: int, as_at=None) -> dict[int, WardPromises]:
    """Ward id -> its promises' outcome in the month (ward promises only): each promise met or
    missed once, from the activities dated in the month. With `as_at` (the month's end, for the
    monthly report): only the places known by then are to be visited."""
    first, last = month_bounds(year, month)
    promises = list(
        Promise.objects.filter(ward__in=wards, start__lte=last)
        .exclude(end__lt=first)
        .select_related("team")
    )
    monthly = [p for p in promises if p.effective_period() == Promise.Period.MONTH]
    weekly = [p for p in promises if p.effective_period() == Promise.Period.WEEK]
    outcome: dict[int, bool] = {}
    summary = defaultdict(WardPromises)
    for delivery in deliveries(monthly, on=last, places_as_at=as_at):
        outcome[delivery.promise.pk] = delivery.status == MET
        summary[delivery.promise.ward_id].never_visited += [p.name for p in delivery.unvisited]
    for sunday in _sundays(first, last):
        for delivery in deliveries(weekly, on=sunday, places_as_at=as_at):
            met = delivery.status == MET
            outcome[delivery.promise.pk] = outcome.get(delivery.promise.pk, True) and met
    for promise in promises:
        if promise.pk in outcome:
            bucket = summary[promise.ward_id]
            (bucket.met if outcome[promise.pk] else bucket.missed).append(promise.title)
    return dict(summary)


def _sundays(first: datetime.date, last: datetime.date):
    day = first + datetime.timedelta(days=(6 - first.weekday()))
    while day <= last:
        yield day
        day += datetime.timedelta(days=7)
