"""Where a postcode is: the one lookup every page, import and API uses.

- A full postcode ("NW1 9LT", "nw19lt", " Nw1  9lt ") is in the ward Code-Point Open gives it
  (from the postcode's own location, finer than our ward polygons).
- A district ("NW3") or a sector ("NW3 2", or "NW3 2Q") spans wards: each with how many of its
  postcodes lie there, most first.
- The City of London's postcodes have no Met ward: the City of London Police polices them. They
  are found, with `ward` None.
- Anything else that looks like a postcode but matches none is PostcodeNotFound; text that does
  not look like a postcode at all gives None from parse_postcode, so a search box can try names.

`locate(lat, lng)` answers the same question for a point (the browser's location): the ward of
the nearest postcode within LOCATE_RADIUS_M, else the ward whose boundary holds the point."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.db.models import Count, F, FloatField
from django.db.models.functions import Cast

from config.errors import DomainError
from wards.models import Postcode, Ward

_OUTWARD = r"[A-Z]{1,2}[0-9][0-9A-Z]?"
_FULL = re.compile(rf"^({_OUTWARD})([0-9][A-Z]{{2}})$")
_DISTRICT = re.compile(rf"^{_OUTWARD}$")
# An outward code and the start of an inward code: a sector ("NW3 2") or a little more ("NW3 2Q").
_SECTOR = re.compile(rf"^({_OUTWARD}) ([0-9][A-Z]?)$")
# Whatever is not a letter or a digit separates; "NW3-2QG" and "nw3 2qg." are NW3 2QG.
_SEPARATORS = re.compile(r"[^A-Z0-9]+")

# A point further than this from every postcode is placed by the ward boundaries instead.
LOCATE_RADIUS_M = 250
_METRES_PER_DEGREE_LAT = 111_320


class PostcodeNotFound(DomainError):
    def __init__(self, text: str):
        super().__init__(
            f"We cannot find the postcode {text} in London.", field="postcode",
            code="postcode_not_found",
        )
        self.postcode = text


class LocationNotFound(DomainError):
    def __init__(self):
        super().__init__(
            "That location is not in London's 32 boroughs.", field="location",
            code="location_not_found",
        )


@dataclass(frozen=True)
class PostcodeQuery:
    kind: str  # "full", "sector" or "district"
    text: str  # normalised: "NW3 2QG", "NW3 2", "NW3"

    @property
    def prefix(self) -> str:
        """What every postcode it covers starts with."""
        return self.text if self.kind == "sector" else f"{self.text} "


@dataclass(frozen=True)
class WardShare:
    ward: Ward | None  # None: the City of London
    postcodes: int


@dataclass(frozen=True)
class PostcodeMatch:
    query: PostcodeQuery
    wards: list[WardShare]  # a full postcode: exactly one
    postcode: Postcode | None = None  # a full postcode's own row (its centroid, its quality)

    @property
    def ward(self) -> Ward | None:
        """The one ward of a full postcode (None in the City of London)."""
        return self.wards[0].ward if len(self.wards) == 1 else None

    @property
    def in_city(self) -> bool:
        return all(share.ward is None for share in self.wards)


def parse_postcode(text: str) -> list[PostcodeQuery] | None:
    """What `text` can mean as a postcode, likeliest first; None when it cannot be one. Without
    a space, "NW32" may be the district NW32 or the sector NW3 2: both are offered."""
    words = _SEPARATORS.split(str(text).upper().strip())
    words = [w for w in words if w]
    if not words or len(words) > 2:
        return None
    compact = "".join(words)
    full = _FULL.match(compact)
    if full:
        return [PostcodeQuery("full", f"{full[1]} {full[2]}")]
    if len(words) == 2:
        sector = _SECTOR.match(" ".join(words))
        return [PostcodeQuery("sector", sector[0])] if sector else None
    queries = [PostcodeQuery("district", compact)] if _DISTRICT.match(compact) else []
    for split in (1, 2):  # "NW32" as NW3 2, "NW32Q" as NW3 2Q
        sector = _SECTOR.match(f"{compact[:-split]} {compact[-split:]}")
        if sector:
            queries.append(PostcodeQuery("sector", sector[0]))
    return queries or None


def normalise_postcode(text: str) -> str | None:
    """A full postcode as stored ("NW1 9LT"), or None if `text` is not one."""
    queries = parse_postcode(text) or []
    return queries[0].text if queries and queries[0].kind == "full" else None


def postcode_lookup(text: str) -> PostcodeMatch:
    """The ward of a full postcode, or the wards a district or sector spans (see the module's
    docstring). PostcodeNotFound when it is not a postcode or London has no such postcode."""
    queries = parse_postcode(text)
    if not queries:
        raise PostcodeNotFound(str(text).strip().upper())
    for query in queries:
        match = _full(query) if query.kind == "full" else _partial(query)
        if match is not None:
            return match
    raise PostcodeNotFound(queries[0].text)


def _full(query: PostcodeQuery) -> PostcodeMatch | None:
    row = (
        Postcode.objects.select_related("ward__borough")
        .defer("ward__boundary")
        .filter(pk=query.text)
        .first()
    )
    if row is None:
        return None
    return PostcodeMatch(query, [WardShare(row.ward, 1)], postcode=row)


def _partial(query: PostcodeQuery) -> PostcodeMatch | None:
    counts = list(
        Postcode.objects.filter(postcode__startswith=query.prefix)
        .values("ward_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    if not counts:
        return None
    wards = Ward.objects.select_related("borough").defer("boundary").in_bulk(
        [c["ward_id"] for c in counts if c["ward_id"] is not None]
    )
    shares = [WardShare(wards.get(c["ward_id"]), c["n"]) for c in counts]
    shares.sort(key=lambda s: (-s.postcodes, s.ward.name if s.ward else ""))
    return PostcodeMatch(query, shares)


@dataclass(frozen=True)
class Location:
    ward: Ward | None  # None: the City of London
    postcode: Postcode | None  # the nearest postcode, when one is within LOCATE_RADIUS_M

    @property
    def in_city(self) -> bool:
        return self.ward is None


def locate(lat: float, lng: float) -> Location:
    """The ward at a point: the ward of the nearest postcode within LOCATE_RADIUS_M, else the
    ward whose (generalised) boundary covers the point. LocationNotFound outside the Met's
    London."""
    if not (math.isfinite(lat) and math.isfinite(lng)):
        raise LocationNotFound()
    nearest = nearest_postcode(lat, lng)
    if nearest is not None:
        return Location(nearest.ward, nearest)
    wards = Ward.objects.select_related("borough").containing(lat, lng)
    if wards:
        return Location(wards[0], None)
    raise LocationNotFound()


def nearest_postcode(lat: float, lng: float, radius_m: float = LOCATE_RADIUS_M):
    """The postcode whose centroid is nearest the point and within `radius_m`, or None. At
    London's scale a degree of longitude is cos(latitude) of a degree of latitude."""
    d_lat = radius_m / _METRES_PER_DEGREE_LAT
    scale = math.cos(math.radians(lat))
    d_lng = d_lat / max(scale, 0.01)
    candidate = (
        Postcode.objects.filter(
            lat__range=(lat - d_lat, lat + d_lat), lng__range=(lng - d_lng, lng + d_lng)
        )
        .select_related("ward__borough")
        .defer("ward__boundary")
        .annotate(
            north=Cast(F("lat"), FloatField()) - lat,
            east=(Cast(F("lng"), FloatField()) - lng) * scale,
        )
        .annotate(d2=F("north") * F("north") + F("east") * F("east"))
        .order_by("d2", "postcode")
        .first()
    )
    if candidate is None:
        return None
    metres = math.sqrt(float(candidate.d2)) * _METRES_PER_DEGREE_LAT
    return candidate if metres <= radius_m else None
