"""A small borough for the protocol's rules: borough_a with two fully staffed wards (ward_a,
ward_a_east) and a third ward in borough_b."""

import datetime

import pytest

from config.timeutils import shift_bounds
from deployment.duties import duty_record
from deployment.models import Duty
from teams.models import Posting, Rank
from tests import factories as f

TODAY = datetime.date(2026, 3, 2)


def staff_ward(team, pcs=2, pcsos=1, start=datetime.date(2025, 1, 1)):
    officers = []
    for rank, n in ((Rank.PC, pcs), (Rank.PCSO, pcsos)):
        for _ in range(n):
            officer = f.OfficerFactory(rank=rank, borough=team.borough)
            f.PostingFactory(
                officer=officer, team=team, role=Posting.Role.DEDICATED, start_date=start
            )
            officers.append(officer)
    return officers


@pytest.fixture
def ward_a_east(borough_a):
    return f.WardFactory(code="E05013661", name="Highgate", borough=borough_a)


@pytest.fixture
def team_a_east(ward_a_east):
    return f.TeamFactory(ward=ward_a_east)


@pytest.fixture
def dwos_a(team_a):
    """ward_a's dedicated officers: 3 PCs and 1 PCSO (one PC to spare)."""
    return staff_ward(team_a, pcs=3, pcsos=1)


@pytest.fixture
def dwos_a_east(team_a_east):
    return staff_ward(team_a_east, pcs=2, pcsos=1)


@pytest.fixture
def frozen_today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0), tick=False)
    return TODAY


def record_flexed_duty(officer, ward, flex, by):
    """A day shift on 10 March 2026 worked in `ward` under `flex`."""
    starts_at, ends_at = shift_bounds(
        datetime.date(2026, 3, 10), datetime.time(8), datetime.time(16)
    )
    return duty_record(
        officer=officer, starts_at=starts_at, ends_at=ends_at, by=by, kind=Duty.Kind.FLEXED,
        worked_ward=ward, flex_request=flex,
    )
