"""A hand-built March 2026 in borough_a (Camden): two wards, duties across midnight at both ends
of the month and across the clock change (29 March 2026, 01:00 GMT → 02:00 BST), abstractions,
flexes with and without approval, a refused request and a missed review.

Every expected figure is worked out by hand in the docstring of `march`."""

import datetime
from dataclasses import dataclass

import pytest

from config.timeutils import LONDON
from deployment.models import (
    Abstraction,
    AbstractionType,
    Commitment,
    Duty,
    FlexOfficer,
    FlexRequest,
    FlexStatus,
)
from teams.models import Posting, Rank
from tests import factories as f
from tests.reports.winter import winter  # noqa: F401 (the recomputation's cast, for its tests)

MARCH = datetime.date(2026, 3, 1)


def at(y, m, d, hh, mm=0) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, tzinfo=LONDON)


@dataclass
class Month:
    ward_a: object
    ward_east: object
    pc1: object
    pc2: object
    pc3: object
    recorder: object
    borough: object


def dedicated(team, rank):
    officer = f.OfficerFactory(rank=rank, borough=team.borough)
    f.PostingFactory(officer=officer, team=team, role=Posting.Role.DEDICATED)
    return officer


def duty(officer, home, starts, ends, *, by, kind=Duty.Kind.HOME, worked=None, flex=None,
         abstraction=None):
    return Duty.objects.create(
        officer=officer, home_ward=home, worked_ward=worked or home, starts_at=starts,
        ends_at=ends, kind=kind, flex_request=flex, abstraction=abstraction, recorded_by=by,
    )


def abstraction(officer, code, starts, ends, *, by):
    a = Abstraction.objects.create(
        officer=officer, abstraction_type=AbstractionType.objects.get(code=code),
        starts_at=starts, ends_at=ends, significant_event="Demonstration",
        authorised_by_name="Supt Example", recorded_by=by,
    )
    Commitment.objects.create(officer=officer, starts_at=starts, ends_at=ends, abstraction=a)
    return a


def flex(borough, to_ward, members, start, end, *, by, status=FlexStatus.ACTIVE,
         daily_start=datetime.time(8), daily_end=datetime.time(16), **extra):
    request = FlexRequest.objects.create(
        borough=borough, to_ward=to_ward, start_date=start, end_date=end,
        daily_start=daily_start, daily_end=daily_end, problem=extra.pop(
            "problem", "Burglary series"), expected_benefit="Fewer burglaries",
        status=status, requested_by=by,
        review_due=start + datetime.timedelta(days=14), **extra,
    )
    for officer, from_ward in members:
        FlexOfficer.objects.create(flex_request=request, officer=officer, from_ward=from_ward)
    return request


@pytest.fixture
def march(borough_a, team_a, ward_a, staff_a):
    """ward_a (Haverstock): PC1, PC2 and PCSO1 dedicated (exactly the minimum cover).
    ward_east (Highgate): PC3 only (posted strength below minimum every day: 31 days).

    ward_a, March 2026 (minutes):
      PC1 home 28 Feb 22:00 → 1 Mar 06:00 GMT: 360 in March (120 in February)
      PC1 home 28 Mar 22:00 GMT → 29 Mar 06:00 BST: 420 (7 real hours)
      PC1 abstracted, central aid, 31 Mar 20:00 → 1 Apr 04:00 BST: 240 in March, all inside
          its duty
      PC2 flexed to Highgate under flex 1, 10 Mar 08:00-16:00: 480, inside flex 1's window
          (authorised)
      PC2 flexed to Highgate naming no request, 11 Mar 08:00-16:00: 480, also inside flex 1's
          window (PC2 is named in it): authorised, matched without naming it
      PC2 abstracted, court, 12 Mar 09:00-12:30: 210 inside its duty
      → rostered 2190, home 780, abstracted 450 (central aid 240, court 210), flexed out 960
        (authorised 960, unauthorised 0), rate 450 / 2190 = 20.55%.
      Cover below minimum: PC1 is held by flex 2's window (08:00-16:00) on 1-28 March and by
      4 hours of abstraction on 31 March: 29 days (the 3.5-hour court hearing takes nobody).
    ward_east: PC3 home 10 Mar 08:00-16:00: 480; flexed in 960; 31 days below both figures.
    Total: rostered 2670, abstracted 450, rate 450 / 2670 = 16.85%.
    February 2026: 120 (PC1's night) + PC3 10 Feb 08:00-18:00 600 = 720.
    March 2025: PC3 5 Mar 08:00-14:00 = 360.
    Flex: 1 active (PC2, 9-22 Mar, review due 23 Mar after its end: none due),
          2 approved (PC1, 1-28 Mar, review due 15 Mar, never reviewed: overdue, and
            unreviewed at the month's end),
          3 refused on 5 Mar "Not intelligence-led".
    """
    ward_east = f.WardFactory(code="E05013661", name="Highgate", borough=borough_a)
    team_east = f.TeamFactory(ward=ward_east)
    pc1, pc2 = dedicated(team_a, Rank.PC), dedicated(team_a, Rank.PC)
    dedicated(team_a, Rank.PCSO)
    pc3 = dedicated(team_east, Rank.PC)
    by = staff_a
    flex1 = flex(borough_a, ward_east, [(pc2, ward_a)], datetime.date(2026, 3, 9),
                 datetime.date(2026, 3, 22), by=by)
    flex(borough_a, ward_east, [(pc1, ward_a)], datetime.date(2026, 3, 1),
         datetime.date(2026, 3, 28), by=by, status=FlexStatus.APPROVED, problem="Car crime")
    flex(borough_a, ward_east, [(pc3, ward_east)], datetime.date(2026, 3, 6),
         datetime.date(2026, 3, 10), by=by, status=FlexStatus.REJECTED,
         decision_reason="Not intelligence-led", decided_at=at(2026, 3, 5, 10))

    duty(pc1, ward_a, at(2026, 2, 28, 22), at(2026, 3, 1, 6), by=by)
    duty(pc1, ward_a, at(2026, 3, 28, 22), at(2026, 3, 29, 6), by=by)
    a1 = abstraction(pc1, "central-aid", at(2026, 3, 31, 20), at(2026, 4, 1, 4), by=by)
    duty(pc1, ward_a, a1.starts_at, a1.ends_at, by=by, kind=Duty.Kind.ABSTRACTED,
         abstraction=a1)
    duty(pc2, ward_a, at(2026, 3, 10, 8), at(2026, 3, 10, 16), by=by, kind=Duty.Kind.FLEXED,
         worked=ward_east, flex=flex1)
    duty(pc2, ward_a, at(2026, 3, 11, 8), at(2026, 3, 11, 16), by=by, kind=Duty.Kind.FLEXED,
         worked=ward_east)
    a2 = abstraction(pc2, "court", at(2026, 3, 12, 9), at(2026, 3, 12, 12, 30), by=by)
    duty(pc2, ward_a, a2.starts_at, a2.ends_at, by=by, kind=Duty.Kind.ABSTRACTED,
         abstraction=a2)
    duty(pc3, ward_east, at(2026, 3, 10, 8), at(2026, 3, 10, 16), by=by)
    duty(pc3, ward_east, at(2026, 2, 10, 8), at(2026, 2, 10, 18), by=by)
    duty(pc3, ward_east, at(2025, 3, 5, 8), at(2025, 3, 5, 14), by=by)
    return Month(ward_a, ward_east, pc1, pc2, pc3, by, borough_a)
