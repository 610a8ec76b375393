"""How far each promise has been delivered in a period (a Monday-Sunday week or a calendar month,
Europe/London), for many promises at once in a fixed number of queries.

The rules:
- The period is the one containing the day asked about, cut to the promise's own start and end.
  A promise that starts (or ends) mid-period has a count target cut pro rata to the days it runs,
  rounded up; a visit promise still needs every place visited.
- An activity counts towards the promises it is linked to, dated by its London start date:
  - patrol: only when it starts inside a promised window. A window opens on a promised day at
    `window_start` and closes at `window_end`, the next day when `window_end` is not after
    `window_start` (a Friday 22:00-02:00 window includes Saturday 01:00, and counts on Friday);
  - visit every place of a kind: each place of that kind in the promise's ward(s) visited at
    least once; done = places visited, target = places there are;
  - engagement and custom: every linked activity counts once.
- Status on a day: **met** when done reaches the target; **missed** when the period is over and it
  did not; **at risk** when what remains exceeds what can reasonably still be done: the days left
  in the period (today included; for patrols, the promised windows left) times a per-day maximum
  (settings PROMISES_MAX_PATROLS_PER_WINDOW, PROMISES_MAX_VISITS_PER_DAY,
  PROMISES_MAX_ACTIVITIES_PER_DAY); otherwise **on track**.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from config.timeutils import LONDON, dates_between, day_bounds, month_bounds, shift_bounds
from promises.models import Activity, Promise
from wards.models import Place, Ward

MET, ON_TRACK, AT_RISK, MISSED = "met", "on_track", "at_risk", "missed"
STATUS_LABELS = {MET: "Met", ON_TRACK: "On track", AT_RISK: "At risk", MISSED: "Missed"}
STATUS_CHOICES = list(STATUS_LABELS.items())
STATUS_TAGS = {MET: "green", ON_TRACK: "blue", AT_RISK: "orange", MISSED: "red"}
# Worst first.
STATUS_ORDER = {MISSED: 0, AT_RISK: 1, ON_TRACK: 2, MET: 3}


@dataclass
class Delivery:
    promise: Promise
    first: datetime.date
    last: datetime.date
    done: int
    target: int
    status: str
    days_left: int = 0
    unvisited: list[Place] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return max(self.target - self.done, 0)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def status_tag(self) -> str:
        return STATUS_TAGS[self.status]

    @property
    def percent(self) -> int:
        return 100 if not self.target else min(100, round(100 * self.done / self.target))

    def sort_key(self):
        return (STATUS_ORDER[self.status], self.percent, self.promise.title)


def period_of(kind: str, on: datetime.date) -> tuple[datetime.date, datetime.date]:
    if kind == Promise.Period.WEEK:
        monday = on - datetime.timedelta(days=on.weekday())
        return monday, monday + datetime.timedelta(days=6)
    return month_bounds(on.year, on.month)


def active_period(promise: Promise, on: datetime.date):
    """The promise's period containing `on`, cut to its start and end; None if it does not run
    in that period at all."""
    first, last = period_of(promise.effective_period(), on)
    whole_days = (last - first).days + 1
    first = max(first, promise.start)
    if promise.end:
        last = min(last, promise.end)
    if first > last:
        return None
    return first, last, whole_days


def patrol_window_day(promise: Promise, starts_at: datetime.datetime) -> datetime.date | None:
    """The day whose promised window the instant falls in, or None."""
    local = starts_at.astimezone(LONDON)
    for day in (local.date(), local.date() - datetime.timedelta(days=1)):
        if day.weekday() not in promise.days:
            continue
        opens, closes = shift_bounds(day, promise.window_start, promise.window_end)
        if opens <= local < closes:
            return day
    return None


def deliveries(
    promises, on: datetime.date | None = None, *, places_as_at=None
) -> list[Delivery]:
    """Delivery of each promise running in its period containing `on` (default today), worst
    first; with `places_as_at`, only the places known at that instant are to be visited (a
    closed month's report). Queries: those of `deliveries_on`."""
    from config.timeutils import today

    on = on or today()
    asked = [(promise, on) for promise in promises]
    return sorted(deliveries_on(asked, places_as_at=places_as_at), key=Delivery.sort_key)


def deliveries_on(asked, *, places_as_at=None) -> list[Delivery]:
    """Delivery of each (promise, day) asked, in the order asked, leaving out a promise that does
    not run in its period containing that day. A promise may be asked on several days (a weekly
    promise on each Sunday of a month): one call answers them all in the same queries, one for
    the linked activities of every period asked, plus one for the places of visit promises and
    one for the wards of cluster teams' visit promises, when there are any."""
    spans = []
    for promise, on in asked:
        span = active_period(promise, on)
        if span:
            spans.append((promise, *span, on))
    if not spans:
        return []
    links = _linked_activities(spans)
    visit = {p.pk: p for p, *_ in spans if p.kind == Promise.Kind.VISIT_ALL}
    places = _required_places(list(visit.values()), places_as_at)
    # Each linked activity dated once per promise, however many of its periods are asked (a
    # weekly promise on every Sunday of a month): the London day it counts on.
    dated = {}
    for promise, *_ in spans:
        if promise.pk not in dated:
            dated[promise.pk] = [(_day_counted(promise, starts_at), place_id)
                                 for starts_at, place_id in links[promise.pk]]
    return [
        _delivery(promise, first, last, whole, dated[promise.pk], places.get(promise.pk, []), on)
        for promise, first, last, whole, on in spans
    ]


def _linked_activities(spans) -> dict[int, list[tuple]]:
    """Promise id -> (start, place) of each activity linked to it from the first day of the
    earliest period to the last of the latest (each delivery keeps those of its own period)."""
    # A day either side: a patrol window opened on a period's last day may close the next day.
    one_day = datetime.timedelta(days=1)
    earliest = min(first for _, first, *_ in spans) - one_day
    latest = max(last for _, _, last, *_ in spans) + one_day
    since, until = day_bounds(earliest, latest)
    rows = Activity.promises.through.objects.filter(
        promise_id__in={promise.pk for promise, *_ in spans},
        activity__starts_at__gte=since,
        activity__starts_at__lt=until,
    ).values_list("promise_id", "activity__starts_at", "activity__place_id")
    links = defaultdict(list)
    for promise_id, starts_at, place_id in rows:
        links[promise_id].append((starts_at, place_id))
    return links


def _required_places(visit_promises, as_at=None) -> dict[int, list[Place]]:
    """Promise id -> the places of its kind in its ward, or in its cluster team's wards."""
    if not visit_promises:
        return {}
    # Only a promise without a ward of its own covers its cluster team's wards.
    cluster_ids = {
        p.team.cluster_id
        for p in visit_promises
        if not p.ward_id and p.team_id and p.team.cluster_id
    }
    wards_of_cluster = defaultdict(set)
    if cluster_ids:
        for ward_id, cluster_id in Ward.objects.filter(cluster_id__in=cluster_ids).values_list(
            "pk", "cluster_id"
        ):
            wards_of_cluster[cluster_id].add(ward_id)
    wards_of = {
        p.pk: {p.ward_id} if p.ward_id else wards_of_cluster.get(p.team.cluster_id, set())
        for p in visit_promises
    }
    all_wards = set().union(*wards_of.values())
    kinds = {p.place_kind for p in visit_promises}
    places = Place.objects.filter(ward_id__in=all_wards, kind__in=kinds)
    if as_at is not None:
        places = places.filter(Q(created_at__isnull=True) | Q(created_at__lt=as_at))
    places = list(places.only("pk", "name", "kind", "ward_id").order_by("name"))
    return {
        p.pk: [pl for pl in places if pl.kind == p.place_kind and pl.ward_id in wards_of[p.pk]]
        for p in visit_promises
    }


def _delivery(promise, first, last, whole_days, dated, places, on) -> Delivery:
    """`dated`: (the day it counts on or None, place id) of each activity linked to the
    promise (`_day_counted`)."""
    unvisited = []
    inside = [place_id for day, place_id in dated if day is not None and first <= day <= last]
    if promise.kind == Promise.Kind.VISIT_ALL:
        visited = set(inside)
        unvisited = [p for p in places if p.pk not in visited]
        done, target = len(places) - len(unvisited), len(places)
    else:
        done = len(inside)
        target = math.ceil(promise.target * ((last - first).days + 1) / whole_days)
    days_left = (last - max(on, first)).days + 1 if on <= last else 0
    status = _status(promise, done, target, first, last, on)
    return Delivery(promise, first, last, done, target, status, days_left, unvisited)


def _local_day(instant: datetime.datetime) -> datetime.date:
    return instant.astimezone(LONDON).date()


def _day_counted(promise, starts_at) -> datetime.date | None:
    """The day a linked activity counts on for the promise: a patrol's window day (None outside
    every promised window), any other activity's London start date."""
    if promise.kind == Promise.Kind.PATROL:
        return patrol_window_day(promise, starts_at)
    return _local_day(starts_at)


def _status(promise, done, target, first, last, on) -> str:
    if done >= target:
        return MET
    if on > last:
        return MISSED
    return AT_RISK if target - done > capacity(promise, max(on, first), last) else ON_TRACK


def capacity(promise, first: datetime.date, last: datetime.date) -> int:
    """What can reasonably still be done from `first` to `last` inclusive."""
    if promise.kind == Promise.Kind.PATROL:
        windows = sum(1 for day in dates_between(first, last) if day.weekday() in promise.days)
        return windows * settings.PROMISES_MAX_PATROLS_PER_WINDOW
    days = (last - first).days + 1
    if promise.kind == Promise.Kind.VISIT_ALL:
        return days * settings.PROMISES_MAX_VISITS_PER_DAY
    return days * settings.PROMISES_MAX_ACTIVITIES_PER_DAY
