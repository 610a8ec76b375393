"""The flex section of a borough's month: requests authorised and running in the month, the
officers and hours each ward flexed to each other (authorised or not), the reviews missed and
the requests refused.

Which statuses count as authorised, and which reviews were missed, are deployment's rules
(deployment.protocol.AUTHORISED_STATUSES, FlexRequest.objects.review_overdue): read from there
when the report is computed."""

from collections import defaultdict

from django.db import connection

from config.timeutils import LONDON
from deployment import protocol
from deployment.models import FlexOfficer, FlexRequest, FlexStatus
from reports.measures import hours
from wards.models import Ward

FLEXES_SQL = """
SELECT f.id, f.status, f.start_date, f.end_date, f.problem, f.decision_reason, f.decided_at,
       f.to_ward_id, w.name, m.officers, m.from_wards
FROM {flex} f
JOIN {ward} w ON w.id = f.to_ward_id
LEFT JOIN LATERAL (
    SELECT array_agg(o.officer_id ORDER BY o.id) AS officers,
           array_agg(o.from_ward_id ORDER BY o.id) AS from_wards
    FROM {member} o WHERE o.flex_request_id = f.id
) AS m ON TRUE
WHERE f.borough_id = %(borough)s
  AND ((f.status = ANY(%(authorised)s) AND f.start_date <= %(last)s AND f.end_date >= %(first)s)
       OR (f.status = %(rejected)s AND f.decided_at >= %(start)s AND f.decided_at < %(end)s))
ORDER BY f.start_date, f.id
"""
FLEX_FIELDS = (
    "id", "status", "start_date", "end_date", "problem", "decision_reason", "decided_at",
    "to_ward_id", "to_ward__name",
)


def month_flexes(borough, first, last, start, end):
    """The borough's requests that ran in the month or were refused in it, and their members.
    One query."""
    sql = FLEXES_SQL.format(
        flex=FlexRequest._meta.db_table,
        ward=Ward._meta.db_table,
        member=FlexOfficer._meta.db_table,
    )
    params = {
        "borough": borough.pk, "authorised": list(protocol.AUTHORISED_STATUSES),
        "rejected": FlexStatus.REJECTED, "first": first, "last": last, "start": start, "end": end,
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


def overdue_reviews(borough, first, last, today) -> list[dict]:
    """The reviews that fell due in the month (up to today) and were not done by their day.
    One query."""
    overdue = (
        FlexRequest.objects.filter(borough=borough, review_due__gte=first)
        .review_overdue(min(last, today))
        .order_by("start_date", "pk")
        .values("pk", "to_ward__name", "review_due", "last_reviewed_at")
    )
    return [
        {
            "id": f["pk"],
            "to_ward": f["to_ward__name"],
            "review_due": f"{f['review_due']:%Y-%m-%d}",
            "reviewed_on": (
                f"{f['last_reviewed_at'].astimezone(LONDON):%Y-%m-%d}"
                if f["last_reviewed_at"] else None
            ),
        }
        for f in overdue
    ]


def flex_section(wards, flexes, members, flex_seconds, overdue, first, last) -> dict:
    """`flex_seconds`: {(home ward, worked ward, authorised): seconds flexed} from the duties."""
    ward_name = {w["id"]: w["name"] for w in wards}

    def ward(ward_id):
        return ward_name.get(ward_id, "Unknown ward")

    authorised = [
        f for f in flexes
        if protocol.is_authorised(f["status"]) and f["start_date"] <= last
        and f["end_date"] >= first
    ]
    members_of = defaultdict(list)
    for m in members:
        members_of[m["flex_request_id"]].append(m)
    flows, unauthorised = _flows(authorised, members, flex_seconds)
    return {
        "authorised": {
            "requests": len(authorised),
            "officers": len({m["officer_id"] for f in authorised for m in members_of[f["id"]]}),
            "officer_hours": round(sum(hours(v["seconds"]) for v in flows.values()), 2),
        },
        "flows": _flow_rows(flows, ward),
        "requests": [_request_row(f, members_of) for f in authorised],
        "unauthorised": _unauthorised_section(unauthorised, ward),
        "overdue_reviews": overdue,
        "refused": [_refused_row(f) for f in flexes if f["status"] == FlexStatus.REJECTED],
    }


def _flows(authorised, members, flex_seconds):
    """{(from ward, to ward): officers named and seconds worked} under authorised requests, and
    {(home ward, worked ward): seconds} flexed without one."""
    to_ward = {f["id"]: f["to_ward_id"] for f in authorised}
    flows = defaultdict(lambda: {"officers": set(), "seconds": 0.0})
    for m in members:
        if m["flex_request_id"] in to_ward:
            key = (m["from_ward_id"], to_ward[m["flex_request_id"]])
            flows[key]["officers"].add(m["officer_id"])
    unauthorised = defaultdict(float)
    for (home, worked, is_authorised), seconds in flex_seconds.items():
        if is_authorised:
            flows[(home, worked)]["seconds"] += seconds
        else:
            unauthorised[(home, worked)] += seconds
    return flows, unauthorised


def _flow_rows(flows, ward) -> list[dict]:
    rows = (
        {
            "from_ward": ward(k[0]),
            "to_ward": ward(k[1]),
            "officers": len(v["officers"]),
            "hours": hours(v["seconds"]),
        }
        for k, v in flows.items()
    )
    return sorted(rows, key=lambda r: (-r["hours"], r["from_ward"], r["to_ward"]))


def _request_row(f, members_of) -> dict:
    return {
        "id": f["id"],
        "to_ward": f["to_ward__name"],
        "problem": f["problem"],
        "officers": len(members_of[f["id"]]),
        "start_date": f"{f['start_date']:%Y-%m-%d}",
        "end_date": f"{f['end_date']:%Y-%m-%d}",
        "status": f["status"],
    }


def _unauthorised_section(unauthorised, ward) -> dict:
    rows = (
        {"from_ward": ward(k[0]), "to_ward": ward(k[1]), "hours": hours(s)}
        for k, s in unauthorised.items()
    )
    return {
        "hours": round(sum(hours(s) for s in unauthorised.values()), 2),
        "flows": sorted(rows, key=lambda r: (-r["hours"], r["from_ward"])),
    }


def _refused_row(f) -> dict:
    return {
        "id": f["id"],
        "to_ward": f["to_ward__name"],
        "problem": f["problem"],
        "reason": f["decision_reason"],
        "decided_on": f"{f['decided_at'].astimezone(LONDON):%Y-%m-%d}",
    }
