"""A hand-built borough for supervision: five square wards in a row, each touching the next
(W1-W2-W3-W4-W5), and a sixth far away (W6, no neighbour), each with a ward team; crimes and ASB
calls written straight into demand's monthly counts for the current month."""

import datetime

import pytest

from config.timeutils import today
from demand.models import CadWardMonth, WardMonthTotal
from teams.models import Posting, Rank
from tests import factories as f

HALF = 0.004  # a square ward is 2 × HALF degrees wide: neighbours 2 × HALF apart touch


def set_demand(ward, *, crimes=0, asb=0, asb_calls=0, other_calls=0):
    month = today().replace(day=1)
    WardMonthTotal.objects.create(ward=ward, month=month, crimes=crimes, asb=asb)
    for kind, calls in (("asb", asb_calls), ("other", other_calls)):
        if calls:
            CadWardMonth.objects.create(
                ward=ward, month=month, kind=kind, calls=calls, by_hour=[0] * 167 + [calls]
            )


def row_ward(borough, n, *, lng=None):
    lat, lng = 51.5, lng if lng is not None else -0.2 + (n - 1) * 2 * HALF
    return f.WardFactory(
        borough=borough, code=f"E0599000{n}", name=f"W{n}", centroid_lat=lat, centroid_lng=lng
    )


@pytest.fixture
def row_borough(borough_a):
    """borough_a with wards W1-W5 in a row and W6 alone, each with its team."""
    wards = [row_ward(borough_a, n) for n in range(1, 6)]
    wards.append(row_ward(borough_a, 6, lng=0.1))
    for ward in wards:
        f.TeamFactory(ward=ward)
    return {w.name: w for w in wards}


def sergeant(borough, wards, *, start=datetime.date(2025, 1, 1), number=None):
    """A sergeant supervising `wards` (primary in the first) from `start`."""
    officer = f.OfficerFactory(borough=borough, rank=Rank.SERGEANT, **(
        {"shoulder_number": number} if number else {}
    ))  # fmt: skip
    for i, ward in enumerate(wards):
        f.PostingFactory(
            officer=officer, team=ward.team, role=Posting.Role.SUPERVISOR,
            is_primary=i == 0, start_date=start,
        )  # fmt: skip
    return officer


@pytest.fixture
def row(borough_a, row_borough):
    """Crimes 900, 100, 80, 70, 60, 50 in W1-W6; today Sgt 1001SG supervises W1+W2+W3, 1002SG
    W4+W5 and 1003SG W6."""
    for n, crimes in enumerate([900, 100, 80, 70, 60, 50], start=1):
        set_demand(row_borough[f"W{n}"], crimes=crimes)
    w = row_borough
    sergeant(borough_a, [w["W1"], w["W2"], w["W3"]], number="1001SG")
    sergeant(borough_a, [w["W4"], w["W5"]], number="1002SG")
    sergeant(borough_a, [w["W6"]], number="1003SG")
    return w
