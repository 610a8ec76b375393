"""The monthly reports count days below minimum cover in SQL (cover.cover_gap_days); the flex
queue and approval check them in Python (cover.cover_gaps). Both must apply the same rule: on
random months of postings that start and end mid-month and commitments that cross midnight and
the clock changes, they name the same wards and days."""

import datetime
import random

import pytest
from django.db import IntegrityError, transaction

from config.timeutils import LONDON
from deployment import cover
from deployment.models import MAX_SHIFT_HOURS, Commitment, Duty
from teams.models import Posting, Rank
from tests import factories as f
from tests.reports.conftest import abstraction


def _as_days(gaps) -> dict:
    days = {}
    for gap in gaps:
        days.setdefault(gap.ward.pk, []).append(gap.day)
    return {ward_id: sorted(ds) for ward_id, ds in days.items()}


def _random_month(rng, borough, by, first, last):
    wards = [f.WardFactory(borough=borough) for _ in range(3)]
    f.WardFactory(borough=borough)  # a ward with no team: neither rule lists it
    teams = [f.TeamFactory(ward=w) for w in wards]
    span = (last - first).days
    officers = []
    for team in teams:
        for rank in (Rank.PC, Rank.PC, Rank.PC, Rank.PCSO, Rank.PCSO, Rank.SPECIAL):
            officer = f.OfficerFactory(rank=rank, borough=borough)
            start = first + datetime.timedelta(days=rng.randrange(-10, span))
            end = None
            if rng.random() < 0.4:
                end = start + datetime.timedelta(days=rng.randrange(0, 20))
            f.PostingFactory(officer=officer, team=team, role=Posting.Role.DEDICATED,
                             start_date=start, end_date=end)
            officers.append(officer)
    for officer in officers:
        at = datetime.datetime.combine(first - datetime.timedelta(days=2), datetime.time(0),
                                       tzinfo=LONDON)
        stop = at + datetime.timedelta(days=span + 4)
        while True:
            at += datetime.timedelta(minutes=rng.randrange(6 * 60, 5 * 24 * 60, 15))
            ends = at + datetime.timedelta(minutes=rng.randrange(60, 40 * 60, 15))
            if ends > stop:
                break
            abstraction(officer, "training", at, ends, by=by)
            at = ends
    return [w.pk for w in wards] + [wards[0].pk + 10_000]


@pytest.mark.parametrize(
    ("seed", "first", "last"),
    [
        (1, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)),  # into BST
        (2, datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)),  # back to GMT
        (3, datetime.date(2026, 10, 20), datetime.date(2026, 11, 6)),
    ],
)
def test_sql_and_python_cover_rules_agree(seed, first, last, borough_a, staff_a):
    ward_ids = _random_month(random.Random(seed), borough_a, staff_a, first, last)
    assert Commitment.objects.exists()

    python = _as_days(cover.cover_gaps(ward_ids, first, last))
    sql = cover.cover_gap_days(ward_ids, first, last)

    assert sql == python
    ward_days = sum(len(days) for days in python.values())
    covered = 3 * ((last - first).days + 1)
    # Neither trivial: some ward-days short, and some not.
    assert 0 < ward_days < covered, ward_days


def test_a_commitment_ending_at_midnight_does_not_take_the_next_day(
    borough_a, staff_a, django_assert_num_queries
):
    """Cover needs 2 PCs and 1 PCSO. One PC abstracted until exactly 00:00 on the 2nd leaves the
    ward short on the 1st only; an abstraction from 23:00 on the 3rd to 01:00 on the 4th (across
    midnight) leaves it short on both days."""
    team = f.TeamFactory(ward=f.WardFactory(borough=borough_a))
    pcs = []
    for rank in (Rank.PC, Rank.PC, Rank.PCSO):
        officer = f.OfficerFactory(rank=rank, borough=borough_a)
        f.PostingFactory(officer=officer, team=team, role=Posting.Role.DEDICATED)
        pcs.append(officer)
    midnight = datetime.datetime(2026, 6, 2, 0, 0, tzinfo=LONDON)
    abstraction(pcs[0], "training", midnight - datetime.timedelta(hours=8), midnight, by=staff_a)
    late = datetime.datetime(2026, 6, 3, 23, 0, tzinfo=LONDON)
    abstraction(pcs[1], "training", late, late + datetime.timedelta(hours=2), by=staff_a)

    with django_assert_num_queries(1):
        days = cover.cover_gap_days([team.ward_id], datetime.date(2026, 6, 1),
                                        datetime.date(2026, 6, 7))

    assert days == {team.ward_id: [datetime.date(2026, 6, d) for d in (1, 3, 4)]}


def test_the_database_refuses_a_duty_longer_than_the_longest_shift(borough_a, staff_a):
    """The reports read a month's duties from MAX_SHIFT_HOURS before it: the database holds
    every duty to that length, not only the recording service."""
    ward = f.WardFactory(borough=borough_a)
    officer = f.OfficerFactory(borough=borough_a)
    starts = datetime.datetime(2026, 6, 1, 7, 0, tzinfo=LONDON)
    longest = datetime.timedelta(hours=MAX_SHIFT_HOURS)
    Duty.objects.create(officer=officer, home_ward=ward, worked_ward=ward, starts_at=starts,
                        ends_at=starts + longest, recorded_by=staff_a)
    later = starts + datetime.timedelta(days=1)
    with pytest.raises(IntegrityError, match="duty_at_most_max_shift"):
        with transaction.atomic():
            Duty.objects.create(officer=officer, home_ward=ward, worked_ward=ward,
                                starts_at=later,
                                ends_at=later + longest + datetime.timedelta(minutes=1),
                                recorded_by=staff_a)
