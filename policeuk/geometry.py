"""Points, distances and areas for the public API, in WGS84 degrees as data.police.uk gives them.

- `parse_point` reads `lat,lng` (locate-neighbourhood's `q`), `parse_poly` reads `poly`
  (`lat,lng:lat,lng:…`, data.police.uk's custom area);
- `metres` is the great-circle distance (haversine; London is small enough for it);
- `street_id` is the stable `street.id` of an anonymous map point (see the README: it encodes the
  point itself, so `crimes-at-location` decodes it back with `street_point`)."""

import math

from shapely.geometry import Point, Polygon

from config.errors import DomainError

EARTH_RADIUS_M = 6_371_008.8
MILE_M = 1609.344
# The box street ids can encode: Great Britain, as the police.uk import accepts points.
STREET_SOUTH, STREET_WEST = 49.0, -9.0
STREET_SPAN = 12.0  # degrees of latitude and of longitude from the south-west corner
MICRO = 1_000_000
STREET_LAT_FACTOR = 10**8  # leaves 8 digits for the longitude's micro-degrees (at most 12e6)
# data.police.uk refuses a custom area of more points than a URL can carry; so do we.
MAX_POLY_POINTS = 500


def parse_point(text: str, *, field: str) -> tuple[float, float]:
    parts = str(text or "").split(",")
    if len(parts) != 2:
        raise DomainError("Give a point as lat,lng.", field=field)
    return _lat_lng(parts[0], parts[1], field=field)


def _lat_lng(lat_text, lng_text, *, field: str) -> tuple[float, float]:
    try:
        lat, lng = float(lat_text), float(lng_text)
    except (TypeError, ValueError):
        raise DomainError("Latitude and longitude must be numbers.", field=field) from None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):  # also refuses nan and inf
        raise DomainError("Latitude must be within ±90 and longitude within ±180.", field=field)
    return lat, lng


def parse_lat_lng(lat_text, lng_text) -> tuple[float, float]:
    if lat_text in (None, "") or lng_text in (None, ""):
        raise DomainError("Give both lat and lng, or poly.", field="lat")
    return _lat_lng(lat_text, lng_text, field="lat")


def parse_poly(text: str) -> Polygon:
    points = [p for p in str(text or "").split(":") if p.strip()]
    if not 3 <= len(points) <= MAX_POLY_POINTS:
        raise DomainError(
            f"poly needs 3 to {MAX_POLY_POINTS} points as lat,lng:lat,lng:…", field="poly"
        )
    ring = [parse_point(p, field="poly") for p in points]
    polygon = Polygon([(lng, lat) for lat, lng in ring])
    if polygon.area == 0:
        raise DomainError("poly's points must enclose an area.", field="poly")
    # A self-crossing outline still means "inside these lines": buffer(0) mends it.
    return polygon if polygon.is_valid else polygon.buffer(0)


def metres(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def degrees_around(lat: float, radius_m: float) -> tuple[float, float]:
    """Half the side, in degrees of latitude and of longitude, of a box holding the circle."""
    dlat = radius_m / (EARTH_RADIUS_M * math.pi / 180)
    cos = max(math.cos(math.radians(lat)), 1e-6)
    return dlat, min(dlat / cos, 180.0)


def street_id(lat: float, lng: float) -> int:
    """The point's micro-degrees north and east of (49°N, 9°W), as one integer."""
    north = round((lat - STREET_SOUTH) * MICRO)
    east = round((lng - STREET_WEST) * MICRO)
    return north * STREET_LAT_FACTOR + east


def street_point(value) -> tuple[float, float]:
    """The point `street_id` encoded; DomainError for anything it cannot have made."""
    try:
        number = int(str(value))
    except ValueError:
        raise DomainError("location_id must be a whole number.", field="location_id") from None
    north, east = divmod(number, STREET_LAT_FACTOR)
    limit = STREET_SPAN * MICRO
    if number < 0 or north > limit or east > limit:
        raise DomainError("location_id is not a location of this API.", field="location_id")
    return STREET_SOUTH + north / MICRO, STREET_WEST + east / MICRO


def covers(polygon, lat: float, lng: float) -> bool:
    return polygon.covers(Point(lng, lat))
