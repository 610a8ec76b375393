"""Minimum dedicated cover, day by day: which days a commitment takes an officer out of their
ward, and the ward-days left below the minimum (the rule is teams.strength's).

Two computations of the same rule, held equal by tests/deployment/test_cover_sql.py on generated
months: Python for a flex about to be decided (its officers' absences are added as
`extra_away`), SQL (COVER_GAP_DAYS_SQL) for the monthly reports. Each runs a fixed number of
queries whatever the number of wards, officers or days."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from config.timeutils import LONDON, dates_between, day_bounds
from deployment import selectors
from deployment.models import Commitment, FlexRequest
from deployment.selectors import Conflict
from teams import strength
from teams.models import Officer, Posting, Rank, Team


def days_touched(starts_at, ends_at, first: datetime.date, last: datetime.date):
    """The London days in [first, last] that the period [starts_at, ends_at) overlaps: a night
    shift touches two days, a commitment ending at midnight not the day after."""
    c_first = max(first, starts_at.astimezone(LONDON).date())
    c_last = min(last, ends_at.astimezone(LONDON).date())
    for day in dates_between(c_first, c_last):
        day_start, day_end = day_bounds(day, day)
        if starts_at < day_end and ends_at > day_start:
            yield day


def days_away(commitments, first, last) -> dict[int, set]:
    """{officer id: the days in [first, last] that a commitment of theirs touches}."""
    away = defaultdict(set)
    for c in commitments:
        away[c.officer_id].update(days_touched(c.starts_at, c.ends_at, first, last))
    return away


@dataclass(frozen=True)
class CoverGap:
    ward: object
    day: datetime.date
    pcs: int
    pcsos: int

    @property
    def message(self) -> str:
        min_pcs, min_pcsos = strength.minimum_cover()
        return (
            f"{self.ward.name} would have {self.pcs} dedicated PC(s) and {self.pcsos} PCSO(s) on "
            f"{self.day:%a %d %b %Y}, below the minimum of {min_pcs} PCs and {min_pcsos} PCSO."
        )


def dedicated_postings(ward_ids, first, last):
    return list(
        Posting.objects.filter(
            team__ward_id__in=list(ward_ids),
            role=Posting.Role.DEDICATED,
            start_date__lte=last,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .select_related("officer", "team__ward")
    )


def cover_gaps(ward_ids, first: datetime.date, last: datetime.date, *, extra_away=None):
    """Days on which a ward's dedicated officers still in the ward fall below the minimum.

    An officer is away on a day if a commitment (approved flex or abstraction) touches that day,
    or if they are in `extra_away` ({officer id: set of days}), used to test a flex before
    approving it. Two queries."""
    ward_ids = list(ward_ids)
    postings = dedicated_postings(ward_ids, first, last)
    commitments = selectors.commitments_between({p.officer_id for p in postings}, first, last)
    away = days_away(commitments, first, last)
    return gaps_of(ward_ids, first, last, postings, away, extra_away or {})


def gaps_of(ward_ids, first, last, postings, away, extra_away) -> list[CoverGap]:
    postings = [
        p for p in postings if p.start_date <= last and (p.end_date is None or p.end_date >= first)
    ]
    wards = {p.team.ward_id: p.team.ward for p in postings}
    gaps = []
    for ward_id in ward_ids:
        ward_postings = [p for p in postings if p.team.ward_id == ward_id]
        for day in dates_between(first, last):
            present = [
                p.officer
                for p in ward_postings
                if p.is_current(day)
                and day not in away.get(p.officer_id, ())
                and day not in extra_away.get(p.officer_id, ())
            ]
            pcs = sum(1 for o in present if o.rank == Rank.PC)
            pcsos = sum(1 for o in present if o.rank == Rank.PCSO)
            if strength.is_below_minimum(pcs, pcsos) and ward_id in wards:
                gaps.append(CoverGap(wards[ward_id], day, pcs, pcsos))
    return gaps


COVER_GAP_DAYS_SQL = """
WITH days AS (
    SELECT g::date AS day,
           (g::date)::timestamp AT TIME ZONE %(tz)s AS day_start,
           (g::date + 1)::timestamp AT TIME ZONE %(tz)s AS day_end
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS g
),
posted AS MATERIALIZED (
    SELECT t.ward_id, p.officer_id, o.rank, p.start_date, p.end_date
    FROM {posting} p
    JOIN {team} t ON t.id = p.team_id
    JOIN {officer} o ON o.id = p.officer_id
    WHERE t.ward_id = ANY(%(wards)s) AND p.role = %(dedicated)s
      AND p.start_date <= %(last)s AND (p.end_date IS NULL OR p.end_date >= %(first)s)
),
away AS MATERIALIZED (
    SELECT DISTINCT c.officer_id, g::date AS day
    FROM {commitment} c
    JOIN (SELECT DISTINCT officer_id FROM posted) AS po ON po.officer_id = c.officer_id
    CROSS JOIN LATERAL generate_series(
        GREATEST((c.starts_at AT TIME ZONE %(tz)s)::date, %(first)s::date),
        LEAST((c.ends_at AT TIME ZONE %(tz)s)::date, %(last)s::date),
        interval '1 day'
    ) AS g
    WHERE c.starts_at < %(end)s AND c.ends_at > %(start)s
      AND c.starts_at < (g::date + 1)::timestamp AT TIME ZONE %(tz)s
      AND c.ends_at > (g::date)::timestamp AT TIME ZONE %(tz)s
),
present AS (
    SELECT ps.ward_id, days.day,
           COUNT(*) FILTER (WHERE ps.rank = %(pc)s) AS pcs,
           COUNT(*) FILTER (WHERE ps.rank = %(pcso)s) AS pcsos
    FROM posted ps
    JOIN days ON days.day >= ps.start_date AND (ps.end_date IS NULL OR days.day <= ps.end_date)
    LEFT JOIN away ON away.officer_id = ps.officer_id AND away.day = days.day
    WHERE away.officer_id IS NULL
    GROUP BY ps.ward_id, days.day
)
SELECT w.ward_id, days.day
FROM (SELECT DISTINCT ward_id FROM posted) AS w
CROSS JOIN days
LEFT JOIN present ON present.ward_id = w.ward_id AND present.day = days.day
WHERE COALESCE(present.pcs, 0) < %(min_pcs)s OR COALESCE(present.pcsos, 0) < %(min_pcsos)s
ORDER BY w.ward_id, days.day
"""


def cover_gap_days(ward_ids, first: datetime.date, last: datetime.date) -> dict[int, list]:
    """{ward id: the days in [first, last] it was below minimum dedicated cover}: the rule of
    `cover_gaps` (without `extra_away`), computed by PostgreSQL in one query for the monthly
    reports."""
    sql = COVER_GAP_DAYS_SQL.format(
        posting=Posting._meta.db_table,
        team=Team._meta.db_table,
        officer=Officer._meta.db_table,
        commitment=Commitment._meta.db_table,
    )
    starts_at, ends_at = day_bounds(first, last)
    min_pcs, min_pcsos = strength.minimum_cover()
    params = {
        "tz": str(LONDON),
        "first": first,
        "last": last,
        "start": starts_at,
        "end": ends_at,
        "wards": list(ward_ids),
        "dedicated": Posting.Role.DEDICATED,
        "pc": Rank.PC,
        "pcso": Rank.PCSO,
        "min_pcs": min_pcs,
        "min_pcsos": min_pcsos,
    }
    days = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for ward_id, day in cursor.fetchall():
            days[ward_id].append(day)
    return dict(days)


def _absences(flex, members) -> tuple[set[int], dict[int, set]]:
    """The home wards a flex takes officers from, and {officer id: the days it takes them}."""
    ward_ids = {m.from_ward_id for m in members if m.from_ward_id}
    days = set(dates_between(flex.start_date, flex.end_date))
    return ward_ids, {m.officer_id: days for m in members}


def flex_cover_gaps(flex: FlexRequest) -> list[CoverGap]:
    """Days on which the home wards of the flex's officers would be below minimum cover with the
    flex approved. A ward already short stays short: taking anyone from it needs a Chief
    Inspector."""
    ward_ids, extra_away = _absences(flex, list(flex.members.all()))
    if not ward_ids:
        return []
    return cover_gaps(ward_ids, flex.start_date, flex.end_date, extra_away=extra_away)


@dataclass(frozen=True)
class FlexWarnings:
    conflicts: list[Conflict]
    gaps: list[CoverGap]


def queue_warnings(flexes) -> dict[int, FlexWarnings]:
    """flex_conflicts and flex_cover_gaps for many requests at once: {flex id: FlexWarnings}.

    Two queries whatever the number of requests, officers or days. Prefetch each flex's
    `members` first (they are read, not fetched)."""
    flexes = list(flexes)
    if not flexes:
        return {}
    first = min(f.start_date for f in flexes)
    last = max(f.end_date for f in flexes)
    members = {f.pk: list(f.members.all()) for f in flexes}
    ward_ids = {m.from_ward_id for ms in members.values() for m in ms if m.from_ward_id}
    postings = dedicated_postings(ward_ids, first, last) if ward_ids else []
    officer_ids = {m.officer_id for ms in members.values() for m in ms}
    commitments = selectors.commitments_between(
        officer_ids | {p.officer_id for p in postings},
        first,
        last,
        select=("officer", "flex_request", "abstraction__abstraction_type"),
    )
    away = days_away(commitments, first, last)
    return {
        f.pk: FlexWarnings(
            conflicts=_conflicts_of(f, members[f.pk], commitments),
            gaps=_gaps_of(f, members[f.pk], postings, away),
        )
        for f in flexes
    }


def _conflicts_of(flex, members, commitments) -> list[Conflict]:
    starts_at, ends_at = day_bounds(flex.start_date, flex.end_date)
    officer_ids = {m.officer_id for m in members}
    return [
        Conflict(c.officer, c)
        for c in commitments
        if c.officer_id in officer_ids
        and c.starts_at < ends_at
        and c.ends_at > starts_at
        and c.flex_request_id != flex.pk
    ]


def _gaps_of(flex, members, postings, away) -> list[CoverGap]:
    ward_ids, extra_away = _absences(flex, members)
    if not ward_ids:
        return []
    return gaps_of(ward_ids, flex.start_date, flex.end_date, postings, away, extra_away)
