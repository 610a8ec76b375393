"""Importing calls for service (CAD). There is no public source, so this is our own format: a
CSV with this header (columns in any order; latitude and longitude may be left out when every row
has a ward code):

    reference,received_at,ward_code,latitude,longitude,type,grade

- reference: the CAD reference, unique, at most 30 characters. Importing a call again
  replaces it.
- received_at: when the call was received, ISO 8601 (2026-03-28T23:15:00+00:00). Without an
  offset it is London time: an hour the clocks skip is refused, an hour they repeat is its first
  time.
- ward_code: the 2022 ward's ONS code (E05…), or blank to place the call by its point.
- latitude, longitude: WGS84, used only when ward_code is blank. The call goes to the ward whose
  boundary holds the point, and the point itself is not kept.
- type: `asb` (anti-social behaviour) or `other`.
- grade: the Met's response grade, `I` immediate, `S` significant, `E` extended, `R` referred.

The format carries no personal data: no caller, no phone number, no address, no free text. A
column with any other name is refused, so nothing else can slip in.

CAD data is not public: a user imports calls for wards of their own boroughs only (other rows are
rejected), and a reference already held by another borough is rejected rather than moved.
"""

from __future__ import annotations

import datetime
import functools

from django.db import connection, transaction
from shapely import STRtree
from shapely.geometry import Point, shape

from config.access import borough_ids
from config.db import copy_rows
from config.errors import DomainError
from config.limits import RECORD, date_range
from config.timeutils import LONDON, skipped_in_london
from demand import importing
from demand.models import CadCall, CadWardMonth, DataImport
from wards.models import Ward

COLUMNS = ["reference", "received_at", "ward_code", "latitude", "longitude", "type", "grade"]
REQUIRED = {"reference", "received_at", "type", "grade"}
STAGING = "demand_staging_cad"
STAGING_COLUMNS = ["line", "reference", "received_at", "ward_id", "kind", "grade"]


def import_file(record: DataImport, raw: bytes, *, by=None, all_or_nothing=False) -> DataImport:
    """Read and save one CAD file into `record`, as `by` (None: the command line, all London)."""
    read = functools.partial(_read, record, wards=_Wards(by))
    opening = importing.open_file(record, raw, read, all_or_nothing=all_or_nothing)
    if opening is None:
        return record
    outcome, began, rows = opening.outcome, opening.began, opening.parsed
    importing.set_stage(record, f"Saving {len(rows):,} calls")
    with transaction.atomic():
        saved, months = _save(record, rows, outcome, borough_ids(by) if by else None)
        if all_or_nothing and outcome.rejected:
            transaction.set_rollback(True)
            importing.fail(
                record,
                "Some calls belong to another borough: nothing was imported.",
                outcome,
                began,
            )
            return record
        importing.finish(
            record, outcome, began, status=DataImport.Status.DONE, imported=saved, months=months
        )
    importing.analyze(
        CadCall._meta.db_table, CadWardMonth._meta.db_table, vacuum=(CadWardMonth._meta.db_table,)
    )
    return record


class _Wards:
    """The wards a user may import calls for, by code and by point."""

    def __init__(self, by):
        wards = Ward.objects.for_user(by) if by is not None else Ward.objects.all()
        self.by_code = dict(wards.values_list("code", "id"))
        self.all_codes = None if by is None else set(Ward.objects.values_list("code", flat=True))
        self._tree = None
        self._queryset = wards

    def at(self, lat: float, lng: float) -> int | None:
        if self._tree is None:
            rows = [(w.pk, shape(w.boundary)) for w in self._queryset.exclude(boundary=None)]
            self._ids = [pk for pk, _ in rows]
            self._shapes = [s for _, s in rows]
            self._tree = STRtree(self._shapes)
        point = Point(lng, lat)
        for index in self._tree.query(point, predicate="intersects"):
            return self._ids[int(index)]
        return None


KINDS = frozenset(CadCall.Kind.values)
GRADES = frozenset(CadCall.Grade.values)


def _read(record, text, outcome, *, wards: _Wards) -> list[tuple]:
    reader = importing.csv_rows(text)
    header = [h.strip() for h in next(reader, None) or []]
    unknown = [h for h in header if h not in COLUMNS]
    missing = REQUIRED - set(header)
    if unknown or missing or not ({"ward_code", "latitude"} & set(header)):
        raise DomainError(
            f"The header must be {','.join(COLUMNS)} (latitude and longitude may be left out)."
            + (f" Not allowed: {', '.join(unknown)}." if unknown else "")
            + (f" Missing: {', '.join(sorted(missing))}." if missing else ""),
            field="file",
        )
    column = {name: header.index(name) if name in header else None for name in COLUMNS}
    seen, rows = set(), []
    for line, row in importing.data_rows(record, text, reader, outcome):
        try:
            if len(row) != len(header):
                raise ValueError(f"has {len(row)} columns, not {len(header)}")
            values = _row({k: row[i] if i is not None else "" for k, i in column.items()}, wards)
        except ValueError as exc:
            outcome.reject(line, str(exc))
            continue
        if values[0] in seen:
            outcome.reject(line, f"reference {values[0]} appears earlier in the file")
            continue
        seen.add(values[0])
        rows.append((line, *values))
    return rows


def _row(row: dict, wards: _Wards) -> tuple:
    reference = row["reference"].strip()
    if not reference or len(reference) > 30:
        raise ValueError("reference must be given, at most 30 characters")
    received = _received(row["received_at"])
    kind = row["type"].strip().lower()
    if kind not in KINDS:
        raise ValueError(f"type {row['type']!r} must be asb or other")
    grade = row["grade"].strip().upper()
    if grade not in GRADES:
        raise ValueError(f"grade {row['grade']!r} must be I, S, E or R")
    return reference, received, _ward(row, wards), kind, grade


def _received(text: str) -> datetime.datetime:
    try:
        value = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"received_at {text!r} is not an ISO 8601 date and time") from None
    if value.tzinfo is None:
        local = value.replace(tzinfo=LONDON)
        if skipped_in_london(local):
            raise ValueError(
                f"received_at {text} does not exist in London (the clocks went forward)"
            )
        value = local
    if not date_range(RECORD).contains(value) or value > _latest():
        raise ValueError(
            f"received_at {text} is not {date_range(RECORD).text()}, or is in the future"
        )
    return value


def _latest() -> datetime.datetime:
    """A call cannot be received in the future (five minutes' leeway for clocks)."""
    return datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)


def _ward(row: dict, wards: _Wards) -> int:
    code = (row.get("ward_code") or "").strip().upper()
    if code:
        if code in wards.by_code:
            return wards.by_code[code]
        if wards.all_codes is not None and code in wards.all_codes:
            raise ValueError(f"ward {code} is not in your boroughs")
        raise ValueError(f"ward_code {code!r} is not a Met ward")
    try:
        lat, lng = float(row.get("latitude") or ""), float(row.get("longitude") or "")
    except ValueError:
        raise ValueError("give a ward_code, or a latitude and longitude") from None
    ward = wards.at(lat, lng) if -90 <= lat <= 90 and -180 <= lng <= 180 else None
    if ward is None:
        raise ValueError(f"the point ({lat}, {lng}) is in none of your wards")
    return ward


# --- saving ------------------------------------------------------------------------------------

LOCAL = "(c.received_at AT TIME ZONE 'Europe/London')"
MONTH_OF = f"date_trunc('month', {LOCAL})::date"
SLOT_OF = f"((EXTRACT(ISODOW FROM {LOCAL})::int - 1) * 24 + EXTRACT(HOUR FROM {LOCAL})::int)"


def _save(record, rows, outcome, allowed_boroughs) -> tuple[int, list]:
    calls, wards = CadCall._meta.db_table, Ward._meta.db_table
    with connection.cursor() as cursor:
        importing.lock("demand.cad")
        importing.staging_table(
            cursor,
            STAGING,
            "line int, reference text, received_at timestamptz, ward_id bigint, kind text, "
            "grade text",
        )
        copy_rows(cursor, STAGING, STAGING_COLUMNS, rows)
        if allowed_boroughs is not None:
            cursor.execute(
                f"DELETE FROM {STAGING} s USING {calls} c JOIN {wards} w ON w.id = c.ward_id "
                "WHERE c.reference = s.reference AND NOT w.borough_id = ANY(%s) "
                "RETURNING s.line, s.reference",
                [list(allowed_boroughs)],
            )
            for line, reference in sorted(cursor.fetchall()):
                outcome.reject(line, f"reference {reference} is another borough's call")
        # The ward-months whose counts change: those the calls leave and those they join.
        cursor.execute("DROP TABLE IF EXISTS demand_staging_cad_months")
        cursor.execute(
            f"CREATE TEMPORARY TABLE demand_staging_cad_months ON COMMIT DROP AS "
            f"SELECT DISTINCT c.ward_id, {MONTH_OF} AS month FROM {calls} c "
            f"JOIN {STAGING} s USING (reference) "
            f"UNION SELECT DISTINCT c.ward_id, {MONTH_OF} FROM {STAGING} c"
        )
        cursor.execute(
            f"""
            INSERT INTO {calls} (reference, received_at, ward_id, kind, grade, data_import_id)
            SELECT reference, received_at, ward_id, kind, grade, %s FROM {STAGING}
            ON CONFLICT (reference) DO UPDATE SET received_at = EXCLUDED.received_at,
                ward_id = EXCLUDED.ward_id, kind = EXCLUDED.kind, grade = EXCLUDED.grade,
                data_import_id = EXCLUDED.data_import_id
            """,
            [record.pk],
        )
        saved = cursor.rowcount
        refresh_counts(cursor, "demand_staging_cad_months")
        cursor.execute("SELECT DISTINCT month FROM demand_staging_cad_months ORDER BY 1")
        months = [m for (m,) in cursor.fetchall()]
    return saved, months


def refresh_counts(cursor, pairs_table: str) -> None:
    """Recount CadWardMonth for the (ward_id, month) pairs in `pairs_table`."""
    calls, counts = CadCall._meta.db_table, CadWardMonth._meta.db_table
    cursor.execute(
        f"DELETE FROM {counts} k USING {pairs_table} p "
        "WHERE k.ward_id = p.ward_id AND k.month = p.month"
    )
    cursor.execute(
        f"""
        INSERT INTO {counts} (ward_id, month, kind, calls, by_hour)
        SELECT s.ward_id, s.month, s.kind, SUM(s.n),
               ARRAY(SELECT COALESCE((jsonb_object_agg(s.slot, s.n) ->> g::text)::int, 0)
                     FROM generate_series(0, 167) AS g ORDER BY g)
        FROM (
            SELECT c.ward_id, p.month, c.kind, {SLOT_OF} AS slot, COUNT(*) AS n
            FROM {pairs_table} p
            JOIN {calls} c ON c.ward_id = p.ward_id
             AND c.received_at >= (p.month::timestamp AT TIME ZONE 'Europe/London')
             AND c.received_at < ((p.month + interval '1 month')::timestamp
                                  AT TIME ZONE 'Europe/London')
            GROUP BY 1, 2, 3, 4
        ) AS s
        GROUP BY 1, 2, 3
        """
    )
