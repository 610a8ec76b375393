"""Wards by name (wards.search): misspelt, without apostrophes or accents, a ward's or a
borough's name, best first, names that repeat across boroughs listed with their borough."""

import pytest

from tests import factories as f
from wards.search import MAX_RESULTS, wards_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards(borough_a, borough_b):
    camden, westminster = borough_a, borough_b
    return {
        "kings_cross": f.WardFactory(name="King's Cross", borough=camden),
        "haverstock": f.WardFactory(name="Haverstock", borough=camden),
        "regents_camden": f.WardFactory(name="Regent's Park", borough=camden),
        "regents_westminster": f.WardFactory(name="Regent's Park", borough=westminster),
        "waterloo": f.WardFactory(name="Waterloo & South Bank", borough=westminster),
        "st_james": f.WardFactory(name="St James's", borough=westminster),
        "cafe": f.WardFactory(name="Café Quarter", borough=westminster),
    }


def names(found):
    return [(w.name, w.borough.name) for w in found]


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Kings Cross", "King's Cross"),
        ("kings x cross", "King's Cross"),
        ("Haverstok", "Haverstock"),
        ("haverstock", "Haverstock"),
        ("HAVERSTOCK ", "Haverstock"),
        ("Waterloo and South Bank", "Waterloo & South Bank"),
        ("St. James's", "St James's"),
        ("st james", "St James's"),
        ("cafe quarter", "Café Quarter"),
    ],
)
def test_a_misspelt_or_unpunctuated_name_finds_the_ward_first(wards, typed, expected):
    assert names(wards_named(typed))[0][0] == expected


def test_a_name_two_boroughs_share_lists_both_with_their_borough(wards):
    assert names(wards_named("Regents Park")) == [
        ("Regent's Park", "Camden"), ("Regent's Park", "Westminster")
    ]


def test_a_boroughs_name_finds_its_wards(wards):
    found = names(wards_named("Camdn"))
    assert found == [
        ("Haverstock", "Camden"), ("King's Cross", "Camden"), ("Regent's Park", "Camden")
    ]


def test_a_wards_own_name_comes_before_a_boroughs(borough_a):
    f.WardFactory(name="Belsize", borough=borough_a)
    own = f.WardFactory(name="Camden Town", borough=borough_a)
    assert wards_named("Camden")[0] == own


def test_weak_matches_far_below_the_best_are_left_out(wards, borough_a):
    """"Haverstok" is Haverstock; the wards of a borough named like it a little are noise."""
    havering = f.BoroughFactory(name="Havering", code="E09000016")
    f.WardFactory(name="Harold Wood", borough=havering)
    assert names(wards_named("Haverstok")) == [("Haverstock", "Camden")]


@pytest.mark.parametrize("typed", ["", "   ", "'", "!!", "Atlantis", "qqqqqq"])
def test_nothing_alike_finds_nothing(wards, typed):
    assert wards_named(typed) == []


def test_at_most_max_results_and_a_fixed_number_of_queries(
    borough_a, django_assert_num_queries
):
    f.WardFactory.create_batch(MAX_RESULTS + 5, borough=borough_a)
    with django_assert_num_queries(1):
        found = wards_named("Camden")
    assert len(found) == MAX_RESULTS


def test_a_hostile_text_is_only_text(wards):
    assert wards_named("'; DROP TABLE wards_ward; --") == []
    assert wards_named("%") == [] and wards_named("_") == []
    assert names(wards_named("Haverstock" * 50))  # cut to 80 characters, still a name
