"""Each ward's workload score against a hand-built borough: crimes (not ASB) + ASB calls (not
other calls) + weighted hospitals, colleges and nightclubs, with the borough's weights, else
London's, else the defaults."""

from decimal import Decimal

import pytest

from supervision.models import WorkloadWeights
from supervision.workload import top_fifth, ward_workloads, weights_for
from tests import factories as f
from tests.supervision.conftest import set_demand
from wards.models import Place

pytestmark = pytest.mark.django_db


def scores(borough, wards):
    return {w.ward.name: w.score for w in ward_workloads(wards, weights_for(borough))}


def test_defaults_count_crimes_asb_calls_and_local_factors(borough_a, row_borough):
    w1, w2, w3 = row_borough["W1"], row_borough["W2"], row_borough["W3"]
    set_demand(w1, crimes=120, asb=40, asb_calls=30, other_calls=500)
    set_demand(w2, crimes=10, asb_calls=5)
    f.PlaceFactory(ward=w2, kind=Place.Kind.HOSPITAL)
    f.PlaceFactory(ward=w2, kind=Place.Kind.NIGHTCLUB)
    f.PlaceFactory(ward=w2, kind=Place.Kind.NIGHTCLUB)
    f.PlaceFactory(ward=w3, kind=Place.Kind.COLLEGE)
    f.PlaceFactory(ward=w3, kind=Place.Kind.SN_BASE)  # a base adds no workload
    f.PlaceFactory(ward=w3, kind=Place.Kind.SECONDARY_SCHOOL)  # not a factor

    got = scores(borough_a, [w1, w2, w3])

    # W1: 120 crimes + 30 ASB calls (ASB crimes and other calls do not count)
    # W2: 10 + 5 + 250 (hospital) + 2 × 150 (nightclubs); W3: 100 (college)
    assert got == {"W1": Decimal(150), "W2": Decimal(565), "W3": Decimal(100)}
    assert weights_for(borough_a).source == "default"


def test_london_weights_then_the_boroughs_own(borough_a, borough_b, row_borough):
    w1 = row_borough["W1"]
    set_demand(w1, crimes=100, asb_calls=10)
    f.PlaceFactory(ward=w1, kind=Place.Kind.HOSPITAL)
    values = {"crime": 2, "asb_call": 3, "hospital": 10, "college": 0, "nightclub": 0}
    WorkloadWeights.objects.create(borough=None, **values)
    assert scores(borough_a, [w1]) == {"W1": Decimal(2 * 100 + 3 * 10 + 10)}
    assert weights_for(borough_a).source == "london"

    WorkloadWeights.objects.create(borough=borough_a, **{**values, "crime": Decimal("0.5")})
    WorkloadWeights.objects.create(borough=borough_b, **{**values, "crime": 99})
    assert scores(borough_a, [w1]) == {"W1": Decimal(50 + 30 + 10)}
    assert weights_for(borough_a).source == "borough"


def test_an_empty_ward_scores_nought(borough_a, row_borough):
    assert scores(borough_a, [row_borough["W4"]]) == {"W4": Decimal(0)}


def test_top_fifth_is_the_heaviest_fifth_rounded_up(borough_a, row_borough):
    for n, crimes in enumerate([50, 500, 40, 400, 30, 0], start=1):
        set_demand(row_borough[f"W{n}"], crimes=crimes)
    loads = ward_workloads(list(row_borough.values()), weights_for(borough_a))
    # six wards: a fifth rounded up is two
    assert top_fifth(loads) == {row_borough["W2"].code, row_borough["W4"].code}
