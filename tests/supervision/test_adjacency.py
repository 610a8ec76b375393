"""Adjacency on the real (simplified ONS) polygons, with the 50 m tolerance."""

import pytest

from supervision.adjacency import adjacency_of, borough_adjacency
from wards.london import load_london
from wards.models import Borough, Ward

pytestmark = pytest.mark.django_db

# Measured on the stored polygons (metres between boundaries).
TOUCHING = [("E05013652", "E05013658")]  # Belsize and Gospel Oak (Camden): 0 m
NEARLY = [
    ("E05013654", "E05013669"),  # Camden Square, St Pancras & Somers Town: 10 m
    ("E05013656", "E05013665"),  # Fortune Green, Kilburn (Camden): 32 m
    ("E05013800", "E05013809"),  # Maida Vale, Westbourne (Westminster): 34 m
]
APART = [
    ("E05013796", "E05013805"),  # Hyde Park, Regent's Park (Westminster): 70 m
    ("E05013657", "E05013670"),  # Frognal, South Hampstead (Camden): 87 m
    ("E05013661", "E05013664"),  # Highgate, Kentish Town South (Camden): 92 m
]


@pytest.fixture
def london(db):
    load_london()


def neighbours_of(code):
    return borough_adjacency(Ward.objects.get(code=code).borough_id)


def test_wards_within_50_m_are_adjacent_and_further_apart_are_not(london):
    for a, b in TOUCHING + NEARLY:
        found = neighbours_of(a)
        assert b in found[a] and a in found[b], (a, b)
    for a, b in APART:
        assert b not in neighbours_of(a)[a], (a, b)


def test_the_tolerance_is_what_joins_the_nearly_touching(london):
    boundaries = dict(Ward.objects.filter(code__in=NEARLY[0]).values_list("code", "boundary"))
    a, b = NEARLY[0]
    assert b in adjacency_of(boundaries)[a]
    assert b not in adjacency_of(boundaries, within_m=1)[a]


def test_every_ward_of_a_borough_has_a_neighbour_and_it_is_cached(
    london, django_assert_num_queries
):
    camden = Borough.objects.get(code="E09000007")
    found = borough_adjacency(camden.pk)
    assert len(found) == Ward.objects.filter(borough=camden).count() == 20
    assert all(found.values())
    assert all(a in found[b] for a, near in found.items() for b in near)  # symmetric
    with django_assert_num_queries(1):  # the cache key's query only
        assert borough_adjacency(camden.pk) == found
