"""On the demo boroughs (real wards and polygons, the demo's teams and sergeants, generated
demand): the recommendation covers every ward once, in groups of adjacent wards, is the same
every time, and its largest group workload is never above today's arrangement's."""

import random

import pytest

from config.timeutils import today
from demand.models import CadWardMonth, WardMonthTotal
from supervision.recommendation import recommend
from teams.demo import DEMO_BOROUGHS, seed_demo
from wards.london import load_london
from wards.models import Borough, Place, Ward

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_london()
    seed_demo()
    rng = random.Random("supervision-demo")
    month = today().replace(day=1)
    wards = list(Ward.objects.filter(borough__code__in=DEMO_BOROUGHS).order_by("code"))
    WardMonthTotal.objects.bulk_create(
        WardMonthTotal(ward=w, month=month, crimes=rng.randint(40, 900), asb=0) for w in wards
    )
    CadWardMonth.objects.bulk_create(
        CadWardMonth(ward=w, month=month, kind="asb", calls=n, by_hour=[0] * 167 + [n])
        for w in wards
        for n in [rng.randint(0, 300)]
    )
    for ward in wards[::7]:
        Place.objects.create(ward=ward, kind=Place.Kind.NIGHTCLUB, name=f"Club {ward.code}")


@pytest.mark.parametrize("code", DEMO_BOROUGHS)
def test_never_worse_than_today_and_the_same_every_time(demo, code):
    borough = Borough.objects.get(code=code)
    first = recommend(borough, on=today())
    wards = sorted(Ward.objects.filter(borough=borough).values_list("code", flat=True))

    assert sorted(c for cluster in first.clusters for c in cluster.codes) == wards
    assert all(1 <= len(c.codes) <= 3 and first.problem.connected(c.codes) for c in first.clusters)
    assert first.objective_proposal <= first.objective_today
    assert len(first.clusters) == first.problem.k == first.sergeants
    again = recommend(borough, on=today())
    assert [c.codes for c in again.clusters] == [c.codes for c in first.clusters]
    assert again.objective_proposal == first.objective_proposal
