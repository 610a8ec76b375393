"""Kinds of police.uk location, for MOPAC's themes.

data.police.uk moves every crime to an anonymous map point: the centre of a street, or a point of
interest such as a supermarket, a nightclub or a station. Its `Location` column then reads
"On or near Supermarket" or "On or near Station Road". Rows carry no time and no premises, so a
theme that needs one (transport, the night-time economy, business crime) uses the point of
interest as its proxy:

- transport: a name ending in "Station" other than a petrol, police, fire or ambulance station
  (Bus/Coach Station, Railway Station, Underground Station…), or Airport/Airfield; or a point
  within TRANSPORT_HUB_METRES of a transport hub Place;
- licensed: Nightclub, Pub, Bar, Pub/Bar, or a name ending in " Pub";
- shop: Supermarket, Shopping Area, or a name ending in "Shopping Centre";
- other: anything else (a street).

"Station Road" is a street, not a station: the patterns match the whole name. The import
classifies each row once, as it reads it, and the counts keep the kind."""

import math
import re

from django.db import models

TRANSPORT_HUB_METRES = 150
# Degrees of latitude and of longitude (at London's latitude) in TRANSPORT_HUB_METRES.
HUB_DLAT = TRANSPORT_HUB_METRES / 111_320
HUB_DLNG = TRANSPORT_HUB_METRES / (111_320 * math.cos(math.radians(51.5)))


class LocationKind(models.TextChoices):
    TRANSPORT = "transport", "Station or stop"
    LICENSED = "licensed", "Licensed premises (pub, bar, nightclub)"
    SHOP = "shop", "Shop or supermarket"
    OTHER = "other", "Street or other place"


PATTERNS = {  # matched against the whole Location text
    LocationKind.TRANSPORT: (
        r"^On or near (?!(Petrol|Police|Fire|Ambulance) Station$)(.* )?Station$"
        r"|^On or near (Bus/Coach Station|Airport/Airfield)$"
    ),
    LocationKind.LICENSED: r"^On or near (Nightclub|Pub|Bar|Pub/Bar|.+ Pub)$",
    LocationKind.SHOP: r"^On or near (Supermarket|Shopping Area|.+ Shopping Centre)$",
}


COMPILED = {kind: re.compile(pattern) for kind, pattern in PATTERNS.items()}


def classify(location: str, near_hub: bool = False) -> str:
    if near_hub:
        return LocationKind.TRANSPORT
    for kind, pattern in COMPILED.items():
        if pattern.search(location or ""):
            return kind
    return LocationKind.OTHER


class TransportHubs:
    """Is a point within about TRANSPORT_HUB_METRES of a transport hub Place? A grid of cells
    that size, so each question looks at a few hubs at most."""

    def __init__(self, points):
        self.cells = {}
        for lat, lng in points:
            lat, lng = float(lat), float(lng)
            self.cells.setdefault(self._cell(lat, lng), []).append((lat, lng))

    @staticmethod
    def _cell(lat, lng):
        return int(lat // HUB_DLAT), int(lng // HUB_DLNG)

    def near(self, lat, lng) -> bool:
        if not self.cells or lat is None:
            return False
        row, col = self._cell(lat, lng)
        for cell in ((row + dr, col + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)):
            for hub_lat, hub_lng in self.cells.get(cell, ()):
                # in units of TRANSPORT_HUB_METRES
                distance = math.hypot((lat - hub_lat) / HUB_DLAT, (lng - hub_lng) / HUB_DLNG)
                if distance <= 1:
                    return True
        return False
