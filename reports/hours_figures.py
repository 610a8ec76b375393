"""Where a borough's neighbourhood minutes went in a month, from its duties and abstractions, in
one SQL statement (MINUTES_SQL): the definitions of rostered, home-ward, flexed (authorised and
not), flexed-in and abstracted minutes, and the trend over the 12 months before.

Every figure is whole minutes of real elapsed time (a night across the clock change is an hour
shorter or longer than its wall-clock times say), clipped to the month: [London midnight on the
1st, London midnight on the 1st of the next month), or to the moment the report was made for a
month not over yet. The definitions, as the report states them (reports.definitions):

- a duty's minutes are split, minute by minute, into minutes abstracted (inside one of the
  officer's abstractions), flexed (the rest, when the duty was worked in another ward) and
  minutes in the home ward (the rest): duty minutes = home + flexed + abstracted inside duties;
- a flexed minute is authorised when it falls inside a daily window of an authorised flex that
  names the officer and goes to the ward worked (deployment.commitments), whether or not the
  duty names that flex; every other flexed minute is unauthorised;
- an abstraction's minutes are its own, clipped to the month: those inside a recorded duty of
  the officer count for the duty's home ward (and in the abstraction rate), those outside any
  recorded duty for the officer's home ward on the abstraction's first day (or, when the officer
  had none, for no ward), reported apart and flagged;
- a duty of the "abstracted" kind is not abstracted as a whole: only the minutes its
  abstraction covers are abstracted, the rest count as minutes in the home ward.
"""

import datetime
import hashlib
from collections import defaultdict

from django.db import connection, transaction

from deployment.commitments import authorised_windows_sql, window_params
from deployment.models import MAX_ABSTRACTION_DAYS, MAX_SHIFT_HOURS, Abstraction, Duty
from reports import stored_months
from reports.measures import (
    BY_TYPE_FIELDS,
    add_months,
    blank_row,
    month_instants,
    sum_rows,
    trend_point,
    with_rate,
)
from teams.models import Officer, Posting, Team

TREND_MONTHS = 13  # this month and the 12 before it: the same month a year before is the first
LONGEST_SHIFT = datetime.timedelta(hours=MAX_SHIFT_HOURS)
LONGEST_ABSTRACTION = datetime.timedelta(days=MAX_ABSTRACTION_DAYS)
EMPTY = "'{}'::tstzmultirange"


def range_minutes(r: str) -> str:
    """Whole minutes of real time in a tstzrange."""
    return f"ROUND((EXTRACT(EPOCH FROM upper({r})) - EXTRACT(EPOCH FROM lower({r}))) / 60)::bigint"


def multirange_minutes(mr: str) -> str:
    """Whole minutes of real time in a tstzmultirange (its ranges never overlap)."""
    return (
        f"(SELECT COALESCE(ROUND(SUM(EXTRACT(EPOCH FROM upper(x) - lower(x))) / 60), 0)::bigint "
        f"FROM unnest({mr}) AS x)"
    )


# Each section's rows come back as JSON objects: (section, object).
MINUTES_SQL = """
WITH
period AS (
    SELECT * FROM unnest(%(idx)s::int[], %(starts)s::timestamptz[], %(ends)s::timestamptz[])
         AS p(idx, p_start, p_end)
),
duty AS MATERIALIZED (              -- each duty's part inside each period (by the home ward index)
    SELECT p.idx, d.id, d.officer_id, d.home_ward_id, d.worked_ward_id, d.kind,
           d.flex_request_id, d.recorded_at,
           tstzrange(GREATEST(d.starts_at, p.p_start), LEAST(d.ends_at, p.p_end)) AS r
    FROM {duty} d
    JOIN period p ON d.starts_at < p.p_end AND d.ends_at > p.p_start
    WHERE d.home_ward_id = ANY(%(wards)s)
      AND d.starts_at >= %(earliest)s AND d.starts_at < %(latest)s
),
piece AS MATERIALIZED (             -- the officer's abstractions inside each duty
    SELECT d.idx, d.id AS duty_id, d.home_ward_id, a.abstraction_type_id,
           d.r * tstzrange(a.starts_at, a.ends_at) AS r
    FROM (
        SELECT a.officer_id, a.abstraction_type_id, a.starts_at, a.ends_at
        FROM {abstraction} a
        WHERE a.officer_id IN (SELECT officer_id FROM duty)
          AND a.starts_at < %(latest)s AND a.ends_at > %(earliest)s
          AND a.starts_at > %(earliest)s - %(longest_abstraction)s
    ) AS a
    JOIN duty d ON d.officer_id = a.officer_id
               AND a.starts_at < upper(d.r) AND a.ends_at > lower(d.r)
),
away AS (
    SELECT idx, duty_id, range_agg(r) AS r FROM piece GROUP BY 1, 2
),
flex_window AS MATERIALIZED ({windows}),
held AS (                           -- authorised windows over each flexed duty
    SELECT d.idx, d.id AS duty_id, range_agg(w.r) AS r,
           COALESCE(bool_or(w.flex_id = d.flex_request_id), FALSE) AS named
    FROM duty d
    JOIN flex_window w ON w.officer_id = d.officer_id AND w.to_ward_id = d.worked_ward_id
                      AND w.r && d.r
    WHERE d.kind = 'flexed'
    GROUP BY 1, 2
),
per_duty AS (
    SELECT d.idx, d.id, d.officer_id, d.home_ward_id, d.worked_ward_id, d.kind, d.recorded_at,
           {duty_minutes} AS minutes,
           -- (most duties hold no abstraction and no window: no multirange to measure)
           CASE WHEN aw.r IS NULL THEN 0 ELSE {abstracted} END AS abstracted,
           CASE WHEN d.kind <> 'flexed' THEN 0
                WHEN aw.r IS NULL THEN {duty_minutes} ELSE {flexed} END AS flexed,
           CASE WHEN d.kind <> 'flexed' OR h.r IS NULL THEN 0 ELSE {authorised} END
               AS authorised,
           COALESCE(h.named, FALSE) AS named
    FROM duty d
    LEFT JOIN away aw ON aw.idx = d.idx AND aw.duty_id = d.id
    LEFT JOIN held h ON h.idx = d.idx AND h.duty_id = d.id
),
abstraction AS MATERIALIZED (       -- the borough's abstractions in the month
    SELECT a.id, a.officer_id, a.abstraction_type_id, a.starts_at, a.ends_at, a.recorded_at,
           tstzrange(GREATEST(a.starts_at, %(start)s), LEAST(a.ends_at, %(end)s)) AS r
    FROM {abstraction} a
    WHERE a.borough_id = %(borough)s AND a.starts_at < %(end)s AND a.ends_at > %(start)s
      AND a.starts_at > %(start)s - %(longest_abstraction)s
),
abstraction_duties AS (             -- every recorded duty of the officer it overlaps, any ward
    SELECT a.id, od.r
    FROM abstraction a
    CROSS JOIN LATERAL (                -- by the (officer, start) index, one abstraction at a time
        SELECT range_agg(tstzrange(d.starts_at, d.ends_at)) AS r
        FROM {duty} d
        WHERE d.officer_id = a.officer_id AND d.starts_at < a.ends_at
          AND d.ends_at > a.starts_at AND d.starts_at > a.starts_at - %(longest_shift)s
    ) AS od
    WHERE od.r IS NOT NULL
),
abstraction_minutes AS (
    SELECT a.id, a.officer_id, a.abstraction_type_id, a.starts_at, a.ends_at, a.recorded_at,
           {own} AS own, {outside} AS outside, ad.id IS NOT NULL AS has_duty,
           (SELECT t.ward_id FROM {posting} p JOIN {team} t ON t.id = p.team_id
            WHERE p.officer_id = a.officer_id AND p.is_primary AND t.ward_id = ANY(%(wards)s)
              AND p.start_date <= (a.starts_at AT TIME ZONE %(tz)s)::date
              AND (p.end_date IS NULL OR p.end_date >= (a.starts_at AT TIME ZONE %(tz)s)::date)
            LIMIT 1) AS ward_id
    FROM abstraction a
    LEFT JOIN abstraction_duties ad ON ad.id = a.id
)
SELECT 'duty', json_build_object(
    'idx', idx, 'home', home_ward_id, 'worked', worked_ward_id, 'kind', kind,
    'duties', COUNT(*), 'minutes', SUM(minutes), 'abstracted', SUM(abstracted),
    'flexed', SUM(flexed), 'authorised', SUM(authorised),
    'officers', COUNT(DISTINCT officer_id) FILTER (WHERE flexed > 0),
    'matched_unnamed', COUNT(*) FILTER (WHERE authorised > 0 AND NOT named),
    'max_id', MAX(id), 'last_recorded', MAX(recorded_at))
FROM per_duty GROUP BY idx, home_ward_id, worked_ward_id, kind
UNION ALL
SELECT 'in_duty', json_build_object(
    'home', home_ward_id, 'type', abstraction_type_id, 'minutes', SUM({piece_minutes}))
FROM piece WHERE idx = %(month_idx)s GROUP BY home_ward_id, abstraction_type_id
UNION ALL
SELECT 'outside', json_build_object(
    'ward', ward_id, 'type', abstraction_type_id, 'minutes', SUM(outside),
    'abstractions', COUNT(*), 'last_recorded', MAX(recorded_at))
FROM abstraction_minutes GROUP BY ward_id, abstraction_type_id
UNION ALL
SELECT 'no_duty', json_build_object(
    'id', m.id, 'officer', o.shoulder_number, 'name', o.first_name || ' ' || o.last_name,
    'type', m.abstraction_type_id, 'ward', m.ward_id, 'starts_at', m.starts_at,
    'ends_at', m.ends_at, 'minutes', m.own)
FROM abstraction_minutes m JOIN {officer} o ON o.id = m.officer_id
WHERE NOT m.has_duty
""".format(
    duty=Duty._meta.db_table,
    abstraction=Abstraction._meta.db_table,
    posting=Posting._meta.db_table,
    team=Team._meta.db_table,
    officer=Officer._meta.db_table,
    windows=authorised_windows_sql("f.to_ward_id = ANY(%(wards)s)"),
    duty_minutes=range_minutes("d.r"),
    abstracted=multirange_minutes("aw.r"),
    flexed=multirange_minutes(f"tstzmultirange(d.r) - COALESCE(aw.r, {EMPTY})"),
    authorised=multirange_minutes(
        f"(tstzmultirange(d.r) - COALESCE(aw.r, {EMPTY})) * COALESCE(h.r, {EMPTY})"
    ),
    own=range_minutes("a.r"),
    outside=multirange_minutes(f"tstzmultirange(a.r) - COALESCE(ad.r, {EMPTY})"),
    piece_minutes=range_minutes("r"),
)


# A fingerprint of the definition: stored months computed by another are never read.
DEFINITION = hashlib.sha256(
    (MINUTES_SQL + repr(window_params())).encode()
).hexdigest()[:16]


def minutes_rows(borough_id, ward_ids, month, start, end, as_at) -> dict[str, list[dict]]:
    """The month's rows of each section, and the trend's: {section: [row]}. The closed months of
    the trend already stored (reports.stored_months) are read as 'stored' rows (per ward and
    month), the others computed; each closed month computed is stored, in the same transaction.
    Four queries: the lock, the stored months, the minutes statement, the store.

    `start`, `end`: the instants counted ([the 1st 00:00, the next 1st 00:00), or up to the
    moment a month not over yet is reported); `as_at`: flexes as authorised then (None: now, for
    a month not over: it is not stored)."""
    months = [add_months(month, n) for n in range(-(TREND_MONTHS - 1), 1)]
    bounds = [month_instants(m) for m in months[:-1]] + [(start, end)]
    sections = defaultdict(list)
    outermost = not connection.in_atomic_block
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        stored_months.lock(cursor, commit_without_waiting=outermost)
        stored, changed = stored_months.read(
            cursor, borough_id, ward_ids, months[:-1], [b[1] for b in bounds[:-1]], as_at,
            DEFINITION,
        )
        todo = [i for i, m in enumerate(months) if m not in stored]
        for i, m in enumerate(months):
            sections["stored"] += [{"idx": i, **r} for r in stored.get(m, ())]
        _compute(cursor, sections, todo, bounds, months, borough_id, ward_ids, as_at)
        # The trend's months computed here read their flexes' status at this report's cut-off:
        # the same as at their own ends unless a flex of theirs changed status since (changed).
        keep = [i for i in todo if i < len(months) - 1 and months[i] not in changed]
        if as_at is not None:  # this month is over: its statuses are read at its end
            keep.append(len(months) - 1)
        stored_months.store(cursor, borough_id, DEFINITION, [
            (months[i], bounds[i][1],
             stored_months.per_ward(ward_ids, [r for r in sections["duty"] if r["idx"] == i]))
            for i in keep
        ])
    return sections


def _compute(cursor, sections, todo, bounds, months, borough_id, ward_ids, as_at) -> None:
    """The minutes statement over the months `todo` (indices into `months`; the last, this
    month, always among them)."""
    start, end = bounds[-1]
    params = {
        **window_params(as_at=as_at),
        "borough": borough_id,
        "wards": list(ward_ids),
        "idx": todo,
        "starts": [bounds[i][0] for i in todo],
        "ends": [bounds[i][1] for i in todo],
        "month_idx": len(months) - 1,
        "earliest": bounds[todo[0]][0] - LONGEST_SHIFT,
        "latest": end,
        "start": start,
        "end": end,
        "longest_shift": LONGEST_SHIFT,
        "longest_abstraction": LONGEST_ABSTRACTION,
        # Windows opening the day before the first month reach into it.
        "days_from": months[todo[0]] - datetime.timedelta(days=1),
        "days_to": end.date() + datetime.timedelta(days=1),
    }
    cursor.execute(MINUTES_SQL, params)
    for section, row in cursor.fetchall():
        sections[section].append(row)


# -- per ward ------------------------------------------------------------------------------------

def per_ward(wards, types, sections, month_idx) -> tuple[list[dict], dict]:
    """One row per ward of the borough (every ward, with nothing recorded too), and the row of
    minutes abstracted outside duties from officers posted to no ward of the borough."""
    code_of = {t["id"]: t["code"] for t in types}
    codes = list(code_of.values())
    rows = {w["id"]: blank_row(codes) for w in wards}
    no_ward = blank_row(codes)
    for r in sections.get("duty", ()):
        if r["idx"] == month_idx:
            _add_duty(rows, r)
    for r in sections.get("in_duty", ()):
        rows[r["home"]]["abstracted_in_duty_by_type"][code_of[r["type"]]] += r["minutes"]
    for r in sections.get("outside", ()):
        row = rows.get(r["ward"], no_ward)
        row["abstracted_outside_duty_by_type"][code_of[r["type"]]] += r["minutes"]
    for row in [*rows.values(), no_ward]:
        _finish(row, codes)
    return [
        {
            "ward_id": w["id"],
            "ward_code": w["code"],
            "ward": w["name"],
            "team_id": w["team__id"],
            "team": w["team__name"] or f"{w['name']} (no team)",
            **rows[w["id"]],
        }
        for w in wards
    ], no_ward


def _add_duty(rows, r) -> None:
    row = rows[r["home"]]
    row["duties"] += r["duties"]
    row["rostered_minutes"] += r["minutes"]
    row["abstracted_in_duty_minutes"] += r["abstracted"]
    row["flexed_out_minutes"] += r["flexed"]
    row["authorised_flex_minutes"] += r["authorised"]
    row["home_ward_minutes"] += r["minutes"] - r["abstracted"] - r["flexed"]
    if r["kind"] == Duty.Kind.FLEXED and r["worked"] in rows:
        rows[r["worked"]]["flexed_in_minutes"] += r["flexed"]


def _finish(row, codes) -> None:
    """Totals from their parts: unauthorised = flexed - authorised; abstracted (by type and in
    all) = inside duties + outside."""
    row["unauthorised_flex_minutes"] = row["flexed_out_minutes"] - row["authorised_flex_minutes"]
    row["abstracted_outside_duty_minutes"] = sum(row["abstracted_outside_duty_by_type"].values())
    for code in codes:
        row["abstracted_by_type"][code] = (
            row["abstracted_in_duty_by_type"][code] + row["abstracted_outside_duty_by_type"][code]
        )
    row["abstracted_minutes"] = (
        row["abstracted_in_duty_minutes"] + row["abstracted_outside_duty_minutes"]
    )
    with_rate(row)


def per_team(ward_rows, codes) -> list[dict]:
    """A duty's team is its home ward's neighbourhood team."""
    teams = {}
    for row in ward_rows:
        key = row["team_id"] or f"ward-{row['ward_id']}"
        team = teams.setdefault(key, {"team_id": row["team_id"], "team": row["team"], "rows": []})
        team["rows"].append(row)
    out = [
        {"team_id": t["team_id"], "team": t["team"], **sum_rows(t["rows"], codes)}
        for t in teams.values()
    ]
    return sorted(out, key=lambda t: t["team"])


def by_type(types, total) -> list[dict]:
    return [
        {
            "code": t["code"],
            "name": t["name"],
            **{field.removesuffix("_by_type"): total[field][t["code"]]
               for field in BY_TYPE_FIELDS},
        }
        for t in types
    ]


# -- the trend -----------------------------------------------------------------------------------

def trend(month, sections) -> list[dict]:
    """The 13 months to this one: duty minutes, abstracted inside duties, flexed and unauthorised
    flex, and the rate, by the same definitions (each month as recorded when the report was
    made: a stored month is forgotten when a record of it changes, reports.stored_months)."""
    months = [add_months(month, n) for n in range(-(TREND_MONTHS - 1), 1)]
    sums = [defaultdict(int) for _ in months]
    # Computed rows, and the stored months' (the same figures, per ward).
    for r in [*sections.get("duty", ()), *sections.get("stored", ())]:
        acc = sums[r["idx"]]
        acc["rostered_minutes"] += r["minutes"]
        acc["abstracted_in_duty_minutes"] += r["abstracted"]
        acc["flexed_out_minutes"] += r["flexed"]
        acc["unauthorised_flex_minutes"] += r["flexed"] - r["authorised"]
    return [trend_point(m, sums[i]) for i, m in enumerate(months)]


def abstractions_without_duty(types, sections) -> list[dict]:
    """The flagged list: abstractions that overlap no recorded duty of the officer at all."""
    name_of = {t["id"]: t["name"] for t in types}
    rows = [
        {
            "id": r["id"],
            "officer": r["officer"],
            "officer_name": r["name"],
            "type": name_of[r["type"]],
            "starts_at": r["starts_at"],
            "ends_at": r["ends_at"],
            "minutes": r["minutes"],
            "posted_to_a_ward": r["ward"] is not None,
        }
        for r in sections.get("no_duty", ())
    ]
    return sorted(rows, key=lambda r: (r["starts_at"], r["id"]))


def source_of(sections, month_idx) -> dict:
    """What the figures were computed from, so two versions can be told apart."""
    duties = [r for r in sections.get("duty", ()) if r["idx"] == month_idx]
    recorded = [r["last_recorded"] for r in duties] + [
        r["last_recorded"] for r in sections.get("outside", ())
    ]
    return {
        "duties": sum(r["duties"] for r in duties),
        "max_duty_id": max((r["max_id"] for r in duties), default=None),
        "abstractions": sum(r["abstractions"] for r in sections.get("outside", ())),
        "last_recorded_at": max(recorded, default=None),
    }
