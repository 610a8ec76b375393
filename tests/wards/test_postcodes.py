"""The postcode lookup (wards.postcodes) on hand-built postcodes: how a typed postcode is read,
the ward of a full postcode, the wards a district or sector spans, the City of London, a
postcode London does not have, and the ward at a point."""

import pytest

from tests import factories as f
from wards.postcodes import (
    LOCATE_RADIUS_M,
    LocationNotFound,
    PostcodeNotFound,
    PostcodeQuery,
    locate,
    normalise_postcode,
    parse_postcode,
    postcode_lookup,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    ["NW1 9LT", "nw1 9lt", "NW19LT", "  Nw1   9lT ", "nw1-9lt", "NW1 9LT.", "\tnw1\n9lt"],
)
def test_a_full_postcode_is_read_however_it_is_typed(typed):
    assert parse_postcode(typed) == [PostcodeQuery("full", "NW1 9LT")]
    assert normalise_postcode(typed) == "NW1 9LT"


@pytest.mark.parametrize(
    "typed, meanings",
    [
        ("NW3", [("district", "NW3")]),
        ("ec1a", [("district", "EC1A")]),
        ("NW3 2", [("sector", "NW3 2")]),
        ("nw3 2q", [("sector", "NW3 2Q")]),
        # Without a space it may be a district or a sector: both, the district first.
        ("NW32", [("district", "NW32"), ("sector", "NW3 2")]),
        ("E11", [("district", "E11"), ("sector", "E1 1")]),
        ("SW1A1", [("sector", "SW1A 1")]),
    ],
)
def test_a_partial_postcode_is_a_district_or_a_sector(typed, meanings):
    assert [(q.kind, q.text) for q in parse_postcode(typed)] == meanings
    assert normalise_postcode(typed) is None


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "Kings Cross", "Haverstock", "E", "NW", "9999", "NW3 2QG 5", "NW3 22", "'; --",
     "N\x00W3", "NW3 2QGX", "1NW 2QG"],
)
def test_text_that_cannot_be_a_postcode_is_not_one(typed):
    assert parse_postcode(typed) is None
    with pytest.raises(PostcodeNotFound):
        postcode_lookup(typed)


def test_a_full_postcode_is_in_the_ward_the_file_gives_it(ward_a, django_assert_num_queries):
    f.PostcodeFactory(postcode="NW3 2QG", ward=ward_a)
    with django_assert_num_queries(1):  # the postcode with its ward and borough
        match = postcode_lookup("nw3 2qg")
        assert (match.ward, match.ward.borough.name) == (ward_a, "Camden")
    assert match.postcode.postcode == "NW3 2QG" and not match.in_city


@pytest.fixture
def nw3(ward_a, ward_b):
    """NW3: five postcodes in ward_a, two in ward_b, one in the City; and E1 and E11, whose
    names start alike."""
    for code in ["NW3 1AA", "NW3 1AB", "NW3 2AA", "NW3 2AB", "NW3 2BA"]:
        f.PostcodeFactory(postcode=code, ward=ward_a)
    for code in ["NW3 2QA", "NW3 5ZZ"]:
        f.PostcodeFactory(postcode=code, ward=ward_b)
    f.PostcodeFactory(postcode="NW3 7AA", ward=None)
    f.PostcodeFactory(postcode="E1 1AA", ward=ward_a)
    f.PostcodeFactory(postcode="E11 1AA", ward=ward_b)


def shares(match):
    return [(s.ward.name if s.ward else None, s.postcodes) for s in match.wards]


def test_a_district_spans_wards_with_how_many_postcodes_each(nw3, django_assert_num_queries):
    with django_assert_num_queries(2):  # the counts by ward; the wards with their boroughs
        match = postcode_lookup("nw3")
        assert shares(match) == [("Haverstock", 5), ("Soho", 2), (None, 1)]
        assert match.wards[0].ward.borough.name == "Camden"
    assert match.ward is None and not match.in_city  # several wards: none is "the" ward


def test_a_sector_spans_only_its_own_postcodes(nw3):
    assert shares(postcode_lookup("NW3 2")) == [("Haverstock", 3), ("Soho", 1)]
    assert shares(postcode_lookup("NW3 2A")) == [("Haverstock", 2)]
    assert shares(postcode_lookup("NW32")) == shares(postcode_lookup("NW3 2"))


def test_a_district_is_not_the_start_of_a_longer_one(nw3):
    assert shares(postcode_lookup("E1")) == [("Haverstock", 1)]
    assert shares(postcode_lookup("E11")) == [("Soho", 1)]


def test_a_district_wholly_in_a_single_ward_is_that_ward(ward_a):
    f.PostcodeFactory(postcode="W1A 1AA", ward=ward_a)
    assert postcode_lookup("W1A").ward == ward_a


def test_the_city_of_londons_postcodes_are_found_with_no_met_ward(nw3):
    f.PostcodeFactory(postcode="EC2R 8AH", ward=None)
    match = postcode_lookup("EC2R 8AH")
    assert match.ward is None and match.in_city
    assert postcode_lookup("EC2R").in_city


@pytest.mark.parametrize(
    "typed, said",
    [("NW3 9ZZ", "NW3 9ZZ"), ("nw39zz", "NW3 9ZZ"), ("ZZ1 1ZZ", "ZZ1 1ZZ"), ("NW9", "NW9"),
     ("nw3 8", "NW3 8")],
)
def test_a_postcode_london_does_not_have_is_not_found(nw3, typed, said):
    with pytest.raises(PostcodeNotFound) as raised:
        postcode_lookup(typed)
    assert raised.value.postcode == said
    assert raised.value.message == f"We cannot find the postcode {said} in London."


# --- the ward at a point -----------------------------------------------------------------------

METRES_PER_DEGREE_LAT = 111_320


def north_of(postcode, metres):
    return float(postcode.lat) + metres / METRES_PER_DEGREE_LAT, float(postcode.lng)


def test_a_point_is_in_the_ward_of_the_nearest_postcode(ward_a, ward_b):
    """Even where the (generalised) ward boundary says otherwise: the postcode is finer."""
    near = f.PostcodeFactory(postcode="NW3 2QG", ward=ward_b, lat=ward_a.centroid_lat,
                             lng=ward_a.centroid_lng)
    f.PostcodeFactory(postcode="NW3 2QH", ward=ward_a, lat=north_of(near, 120)[0],
                      lng=near.lng)
    location = locate(*north_of(near, 50))
    assert (location.ward, location.postcode.postcode) == (ward_b, "NW3 2QG")


def test_beyond_the_radius_the_ward_boundary_decides(ward_a, ward_b):
    far = f.PostcodeFactory(postcode="NW3 2QG", ward=ward_b, lat=ward_a.centroid_lat,
                            lng=ward_a.centroid_lng)
    lat, lng = north_of(far, LOCATE_RADIUS_M + 30)  # still inside ward_a's square (~440 m)
    location = locate(lat, lng)
    assert (location.ward, location.postcode) == (ward_a, None)


def test_a_point_nearest_a_city_postcode_is_in_the_city(db):
    city = f.PostcodeFactory(postcode="EC2R 8AH", ward=None)
    assert locate(*north_of(city, 10)).in_city


@pytest.mark.parametrize(
    "lat, lng", [(50.8225, -0.1372), (0, 0), (90, 180), (-90, -180), (float("nan"), 0)]
)
def test_a_point_outside_london_is_not_found(ward_a, lat, lng):
    f.PostcodeFactory(postcode="NW3 2QG", ward=ward_a)
    with pytest.raises(LocationNotFound):
        locate(lat, lng)
