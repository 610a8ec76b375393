"""The figures of one borough's month (and the Met-wide roll-up built from them).

Hours are real elapsed hours (a night shift across the clock change is 1 hour shorter or longer
than its wall-clock times say) and a duty that crosses midnight into the next month is split at
London midnight: each month counts only the part inside its own [first day 00:00, next month's
first day 00:00). PostgreSQL does that arithmetic: the overlap of [starts_at, ends_at) with the
month, in epoch seconds, summed per ward, kind and abstraction type.

`borough_figures` runs a fixed number of queries (QUERIES_PER_BOROUGH) whatever the number of
wards, officers, duties or flex requests.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import connection

from config.timeutils import LONDON, day_bounds, month_bounds
from deployment import selectors
from deployment.models import (
    MAX_SHIFT_HOURS,
    Abstraction,
    AbstractionType,
    Duty,
    FlexOfficer,
    FlexRequest,
    FlexStatus,
)
from promises.reports import ward_promise_summary
from victims.selectors import monthly_section as victims_monthly_section
from wards.models import Ward

# Wards, abstraction types, duty hours (with the source summary), the trend's earlier months, flex
# requests with their members, cover gaps, the victims section (1) and the promises
# section (1 when the wards have no promises; promises/reports.py runs a few more per week of the
# month when they do, still whatever the number of wards or promises).
QUERIES_PER_BOROUGH = 8
TREND_MONTHS = 13  # this month and the 12 before it: the same month a year before is the first
AUTHORISED = (FlexStatus.APPROVED, FlexStatus.ACTIVE, FlexStatus.ENDED)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_instants(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[London midnight on the 1st, London midnight on the 1st of the next month)."""
    return day_bounds(*month_bounds(month.year, month.month))


def hours(seconds) -> float:
    return round(float(seconds or 0) / 3600, 2)


def rate(part, whole) -> float | None:
    return round(part / whole, 4) if whole else None


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


def _duty_hours(ward_ids, start, end):
    sql = DUTY_HOURS_SQL.format(overlap=_overlap("%(start)s", "%(end)s"), **_tables())
    params = {"wards": ward_ids, "earliest": start - LONGEST_SHIFT, "start": start, "end": end}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _trend_rows(ward_ids, month, duty_rows):
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


# -- the borough's month -------------------------------------------------------------------

def borough_figures(borough, month: datetime.date, *, today: datetime.date | None = None) -> dict:
    """Everything the SNT Abstraction Report shows for `borough` in `month` (its 1st day)."""
    month = month_start(month)
    first, last = month_bounds(month.year, month.month)
    start, end = day_bounds(first, last)
    today = today or datetime.datetime.now(LONDON).date()

    wards = list(
        Ward.objects.filter(borough=borough)
        .order_by("name")
        .values("id", "code", "name", "team__id", "team__name")
    )
    types = list(AbstractionType.objects.order_by("ordering", "name").values("id", "code", "name"))
    ward_ids = [w["id"] for w in wards]
    duty_rows = _duty_hours(ward_ids, start, end)
    trend = _trend_rows(ward_ids, month, duty_rows)
    flexes, members = _flexes(borough, first, last, start, end)
    gap_days = selectors.cover_gap_days(ward_ids, first, last)

    per_ward, by_type_total, flex_hours = _per_ward(wards, types, duty_rows)
    cover = _cover(wards, gap_days)
    for row in per_ward:
        row["cover_gap_days"] = cover["days_by_ward"].get(row["ward_id"], 0)
    total = _sum_rows(per_ward, types)
    total["cover_gap_days"] = sum(r["cover_gap_days"] for r in per_ward)
    return {
        "kind": "borough",
        "month": f"{month:%Y-%m}",
        "borough": _borough_info(borough),
        "target": settings.SNT_ABSTRACTION_TARGET,
        "abstraction_types": [{"code": t["code"], "name": t["name"]} for t in types],
        "wards": per_ward,
        "teams": _per_team(per_ward),
        "total": total,
        "by_type": [
            {"code": t["code"], "name": t["name"], "hours": hours(by_type_total[t["id"]])}
            for t in types
        ],
        "flex": _flex_section(wards, flexes, members, flex_hours, first, last, today),
        "cover": {"wards": cover["wards"], "ward_days": cover["ward_days"]},
        "trend": trend,
        "comparison": _comparison(trend),
        "source": _source(duty_rows),
        "promises": _promises_section(wards, month),
        "victims": victims_monthly_section(borough, first, last),
    }


def _promises_section(wards, month) -> list[dict]:
    """Per ward: the promises met and missed in the month, and places never visited."""
    summary = ward_promise_summary([w["id"] for w in wards], month.year, month.month)
    return [
        {
            "ward": w["name"],
            "ward_code": w["code"],
            "met": summary[w["id"]].met,
            "missed": summary[w["id"]].missed,
            "never_visited": summary[w["id"]].never_visited,
        }
        for w in wards
        if w["id"] in summary
    ]


def _borough_info(borough) -> dict:
    bcu = borough.bcu
    return {
        "id": borough.pk,
        "code": borough.code,
        "name": borough.name,
        "bcu": {"code": bcu.code, "name": bcu.name},
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


def _per_ward(wards, types, duty_rows):
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


HOUR_FIELDS = (
    "rostered_hours",
    "home_ward_hours",
    "abstracted_hours",
    "flexed_out_hours",
    "flexed_in_hours",
    "unauthorised_flex_hours",
)


def _sum_rows(rows, types) -> dict:
    """Totals of rows already in hours (sums of rounded hours are exact to the second when every
    duty is a whole number of minutes, which rosters are)."""
    total = {f: round(sum(r[f] for r in rows), 2) for f in HOUR_FIELDS}
    total["duties"] = sum(r["duties"] for r in rows)
    total["abstracted_by_type"] = {
        t["code"]: round(sum(r["abstracted_by_type"].get(t["code"], 0) for r in rows), 2)
        for t in types
    }
    total["abstraction_rate"] = rate(total["abstracted_hours"], total["rostered_hours"])
    total["above_target"] = bool(
        total["rostered_hours"]
        and total["abstracted_hours"] / total["rostered_hours"] > settings.SNT_ABSTRACTION_TARGET
    )
    return total


def _per_team(ward_rows) -> list[dict]:
    """A duty's team is its home ward's neighbourhood team."""
    teams = {}
    for row in ward_rows:
        key = row["team_id"] or f"ward-{row['ward_id']}"
        team = teams.setdefault(key, {"team_id": row["team_id"], "team": row["team"], "rows": []})
        team["rows"].append(row)
    out = []
    for team in teams.values():
        codes = [{"code": c} for c in team["rows"][0]["abstracted_by_type"]]
        summed = _sum_rows(team["rows"], codes)
        summed["cover_gap_days"] = sum(r["cover_gap_days"] for r in team["rows"])
        out.append({"team_id": team["team_id"], "team": team["team"], **summed})
    return sorted(out, key=lambda t: t["team"])


def _cover(wards, days) -> dict:
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


# -- flex ------------------------------------------------------------------------------------

FLEXES_SQL = """
SELECT f.id, f.status, f.start_date, f.end_date, f.problem, f.decision_reason, f.decided_at,
       f.review_due, f.last_reviewed_at, f.ended_on, f.to_ward_id, w.name,
       m.officers, m.from_wards
FROM {flex} f
JOIN {ward} w ON w.id = f.to_ward_id
LEFT JOIN LATERAL (
    SELECT array_agg(o.officer_id ORDER BY o.id) AS officers,
           array_agg(o.from_ward_id ORDER BY o.id) AS from_wards
    FROM {member} o WHERE o.flex_request_id = f.id
) AS m ON TRUE
WHERE f.borough_id = %(borough)s
  AND ((f.status = ANY(%(authorised)s) AND f.start_date <= %(last)s AND f.end_date >= %(first)s)
       OR (f.status = %(rejected)s AND f.decided_at >= %(start)s AND f.decided_at < %(end)s)
       OR (f.review_due >= %(first)s AND f.review_due <= %(last)s))
ORDER BY f.start_date, f.id
"""
FLEX_FIELDS = (
    "id", "status", "start_date", "end_date", "problem", "decision_reason", "decided_at",
    "review_due", "last_reviewed_at", "ended_on", "to_ward_id", "to_ward__name",
)


def _flexes(borough, first, last, start, end):
    """The borough's requests that ran in the month, were refused in it, or were due a review in
    it; and their members. One query."""
    sql = FLEXES_SQL.format(
        flex=FlexRequest._meta.db_table,
        ward=Ward._meta.db_table,
        member=FlexOfficer._meta.db_table,
    )
    params = {
        "borough": borough.pk, "authorised": list(AUTHORISED), "rejected": FlexStatus.REJECTED,
        "first": first, "last": last, "start": start, "end": end,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    flexes, members = [], []
    for row in rows:
        flexes.append(dict(zip(FLEX_FIELDS, row[:-2], strict=True)))
        officers, from_wards = row[-2:]
        members.extend(
            {"flex_request_id": row[0], "officer_id": officer, "from_ward_id": from_ward}
            for officer, from_ward in zip(officers or (), from_wards or (), strict=True)
        )
    return flexes, members


def _review_overdue(flex, last, today) -> bool:
    """The 14-day review fell due in the month (and has passed) but was not done by then, while
    the flex was still running."""
    due = flex["review_due"]
    if flex["status"] not in AUTHORISED or due is None or due > min(last, today):
        return False
    if flex["end_date"] < due or (flex["ended_on"] is not None and flex["ended_on"] <= due):
        return False
    reviewed = flex["last_reviewed_at"]
    return reviewed is None or reviewed.astimezone(LONDON).date() > due


def _flex_section(wards, flexes, members, flex_seconds, first, last, today) -> dict:
    ward_name = {w["id"]: w["name"] for w in wards}
    authorised = [
        f for f in flexes
        if f["status"] in AUTHORISED and f["start_date"] <= last and f["end_date"] >= first
    ]
    authorised_ids = {f["id"] for f in authorised}
    members_of = defaultdict(list)
    for m in members:
        members_of[m["flex_request_id"]].append(m)
    to_ward = {f["id"]: f["to_ward_id"] for f in flexes}

    flows = defaultdict(lambda: {"officers": set(), "seconds": 0.0})
    for m in members:
        if m["flex_request_id"] in authorised_ids:
            key = (m["from_ward_id"], to_ward[m["flex_request_id"]])
            flows[key]["officers"].add(m["officer_id"])
    unauthorised = defaultdict(float)
    for (home, worked, is_authorised), seconds in flex_seconds.items():
        if is_authorised:
            flows[(home, worked)]["seconds"] += seconds
        else:
            unauthorised[(home, worked)] += seconds

    def ward(ward_id):
        return ward_name.get(ward_id, "Unknown ward")

    return {
        "authorised": {
            "requests": len(authorised),
            "officers": len({m["officer_id"] for f in authorised for m in members_of[f["id"]]}),
            "officer_hours": round(sum(hours(v["seconds"]) for v in flows.values()), 2),
        },
        "flows": sorted(
            (
                {
                    "from_ward": ward(k[0]),
                    "to_ward": ward(k[1]),
                    "officers": len(v["officers"]),
                    "hours": hours(v["seconds"]),
                }
                for k, v in flows.items()
            ),
            key=lambda r: (-r["hours"], r["from_ward"], r["to_ward"]),
        ),
        "requests": [
            {
                "id": f["id"],
                "to_ward": f["to_ward__name"],
                "problem": f["problem"],
                "officers": len(members_of[f["id"]]),
                "start_date": f"{f['start_date']:%Y-%m-%d}",
                "end_date": f"{f['end_date']:%Y-%m-%d}",
                "status": f["status"],
            }
            for f in authorised
        ],
        "unauthorised": {
            "hours": round(sum(hours(s) for s in unauthorised.values()), 2),
            "flows": sorted(
                (
                    {"from_ward": ward(k[0]), "to_ward": ward(k[1]), "hours": hours(s)}
                    for k, s in unauthorised.items()
                ),
                key=lambda r: (-r["hours"], r["from_ward"]),
            ),
        },
        "overdue_reviews": [
            {
                "id": f["id"],
                "to_ward": f["to_ward__name"],
                "review_due": f"{f['review_due']:%Y-%m-%d}",
                "reviewed_on": (
                    f"{f['last_reviewed_at'].astimezone(LONDON):%Y-%m-%d}"
                    if f["last_reviewed_at"] else None
                ),
            }
            for f in flexes
            if _review_overdue(f, last, today)
        ],
        "refused": [
            {
                "id": f["id"],
                "to_ward": f["to_ward__name"],
                "problem": f["problem"],
                "reason": f["decision_reason"],
                "decided_on": f"{f['decided_at'].astimezone(LONDON):%Y-%m-%d}",
            }
            for f in flexes
            if f["status"] == FlexStatus.REJECTED
        ],
    }


def _comparison(trend) -> dict:
    current, previous, year_before = trend[-1], trend[-2], trend[0]

    def change(then):
        # A month with no rostered duty has nothing to compare against (e.g. before go-live).
        out = {"month": then["month"], "has_data": then["rostered_hours"] > 0}
        for key in ("rostered_hours", "abstracted_hours", "flexed_hours",
                    "unauthorised_flex_hours"):
            out[key] = then[key]
            out[f"{key}_change"] = round(current[key] - then[key], 2)
        out["abstraction_rate"] = then["abstraction_rate"]
        out["abstraction_rate_change"] = (
            round(current["abstraction_rate"] - then["abstraction_rate"], 4)
            if current["abstraction_rate"] is not None and then["abstraction_rate"] is not None
            else None
        )
        return out

    return {"previous_month": change(previous), "year_before": change(year_before)}


def _source(duty_rows) -> dict:
    """What the figures were computed from, so two snapshots can be told apart."""
    last_recorded = max((row[8] for row in duty_rows), default=None)
    return {
        "duties": sum(row[5] for row in duty_rows),
        "max_duty_id": max((row[7] for row in duty_rows), default=None),
        "last_duty_recorded_at": last_recorded.isoformat() if last_recorded else None,
    }


# -- the Met-wide roll-up -----------------------------------------------------------------

def rollup_figures(month: datetime.date, borough_figures_list: list[dict]) -> dict:
    """The same totals per BCU and per borough, and for London, from the boroughs' figures."""
    month = month_start(month)
    types = borough_figures_list[0]["abstraction_types"] if borough_figures_list else []
    boroughs = []
    bcus = defaultdict(list)
    for fig in sorted(borough_figures_list, key=lambda f: f["borough"]["name"]):
        row = {
            "borough_code": fig["borough"]["code"],
            "borough": fig["borough"]["name"],
            "bcu": fig["borough"]["bcu"]["name"],
            "bcu_code": fig["borough"]["bcu"]["code"],
            **fig["total"],
            "authorised_flex_requests": fig["flex"]["authorised"]["requests"],
            "authorised_flex_officer_hours": fig["flex"]["authorised"]["officer_hours"],
            "overdue_reviews": len(fig["flex"]["overdue_reviews"]),
            "refused_requests": len(fig["flex"]["refused"]),
        }
        boroughs.append(row)
        bcus[(row["bcu_code"], row["bcu"])].append(row)
    bcu_rows = []
    for (code, name), rows in sorted(bcus.items(), key=lambda kv: kv[0][1]):
        summed = _sum_rows(rows, types)
        summed["cover_gap_days"] = sum(r["cover_gap_days"] for r in rows)
        bcu_rows.append({"bcu_code": code, "bcu": name, **summed})
    total = _sum_rows(boroughs, types)
    total["cover_gap_days"] = sum(r["cover_gap_days"] for r in boroughs)
    trend = _sum_trends([f["trend"] for f in borough_figures_list])
    return {
        "kind": "rollup",
        "month": f"{month:%Y-%m}",
        "borough": None,
        "target": settings.SNT_ABSTRACTION_TARGET,
        "abstraction_types": types,
        "boroughs": boroughs,
        "bcus": bcu_rows,
        "total": total,
        "by_type": [
            {
                "code": t["code"],
                "name": t["name"],
                "hours": total["abstracted_by_type"].get(t["code"], 0),
            }
            for t in types
        ],
        "trend": trend,
        "comparison": _comparison(trend) if trend else {},
    }


def _sum_trends(trends) -> list[dict]:
    if not trends:
        return []
    out = []
    for i, first in enumerate(trends[0]):
        summed = {
            k: round(sum(t[i][k] for t in trends), 2)
            for k in ("rostered_hours", "abstracted_hours", "flexed_hours",
                      "unauthorised_flex_hours")
        }
        summed["abstraction_rate"] = rate(summed["abstracted_hours"], summed["rostered_hours"])
        out.append({"month": first["month"], **summed})
    return out
