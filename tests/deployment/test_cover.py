"""The two cover figures (deployment.cover), each on hand-built days with the answer written
down, and against a plain Python computation on generated months.

- posted strength below minimum: dedicated PCs and PCSOs posted on the day < 2 PCs + 1 PCSO;
- cover below minimum: the same, less officers taken elsewhere (abstraction or authorised flex
  window) for at least COVER_AWAY_HOURS (4) of the day."""

import datetime
import random

import pytest
from django.test import override_settings

from config.timeutils import LONDON
from deployment import cover
from deployment.cover import Away, FlexAway
from deployment.models import FlexStatus, FlexTransition
from teams import strength
from teams.models import Posting, Rank
from tests import factories as f
from tests.reports.conftest import abstraction, flex

pytestmark = pytest.mark.django_db
D, T = datetime.date, datetime.time
JUNE_1, JUNE_30 = D(2026, 6, 1), D(2026, 6, 30)


def at(m, d, hh, mm=0, y=2026):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=LONDON)


def post(team, rank, start=None, end=None):
    start = start or D(2025, 1, 1)
    officer = f.OfficerFactory(rank=rank, borough=team.borough)
    f.PostingFactory(officer=officer, team=team, role=Posting.Role.DEDICATED, start_date=start,
                     end_date=end)
    return officer


@pytest.fixture
def ward_of_three(borough_a):
    """A ward at exactly the minimum: PC1, PC2, PCSO."""
    team = f.TeamFactory(ward=f.WardFactory(borough=borough_a, name="Kilburn"))
    return team, [post(team, Rank.PC), post(team, Rank.PC), post(team, Rank.PCSO)]


def days(gaps):
    return [g.day.day for g in gaps]


def test_a_ward_with_nobody_posted_is_below_on_every_day(borough_a):
    empty = f.WardFactory(borough=borough_a, name="Nobody")
    no_team = f.WardFactory(borough=borough_a, name="No team")
    f.TeamFactory(ward=empty)

    posted = cover.posted_strength_below_minimum([empty.pk, no_team.pk], JUNE_1, JUNE_30)
    below = cover.cover_below_minimum([empty.pk, no_team.pk], JUNE_1, JUNE_30)

    assert cover.days_by_ward(posted) == cover.days_by_ward(below) == {
        empty.pk: [D(2026, 6, d) for d in range(1, 31)],
        no_team.pk: [D(2026, 6, d) for d in range(1, 31)],
    }
    assert {(g.pcs, g.pcsos) for g in posted} == {(0, 0)}
    assert len(posted) == 60


def test_officers_posted_for_part_of_the_month_count_on_their_days(borough_a):
    """PC1 all month; PC2 from 10 June; the PCSO until 20 June: short 1-9 and 21-30 June."""
    team = f.TeamFactory(ward=f.WardFactory(borough=borough_a))
    post(team, Rank.PC)
    post(team, Rank.PC, start=D(2026, 6, 10))
    post(team, Rank.PCSO, end=D(2026, 6, 20))
    post(team, Rank.SPECIAL)  # a Special is not dedicated cover
    post(team, Rank.SERGEANT)

    gaps = cover.posted_strength_below_minimum([team.ward_id], JUNE_1, JUNE_30)

    assert days(gaps) == [*range(1, 10), *range(21, 31)]
    assert [(g.pcs, g.pcsos) for g in gaps][:1] == [(1, 1)]
    assert [(g.pcs, g.pcsos) for g in gaps][-1] == (2, 0)


def test_an_officer_away_four_hours_of_a_day_leaves_the_ward_short(ward_of_three, staff_a):
    """3 h 59 min on the 2nd does not take PC1; 4 h on the 3rd does; two abstractions of 2 h on
    the 4th add up; 22:00-03:00 from the 5th (2 h + 3 h) takes neither day; 20:00-04:00 from the
    6th (4 h + 4 h) takes both; abstractions and flex windows that overlap count once."""
    team, (pc1, pc2, _pcso) = ward_of_three
    abstraction(pc1, "court", at(6, 2, 9), at(6, 2, 12, 59), by=staff_a)
    abstraction(pc1, "court", at(6, 3, 9), at(6, 3, 13), by=staff_a)
    abstraction(pc1, "training", at(6, 4, 8), at(6, 4, 10), by=staff_a)
    abstraction(pc1, "training", at(6, 4, 15), at(6, 4, 17), by=staff_a)
    abstraction(pc1, "local-aid", at(6, 5, 22), at(6, 6, 3), by=staff_a)
    abstraction(pc2, "local-aid", at(6, 6, 20), at(6, 7, 4), by=staff_a)

    gaps = cover.cover_below_minimum([team.ward_id], JUNE_1, JUNE_30)

    assert days(gaps) == [3, 4, 6, 7]
    assert {(g.pcs, g.pcsos) for g in gaps} == {(1, 1)}
    assert cover.posted_strength_below_minimum([team.ward_id], JUNE_1, JUNE_30) == []


def test_a_flex_takes_its_officers_for_its_daily_window(ward_of_three, borough_a, staff_a):
    """PC1 flexed 10-12 June, 18:00-02:00: 6 h on the 10th, 8 h on the 11th and 12th, 2 h on
    the 13th. PC2 flexed 20-21 June 08:00-10:00 (2 h a day): never away."""
    team, (pc1, pc2, _pcso) = ward_of_three
    other = f.WardFactory(borough=borough_a)
    f1 = flex(borough_a, other, [(pc1, team.ward)], D(2026, 6, 10), D(2026, 6, 12), by=staff_a)
    f1.daily_start, f1.daily_end = T(18), T(2)
    f1.save()
    f2 = flex(borough_a, other, [(pc2, team.ward)], D(2026, 6, 20), D(2026, 6, 21), by=staff_a)
    f2.daily_start, f2.daily_end = T(8), T(10)
    f2.save()

    assert days(cover.cover_below_minimum([team.ward_id], JUNE_1, JUNE_30)) == [10, 11, 12]


def test_only_authorised_flexes_count_and_as_they_stood(ward_of_three, borough_a, staff_a):
    """A submitted flex does not take anyone; an approved one withdrawn on 20 June still took
    PC1 on the 10th as it stood at the end of the 15th."""
    team, (pc1, pc2, _pcso) = ward_of_three
    other = f.WardFactory(borough=borough_a)
    flex(borough_a, other, [(pc2, team.ward)], D(2026, 6, 1), D(2026, 6, 3), by=staff_a,
         status=FlexStatus.SUBMITTED)
    withdrawn = flex(borough_a, other, [(pc1, team.ward)], D(2026, 6, 10), D(2026, 6, 10),
                     by=staff_a, status=FlexStatus.WITHDRAWN)
    transition = FlexTransition.objects.create(
        flex_request=withdrawn, from_status=FlexStatus.APPROVED, to_status=FlexStatus.WITHDRAWN
    )
    FlexTransition.objects.filter(pk=transition.pk).update(at=at(6, 20, 9))

    assert days(cover.cover_below_minimum([team.ward_id], JUNE_1, JUNE_30)) == []
    as_it_stood = cover.cover_below_minimum([team.ward_id], JUNE_1, JUNE_30,
                                            as_at=at(6, 16, 0))
    assert days(as_it_stood) == [10]
    both = cover.both_below_minimum([team.ward_id], JUNE_1, JUNE_30, as_at=at(6, 16, 0))
    assert both[1] == as_it_stood
    assert days(cover.both_below_minimum([team.ward_id], JUNE_1, JUNE_30)[1]) == []


def test_an_early_end_stops_the_windows(ward_of_three, borough_a, staff_a):
    team, (pc1, _pc2, _pcso) = ward_of_three
    other = f.WardFactory(borough=borough_a)
    flex(borough_a, other, [(pc1, team.ward)], D(2026, 6, 10), D(2026, 6, 20), by=staff_a,
         status=FlexStatus.ENDED, ended_on=D(2026, 6, 12))
    assert days(cover.cover_below_minimum([team.ward_id], JUNE_1, JUNE_30)) == [10, 11, 12]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # 29 March 2026: 00:00-04:00 GMT/BST is 3 real hours (01:00 GMT → 02:00 BST).
        (D(2026, 3, 29), []),
        # 25 October 2026: 00:00-04:00 is 5 real hours (02:00 BST → 01:00 GMT).
        (D(2026, 10, 25), [25]),
    ],
)
def test_the_clock_changes_count_real_hours(ward_of_three, staff_a, day, expected):
    team, (pc1, _pc2, _pcso) = ward_of_three
    start = datetime.datetime.combine(day, T(0), tzinfo=LONDON)
    end = datetime.datetime.combine(day, T(4), tzinfo=LONDON)
    abstraction(pc1, "court", start, end, by=staff_a)
    assert days(cover.cover_below_minimum([team.ward_id], day, day)) == expected


def test_the_hours_that_take_an_officer_are_a_setting(ward_of_three, staff_a):
    team, (pc1, _pc2, _pcso) = ward_of_three
    abstraction(pc1, "court", at(6, 2, 9), at(6, 2, 12), by=staff_a)
    assert cover.cover_below_minimum([team.ward_id], JUNE_1, JUNE_30) == []
    with override_settings(COVER_AWAY_HOURS=3):
        assert days(cover.cover_below_minimum([team.ward_id], JUNE_1, JUNE_30)) == [2]
        assert "at least 3 hours" in cover.definitions()["cover"]["text"]


def test_what_if_an_abstraction_or_a_flex_were_recorded(ward_of_three, staff_a):
    team, (pc1, pc2, _pcso) = ward_of_three
    what_if_abstracted = [Away(pc1.pk, at(6, 2, 8), at(6, 2, 16))]
    what_if_flexed = [FlexAway((pc2.pk,), D(2026, 6, 5), D(2026, 6, 6), T(22), T(6))]
    assert days(cover.cover_below_minimum([team.ward_id], JUNE_1, JUNE_30,
                                          away=what_if_abstracted)) == [2]
    # 22:00-06:00 on the 5th and 6th: 2 h on the 5th, 8 h on the 6th, 6 h on the 7th.
    assert days(cover.cover_below_minimum([team.ward_id], JUNE_1, JUNE_30,
                                          flexes=what_if_flexed)) == [6, 7]
    # Nothing was written: the recorded month has no gap.
    assert cover.cover_below_minimum([team.ward_id], JUNE_1, JUNE_30) == []


def test_each_figure_is_one_query(ward_of_three, django_assert_num_queries):
    team, _ = ward_of_three
    with django_assert_num_queries(1):
        cover.posted_strength_below_minimum([team.ward_id], JUNE_1, JUNE_30)
    with django_assert_num_queries(1):
        cover.cover_below_minimum([team.ward_id], JUNE_1, JUNE_30)


# -- against a plain Python computation on generated months -----------------------------------

def _random_month(rng, borough, by, first, last):
    wards = [f.WardFactory(borough=borough) for _ in range(3)]
    teams = [f.TeamFactory(ward=w) for w in wards[:2]]  # the third ward has no team
    span = (last - first).days
    officers = []
    for team in teams:
        for rank in (Rank.PC,) * 4 + (Rank.PCSO,) * 3 + (Rank.SPECIAL,):
            start = first + datetime.timedelta(days=rng.randrange(-20, span // 2))
            end = None
            if rng.random() < 0.4:
                end = start + datetime.timedelta(days=rng.randrange(5, 25))
            officers.append(post(team, rank, start, end))
    for officer in officers:
        moment = datetime.datetime.combine(first - datetime.timedelta(days=2), T(0),
                                           tzinfo=LONDON)
        stop = moment + datetime.timedelta(days=span + 4)
        while True:
            moment += datetime.timedelta(minutes=rng.randrange(6 * 60, 3 * 24 * 60, 15))
            ends = moment + datetime.timedelta(minutes=rng.randrange(60, 30 * 60, 15))
            if ends > stop:
                break
            abstraction(officer, "training", moment, ends, by=by)
            moment = ends
    return [w.pk for w in wards], officers


def _expected(ward_ids, first, last):
    """The rule in plain Python: per ward and day, the posted PCs and PCSOs less those whose
    abstractions take at least 4 real hours of the London day."""
    from deployment.models import Abstraction

    postings = list(Posting.objects.filter(role=Posting.Role.DEDICATED, team__ward__in=ward_ids)
                    .select_related("officer", "team"))
    abstractions = list(Abstraction.objects.all())
    out = {"posted": {}, "cover": {}}
    day = first
    while day <= last:
        start = datetime.datetime.combine(day, T(0), tzinfo=LONDON).astimezone(datetime.UTC)
        end = datetime.datetime.combine(day + datetime.timedelta(days=1), T(0),
                                        tzinfo=LONDON).astimezone(datetime.UTC)
        for ward_id in ward_ids:
            here = [p.officer for p in postings if p.team.ward_id == ward_id and p.is_current(day)
                    and p.officer.rank in (Rank.PC, Rank.PCSO)]
            present = [o for o in here if _away_seconds(o, abstractions, start, end) < 4 * 3600]
            for name, officers in (("posted", here), ("cover", present)):
                pcs = sum(o.rank == Rank.PC for o in officers)
                pcsos = sum(o.rank == Rank.PCSO for o in officers)
                if strength.is_below_minimum(pcs, pcsos):
                    out[name].setdefault(ward_id, []).append(day)
        day += datetime.timedelta(days=1)
    return out


def _away_seconds(officer, abstractions, start, end) -> float:
    return sum(
        max((min(a.ends_at, end) - max(a.starts_at, start)).total_seconds(), 0)
        for a in abstractions if a.officer_id == officer.pk
    )


@pytest.mark.parametrize(
    ("seed", "first", "last"),
    [
        (1, D(2026, 3, 1), D(2026, 3, 31)),  # into BST
        (2, D(2026, 10, 1), D(2026, 10, 31)),  # back to GMT
        (3, D(2026, 10, 20), D(2026, 11, 6)),
    ],
)
def test_both_figures_match_a_python_computation(seed, first, last, borough_a, staff_a):
    ward_ids, _ = _random_month(random.Random(seed), borough_a, staff_a, first, last)
    expected = _expected(ward_ids, first, last)

    posted = cover.days_by_ward(cover.posted_strength_below_minimum(ward_ids, first, last))
    below = cover.days_by_ward(cover.cover_below_minimum(ward_ids, first, last))

    assert posted == expected["posted"]
    assert below == expected["cover"]
    # The monthly report asks for both at once: the same gaps (wards, days, PCs, PCSOs), in the
    # same order, as each function alone.
    assert cover.both_below_minimum(ward_ids, first, last) == (
        cover.posted_strength_below_minimum(ward_ids, first, last),
        cover.cover_below_minimum(ward_ids, first, last),
    )
    span = (last - first).days + 1
    assert len(posted[ward_ids[2]]) == span  # the ward with no team
    ward_days = sum(len(ds) for ds in below.values())
    assert sum(len(ds) for ds in posted.values()) < ward_days < 3 * span


def test_posted_strength_agrees_with_the_ward_pages_strength(borough_a):
    """teams.strength.with_strength (the ward pages and API, one day) and the posted-strength
    figure name the same wards below minimum on every day."""
    from wards.models import Ward

    rng = random.Random(7)
    teams = [f.TeamFactory(ward=f.WardFactory(borough=borough_a)) for _ in range(4)]
    for team in teams[:3]:
        for rank in (Rank.PC, Rank.PC, Rank.PCSO, Rank.PCSO):
            start = JUNE_1 + datetime.timedelta(days=rng.randrange(-5, 25))
            post(team, rank, start, start + datetime.timedelta(days=rng.randrange(0, 20)))
    ward_ids = [t.ward_id for t in teams]
    figure = cover.days_by_ward(cover.posted_strength_below_minimum(ward_ids, JUNE_1, JUNE_30))
    day = JUNE_1
    while day <= JUNE_30:
        pages = set(strength.with_strength(Ward.objects.filter(pk__in=ward_ids), on=day)
                    .filter(below_minimum=True).values_list("pk", flat=True))
        assert pages == {w for w, ds in figure.items() if day in ds}, day
        day += datetime.timedelta(days=1)
