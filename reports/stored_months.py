"""Closed months' minutes, stored once per ward (reports.models.StoredWardMonth) and read by the
12-month trend of later reports, so that a report computes its own month and not 13.

The stored figures are the minutes statement's own rows (reports.hours_figures, the one
definition), summed per home ward: a cache of the definition, never a second formula. A stored
month equals what the statement gives for it now because:

- it is written only for a month that is over, from the statement run with the flexes' status as
  it stood at the month's end (the report of that month, or a later report whose cut-off reads
  the same statuses, see `CHANGED`), in the same transaction as the statement, under the shared
  STORE_LOCK taken before the statement read anything;
- the database forgets it (triggers of migration reports/0002) when a duty, abstraction, flex
  request, flex member or flex transition dated in or next to it is written, and such a write into
  a month that is over first takes STORE_LOCK exclusively (so it waits for a report storing
  months, and a report waits for it to commit before reading);
- a later report reads its flexes' status at its own cut-off: a stored month whose flexes changed
  status between the month's end and that cut-off (`CHANGED`) is computed again, not read;
- rows of another definition (DEFINITION, a fingerprint of the statement) are never read.
"""

from deployment.commitments import TABLES as FLEX_TABLES
from reports.models import StoredWardMonth

# The advisory lock the triggers take exclusively (the same number in migration reports/0002).
STORE_LOCK = 7_261_302_013
# With the lock, the transaction's synchronous_commit: 'off' (see `lock`), or (NULL) as it is.
LOCK_SQL = """SELECT pg_advisory_xact_lock_shared(%s),
    set_config('synchronous_commit', COALESCE(%s, current_setting('synchronous_commit')), true)"""

STORED_FIELDS = ("duties", "minutes", "abstracted", "flexed", "authorised")
COLUMNS = ("duties", "rostered_minutes", "abstracted_in_duty_minutes", "flexed_out_minutes",
           "authorised_flex_minutes")

# The months (of %(months)s, ending at %(ends)s) one of whose flexes to the borough's wards (their
# windows run from the day before the month to the day after it) changed status between the
# month's end and the report's cut-off (%(as_at)s; NULL: now): their stored figures read the
# flexes' status at the month's end, the report at its cut-off.
CHANGED = """
SELECT p.month FROM unnest(%(months)s::date[], %(ends)s::timestamptz[]) AS p(month, p_end)
WHERE EXISTS (
    SELECT 1 FROM {flex} f JOIN {transition} t ON t.flex_request_id = f.id
    WHERE f.to_ward_id = ANY(%(wards)s)
      AND f.start_date <= (p.month + interval '1 month')::date + 1
      AND GREATEST(f.end_date, f.ended_on) >= p.month - 1
      AND t.at >= p.p_end
      AND (%(as_at)s::timestamptz IS NULL OR t.at < %(as_at)s::timestamptz)
)""".format(**FLEX_TABLES)

READ_SQL = """
WITH changed AS ({changed})
SELECT 'stored', s.month, s.ward_id, {columns}
FROM {stored} s
WHERE s.borough_id = %(borough)s AND s.month = ANY(%(months)s::date[])
  AND s.definition = %(definition)s AND s.month NOT IN (SELECT month FROM changed)
UNION ALL
SELECT 'changed', month, NULL, {nulls} FROM changed
""".format(
    changed=CHANGED,
    stored=StoredWardMonth._meta.db_table,
    columns=", ".join(f"s.{c}" for c in COLUMNS),
    nulls=", ".join("NULL" for _ in COLUMNS),
)

STORE_SQL = """
INSERT INTO {stored} (borough_id, ward_id, month, definition, as_at, {columns}, computed_at)
SELECT %(borough)s, r.ward_id, r.month, %(definition)s, r.as_at, {values}, now()
FROM unnest(%(ward)s::bigint[], %(month)s::date[], %(as_at)s::timestamptz[],
            %(duties)s::bigint[], %(minutes)s::bigint[], %(abstracted)s::bigint[],
            %(flexed)s::bigint[], %(authorised)s::bigint[])
     AS r(ward_id, month, as_at, duties, minutes, abstracted, flexed, authorised)
ON CONFLICT (ward_id, month) DO UPDATE SET
    borough_id = EXCLUDED.borough_id, definition = EXCLUDED.definition, as_at = EXCLUDED.as_at,
    {updates}, computed_at = EXCLUDED.computed_at
-- A row still there is still right (a change to its records would have deleted it): only one of
-- another definition is replaced.
WHERE {stored}.definition <> EXCLUDED.definition
""".format(
    stored=StoredWardMonth._meta.db_table,
    columns=", ".join(COLUMNS),
    values=", ".join(f"r.{f}" for f in STORED_FIELDS),
    updates=", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS),
)


def lock(cursor, *, commit_without_waiting: bool = False) -> None:
    """Before reading any record (inside the transaction that stores): no write into a closed
    month is in flight, and none starts until the stored months are committed.

    `commit_without_waiting` (only for a transaction that writes nothing but the stored months,
    i.e. not inside a caller's transaction): its commit does not wait for the WAL to reach the
    disk (10-25 ms a report on a busy machine). A crash can then lose only rows stored in its
    last moments, which the next report computes again; a later write that forgets a month
    commits durably, and the WAL before it, this store included, with it, so a stored row never
    outlives the write that forgot it."""
    cursor.execute(LOCK_SQL, [STORE_LOCK, "off" if commit_without_waiting else None])


def read(cursor, borough_id, ward_ids, months, ends, as_at, definition):
    """({month: [the stored rows of its wards]}, {months computed again: changed since}) for the
    closed `months` (their ends `ends`). One query."""
    cursor.execute(READ_SQL, {
        "borough": borough_id, "wards": list(ward_ids), "months": list(months),
        "ends": list(ends), "as_at": as_at, "definition": definition,
    })
    stored, changed = {}, set()
    for kind, month, ward_id, *values in cursor.fetchall():
        if kind == "changed":
            changed.add(month)
        else:
            stored.setdefault(month, []).append(
                {"home": ward_id, **dict(zip(STORED_FIELDS, values, strict=True))}
            )
    return stored, changed


def per_ward(ward_ids, duty_rows) -> list[dict]:
    """The statement's 'duty' rows of one month summed per home ward: every ward, nothing
    recorded too."""
    sums = {w: dict.fromkeys(STORED_FIELDS, 0) for w in ward_ids}
    for r in duty_rows:
        row = sums[r["home"]]
        row["duties"] += r["duties"]
        for field in STORED_FIELDS[1:]:
            row[field] += r[field]
    return [{"home": w, **sums[w]} for w in ward_ids]


def store(cursor, borough_id, definition, months) -> None:
    """Store `months`: [(month, its end, [per_ward rows])]. One query (none stored: it inserts
    nothing)."""
    params = {"borough": borough_id, "definition": definition, "ward": [], "month": [],
              "as_at": [], **{f: [] for f in STORED_FIELDS}}
    for month, end, rows in months:
        for r in rows:
            params["ward"].append(r["home"])
            params["month"].append(month)
            params["as_at"].append(end)
            for field in STORED_FIELDS:
                params[field].append(r[field])
    cursor.execute(STORE_SQL, params)
