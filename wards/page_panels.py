"""The wards app's own panels (config.panels): the ward page's map of its boundary with its
places, and the borough page's map of its wards. Each map is drawn by static/js/map.js from
GeoJSON written into the page (no extra request); tiles only where MAP_TILE_URL is set, so the
ward polygons are the base map offline. Beside each map, a table holds what it shows: the map
is never the only way to read it."""

from django.conf import settings
from django.db.models import Count

from wards.models import Place, Ward

PLACE_COLUMNS = ("Place", "Kind", "Address")
BOROUGH_WARD_COLUMNS = ("Ward", "Places recorded")


def _tiles() -> dict:
    return {"tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION}


def _area(ward, *, link: bool) -> dict | None:
    if not ward.boundary:
        return None
    properties = {"name": ward.name}
    if link:
        properties["url"] = ward.get_absolute_url()
    return {"type": "Feature", "id": ward.code, "geometry": ward.boundary,
            "properties": properties}


def _collection(features) -> dict:
    return {"type": "FeatureCollection", "features": [f for f in features if f]}


def _place_point(place) -> dict | None:
    if place.lat is None or place.lng is None:
        return None
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(place.lng), float(place.lat)]},
        "properties": {"location": place.name},
    }


# Decimal places kept in a public outline: 6 is about 0.1 m, finer than the ONS polygons and
# without float noise (51.553999999999995) in the page.
OUTLINE_PLACES = 6


def _rounded(coordinates):
    if isinstance(coordinates, (int, float)):
        return round(coordinates, OUTLINE_PLACES)
    return [_rounded(item) for item in coordinates]


def outline_map(ward, *, public: bool = True) -> dict:
    """The ward's outline alone, for a map (includes/map.html). For the public team page
    (`public`) without the ward's code (the public pages show no ONS codes) and rounded; the
    staff ward page keeps both. No query: the ward, with its boundary, is the caller's."""
    area = _area(ward, link=False)
    if area is not None and public:
        del area["id"]
        geometry = area["geometry"]
        area["geometry"] = {**geometry, "coordinates": _rounded(geometry["coordinates"])}
    areas = _collection([area])
    return {"map_areas": areas if areas["features"] else None, **_tiles()}


def wards_map(wards) -> dict:
    """The given wards' outlines (named, not linked), for a map a form places a point on (the
    crime form). No query beyond the caller's wards, read with their boundaries."""
    areas = _collection(_area(ward, link=False) for ward in wards)
    return {"map_areas": areas if areas["features"] else None, **_tiles()}


def ward_places_panel(ward, request) -> dict:
    """The ward's boundary on a map with its places marked, and the places in a table beside
    it. One query (the places: the ward, with its boundary, is the page's own)."""
    places = list(
        Place.objects.for_user(request.user).filter(ward=ward).order_by("kind", "name")
    )
    points = _collection(_place_point(place) for place in places)
    return {
        **outline_map(ward, public=False),
        "places": places,
        "place_columns": PLACE_COLUMNS,
        "map_points": points if points["features"] else None,
        "unplaced": sum(1 for place in places if place.lat is None or place.lng is None),
    }


def borough_map_panel(borough, request) -> dict:
    """The borough's wards on a map, each linking to its page, and beside it the wards with how
    many places each has recorded. One query, whatever the number of wards."""
    wards = list(
        Ward.objects.filter(borough=borough)
        .annotate(place_count=Count("places"))
        .only("code", "name", "boundary", "borough_id")
        .order_by("name")
    )
    areas = _collection(_area(ward, link=True) for ward in wards)
    return {
        "map_wards": wards,
        "ward_columns": BOROUGH_WARD_COLUMNS,
        "map_areas": areas if areas["features"] else None,
        **_tiles(),
    }
