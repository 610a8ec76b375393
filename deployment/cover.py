"""Minimum dedicated cover, day by day: the two cover figures, each defined once, in SQL, here.

- **Posted strength below minimum** on day D (`posted_strength_below_minimum`): the dedicated
  PCs and PCSOs posted to the ward on D (a dedicated posting whose first day is on or before D
  and whose last day, if any, is on or after D) are fewer than the minimum
  (teams.strength.minimum_cover). A ward with nobody posted is below it every day; an officer
  posted for part of the month counts on the days of their posting.
- **Cover below minimum** on day D (`cover_below_minimum`): the same posted officers, less those
  taken elsewhere on D, are fewer than the minimum. An officer is taken elsewhere on D when their
  abstractions and the daily windows of the authorised flexes that name them
  (deployment.commitments) take at least COVER_AWAY_HOURS (a setting, 4 by default) of D's real
  hours (a London day, 23 or 25 hours long at the clock changes), counted once where they
  overlap.

Flex approval, abstraction recording, the inspector's queue, Grip and Pace and the monthly
reports all ask these two functions; a flex or abstraction not recorded yet is asked about with
`flexes=` or `away=` (what if it were). Each call is one query whatever the number of wards,
officers or days. Which London days a commitment touches (for the calendars) is `days_touched`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import connection

from config.timeutils import LONDON, dates_between, day_bounds
from deployment import selectors
from deployment.commitments import authorised_windows_sql, window_params, window_sql
from deployment.models import Abstraction, FlexRequest
from deployment.selectors import Conflict
from teams import strength
from teams.models import Officer, Posting, Rank, Team
from wards.models import Ward

# The two figures' names and definitions, as every page, the PDF and the README give them.
POSTED_STRENGTH_NAME = "Posted strength below minimum"
COVER_NAME = "Cover below minimum"


def definitions() -> dict:
    """{"posted_strength": {name, text}, "cover": {name, text}} with today's settings."""
    return {
        "posted_strength": {
            "name": POSTED_STRENGTH_NAME,
            "text": (
                f"the dedicated PCs and PCSOs posted to the ward that day are fewer than "
                f"{strength.minimum_cover_text()}. A ward with nobody posted counts every day; "
                "an officer posted for part of the month counts on the days of the posting."
            ),
        },
        "cover": {
            "name": COVER_NAME,
            "text": (
                "the posted strength that day, less the officers taken elsewhere by a flex or "
                f"an abstraction for at least {settings.COVER_AWAY_HOURS:g} hours of the day, "
                f"is fewer than {strength.minimum_cover_text()}."
            ),
        },
    }


def days_touched(starts_at, ends_at, first: datetime.date, last: datetime.date):
    """The London days in [first, last] that the period [starts_at, ends_at) overlaps: a night
    shift touches two days, a commitment ending at midnight not the day after."""
    c_first = max(first, starts_at.astimezone(LONDON).date())
    c_last = min(last, ends_at.astimezone(LONDON).date())
    for day in dates_between(c_first, c_last):
        day_start, day_end = day_bounds(day, day)
        if starts_at < day_end and ends_at > day_start:
            yield day


def away_minutes() -> int:
    """How much of a day an officer must be taken elsewhere to be away from their ward's cover
    that day: settings.COVER_AWAY_HOURS, in minutes."""
    return round(settings.COVER_AWAY_HOURS * 60)


@dataclass(frozen=True)
class WardRef:
    pk: int
    code: str
    name: str
    borough_id: int


@dataclass(frozen=True)
class CoverGap:
    """A ward below minimum on a day, with the dedicated PCs and PCSOs it had."""

    ward: WardRef
    day: datetime.date
    pcs: int
    pcsos: int

    @property
    def message(self) -> str:
        min_pcs, min_pcsos = strength.minimum_cover()
        return (
            f"{self.ward.name} would have {_officers(self.pcs, 'dedicated PC')} and "
            f"{_officers(self.pcsos, 'PCSO')} on {self.day:%A %-d %B %Y}. The minimum is "
            f"{_officers(min_pcs, 'PC')} and {_officers(min_pcsos, 'PCSO')}."
        )


def _officers(count: int, noun: str) -> str:
    """"no PCSO", "1 PCSO", "2 dedicated PCs": plain English for a count of officers."""
    if count == 0:
        return f"no {noun}"
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclass(frozen=True)
class Away:
    """Time an officer would be taken elsewhere that is not recorded yet (an abstraction about
    to be recorded)."""

    officer_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime


@dataclass(frozen=True)
class FlexAway:
    """A flex not authorised yet, as if it were: its officers held in its daily window on every
    day from `first` to `last`."""

    officer_ids: tuple[int, ...]
    first: datetime.date
    last: datetime.date
    daily_start: datetime.time
    daily_end: datetime.time

    @classmethod
    def of(cls, flex: FlexRequest, members=None) -> FlexAway:
        members = flex.members.all() if members is None else members
        return cls(
            officer_ids=tuple(m.officer_id for m in members),
            first=flex.start_date,
            last=flex.ended_on or flex.end_date,
            daily_start=flex.daily_start,
            daily_end=flex.daily_end,
        )

    @property
    def days(self) -> tuple[datetime.date, datetime.date]:
        """The London days its windows touch: the day after the last too, when they run past
        midnight."""
        overnight = self.daily_end <= self.daily_start
        return self.first, self.last + datetime.timedelta(days=1 if overnight else 0)


@dataclass(frozen=True)
class Scenario:
    """What to check: wards (or the wards the officers are posted to as dedicated officers on
    the days checked), with absences not recorded yet."""

    ward_ids: tuple[int, ...] = ()
    officers_wards: tuple[int, ...] = ()
    away: tuple[Away, ...] = field(default=())
    flexes: tuple[FlexAway, ...] = field(default=())
    # The days whose postings put a ward of `officers_wards` in scope (default: all checked).
    days: tuple[datetime.date, datetime.date] | None = None


# -- the SQL ------------------------------------------------------------------------------------

_TABLES = {
    "posting": Posting._meta.db_table,
    "team": Team._meta.db_table,
    "officer": Officer._meta.db_table,
    "ward": Ward._meta.db_table,
    "abstraction": Abstraction._meta.db_table,
}

# The days, the (scenario, ward) pairs to check and the dedicated PCs and PCSOs posted to those
# wards on each day: posted strength.
_POSTED_SQL = """
days AS (
    SELECT g::date AS day,
           tstzrange((g::date)::timestamp AT TIME ZONE %(tz)s,
                     (g::date + 1)::timestamp AT TIME ZONE %(tz)s) AS r
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS g
),
scope AS MATERIALIZED (
    SELECT s.scenario, s.ward_id
    FROM unnest(%(scope_scenario)s::int[], %(scope_ward)s::int[]) AS s(scenario, ward_id)
    UNION
    SELECT o.scenario, t.ward_id
    FROM unnest(%(scope_of_scenario)s::int[], %(scope_officer)s::int[], %(scope_first)s::date[],
                %(scope_last)s::date[]) AS o(scenario, officer_id, first_day, last_day)
    JOIN {posting} p ON p.officer_id = o.officer_id
    JOIN {team} t ON t.id = p.team_id
    WHERE t.ward_id IS NOT NULL AND p.role = %(dedicated)s
      AND p.start_date <= o.last_day AND (p.end_date IS NULL OR p.end_date >= o.first_day)
),
posted AS MATERIALIZED (
    SELECT DISTINCT t.ward_id, p.officer_id, o.rank, days.day
    FROM {posting} p
    JOIN {team} t ON t.id = p.team_id
    JOIN {officer} o ON o.id = p.officer_id
    JOIN days ON days.day >= p.start_date AND (p.end_date IS NULL OR days.day <= p.end_date)
    WHERE t.ward_id IN (SELECT ward_id FROM scope) AND p.role = %(dedicated)s
      AND o.rank IN (%(pc)s, %(pcso)s)
      AND p.start_date <= %(last)s AND (p.end_date IS NULL OR p.end_date >= %(first)s)
)""".format(**_TABLES)



def _below(present: str) -> str:
    """Every (scenario, ward, day) below minimum, with the PCs and PCSOs it had, from the CTE
    `present` (scenario, ward_id, day, pcs, pcsos). Unordered."""
    return """
SELECT s.scenario, w.id, w.code, w.name, w.borough_id, days.day,
       COALESCE(pr.pcs, 0), COALESCE(pr.pcsos, 0)
FROM scope s
JOIN {ward} w ON w.id = s.ward_id
CROSS JOIN days
LEFT JOIN {present} pr ON pr.scenario = s.scenario AND pr.ward_id = s.ward_id
                      AND pr.day = days.day
WHERE %(every_day)s OR COALESCE(pr.pcs, 0) < %(min_pcs)s OR COALESCE(pr.pcsos, 0) < %(min_pcsos)s
""".format(present=present, **_TABLES)


# Ordered by scenario, ward name, ward and day (the columns of _below).
_ORDER = "ORDER BY 1, 4, 2, 6"
_BELOW_SQL = f"{_below('present')}{_ORDER}"

# The posted officers counted per (scenario, ward, day): posted strength.
_POSTED_PRESENT_SQL = """
    SELECT s.scenario, ps.ward_id, ps.day,
           COUNT(*) FILTER (WHERE ps.rank = %(pc)s) AS pcs,
           COUNT(*) FILTER (WHERE ps.rank = %(pcso)s) AS pcsos
    FROM scope s JOIN posted ps ON ps.ward_id = s.ward_id
    GROUP BY 1, 2, 3"""

POSTED_STRENGTH_SQL = f"""
WITH {_POSTED_SQL},
present AS ({_POSTED_PRESENT_SQL}
)
{_BELOW_SQL}"""

# The time each posted officer is held away, merged per scenario and day (recorded abstractions
# and authorised flex windows count in every scenario; a scenario's own absences only in it),
# and the officers away for at least %(away_minutes)s of a day.
_AWAY_SQL = """
officers AS MATERIALIZED (SELECT DISTINCT officer_id FROM posted),
held AS (
    SELECT NULL::int AS scenario, a.officer_id, tstzrange(a.starts_at, a.ends_at) AS r
    FROM {abstraction} a
    WHERE a.officer_id IN (SELECT officer_id FROM officers)
      AND a.starts_at < %(end)s AND a.ends_at > %(start)s
    UNION ALL
    SELECT NULL::int, w.officer_id, w.r
    FROM ({windows}) AS w
    UNION ALL
    SELECT x.scenario, x.officer_id, tstzrange(x.starts_at, x.ends_at)
    FROM unnest(%(x_scenario)s::int[], %(x_officer)s::int[], %(x_starts)s::timestamptz[],
                %(x_ends)s::timestamptz[]) AS x(scenario, officer_id, starts_at, ends_at)
    UNION ALL
    SELECT xf.scenario, xf.officer_id, {flex_window}
    FROM unnest(%(xf_scenario)s::int[], %(xf_officer)s::int[], %(xf_first)s::date[],
                %(xf_last)s::date[], %(xf_start)s::time[], %(xf_end)s::time[])
         AS xf(scenario, officer_id, first_day, last_day, daily_start, daily_end)
    CROSS JOIN LATERAL generate_series(xf.first_day, xf.last_day, interval '1 day') AS g
),
taken AS (
    SELECT sc.scenario, h.officer_id, days.day, range_agg(h.r * days.r) AS held
    FROM held h
    JOIN days ON h.r && days.r
    JOIN (SELECT DISTINCT scenario FROM scope) AS sc
      ON h.scenario IS NULL OR h.scenario = sc.scenario
    GROUP BY 1, 2, 3
),
away AS (
    SELECT t.scenario, t.officer_id, t.day
    FROM taken t
    WHERE (SELECT SUM(EXTRACT(EPOCH FROM upper(x)) - EXTRACT(EPOCH FROM lower(x)))
           FROM unnest(t.held) AS x) >= %(away_minutes)s * 60
)""".format(
    windows=authorised_windows_sql(
        "m.officer_id IN (SELECT officer_id FROM officers)"
        " AND f.id IS DISTINCT FROM %(exclude_flex)s::int"
    ),
    flex_window=window_sql("g::date", "xf.daily_start", "xf.daily_end"),
    **_TABLES,
)

# The posted officers not taken elsewhere, counted per (scenario, ward, day): cover.
_COVER_PRESENT_SQL = """
    SELECT s.scenario, ps.ward_id, ps.day,
           COUNT(*) FILTER (WHERE ps.rank = %(pc)s) AS pcs,
           COUNT(*) FILTER (WHERE ps.rank = %(pcso)s) AS pcsos
    FROM scope s
    JOIN posted ps ON ps.ward_id = s.ward_id
    LEFT JOIN away ON away.scenario = s.scenario AND away.officer_id = ps.officer_id
                  AND away.day = ps.day
    WHERE away.officer_id IS NULL
    GROUP BY 1, 2, 3"""

COVER_SQL = f"""
WITH {_POSTED_SQL},
{_AWAY_SQL},
present AS ({_COVER_PRESENT_SQL}
)
{_BELOW_SQL}"""

# Both figures in one statement (a monthly report asks for both over the same wards and days):
# the posted officers found once. Each row is led by its figure: 0 posted strength, 1 cover.
BOTH_SQL = f"""
WITH {_POSTED_SQL},
{_AWAY_SQL},
posted_present AS ({_POSTED_PRESENT_SQL}
),
present AS ({_COVER_PRESENT_SQL}
)
SELECT 0, * FROM ({_below('posted_present')}) AS b
UNION ALL
SELECT 1, * FROM ({_below('present')}) AS b
ORDER BY 1, 2, 5, 3, 7"""


def _params(
    scenarios: list[Scenario], first, last, as_at, exclude_flex=None, every_day=False
) -> dict:
    min_pcs, min_pcsos = strength.minimum_cover()
    start, end = day_bounds(first, last)
    params = {
        **window_params(as_at),
        "first": first,
        "last": last,
        "start": start,
        "end": end,
        # Windows opening the day before reach into the first day.
        "days_from": first - datetime.timedelta(days=1),
        "days_to": last,
        "dedicated": Posting.Role.DEDICATED,
        "pc": Rank.PC,
        "pcso": Rank.PCSO,
        "min_pcs": min_pcs,
        "min_pcsos": min_pcsos,
        "away_minutes": away_minutes(),
        # A flex whose authorised windows are left out: one whose change is being decided.
        "exclude_flex": exclude_flex,
        # Every day, not only those below minimum: the headcount behind the cover figure.
        "every_day": every_day,
    }
    columns = defaultdict(list)
    for i, s in enumerate(scenarios):
        for ward_id in s.ward_ids:
            columns["scope_scenario"].append(i)
            columns["scope_ward"].append(ward_id)
        s_first, s_last = s.days or (first, last)
        for officer_id in s.officers_wards:
            _append(columns, scope_of_scenario=i, scope_officer=officer_id, scope_first=s_first,
                    scope_last=s_last)
        for a in s.away:
            _append(columns, x_scenario=i, x_officer=a.officer_id, x_starts=a.starts_at,
                    x_ends=a.ends_at)
        for fx in s.flexes:
            for officer_id in fx.officer_ids:
                _append(columns, xf_scenario=i, xf_officer=officer_id, xf_first=fx.first,
                        xf_last=fx.last, xf_start=fx.daily_start, xf_end=fx.daily_end)
    for name in _ARRAYS:
        params[name] = columns[name]
    return params


_ARRAYS = (
    "scope_scenario", "scope_ward", "scope_of_scenario", "scope_officer", "scope_first",
    "scope_last", "x_scenario", "x_officer", "x_starts", "x_ends", "xf_scenario", "xf_officer",
    "xf_first", "xf_last", "xf_start", "xf_end",
)


def _append(columns, **values) -> None:
    for name, value in values.items():
        columns[name].append(value)


def _run(
    sql, scenarios, first, last, as_at=None, exclude_flex=None, every_day=False
) -> list[list[CoverGap]]:
    """Each scenario's days below minimum (with `every_day`, every day), in its order."""
    gaps = [[] for _ in scenarios]
    if not scenarios or first > last:
        return gaps
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(scenarios, first, last, as_at, exclude_flex, every_day))
        for scenario, ward_id, code, name, borough_id, day, pcs, pcsos in cursor.fetchall():
            gaps[scenario].append(
                CoverGap(WardRef(ward_id, code, name, borough_id), day, pcs, pcsos)
            )
    return gaps


def posted_strength_below_minimum(ward_ids, first, last) -> list[CoverGap]:
    """The days in [first, last] on which each ward's posted strength (its dedicated PCs and
    PCSOs that day) is below the minimum: every day for a ward with nobody posted. One query."""
    return _run(POSTED_STRENGTH_SQL, [Scenario(ward_ids=tuple(ward_ids))], first, last)[0]


def cover_below_minimum(
    ward_ids, first, last, *, away=(), flexes=(), officers_wards=(), as_at=None
) -> list[CoverGap]:
    """The days in [first, last] on which each ward's cover is below the minimum: its posted
    strength less the officers taken elsewhere for at least COVER_AWAY_HOURS of the day.

    `away` (Away) and `flexes` (FlexAway) are absences not recorded yet, counted as if they
    were; `officers_wards` adds the wards those officers are posted to as dedicated officers in
    [first, last]. `as_at`: flexes as authorised at that instant (default: now). One query."""
    scenario = Scenario(tuple(ward_ids), tuple(officers_wards), tuple(away), tuple(flexes))
    return _run(COVER_SQL, [scenario], first, last, as_at)[0]


def both_below_minimum(ward_ids, first, last, *, as_at=None) -> tuple[list[CoverGap], ...]:
    """(`posted_strength_below_minimum`, `cover_below_minimum`) of the wards over [first, last],
    the same two answers from one query (the posted officers are found once). `as_at`: flexes as
    authorised at that instant (default: now)."""
    figures = ([], [])
    if first > last:
        return figures
    with connection.cursor() as cursor:
        cursor.execute(BOTH_SQL, _params([Scenario(tuple(ward_ids))], first, last, as_at))
        for figure, _, ward_id, code, name, borough_id, day, pcs, pcsos in cursor.fetchall():
            figures[figure].append(
                CoverGap(WardRef(ward_id, code, name, borough_id), day, pcs, pcsos)
            )
    return figures


@dataclass(frozen=True)
class DayCover:
    """A ward's cover on one day: the dedicated PCs and PCSOs it had (posted, less those taken
    elsewhere, as the cover figure counts them) and whether that day counts in "cover below
    minimum" (the figure's own answer, not a second comparison)."""

    day: datetime.date
    pcs: int
    pcsos: int
    below: bool


def cover_each_day(ward_id: int, first, last) -> list[DayCover]:
    """The ward's cover on each day of [first, last] (the ward calendar's headcount), with the
    days `cover_below_minimum` counts marked. Two queries."""
    every = _run(COVER_SQL, [Scenario((ward_id,))], first, last, every_day=True)[0]
    below = {gap.day for gap in cover_below_minimum([ward_id], first, last)}
    return [DayCover(g.day, g.pcs, g.pcsos, g.day in below) for g in every]


def cover_below_minimum_each(
    scenarios: list[Scenario], first, last, *, exclude_flex=None
) -> list[list[CoverGap]]:
    """`cover_below_minimum` for several what-ifs at once (the inspector's queue), each on its
    own: one query whatever their number. `exclude_flex`: a flex whose authorised windows are
    left out of every scenario (a change to it is being decided: the scenarios say what it
    holds)."""
    return _run(COVER_SQL, list(scenarios), first, last, exclude_flex=exclude_flex)


def days_by_ward(gaps) -> dict[int, list[datetime.date]]:
    """{ward id: its days below minimum} from a list of CoverGap."""
    days = defaultdict(list)
    for gap in gaps:
        days[gap.ward.pk].append(gap.day)
    return {ward_id: sorted(ds) for ward_id, ds in days.items()}


# -- a flex about to be decided ---------------------------------------------------------------
#
# A decision answers for the days below minimum cover it makes: below minimum with it and not
# without it, or with fewer officers than without it (taking anyone from a ward already short
# counts; a ward short whatever the decision does, on a day it takes no one from it, does not).
# It is asked in every ward its officers are posted to as dedicated officers on its days, each
# day against that day's postings (an officer posted to W, then W2, is missed in W, then W2).


def made_by(with_it: list[CoverGap], without_it: list[CoverGap]) -> list[CoverGap]:
    """The gaps of `with_it` a decision makes: not in `without_it`, or with fewer officers."""
    had = {(g.ward.pk, g.day): (g.pcs, g.pcsos) for g in without_it}
    return [g for g in with_it if had.get((g.ward.pk, g.day)) != (g.pcs, g.pcsos)]


def gaps_made(with_it: Scenario, without_it: Scenario, first, last, *, exclude_flex=None):
    """The days below minimum cover a decision makes (`made_by`), from the two scenarios, which
    must scope the same wards. One query."""
    found = cover_below_minimum_each([with_it, without_it], first, last, exclude_flex=exclude_flex)
    return made_by(*found)


def flex_scenarios(flex: FlexRequest, members=None):
    """(with it, without it, first, last): approving `flex` would hold its officers in its
    windows on every day of it, checked in every ward they are posted to on those days."""
    fx = FlexAway.of(flex, members)
    first, last = fx.days
    without_it = Scenario(officers_wards=fx.officer_ids, days=fx.days)
    return replace(without_it, flexes=(fx,)), without_it, first, last


def flex_cover_gaps(flex: FlexRequest) -> list[CoverGap]:
    """The days on which approving the flex would take a ward of its officers below minimum
    cover, or further below it: a Chief Inspector must accept them. One query."""
    members = list(flex.members.all())
    if not members:
        return []
    with_it, without_it, first, last = flex_scenarios(flex, members)
    return gaps_made(with_it, without_it, first, last, exclude_flex=flex.pk)


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
    members = {f.pk: list(f.members.all()) for f in flexes}
    first = min(f.start_date for f in flexes)
    last = max(f.end_date for f in flexes)
    officer_ids = {m.officer_id for ms in members.values() for m in ms}
    commitments = selectors.commitments_between(
        officer_ids, first, last,
        select=("officer", "flex_request", "abstraction__abstraction_type"),
    )
    gaps = _queue_gaps(flexes, members)
    return {
        f.pk: FlexWarnings(conflicts=_conflicts_of(f, members[f.pk], commitments), gaps=gaps[f.pk])
        for f in flexes
    }


def _queue_gaps(flexes, members) -> dict[int, list[CoverGap]]:
    """Each flex's own cover gaps (flex_cover_gaps), from one query over all their days (each
    keeps only its own days)."""
    with_members = [f for f in flexes if members[f.pk]]
    scenarios, spans = [], []
    for flex in with_members:
        with_it, without_it, first, last = flex_scenarios(flex, members[flex.pk])
        scenarios += [with_it, without_it]
        spans.append((first, last))
    gaps = {f.pk: [] for f in flexes}
    if not scenarios:
        return gaps
    first = min(s[0] for s in spans)
    last = max(s[1] for s in spans)
    found = cover_below_minimum_each(scenarios, first, last)
    for i, (flex, (f_first, f_last)) in enumerate(zip(with_members, spans, strict=True)):
        made = made_by(found[2 * i], found[2 * i + 1])
        gaps[flex.pk] = [g for g in made if f_first <= g.day <= f_last]
    return gaps


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


# -- what a decision itself takes: a change to a running flex, an abstraction -----------------


def abstraction_cover_gaps(officer_id: int, starts_at, ends_at) -> list[CoverGap]:
    """The days an abstraction of the officer over [starts_at, ends_at), not recorded yet, would
    take a ward they are posted to below minimum cover (or further below it). One query."""
    first, last = starts_at.astimezone(LONDON).date(), ends_at.astimezone(LONDON).date()
    days = list(days_touched(starts_at, ends_at, first, last))
    if not days:
        return []
    first, last = days[0], days[-1]
    without_it = Scenario(officers_wards=(officer_id,), days=(first, last))
    with_it = replace(without_it, away=(Away(officer_id, starts_at, ends_at),))
    return gaps_made(with_it, without_it, first, last)


def change_cover_gaps(flex: FlexRequest, members, after: FlexAway) -> list[CoverGap]:
    """The days from `after.first` on which a change to a running flex would take a ward below
    minimum cover (or further below it) compared with the flex as it stands: its `members` in
    their own days and its hours, against `after` (the officers, days and hours the change sets
    from `after.first`). The day before is held as it stands in both (a window past midnight
    reaches into the first day). One query."""
    effective = after.first
    if after.first > after.last:
        return []
    day_before = effective - datetime.timedelta(days=1)
    last_day = flex.ended_on or flex.end_date
    before, kept = [], []
    for member in members:
        m_first, m_last = member.days(flex)
        m_last = min(m_last, last_day)
        for first, last, into in ((max(m_first, day_before), min(m_last, day_before), kept),
                                  (max(m_first, effective), m_last, before)):
            if first <= last:
                into.append(FlexAway((member.officer_id,), first, last, flex.daily_start,
                                     flex.daily_end))
    last = max(fx.days[1] for fx in [*before, after])
    officers = tuple(sorted({o for fx in [*before, after] for o in fx.officer_ids}))
    without_it = Scenario(
        officers_wards=officers, flexes=(*kept, *before), days=(effective, last)
    )
    with_it = replace(without_it, flexes=(*kept, after))
    return gaps_made(with_it, without_it, effective, last, exclude_flex=flex.pk)


def gaps_summary(gaps) -> str:
    """The first gap and how many ward-days in all, for a refusal or a flag."""
    days = len(gaps)
    if days == 1:
        return f"{gaps[0].message} That is the only day below minimum."
    return f"{gaps[0].message} That is the first of {days} days below minimum across the wards."
