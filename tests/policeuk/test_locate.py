"""locate-neighbourhood at a ward's edge: the polygons are simplified (about 100 m), so a point
just outside every polygon is answered with the nearest ward within 250 m; beyond, 404."""

import math

import pytest
from django.test import Client

from policeuk import geometry
from tests import factories as f

LAT, LNG = 51.50, -0.05
HALF = 0.004  # the factory's square: 0.004° either side of the centre


def east_of_edge(metres: float) -> tuple[float, float]:
    dlng = metres / (geometry.EARTH_RADIUS_M * math.pi / 180 * math.cos(math.radians(LAT)))
    return LAT, LNG + HALF + dlng


def locate(lat, lng):
    return Client().get("/api/locate-neighbourhood", {"q": f"{lat},{lng}"})


@pytest.fixture
def ward(db):
    return f.WardFactory(centroid_lat=LAT, centroid_lng=LNG)


@pytest.mark.parametrize("metres, found", [(-10, True), (0, True), (100, True), (240, True),
                                           (260, False), (400, False)])
def test_the_edge(ward, metres, found):
    response = locate(*east_of_edge(metres))
    if found:
        assert response.status_code == 200
        assert response.json() == {"force": "metropolitan", "neighbourhood": ward.code + "N"}
    else:
        assert response.status_code == 404


def test_the_nearest_of_two_wards_within_reach(ward):
    # A second ward 300 m east of the first's edge: a point 100 m out is nearer the first, one
    # 200 m out is 100 m from the second's western edge and nearer it.
    lat, lng = east_of_edge(300)
    other = f.WardFactory(centroid_lat=LAT, centroid_lng=round(lng + HALF, 6))
    assert locate(*east_of_edge(100)).json()["neighbourhood"] == ward.code + "N"
    assert locate(*east_of_edge(200)).json()["neighbourhood"] == other.code + "N"


def test_an_empty_london_answers_404(db):
    assert locate(LAT, LNG).status_code == 404
