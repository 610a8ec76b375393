"""The hotspot maps' data as GeoJSON: wards with their counts (a choropleth), and within one ward
police.uk's points.

- The ward polygons are ONS's super-generalised 2022 boundaries (about 100 m accurate), sent as
  PostgreSQL holds them (no parsing), so a London map answers quickly.
- Points are police.uk's anonymous map points exactly as published, with how many rows share
  each: never finer, and never anything about a victim. Crimes are counted by LSOA and drawn by
  point, so a few points of a ward's crimes lie outside its boundary: the answer says how many.
"""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import Count
from shapely.geometry import Point, shape

from demand.models import StreetCrime
from demand.selectors import Selection, asb_id, crime_filter


def _number(value):
    return None if value is None else round(value, 4)


def ward_properties(row, sel: Selection) -> dict:
    """A ward's numbers on the map: the same as the table's."""
    return {
        "ward": row.ward.code,
        "name": row.ward.name,
        "borough": row.ward.borough.name,
        "count": row.crimes,
        "crimes": row.crimes,
        "asb": row.asb,
        "cad_calls": row.cad_calls,
        "residents": row.residents,
        "per_1000": _number(row.crimes_rate),
        "rank_in_borough": row.rank,
        "change": _number(row.change),
        "url": f"/demand/wards/{row.ward.code}/",
    }


def boundaries(ward_ids) -> dict[int, str]:
    """{ward id: its boundary as GeoJSON text} (None: every ward). One query."""
    from wards.models import Ward

    sql = f"SELECT id, boundary::text FROM {Ward._meta.db_table} WHERE boundary IS NOT NULL"
    with connection.cursor() as cursor:
        if ward_ids is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql + " AND id = ANY(%s)", [list(ward_ids)])
        return dict(cursor.fetchall())


def choropleth(table, *, extra: dict | None = None) -> str:
    """A FeatureCollection (as JSON text) of the table's wards, each with its numbers."""
    shapes = boundaries(None if table.every_ward else [r.ward.pk for r in table.rows])
    features = []
    for row in table.rows:
        geometry = shapes.get(row.ward.pk)
        if geometry is None:
            continue
        properties = json.dumps(ward_properties(row, table.selection))
        features.append(
            f'{{"type":"Feature","id":"{row.ward.code}","geometry":{geometry},'
            f'"properties":{properties}}}'
        )
    meta = json.dumps(
        {
            "month_from": f"{table.selection.first:%Y-%m}",
            "month_to": f"{table.selection.last:%Y-%m}",
            "calls_month_from": f"{table.selection.calls_first:%Y-%m}",
            "calls_month_to": f"{table.selection.calls_last:%Y-%m}",
            "counting": table.selection.what,
            **(extra or {}),
        }
    )[1:-1]
    return f'{{"type":"FeatureCollection",{meta},"features":[{",".join(features)}]}}'


def points(ward, sel: Selection) -> dict:
    """police.uk's points of the ward's rows in the selection: {features, outside, total}."""
    rows = (
        StreetCrime.objects.filter(ward=ward, month__gte=sel.first, month__lte=sel.last)
        .filter(crime_filter(sel, asb_id()))
        .exclude(lat=None)
        .order_by()
        .values("lat", "lng", "location")
        .annotate(n=Count("pk"))
    )
    boundary = shape(ward.boundary) if ward.boundary else None
    features, outside, total = [], 0, 0
    for row in rows:
        inside = boundary is None or boundary.covers(Point(row["lng"], row["lat"]))
        total += row["n"]
        outside += 0 if inside else row["n"]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["lng"], row["lat"]]},
                "properties": {"count": row["n"], "location": row["location"], "inside": inside},
            }
        )
    features.sort(key=lambda f: -f["properties"]["count"])
    return {"features": features, "outside": outside, "total": total}
