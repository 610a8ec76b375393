"""Where the borough's rostered hours went in the month, from its duties: hours by ward, team,
kind and abstraction type, the trend over the 12 months before, the days below cover, and what
the figures were computed from.

Hours are real elapsed hours (a night shift across the clock change is 1 hour shorter or longer
than its wall-clock times say) and a duty that crosses midnight into the next month is split at
London midnight: each month counts only the part inside its own [first day 00:00, next month's
first day 00:00). PostgreSQL does that arithmetic: the overlap of [starts_at, ends_at) with the
month, in epoch seconds, summed per ward, kind and abstraction type."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import connection

from deployment.models import MAX_SHIFT_HOURS, Abstraction, Duty
from reports.measures import add_months, hours, month_instants, rate, sum_rows

TREND_MONTHS = 13  # this month and the 12 before it: the same month a year before is the first


# -- SQL ------------------------------------------------------------------------------------

def _overlap(start: str, end: str) -> str:
    """Seconds of the duty inside [start, end): real time, whatever the clock did."""
    return (
        f"EXTRACT(EPOCH FROM LEAST(d.ends_at, {end})) "
        f"- EXTRACT(EPOCH FROM GREATEST(d.starts_at, {start}))"
    )


def _tables():
    return {"duty": Duty._meta.db_table, "abstraction": Abstraction._meta.db_table}


# Both read a borough's duties by the (home ward, starts_at) index: a duty overlapping a period
# starts at most MAX_SHIFT_HOURS before it (a database constraint).
# The abstraction type is looked up only for abstracted duties (a tenth of them), by primary key,
# rather than by hashing every abstraction in London.
DUTY_HOURS_SQL = """
SELECT d.home_ward_id, d.worked_ward_id, d.kind, d.abstraction_type_id,
       d.flex_request_id IS NOT NULL AS authorised, COUNT(*), SUM({overlap}),
       MAX(d.id), MAX(d.recorded_at)
FROM (
    SELECT d.*, CASE WHEN d.abstraction_id IS NOT NULL THEN (
               SELECT a.abstraction_type_id FROM {abstraction} a WHERE a.id = d.abstraction_id
           ) END AS abstraction_type_id
    FROM {duty} d
    WHERE d.home_ward_id = ANY(%(wards)s)
      AND d.starts_at >= %(earliest)s AND d.starts_at < %(end)s AND d.ends_at > %(start)s
) AS d
GROUP BY 1, 2, 3, 4, 5
"""

# One index range over the borough's wards for the 12 months, each duty then split between the
# months it overlaps.
TREND_SQL = """
SELECT p.idx,
       SUM({overlap}),
       COALESCE(SUM({overlap}) FILTER (WHERE d.kind = 'abstracted'), 0),
       COALESCE(SUM({overlap}) FILTER (WHERE d.kind = 'flexed'), 0),
       COALESCE(SUM({overlap}) FILTER (WHERE d.kind = 'flexed' AND d.flex_request_id IS NULL), 0)
FROM {duty} d
JOIN unnest(%(idx)s::int[], %(starts)s::timestamptz[], %(ends)s::timestamptz[])
     AS p(idx, p_start, p_end) ON d.starts_at < p.p_end AND d.ends_at > p.p_start
WHERE d.home_ward_id = ANY(%(wards)s)
  AND d.starts_at >= %(earliest)s AND d.starts_at < %(latest)s
GROUP BY p.idx
"""
LONGEST_SHIFT = datetime.timedelta(hours=MAX_SHIFT_HOURS)


def duty_hours(ward_ids, start, end):
    sql = DUTY_HOURS_SQL.format(overlap=_overlap("%(start)s", "%(end)s"), **_tables())
    params = {"wards": ward_ids, "earliest": start - LONGEST_SHIFT, "start": start, "end": end}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def trend_rows(ward_ids, month, duty_rows):
    """The 12 months before `month` from the duties, then `month` itself from its duty rows."""
    months = [add_months(month, n) for n in range(-(TREND_MONTHS - 1), 0)]
    bounds = [month_instants(m) for m in months]
    sql = TREND_SQL.format(overlap=_overlap("p.p_start", "p.p_end"), **_tables())
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "wards": ward_ids,
                "earliest": bounds[0][0] - LONGEST_SHIFT,
                "latest": bounds[-1][1],
                "idx": list(range(len(months))),
                "starts": [b[0] for b in bounds],
                "ends": [b[1] for b in bounds],
            },
        )
        found = {row[0]: row[1:] for row in cursor.fetchall()}
    trend = []
    for i, m in enumerate(months):
        rostered, abstracted, flexed, unauthorised = found.get(i, (0, 0, 0, 0))
        trend.append(_period(m, rostered, abstracted, flexed, unauthorised))
    trend.append(_period(month, *_month_totals(duty_rows)))
    return trend


def _month_totals(duty_rows):
    """Rostered, abstracted, flexed and unauthorised flex seconds of the month's duty rows,
    summed exactly (the database's numeric seconds) as TREND_SQL would."""
    totals = [Decimal(0)] * 4
    for _home, _worked, kind, _type, authorised, _count, seconds, *_ in duty_rows:
        seconds = seconds or Decimal(0)
        totals[0] += seconds
        if kind == Duty.Kind.ABSTRACTED:
            totals[1] += seconds
        elif kind == Duty.Kind.FLEXED:
            totals[2] += seconds
            if not authorised:
                totals[3] += seconds
    return totals


def _period(month, rostered, abstracted, flexed, unauthorised) -> dict:
    return {
        "month": f"{month:%Y-%m}",
        "rostered_hours": hours(rostered),
        "abstracted_hours": hours(abstracted),
        "flexed_hours": hours(flexed),
        "unauthorised_flex_hours": hours(unauthorised),
        "abstraction_rate": rate(float(abstracted or 0), float(rostered or 0)),
    }



def _blank_row(types) -> dict:
    return {
        "rostered_seconds": 0,
        "home_ward_seconds": 0,
        "abstracted_seconds": 0,
        "flexed_out_seconds": 0,
        "unauthorised_flex_seconds": 0,
        "flexed_in_seconds": 0,
        "duties": 0,
        "by_type_seconds": {t["code"]: 0 for t in types},
    }


def per_ward(wards, types, duty_rows):
    """Rows per home ward, the abstracted seconds per type, and the flexed seconds per
    (home ward, worked ward, authorised)."""
    type_code = {t["id"]: t["code"] for t in types}
    acc = {w["id"]: _blank_row(types) for w in wards}
    by_type = defaultdict(float)
    flex_seconds = defaultdict(float)
    for home, worked, kind, type_id, authorised, count, seconds, *_ in duty_rows:
        seconds = float(seconds or 0)
        row = acc[home]
        row["rostered_seconds"] += seconds
        row["duties"] += count
        if kind == Duty.Kind.HOME:
            row["home_ward_seconds"] += seconds
        elif kind == Duty.Kind.ABSTRACTED:
            row["abstracted_seconds"] += seconds
            row["by_type_seconds"][type_code[type_id]] += seconds
            by_type[type_id] += seconds
        elif kind == Duty.Kind.FLEXED:
            row["flexed_out_seconds"] += seconds
            if not authorised:
                row["unauthorised_flex_seconds"] += seconds
            if worked in acc:
                acc[worked]["flexed_in_seconds"] += seconds
            flex_seconds[(home, worked, authorised)] += seconds
    rows = []
    for w in wards:
        row = _finish(acc[w["id"]])
        rows.append({
            "ward_id": w["id"],
            "ward_code": w["code"],
            "ward": w["name"],
            "team_id": w["team__id"],
            "team": w["team__name"] or f"{w['name']} (no team)",
            **row,
        })
    return rows, by_type, flex_seconds


def _finish(acc: dict) -> dict:
    """Seconds to hours, and the rate against the target."""
    rostered = acc["rostered_seconds"]
    return {
        "duties": acc["duties"],
        "rostered_hours": hours(rostered),
        "home_ward_hours": hours(acc["home_ward_seconds"]),
        "abstracted_hours": hours(acc["abstracted_seconds"]),
        "abstracted_by_type": {k: hours(v) for k, v in acc["by_type_seconds"].items()},
        "flexed_out_hours": hours(acc["flexed_out_seconds"]),
        "flexed_in_hours": hours(acc["flexed_in_seconds"]),
        "unauthorised_flex_hours": hours(acc["unauthorised_flex_seconds"]),
        "abstraction_rate": rate(acc["abstracted_seconds"], rostered),
        "above_target": bool(
            rostered and acc["abstracted_seconds"] / rostered > settings.SNT_ABSTRACTION_TARGET
        ),
    }



def per_team(ward_rows) -> list[dict]:
    """A duty's team is its home ward's neighbourhood team."""
    teams = {}
    for row in ward_rows:
        key = row["team_id"] or f"ward-{row['ward_id']}"
        team = teams.setdefault(key, {"team_id": row["team_id"], "team": row["team"], "rows": []})
        team["rows"].append(row)
    out = []
    for team in teams.values():
        codes = [{"code": c} for c in team["rows"][0]["abstracted_by_type"]]
        summed = sum_rows(team["rows"], codes)
        summed["cover_gap_days"] = sum(r["cover_gap_days"] for r in team["rows"])
        out.append({"team_id": team["team_id"], "team": team["team"], **summed})
    return sorted(out, key=lambda t: t["team"])


def cover_section(wards, days) -> dict:
    """`days`: {ward id: the days it was below minimum cover}."""
    names = {w["id"]: w for w in wards}
    listed = [
        {
            "ward_code": names[ward_id]["code"],
            "ward": names[ward_id]["name"],
            "days": len(ds),
            "dates": [f"{d:%Y-%m-%d}" for d in sorted(ds)],
        }
        for ward_id, ds in days.items()
    ]
    return {
        "wards": sorted(listed, key=lambda r: (-r["days"], r["ward"])),
        "ward_days": sum(len(ds) for ds in days.values()),
        "days_by_ward": {ward_id: len(ds) for ward_id, ds in days.items()},
    }



def source_of(duty_rows) -> dict:
    """What the figures were computed from, so two snapshots can be told apart."""
    last_recorded = max((row[8] for row in duty_rows), default=None)
    return {
        "duties": sum(row[5] for row in duty_rows),
        "max_duty_id": max((row[7] for row in duty_rows), default=None),
        "last_duty_recorded_at": last_recorded.isoformat() if last_recorded else None,
    }
