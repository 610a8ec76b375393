"""The time an officer is held away from their ward, defined once, in SQL: the periods of their
abstractions, and the daily windows of the authorised flexes that name them.

A flex holds each of its officers, on every day from its first to its last (its early end, if it
was ended early; an officer who joined or was released at a review, on their own days only),
from `daily_start` to `daily_end` London time (the next day when the end is not after the start:
an 18:00-02:00 window runs into the next morning). These windows are the flex's commitments in
the figures: the duty minutes inside them are authorised flex
(reports.hours_figures), and the hours they take from a day count towards "cover below minimum"
(deployment.cover). A wall-clock time the clocks skip (01:30 on the spring change) is read as
GMT, one the clocks repeat (01:30 on the autumn change) as its second, GMT, occurrence:
PostgreSQL's reading, the one every figure uses.

Whether a flex was authorised is read as it stood at an instant (`%(as_at)s`): its status then is
the `from_status` of its first transition at or after that instant, or its status now if none
came since. A flex approved then withdrawn after a month ended still held its officers in that
month. `%(as_at)s` NULL means now."""

from config.timeutils import LONDON
from deployment import protocol
from deployment.models import FlexOfficer, FlexRequest, FlexTransition

TABLES = {
    "flex": FlexRequest._meta.db_table,
    "member": FlexOfficer._meta.db_table,
    "transition": FlexTransition._meta.db_table,
}

# The flex's status at %(as_at)s (its alias must be f).
STATUS_AS_AT_SQL = """COALESCE((
    SELECT t.from_status FROM {transition} t
    WHERE t.flex_request_id = f.id AND t.at >= %(as_at)s
    ORDER BY t.at, t.id LIMIT 1
), f.status)""".format(**TABLES)


def window_sql(day: str, daily_start: str, daily_end: str) -> str:
    """The tstzrange of a daily window opening on `day` (SQL expressions for a date and two
    times), London time."""
    return (
        f"tstzrange(({day} + {daily_start}) AT TIME ZONE %(tz)s, "
        f"({day} + ({daily_end} <= {daily_start})::int + {daily_end}) AT TIME ZONE %(tz)s)"
    )


# Every window of every officer of every authorised flex (as at %(as_at)s) opening on a London
# day from %(days_from)s to %(days_to)s, with the flex's destination ward. `{where}` narrows the
# flexes (alias f) or members (alias m).
AUTHORISED_WINDOWS_SQL = """
SELECT f.id AS flex_id, f.borough_id, f.to_ward_id, m.officer_id,
       {window} AS r
FROM {flex} f
JOIN {member} m ON m.flex_request_id = f.id
CROSS JOIN LATERAL generate_series(
    GREATEST(f.start_date, COALESCE(m.first_day, f.start_date), %(days_from)s::date),
    LEAST(COALESCE(f.ended_on, f.end_date), COALESCE(m.last_day, f.end_date), %(days_to)s::date),
    interval '1 day'
) AS g
WHERE f.start_date <= %(days_to)s::date
  AND COALESCE(f.ended_on, f.end_date) >= %(days_from)s::date
  AND {status} = ANY(%(authorised)s)
  AND ({{where}})
""".format(
    window=window_sql("g::date", "f.daily_start", "f.daily_end"),
    status=STATUS_AS_AT_SQL,
    **TABLES,
)


def authorised_windows_sql(where: str = "TRUE") -> str:
    return AUTHORISED_WINDOWS_SQL.format(where=where)


def window_params(as_at=None) -> dict:
    """The parameters every use of these windows shares (besides %(days_from)s/%(days_to)s)."""
    return {
        "tz": str(LONDON),
        "as_at": as_at,
        "authorised": [str(s) for s in protocol.AUTHORISED_STATUSES],
    }
