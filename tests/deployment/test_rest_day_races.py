"""Two recorders of the same officer's rest days at once (one connection per thread, real
transactions): overlapping runs from the page or API, a roster with a "rest" row. Whatever the
interleaving, each date is recorded once, one writer is refused with the rule's own conflict
(never an IntegrityError or a server error), and nothing of the refused run is kept."""

import datetime

import pytest

from config.errors import ConflictError
from deployment.models import RestDay
from deployment.rest_days import rest_day_record
from deployment.roster import ROSTER_COLUMNS, roster_import
from tests.deployment.factories import staff_ward
from tests.deployment.test_races import race

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 6
D = datetime.date


def test_overlapping_runs_and_a_roster_race_for_the_same_dates(staff_a, sergeant_a, team_a):
    officer = staff_ward(team_a, pcs=1, pcsos=0)[0]
    roster = (
        ",".join(ROSTER_COLUMNS) + f"\n{officer.shoulder_number},2026-03-{{day}},,,rest,,,,,,\n"
    )
    for round_ in range(ROUNDS):
        day, imported = 1 + round_ * 4, []
        outcomes = race(
            lambda d=day: rest_day_record(officer=officer, first=D(2026, 3, d),
                                          last=D(2026, 3, d + 2), by=staff_a),
            lambda d=day: rest_day_record(officer=officer, first=D(2026, 3, d + 1),
                                          last=D(2026, 3, d + 3), by=sergeant_a),
            # The roster's one row is the first run's first date.
            lambda d=day, imported=imported: imported.append(
                roster_import(text=roster.format(day=f"{d:02d}"), by=staff_a).imported
            ),
        )
        assert all(o == "ok" or isinstance(o, ConflictError) for o in outcomes), outcomes
        assert outcomes[:2].count("ok") == 1, outcomes  # the two runs share two dates
        days = list(RestDay.objects.filter(officer=officer, day__gte=D(2026, 3, day))
                    .values_list("day", flat=True))
        assert len(days) == len(set(days))
        # One whole run, nothing of the refused one; the roster's row only if the first run
        # was refused.
        assert imported == [0 if outcomes[0] == "ok" else 1], (outcomes, imported)
        assert len(days) == 3 + imported[0]
