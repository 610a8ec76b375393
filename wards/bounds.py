"""The box every location recorded in London must fall in: places, crimes, anything with a
latitude and longitude (WGS84). The database holds places to it too (Place's constraint)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q


@dataclass(frozen=True)
class LatLngBox:
    south: Decimal
    north: Decimal
    west: Decimal
    east: Decimal

    def has_lat(self, lat) -> bool:
        return self.south <= Decimal(str(lat)) <= self.north

    def has_lng(self, lng) -> bool:
        return self.west <= Decimal(str(lng)) <= self.east

    def contains(self, lat, lng) -> bool:
        return self.has_lat(lat) and self.has_lng(lng)

    def q(self, lat_field: str = "lat", lng_field: str = "lng") -> Q:
        """The same box as a condition on two fields (floats, as the constraint was written)."""
        return Q(
            **{
                f"{lat_field}__gte": float(self.south),
                f"{lat_field}__lte": float(self.north),
                f"{lng_field}__gte": float(self.west),
                f"{lng_field}__lte": float(self.east),
            }
        )


# Greater London with a margin: from Croydon's south to Enfield's north, Hillingdon to Bexley.
LONDON_BOX = LatLngBox(
    south=Decimal("51.2"), north=Decimal("51.8"), west=Decimal("-0.6"), east=Decimal("0.4")
)
