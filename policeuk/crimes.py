"""Street-level crimes as data.police.uk's API gives them, from the rows demand imported.

The CSV lacks four of the JSON's fields; each is derived from the row alone, so it is the same on
every call and after every re-import of the same file (README, "The public API"):

- `id`: the first 13 hex digits (52 bits) of SHA-256 over the persistent id; for anti-social
  behaviour (no persistent id) over month, category, point, location and LSOA, plus the row's
  ordinal among identical rows in file order;
- `location.street.id`: the point itself, encoded (policeuk.geometry.street_id);
- `location_type`: "Force" (every row is the Met's own; data.police.uk says "BTP" for British
  Transport Police rows, which the Met's files do not hold);
- `outcome_status.date`: the crime's own month (the CSV gives the latest outcome, undated)."""

import datetime
import hashlib
from collections import Counter

from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.text import slugify

from demand.models import Category, DataMonth, StreetCrime
from demand.months import parse_month
from policeuk import geometry

ALL_CRIME = "all-crime"
LOCATION_TYPE = "Force"
# data.police.uk answers 503 to a custom area holding more crimes than this.
MAX_CRIMES = 10_000
# How far from the decoded point a row still counts as at it (half a micro-degree).
POINT_TOLERANCE = 0.5 / geometry.MICRO

ROW_FIELDS = ("pk", "month", "category__slug", "crime_id", "lsoa_code", "lat", "lng", "location",
              "outcome")  # fmt: skip


class TooManyCrimes(Exception):
    """More crimes than data.police.uk would return for one request."""


def parse_date(text) -> datetime.date | None:
    """The `date` parameter (YYYY-MM); None when not given (then: the latest month)."""
    return None if text in (None, "") else parse_month(text, field="date")


def month_or_latest(month: datetime.date | None) -> datetime.date | None:
    if month is not None:
        return month
    return DataMonth.objects.order_by("-month").values_list("month", flat=True).first()


def category_filter(slug: str) -> dict:
    if slug == ALL_CRIME:
        return {}
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise Http404("No such crime category.")
    return {"category": category}


def _rows(queryset):
    return list(queryset.order_by("pk").values(*ROW_FIELDS))


def _month(value) -> str:
    return f"{value:%Y-%m}"


def _digest(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:13], 16)


def _asb_key(row) -> str:
    point = f"{row['lat']:.6f},{row['lng']:.6f}" if row["lat"] is not None else ""
    return "|".join((_month(row["month"]), row["category__slug"], point, row["location"],
                     row["lsoa_code"]))  # fmt: skip


def crime_ids(rows) -> dict[int, int]:
    """Each row's stable integer id, by pk (the rows in file order: see the module)."""
    seen, ids = Counter(), {}
    for row in rows:
        if row["crime_id"]:
            ids[row["pk"]] = _digest("crime:" + row["crime_id"])
        else:
            key = _asb_key(row)
            ids[row["pk"]] = _digest(f"asb:{key}|{seen[key]}")
            seen[key] += 1
    return ids


def location_of(row) -> dict | None:
    if row["lat"] is None or row["lng"] is None:
        return None
    return {
        "latitude": f"{row['lat']:.6f}",
        "street": {"id": geometry.street_id(row["lat"], row["lng"]), "name": row["location"]},
        "longitude": f"{row['lng']:.6f}",
    }


def outcome_status(row) -> dict | None:
    if not row["outcome"]:
        return None
    return {"category": row["outcome"], "date": _month(row["month"])}


def crime_json(row, crime_id: int, *, with_outcome: bool = True) -> dict:
    location = location_of(row)
    crime = {
        "category": row["category__slug"],
        "location_type": LOCATION_TYPE if location else None,
        "location": location,
        "context": "",
        "persistent_id": row["crime_id"],
        "id": crime_id,
        "location_subtype": "",
        "month": _month(row["month"]),
    }
    if with_outcome:
        crime["outcome_status"] = outcome_status(row)
    return crime


def crimes_json(rows) -> list[dict]:
    if len(rows) > MAX_CRIMES:
        raise TooManyCrimes
    ids = crime_ids(rows)
    return [crime_json(row, ids[row["pk"]]) for row in rows]


def _month_crimes(month, category_slug: str):
    month = month_or_latest(month)
    queryset = StreetCrime.objects.filter(**category_filter(category_slug))
    return queryset.filter(month=month) if month else queryset.none()


def near_point(category_slug: str, month, lat: float, lng: float) -> list[dict]:
    """Crimes within one mile of the point (data.police.uk's street-level crimes by point)."""
    dlat, dlng = geometry.degrees_around(lat, geometry.MILE_M)
    rows = _rows(
        _month_crimes(month, category_slug).filter(
            lat__gte=lat - dlat, lat__lte=lat + dlat, lng__gte=lng - dlng, lng__lte=lng + dlng
        )
    )
    return crimes_json(
        [r for r in rows if geometry.metres(lat, lng, r["lat"], r["lng"]) <= geometry.MILE_M]
    )


def _inside(polygon) -> RawSQL:
    """PostgreSQL's own point-in-polygon (`<@`: inside or on the edge, as shapely's covers),
    with no extension: the ring as a polygon literal of (lng, lat) points."""
    ring = ",".join(f"({x!r},{y!r})" for x, y in polygon.exterior.coords)
    return RawSQL("point(lng, lat) <@ %s::polygon", (f"({ring})",), output_field=BooleanField())


def in_area(category_slug: str, month, polygon) -> list[dict]:
    """Crimes in the area. An area holding more than MAX_CRIMES is refused after one COUNT in
    the database, before any row is loaded (a poly round all London holds some 80,000 a
    month)."""
    west, south, east, north = polygon.bounds
    boxed = _month_crimes(month, category_slug).filter(
        lat__gte=south, lat__lte=north, lng__gte=west, lng__lte=east
    )
    if boxed.alias(inside=_inside(polygon)).filter(inside=True).count() > MAX_CRIMES:
        raise TooManyCrimes
    rows = _rows(boxed)
    return crimes_json([r for r in rows if geometry.covers(polygon, r["lat"], r["lng"])])


def at_location(location_id, month) -> list[dict]:
    lat, lng = geometry.street_point(location_id)
    rows = _rows(
        _month_crimes(month, ALL_CRIME).filter(
            lat__gte=lat - POINT_TOLERANCE, lat__lte=lat + POINT_TOLERANCE,
            lng__gte=lng - POINT_TOLERANCE, lng__lte=lng + POINT_TOLERANCE,
        )
    )
    return crimes_json(rows)


def without_location(category_slug: str, month) -> list[dict]:
    rows = _rows(_month_crimes(month, category_slug).filter(lat__isnull=True))
    return crimes_json(rows)


def outcomes_for(persistent_id: str) -> dict:
    """The crime and its outcomes. The CSV keeps only the latest outcome, so there is one (or
    none while nothing is recorded)."""
    rows = _rows(StreetCrime.objects.filter(crime_id=persistent_id) if persistent_id else
                 StreetCrime.objects.none())
    if not rows:
        raise Http404("No crime with that persistent id.")
    row = max(rows, key=lambda r: (r["month"], r["pk"]))
    crime = crime_json(row, crime_ids([row])[row["pk"]], with_outcome=False)
    status = outcome_status(row)
    outcomes = []
    if status:
        outcomes.append({
            "category": {"code": slugify(row["outcome"]), "name": row["outcome"]},
            "date": status["date"],
            "person_id": None,
        })
    return {"outcomes": outcomes, "crime": crime}


def categories() -> list[dict]:
    listed = Category.objects.order_by("ordering", "name").values_list("slug", "name")
    return [{"url": ALL_CRIME, "name": "All crime"}] + [
        {"url": slug, "name": name} for slug, name in listed
    ]


def dates() -> list[dict]:
    months = DataMonth.objects.order_by("-month").values_list("month", flat=True).distinct()
    return [{"date": _month(month), "stop-and-search": []} for month in months]
