"""The promises section of the monthly report, per ward: promises met and missed in the month,
and places never visited under a "visit every place" promise.

A monthly promise is judged on the month. A weekly promise (patrols, weekly custom counts) is
judged on each week that ends in the month; it counts as met in the month only when every such
week was met. Queries: one for the promises, then (when there are any) one for the activities
linked to them over the month and its weeks together, and one for the places of visit promises
when there are any: at most 3, whatever the number of wards, promises or weeks."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from config.timeutils import month_bounds
from promises.delivery import MET, deliveries_on
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
    # Every period judged, asked at once: each monthly promise on the month's last day, each
    # weekly one on every Sunday of the month.
    asked = [(p, last) for p in monthly]
    asked += [(p, sunday) for sunday in _sundays(first, last) for p in weekly]
    outcome: dict[int, bool] = {}
    summary = defaultdict(WardPromises)
    for delivery in deliveries_on(asked, places_as_at=as_at):
        pk = delivery.promise.pk
        outcome[pk] = outcome.get(pk, True) and delivery.status == MET
        if delivery.promise.effective_period() == Promise.Period.MONTH:
            summary[delivery.promise.ward_id].never_visited += [p.name for p in delivery.unvisited]
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
