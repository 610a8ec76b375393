"""The flex section of a borough's month: the requests authorised and running in it, the minutes
each ward flexed to another (authorised or not, from reports.hours_figures), the 14-day reviews
missed and the flexes still unreviewed at the month's end, and the requests refused.

Which statuses count as authorised, a flex's status as it stood at an instant, and which reviews
were missed are deployment's rules (protocol.AUTHORISED_STATUSES, deployment.commitments,
FlexRequest.objects.as_at and review_overdue): read from there when the report is computed.

- A request counts in the months its days (to its early end, if any) overlap, if it was
  authorised at the report's cut-off (the month's end, or the moment a month not over yet was
  reported).
- A review missed (not done by the end of its due day) counts once, in the month it fell due,
  however late it was done; a flex whose review had fallen due and that was not reviewed by the
  cut-off is listed as unreviewed.
- A refusal counts in the month it was decided."""

import datetime
from collections import defaultdict

from django.db import connection

from config.timeutils import LONDON
from deployment import protocol
from deployment.commitments import STATUS_AS_AT_SQL, TABLES, window_params
from deployment.models import FlexRequest, FlexStatus
from wards.models import Ward

FLEXES_SQL = """
SELECT f.id, {status} AS status, f.start_date, f.end_date, f.ended_on, f.problem,
       f.decision_reason, f.decided_at, f.to_ward_id, w.name,
       (SELECT COUNT(DISTINCT m.officer_id) FROM {member} m WHERE m.flex_request_id = f.id),
       (SELECT array_agg(DISTINCT m.officer_id) FROM {member} m WHERE m.flex_request_id = f.id)
FROM {flex} f
JOIN {ward} w ON w.id = f.to_ward_id
WHERE f.borough_id = %(borough)s
  AND ((f.start_date <= %(last)s AND COALESCE(f.ended_on, f.end_date) >= %(first)s
        AND {status} = ANY(%(authorised)s))
       OR (f.status = %(rejected)s AND f.decided_at >= %(start)s AND f.decided_at < %(end)s))
ORDER BY f.start_date, f.id
""".format(status=STATUS_AS_AT_SQL, ward=Ward._meta.db_table, **TABLES)
FLEX_FIELDS = (
    "id", "status", "start_date", "end_date", "ended_on", "problem", "decision_reason",
    "decided_at", "to_ward_id", "to_ward", "officers", "officer_ids",
)


def month_flexes(borough, first, last, start, end, as_at) -> list[dict]:
    """The borough's requests authorised (as at `as_at`; None: now) whose days overlap
    [first, last], and those refused in [start, end). One query."""
    params = {
        **window_params(as_at=as_at),
        "borough": borough.pk,
        "rejected": FlexStatus.REJECTED,
        "first": first,
        "last": last,
        "start": start,
        "end": end,
    }
    with connection.cursor() as cursor:
        cursor.execute(FLEXES_SQL, params)
        return [dict(zip(FLEX_FIELDS, row, strict=True)) for row in cursor.fetchall()]


def reviews(borough, days, as_at) -> tuple[list[dict], list[dict]]:
    """(the reviews missed that fell due in the month, the flexes unreviewed at the cut-off).
    `days`: the month's first and last days and the last day counted (today, for a month not
    over). One query, through the one definition of a missed review."""
    first, last, last_day = days
    rows = (
        FlexRequest.objects.filter(borough=borough)
        .as_at(as_at)
        .review_overdue(last_day)
        .filter(review_due__gte=_earliest_review(first))
        .order_by("review_due", "pk")
        .values("pk", "to_ward__name", "review_due", "first_reviewed_at", "start_date",
                "end_date", "ended_on")
    )
    missed, unreviewed = [], []
    for f in rows:
        reviewed = f["first_reviewed_at"]
        if reviewed is not None and as_at is not None and reviewed >= as_at:
            reviewed = None  # done after the cut-off: not done as the month stood
        row = {
            "id": f["pk"],
            "to_ward": f["to_ward__name"],
            "review_due": f"{f['review_due']:%Y-%m-%d}",
            "reviewed_on": f"{reviewed.astimezone(LONDON):%Y-%m-%d}" if reviewed else None,
        }
        if first <= f["review_due"] <= last:
            missed.append(row)
        still_running = (f["ended_on"] or f["end_date"]) >= first
        if reviewed is None and still_running:
            unreviewed.append(row)
    return missed, unreviewed


def _earliest_review(first):
    """A flex lasts at most MAX_FLEX_DAYS: one whose review fell due longer ago than that before
    the month cannot still be running in it."""
    return first - datetime.timedelta(days=protocol.MAX_FLEX_DAYS)


def flex_section(wards, flexes, duty_rows, month_idx, missed, unreviewed) -> dict:
    """`duty_rows`: the 'duty' rows of reports.hours_figures (minutes by home ward, worked ward
    and kind)."""
    name = {w["id"]: w["name"] for w in wards}
    authorised = [f for f in flexes if protocol.is_authorised(f["status"])]
    flows = _flows(duty_rows, month_idx)
    return {
        "authorised": {
            "requests": len(authorised),
            "officers": len({o for f in authorised for o in (f["officer_ids"] or ())}),
            "minutes": sum(f["authorised"] for f in flows.values()),
            "duties_matched_without_naming_their_request": sum(
                r["matched_unnamed"] for r in duty_rows if r["idx"] == month_idx
            ),
        },
        "flows": _flow_rows(flows, name),
        "requests": [_request_row(f) for f in authorised],
        "unauthorised": {
            "minutes": sum(f["flexed"] - f["authorised"] for f in flows.values()),
            "flows": [
                r for r in _flow_rows(flows, name, key="unauthorised_minutes")
                if r["unauthorised_minutes"]
            ],
        },
        "overdue_reviews": missed,
        "unreviewed_at_month_end": unreviewed,
        "refused": [_refused_row(f) for f in flexes if f["status"] == FlexStatus.REJECTED],
    }


def _flows(duty_rows, month_idx) -> dict:
    """{(home ward, worked ward): officers, flexed and authorised minutes} from flexed duties."""
    flows = defaultdict(lambda: {"officers": 0, "flexed": 0, "authorised": 0})
    for r in duty_rows:
        if r["idx"] == month_idx and r["kind"] == "flexed" and r["flexed"]:
            flow = flows[(r["home"], r["worked"])]
            flow["officers"] += r["officers"]
            flow["flexed"] += r["flexed"]
            flow["authorised"] += r["authorised"]
    return flows


def _flow_rows(flows, name, key="flexed_minutes") -> list[dict]:
    rows = [
        {
            "from_ward": name[home],
            "to_ward": name[worked],
            "officers": f["officers"],
            "flexed_minutes": f["flexed"],
            "authorised_minutes": f["authorised"],
            "unauthorised_minutes": f["flexed"] - f["authorised"],
        }
        for (home, worked), f in flows.items()
    ]
    return sorted(rows, key=lambda r: (-r[key], r["from_ward"], r["to_ward"]))


def _request_row(f) -> dict:
    last = f["ended_on"] or f["end_date"]
    return {
        "id": f["id"],
        "to_ward": f["to_ward"],
        "problem": f["problem"],
        "officers": f["officers"],
        "start_date": f"{f['start_date']:%Y-%m-%d}",
        "end_date": f"{last:%Y-%m-%d}",
        "ended_early": f["ended_on"] is not None and f["ended_on"] < f["end_date"],
        "status": f["status"],
    }


def _refused_row(f) -> dict:
    return {
        "id": f["id"],
        "to_ward": f["to_ward"],
        "problem": f["problem"],
        "reason": f["decision_reason"],
        "decided_on": f"{f['decided_at'].astimezone(LONDON):%Y-%m-%d}",
    }


COUNTS = (
    "authorised_flex_requests",
    "duties_matched_without_naming_their_request",
    "overdue_reviews",
    "unreviewed_at_month_end",
    "refused_requests",
)


def counts(flex: dict) -> dict:
    """The flex section's COUNTS, as the roll-up and the versions' comparison carry them."""
    authorised = flex["authorised"]
    return dict(zip(COUNTS, (
        authorised["requests"],
        authorised["duties_matched_without_naming_their_request"],
        len(flex["overdue_reviews"]),
        len(flex["unreviewed_at_month_end"]),
        len(flex["refused"]),
    ), strict=True))
