"""A hand-built borough for Safer Schools: Camden (borough_a) with two wards. W1 has two
dedicated officers (1001AA, 1002AA), W2 none. Five schools whose only known criterion is free
school meals, so each score is plain: 10 %…60 % scale to 0…1.

| URN    | kind      | ward | meals | normalised | score |
|--------|-----------|------|-------|------------|-------|
| 100003 | primary   | W1   | 60    | 1          | 100   |
| 100001 | secondary | W1   | 50    | 0.8        | 80    |
| 100002 | secondary | W1   | 40    | 0.6        | 60    |
| 100005 | pru       | W1   | 20    | 0.2        | 20    |
| 100004 | secondary | W2   | 10    | 0          | 0     |
"""

from decimal import Decimal

import pytest

from schools.models import School
from tests import factories as f

MEALS = {"100001": 50, "100002": 40, "100003": 60, "100004": 10, "100005": 20}
KINDS = {"100003": School.Kind.PRIMARY, "100005": School.Kind.PRU}


def school(borough, ward, urn, **values):
    values.setdefault("kind", School.Kind.SECONDARY)
    return School.objects.create(
        urn=urn, name=values.pop("name", f"School {urn}"), borough=borough, ward=ward,
        lat=float(ward.centroid_lat) if ward else None,
        lng=float(ward.centroid_lng) if ward else None, **values,
    )  # fmt: skip


@pytest.fixture
def hand_built(borough_a):
    w1 = f.WardFactory(borough=borough_a, code="E05990001", name="W1")
    w2 = f.WardFactory(borough=borough_a, code="E05990002", name="W2")
    t1, _t2 = f.TeamFactory(ward=w1), f.TeamFactory(ward=w2)
    officers = []
    for number in ("1002AA", "1001AA"):  # made out of order: the contact order is by number
        officer = f.OfficerFactory(borough=borough_a, shoulder_number=number)
        f.PostingFactory(officer=officer, team=t1)
        officers.append(officer)
    schools = {
        urn: school(borough_a, w2 if urn == "100004" else w1, urn,
                    kind=KINDS.get(urn, School.Kind.SECONDARY), free_meals=Decimal(meals))
        for urn, meals in MEALS.items()
    }  # fmt: skip
    return {
        "w1": w1, "w2": w2, "schools": schools,
        "pc1": next(o for o in officers if o.shoulder_number == "1001AA"),
        "pc2": next(o for o in officers if o.shoulder_number == "1002AA"),
    }  # fmt: skip
