"""A small borough for the protocol's rules: borough_a with two fully staffed wards (ward_a,
ward_a_east) and a third ward in borough_b."""

import datetime

import pytest

from tests import factories as f
from tests.deployment.factories import staff_ward

TODAY = datetime.date(2026, 3, 2)


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


