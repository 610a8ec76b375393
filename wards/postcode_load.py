"""Load London's postcodes (OS Code-Point Open, about 181,000 rows) into wards.Postcode: COPY the
file into a temporary table, index and analyse it, then insert the new postcodes, update the
changed ones and delete the terminated ones (those the file no longer lists), one statement each.
Nothing refers to a postcode, so deleting is safe; a load that changes nothing writes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

from wards.models import POSTCODE_PATTERN


@dataclass
class PostcodeLoad:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    # Postcodes outside the City whose ward_code is not a Met ward we know.
    skipped: int = 0
    skipped_examples: list[str] = field(default_factory=list)

    def describe(self) -> Iterable[str]:
        if self.deleted:
            yield (
                f"{self.deleted} postcode(s) deleted: no longer in the file (terminated), or "
                "no longer in a Met ward we know."
            )
        if self.skipped:
            examples = ", ".join(self.skipped_examples)
            yield (
                f"{self.skipped} postcode(s) skipped: their ward is not a Met ward "
                f"(e.g. {examples})."
            )


def load_postcodes(path: Path, *, city_code: str) -> PostcodeLoad:
    """Load the file at `path` (columns postcode, lat, lng, ward_code, borough_code, pq). The
    City of London's postcodes (borough `city_code`) are kept with no ward."""
    with connection.cursor() as cursor:
        # ON COMMIT DROP, and dropped at the end too: the load may run inside a longer
        # transaction (the tests' do), which might load again.
        cursor.execute(
            "CREATE TEMPORARY TABLE postcode_file (postcode text, lat numeric, lng numeric, "
            "ward_code text, borough_code text, pq smallint) ON COMMIT DROP"
        )
        try:
            _copy_file(cursor, path)
            _index_file(cursor)
            return _sync(cursor, city_code)
        finally:
            cursor.execute("DROP TABLE IF EXISTS postcode_file")


def _copy_file(cursor, path: Path) -> None:
    with path.open("rb") as f, cursor.copy(
        "COPY postcode_file FROM STDIN WITH (FORMAT csv, HEADER true)"
    ) as copy:
        while chunk := f.read(1 << 20):
            copy.write(chunk)
    # A malformed row is a ValueError naming it, not a constraint error halfway through.
    cursor.execute(
        "SELECT postcode FROM postcode_file WHERE postcode IS NULL OR postcode !~ %s "
        "OR lat IS NULL OR lng IS NULL OR pq IS NULL LIMIT 1",
        [POSTCODE_PATTERN],
    )
    bad = cursor.fetchone()
    if bad is not None:
        raise ValueError(
            f"{path.name}: {bad[0]!r} is not a normalised postcode with a location and a quality"
        )


def _index_file(cursor) -> None:
    """Index the file's postcodes and give the planner its statistics (autovacuum never analyses
    a temporary table). Without them the planner guesses the table's size, and a nested loop over
    an unindexed file makes the clean-up DELETE quadratic: more than 20 s (cancelled) for 181,000
    postcodes when PostgreSQL picks that plan, against 2.3 s with the index."""
    cursor.execute("CREATE INDEX postcode_file_postcode ON postcode_file (postcode)")
    cursor.execute("ANALYZE postcode_file")


def _sync(cursor, city_code: str) -> PostcodeLoad:
    result = PostcodeLoad()
    cursor.execute(_SKIPPED_SQL, [city_code])
    skipped = [row[0] for row in cursor.fetchall()]
    result.skipped, result.skipped_examples = len(skipped), skipped[:5]
    cursor.execute(_UPSERT_SQL, [city_code])
    result.created, result.updated, total = cursor.fetchone()
    result.unchanged = total - result.created - result.updated - result.skipped
    cursor.execute(_DELETE_SQL, [city_code])
    result.deleted = cursor.rowcount
    return result


# Each row of the file with its Met ward's id (null for the City's and for unknown wards).
_ROWS_SQL = """
    SELECT f.postcode, f.lat, f.lng, w.id AS ward_id, f.pq AS quality, f.borough_code
    FROM postcode_file f LEFT JOIN wards_ward w ON w.code = f.ward_code
"""

_KEPT = "(r.ward_id IS NOT NULL OR r.borough_code = %s)"

_SKIPPED_SQL = f"""
    SELECT postcode FROM ({_ROWS_SQL}) r
    WHERE NOT {_KEPT} ORDER BY postcode
"""

# Terminated postcodes, and those the file now puts in no ward we know: a stale ward is worse
# than none.
_DELETE_SQL = f"""
    DELETE FROM wards_postcode p WHERE NOT EXISTS (
        SELECT 1 FROM ({_ROWS_SQL}) r WHERE r.postcode = p.postcode AND {_KEPT}
    )
"""

# Inserts the new postcodes and updates the changed ones; answers how many were created and
# updated, and how many rows the file has. xmax = 0 marks a row this statement inserted.
_UPSERT_SQL = f"""
    WITH written AS (
        INSERT INTO wards_postcode (postcode, lat, lng, ward_id, quality)
        SELECT r.postcode, r.lat, r.lng, r.ward_id, r.quality FROM ({_ROWS_SQL}) r
        WHERE {_KEPT}
        ON CONFLICT (postcode) DO UPDATE SET
            lat = EXCLUDED.lat, lng = EXCLUDED.lng, ward_id = EXCLUDED.ward_id,
            quality = EXCLUDED.quality
        WHERE (wards_postcode.lat, wards_postcode.lng, wards_postcode.ward_id,
               wards_postcode.quality)
            IS DISTINCT FROM (EXCLUDED.lat, EXCLUDED.lng, EXCLUDED.ward_id, EXCLUDED.quality)
        RETURNING (xmax = 0) AS created
    )
    SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created),
           (SELECT count(*) FROM postcode_file)
    FROM written
"""
