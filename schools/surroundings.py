"""Crime and ASB around each school: the data.police.uk points (demand's StreetCrime rows) within
SCHOOL_RADIUS_M metres of the school, over demand's latest 12 months with police.uk data. ASB is
the anti-social-behaviour category; crime every other category. police.uk's points are anonymised
map points (snapped to a nearby street point), so the count is of points within the radius.

Counted for every school at once in one statement: each point falls in a grid cell at least the
radius wide, and a school looks in its own cell and the eight around it, so PostgreSQL joins on
cell equality (a hash join) and measures only the near points. Stored on the school (`crime`,
`asb`, `around_months`), refreshed by `load_schools` and `refresh_school_surroundings` after
police.uk months are imported. A school without coordinates, or no police.uk data at all, leaves
both missing."""

from __future__ import annotations

import math

from django.conf import settings
from django.db import connection, transaction

from demand.months import label
from demand.selectors import default_range, latest_month
from schools.models import School

METRES_PER_DEGREE_LAT = 111_320.0
# London lies between 51.28° and 51.70° north: a cell sized for 52° is wide enough everywhere.
WIDEST_COS = math.cos(math.radians(52))

SQL = """
WITH near AS (
    SELECT s.id, dy, dx, s.lat, s.lng,
           floor(s.lat / %(cell_lat)s)::bigint + dy AS cy,
           floor(s.lng / %(cell_lng)s)::bigint + dx AS cx
    FROM schools_school s
    CROSS JOIN generate_series(-1, 1) dy CROSS JOIN generate_series(-1, 1) dx
    WHERE s.lat IS NOT NULL AND s.lng IS NOT NULL AND s.id = ANY(%(ids)s)
), points AS (
    SELECT c.lat, c.lng, cat.is_asb,
           floor(c.lat / %(cell_lat)s)::bigint AS cy, floor(c.lng / %(cell_lng)s)::bigint AS cx
    FROM demand_streetcrime c JOIN demand_category cat ON cat.id = c.category_id
    WHERE c.month BETWEEN %(first)s AND %(last)s AND c.lat IS NOT NULL AND c.lng IS NOT NULL
)
SELECT near.id,
       count(*) FILTER (WHERE NOT points.is_asb) AS crime,
       count(*) FILTER (WHERE points.is_asb) AS asb
FROM near JOIN points ON points.cy = near.cy AND points.cx = near.cx
WHERE power((points.lat - near.lat) * %(m_lat)s, 2)
    + power((points.lng - near.lng) * %(m_lat)s * cos(radians(near.lat)), 2)
    <= power(%(radius)s, 2)
GROUP BY near.id
"""


def radius_m() -> int:
    return settings.SCHOOL_RADIUS_M


def counts_around(school_ids, first, last) -> dict[int, tuple[int, int]]:
    """{school id: (crimes, ASB)} within the radius in the months first-last; schools with none
    are absent."""
    radius = float(radius_m())
    params = {
        "ids": list(school_ids), "first": first, "last": last, "radius": radius,
        "cell_lat": radius / METRES_PER_DEGREE_LAT,
        "cell_lng": radius / (METRES_PER_DEGREE_LAT * WIDEST_COS),
        "m_lat": METRES_PER_DEGREE_LAT,
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(SQL, params)
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


def refresh(schools=None) -> int:
    """Recount crime and ASB around `schools` (default: every school). Returns how many have
    figures."""
    schools = School.objects.all() if schools is None else schools
    placed = list(schools.filter(lat__isnull=False, lng__isnull=False).values_list("pk", flat=True))
    if latest_month() is None:
        schools.update(crime=None, asb=None, around_months="")
        return 0
    first, last = default_range()
    counts = counts_around(placed, first, last)
    months = label(first, last)
    with transaction.atomic():
        schools.filter(lat__isnull=True).update(crime=None, asb=None, around_months="")
        rows = []
        for school in School.objects.filter(pk__in=placed).only("pk"):
            school.crime, school.asb = counts.get(school.pk, (0, 0))
            school.around_months = months[:40]
            rows.append(school)
        School.objects.bulk_update(rows, ["crime", "asb", "around_months"], batch_size=500)
    return len(rows)
