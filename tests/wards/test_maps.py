"""The ward page maps the ward's boundary with its places beside a table of them; the borough
page maps its wards beside a table of them. The GeoJSON is in the page (no extra request), tiles
only where MAP_TILE_URL is set, and nothing of another borough is on either."""

import json
import re

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def _json(body: str, element_id: str):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', body)
    return json.loads(match.group(1)) if match else None


def test_the_ward_page_maps_its_boundary_and_places_beside_their_table(
    client, staff_a, ward_a
):
    placed = f.PlaceFactory(ward=ward_a, name="Haverstock School", lat="51.544", lng="-0.155")
    f.PlaceFactory(ward=ward_a, name="Chalk Farm Library")  # no position: the table only
    f.PlaceFactory(ward=f.WardFactory(borough=ward_a.borough), name="Next door school")
    client.force_login(staff_a)
    body = client.get(reverse("wards:ward", args=[ward_a.code])).content.decode()
    areas, points = _json(body, "ward-map-areas"), _json(body, "ward-map-points")
    assert [a["id"] for a in areas["features"]] == [ward_a.code]
    assert areas["features"][0]["geometry"] == ward_a.boundary
    assert points["features"] == [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(placed.lng), float(placed.lat)]},
        "properties": {"location": "Haverstock School"},
    }]
    assert 'aria-label="Map of Haverstock: its boundary and places"' in body
    assert "Haverstock School" in body and "Chalk Farm Library" in body
    assert "1 place without a recorded position is in the table only" in body
    assert "Next door school" not in body
    assert "data-tile-url" not in body  # none configured: the outline is the base map


def test_a_ward_with_no_boundary_or_placed_places_says_there_is_no_map(
    client, staff_a, borough_a
):
    ward = f.WardFactory(borough=borough_a, boundary=None)
    client.force_login(staff_a)
    body = client.get(reverse("wards:ward", args=[ward.code])).content.decode()
    assert 'data-module="app-map"' not in body
    assert "so there is no map" in body and "No places recorded." in body


def test_tiles_show_only_where_a_tile_url_is_configured(client, staff_a, ward_a, settings):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "Example tiles"
    client.force_login(staff_a)
    body = client.get(reverse("wards:ward", args=[ward_a.code])).content.decode()
    assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in body


def test_the_borough_page_maps_its_wards_linking_to_their_pages(
    client, staff_a, borough_a, ward_a, ward_b
):
    second = f.WardFactory(borough=borough_a, name="Highgate")
    f.PlaceFactory.create_batch(2, ward=second)
    unmapped = f.WardFactory(borough=borough_a, name="Zed", boundary=None)
    client.force_login(staff_a)
    body = client.get(reverse("wards:borough", args=[borough_a.code])).content.decode()
    areas = _json(body, "borough-map-areas")
    assert sorted(a["id"] for a in areas["features"]) == sorted([ward_a.code, second.code])
    by_code = {a["id"]: a["properties"] for a in areas["features"]}
    assert by_code[second.code] == {"name": "Highgate", "url": second.get_absolute_url()}
    assert ward_b.code not in body  # another borough's ward is on no map and in no table
    table = body[body.index("The wards on the map"):]
    assert table.index("Haverstock") < table.index("Highgate") < table.index("Zed")
    assert "(no boundary recorded)" in table and unmapped.get_absolute_url() in table
