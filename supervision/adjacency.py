"""Which wards of a borough are neighbours: two wards are adjacent when their boundaries come
within ADJACENT_WITHIN_M metres of each other. The ONS boundaries we hold are super-generalised
(about 100 m accuracy), so some neighbours leave a sliver between them or overlap a little; a
tolerance catches them without joining wards a street apart.

Distances are measured on a local equirectangular projection centred on the borough (x = east
metres, y = north metres): over a borough's 10-20 km its scale error is below 0.05 %, a few
centimetres at 50 m, so it needs no projection library (pyproj would add ~20 MB for nothing we
can see). shapely, already used for wards' boundaries, does the geometry.

A borough's adjacency is computed once and cached; the cache key holds each ward's code and
bounding box, so a changed boundary computes it again."""

from __future__ import annotations

import hashlib
import math
from itertools import combinations

import numpy as np
import shapely
from django.core.cache import cache
from shapely.geometry import shape
from shapely.strtree import STRtree

from wards.models import Ward

ADJACENT_WITHIN_M = 50.0
METRES_PER_DEGREE_LAT = 111_320.0
CACHE_SECONDS = 7 * 24 * 3600

Adjacency = dict[str, frozenset[str]]  # ward code -> codes of its neighbours


def _projector(lat0: float, lng0: float):
    """(lng, lat) degrees -> (east, north) metres from (lng0, lat0)."""
    scale = np.array([METRES_PER_DEGREE_LAT * math.cos(math.radians(lat0)), METRES_PER_DEGREE_LAT])
    origin = np.array([lng0, lat0])
    return lambda coords: (coords - origin) * scale


def adjacency_of(boundaries: dict[str, dict], within_m: float = ADJACENT_WITHIN_M) -> Adjacency:
    """{code: neighbours} for GeoJSON boundaries by ward code (a ward without one has none)."""
    shapes = {code: shape(geo) for code, geo in sorted(boundaries.items()) if geo}
    neighbours: dict[str, set[str]] = {code: set() for code in boundaries}
    if shapes:
        lat0 = sum(s.centroid.y for s in shapes.values()) / len(shapes)
        lng0 = sum(s.centroid.x for s in shapes.values()) / len(shapes)
        project = _projector(lat0, lng0)
        codes = list(shapes)
        metric = [shapely.transform(shapes[c], project) for c in codes]
        tree = STRtree(metric)
        for i, geom in enumerate(metric):
            for j in tree.query(geom, predicate="dwithin", distance=within_m):
                if int(j) != i:
                    neighbours[codes[i]].add(codes[int(j)])
    return {code: frozenset(found) for code, found in neighbours.items()}


def _cache_key(borough_id: int) -> tuple[str, list[str]]:
    rows = list(
        Ward.objects.filter(borough_id=borough_id)
        .order_by("code")
        .values_list("code", "bbox_south", "bbox_north", "bbox_west", "bbox_east")
    )
    digest = hashlib.sha256(repr((ADJACENT_WITHIN_M, rows)).encode()).hexdigest()[:24]
    return f"supervision:adjacency:{borough_id}:{digest}", [r[0] for r in rows]


def borough_adjacency(borough_id: int) -> Adjacency:
    """The borough's adjacency, from the cache when its wards are unchanged. One query when
    cached, two otherwise."""
    key, codes = _cache_key(borough_id)
    found = cache.get(key)
    if found is None:
        boundaries = dict(
            Ward.objects.filter(borough_id=borough_id).values_list("code", "boundary")
        )
        found = adjacency_of(boundaries)
        cache.set(key, found, CACHE_SECONDS)
    return found


def adjacent_pairs(adjacency: Adjacency) -> list[tuple[str, str]]:
    return [(a, b) for a, b in combinations(sorted(adjacency), 2) if b in adjacency[a]]
