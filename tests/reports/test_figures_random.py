"""The SQL figures equal a plain Python computation over random duties around the autumn clock
change and both month boundaries (each duty clipped to London midnights, real elapsed time)."""

import datetime
import random

from config.timeutils import LONDON, elapsed
from deployment.models import Duty
from reports.figures import borough_figures
from teams.models import Rank
from tests import factories as f
from tests.reports.conftest import abstraction, dedicated, duty

OCTOBER = datetime.date(2026, 10, 1)
START = datetime.datetime(2026, 10, 1, 0, 0, tzinfo=LONDON)
END = datetime.datetime(2026, 11, 1, 0, 0, tzinfo=LONDON)


def inside(starts, ends) -> float:
    """Hours of [starts, ends) inside October, London time."""
    lo, hi = max(starts, START), min(ends, END)
    return max(elapsed(lo, hi).total_seconds(), 0) / 3600


def test_random_duties_match_a_python_computation(borough_a, team_a, ward_a, staff_a):
    rng = random.Random(20261025)
    ward_b = f.WardFactory(code="E05013661", name="Highgate", borough=borough_a)
    f.TeamFactory(ward=ward_b)
    expected = {"rostered": 0.0, "abstracted": 0.0, "home": 0.0, "flexed": 0.0}
    for _ in range(3):
        officer = dedicated(team_a, Rank.PC)
        # From the last days of September to the first days of November, one after another.
        at = datetime.datetime(2026, 9, 29, 20, 0, tzinfo=datetime.UTC)
        while at < datetime.datetime(2026, 11, 2, tzinfo=datetime.UTC):
            starts = at + datetime.timedelta(minutes=rng.randrange(0, 48 * 60, 15))
            ends = starts + datetime.timedelta(minutes=rng.randrange(60, 12 * 60, 15))
            kind = rng.choice([Duty.Kind.HOME, Duty.Kind.ABSTRACTED, Duty.Kind.FLEXED])
            if kind == Duty.Kind.ABSTRACTED:
                a = abstraction(officer, "training", starts, ends, by=staff_a)
                duty(officer, ward_a, starts, ends, by=staff_a, kind=kind, abstraction=a)
                expected["abstracted"] += inside(starts, ends)
            elif kind == Duty.Kind.FLEXED:
                duty(officer, ward_a, starts, ends, by=staff_a, kind=kind, worked=ward_b)
                expected["flexed"] += inside(starts, ends)
            else:
                duty(officer, ward_a, starts, ends, by=staff_a)
                expected["home"] += inside(starts, ends)
            expected["rostered"] += inside(starts, ends)
            at = ends

    total = borough_figures(borough_a, OCTOBER, today=datetime.date(2026, 11, 1))["total"]
    assert total["rostered_hours"] == round(expected["rostered"], 2)
    assert total["abstracted_hours"] == round(expected["abstracted"], 2)
    assert total["home_ward_hours"] == round(expected["home"], 2)
    assert total["flexed_out_hours"] == round(expected["flexed"], 2)
    assert total["unauthorised_flex_hours"] == round(expected["flexed"], 2)
    assert total["abstracted_by_type"]["training"] == round(expected["abstracted"], 2)
