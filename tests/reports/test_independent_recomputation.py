"""An independent recomputation of the report's figures (tests.reports.oracle) across the
year's end and the spring clock change, for two boroughs and an officer who moved from one to
the other mid-month, with recorded rest days, an empty ward and a ward with no team: each figure
is worked out from the raw rows (duties, abstractions, postings) by the words of
reports.definitions, minute by minute in plain Python (sets of minutes, nothing shared with the
application's SQL), and compared with every surface that shows it (tests.reports.winter): the
borough reports (stored figures, page, JSON, both CSV files, PDF), the roll-up, and the
performance framework (`/api/v1/performance/` for a ward, a borough, the BCU and London, and the
ward's and borough's performance pages).

Rest days: the definitions count duties and abstractions, never rest days. A duty recorded on a
rest day (a rest day worked) counts like any other duty, and a rest day takes nobody from cover
(cover counts the officers posted, less those taken by a flex or an abstraction): a month's
figures are the same with or without its rest days."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from reports.figures import borough_figures
from tests.reports.oracle import FIELDS, london_date, london_midnight
from tests.reports.winter import (
    DECEMBER,
    JANUARY,
    MONTHS,
    _m,
    assert_every_figure,
    move,
    record_abstraction,
    record_duty,
    record_rest_day,
    served,
)

pytestmark = pytest.mark.django_db

# The spring clock change: 29 March 2026, 01:00 GMT -> 02:00 BST (a 23-hour London day).
SPRING = (datetime.date(2026, 3, 1), datetime.date(2026, 4, 1))
MOVED_ON = datetime.date(2025, 12, 15)  # the mover's first day in Islington


# -- a hand-built winter, with literal answers ------------------------------------------------

def test_a_hand_built_winter(winter, commander_a, hq, borough_a, borough_a2):
    """The mover's night from 14 to 15 December starts in Camden: all 480 minutes are Camden's.
    On 20 December (a rest day, worked) the mover does 08:00-16:00 in Highbury: 480. New Year's
    Eve 22:00 → 1 January 06:00 in Highbury: 120 in December, 360 in January. On 10 December
    the mover is abstracted 10:00-14:00 with no duty (Camden's, for Haverstock, outside any
    duty: 240). PC1: 8 December 08:00-16:00 flexed to Kilburn, court 09:00-11:00 inside it (120
    abstracted, 360 flexed); 20 December 09:00-13:00 abstracted with no duty (4 hours: away from
    cover on the 20th, with the mover gone Haverstock has 1 PC: below cover that day).
    PC2: a rest day on 2 January, not worked.

    Posted strength: Haverstock never below (PC1, PC2, PCSO1); Highbury 1 PC + PCSO2 until the
    mover arrives on the 15th: 14 days in December, 0 in January; Kilburn and Belsize (nobody
    posted) every day; Barnsbury every day.
    Cover: Haverstock below on 20 December only; otherwise as posted strength."""
    pc1, pc2, _pcso1, _pc3, _pcso2, mover, _unposted = winter["officers"]
    move(winter, MOVED_ON)
    kilburn = winter["wards"][borough_a.pk][1]
    record_duty(winter, mover, _m(2025, 12, 14, 22), _m(2025, 12, 15, 6))
    record_rest_day(winter, mover, datetime.date(2025, 12, 20))
    record_duty(winter, mover, _m(2025, 12, 20, 8), _m(2025, 12, 20, 16))
    record_duty(winter, mover, _m(2025, 12, 31, 22), _m(2026, 1, 1, 6))
    record_abstraction(winter, mover, _m(2025, 12, 10, 10), _m(2025, 12, 10, 14))
    court = record_abstraction(winter, pc1, _m(2025, 12, 8, 9), _m(2025, 12, 8, 11), n=1)
    record_duty(winter, pc1, _m(2025, 12, 8, 8), _m(2025, 12, 8, 16),
                flexed_to=lambda _b: kilburn, abstraction=court)
    record_abstraction(winter, pc1, _m(2025, 12, 20, 9), _m(2025, 12, 20, 13), n=2)
    record_rest_day(winter, pc2, datetime.date(2026, 1, 2))

    found = assert_every_figure(winter, commander_a, hq)
    december, january = found[DECEMBER]["wards"], found[JANUARY]["wards"]
    haverstock, _kilburn, belsize = (w.pk for w in winter["wards"][borough_a.pk])
    highbury, barnsbury = (w.pk for w in winter["wards"][borough_a2.pk])
    assert {k: december[haverstock][k] for k in FIELDS} == {
        "rostered_minutes": 960, "home_ward_minutes": 480, "abstracted_minutes": 600,
        "abstracted_in_duty_minutes": 120, "abstracted_outside_duty_minutes": 480,
        "flexed_out_minutes": 360, "flexed_in_minutes": 0, "authorised_flex_minutes": 0,
        "unauthorised_flex_minutes": 360, "posted_strength_below_minimum_days": 0,
        "cover_below_minimum_days": 1,
    }
    assert december[kilburn.pk]["flexed_in_minutes"] == 360
    assert december[belsize]["posted_strength_below_minimum_days"] == 31
    assert december[highbury]["rostered_minutes"] == 600
    assert december[highbury]["posted_strength_below_minimum_days"] == 14
    assert december[barnsbury]["cover_below_minimum_days"] == 31
    assert january[highbury]["rostered_minutes"] == 360
    assert january[highbury]["posted_strength_below_minimum_days"] == 0
    assert january[haverstock]["rostered_minutes"] == 0


def test_rest_days_change_no_figure(winter, borough_a):
    """The same month with and without its rest days (worked or not): the same figures."""
    pc1, *_rest, mover, _unposted = winter["officers"]
    move(winter, MOVED_ON)
    record_duty(winter, mover, _m(2025, 12, 3, 8), _m(2025, 12, 3, 18))
    record_duty(winter, pc1, _m(2025, 12, 4, 22), _m(2025, 12, 5, 7))
    before = borough_figures(borough_a, DECEMBER)
    for day in (3, 4, 5, 6):
        for officer in (pc1, mover):
            record_rest_day(winter, officer, datetime.date(2025, 12, day))
    after = borough_figures(borough_a, DECEMBER)
    assert [{k: r[k] for k in FIELDS} for r in after["wards"]] == [
        {k: r[k] for k in FIELDS} for r in before["wards"]]
    assert before["total"]["rostered_minutes"] == 600 + 540


# -- generated winters ------------------------------------------------------------------------

item = st.tuples(
    st.integers(0, 36 * 60),  # the gap before it, minutes
    st.integers(30, 14 * 60),  # the duty's (or the lone abstraction's) length
    st.sampled_from(["home", "flexed", "abstraction", "abstracted duty"]),
    st.integers(0, 2),  # the ward worked, when flexed (another ward of its borough)
    st.integers(-120, 14 * 60),  # where its abstraction starts, from the duty's start
    st.integers(15, 8 * 60),  # the abstraction's length
    st.booleans(),  # a rest day recorded on the day it starts
)
winter_spec = st.tuples(
    st.lists(st.tuples(st.integers(0, 36 * 24 * 60), st.lists(item, max_size=10)),
             min_size=7, max_size=7),
    st.integers(1, 50),  # the mover's first day in Islington, from 1 December
)


def build(cast, spec, months=MONTHS) -> None:
    """Each officer's records in sequence from 3 days before the first month (so none overlaps
    another); the officer posted nowhere has abstractions only."""
    sequences, moved = spec
    move(cast, months[0] + datetime.timedelta(days=moved))
    begin = london_midnight(months[0] - datetime.timedelta(days=3))
    for officer, (first, items) in zip(cast["officers"], sequences, strict=True):
        moment = free = begin + first  # free: when its last abstraction ended
        for n, (gap, length, kind, worked, offset, a_length, rests) in enumerate(items):
            start = moment + gap
            if rests:
                record_rest_day(cast, officer, london_date(start))
            if kind == "abstraction" or served(cast, officer, london_date(start))[1] is None:
                record_abstraction(cast, officer, start, start + length, n)
                moment = free = start + length
                continue
            abstraction = None
            moment = start + length
            if kind == "abstracted duty":
                a_start = max(start + offset, free)  # it may begin before the duty
                abstraction = record_abstraction(cast, officer, a_start, a_start + a_length, n)
                moment = free = max(moment, a_start + a_length)
            record_duty(cast, officer, start, start + length, abstraction=abstraction,
                        flexed_to=_elsewhere(cast, worked) if kind == "flexed" else None)


def _elsewhere(cast, worked):
    """Another ward of the duty's borough (never its home ward, the first)."""
    def ward(borough):
        others = cast["wards"][borough.pk][1:]
        return others[worked % len(others)]
    return ward


@seed(20251231)
@settings(max_examples=5, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=winter_spec)
def test_generated_winters(spec, winter, commander_a, hq):
    with transaction.atomic():
        build(winter, spec)
        assert_every_figure(winter, commander_a, hq, surfaces=False)
        transaction.set_rollback(True)


@seed(20260329)
@settings(max_examples=3, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=winter_spec)
def test_generated_springs_across_the_clock_change(spec, winter, commander_a, hq):
    """The same cast in March and April 2026: duties and abstractions across 29 March."""
    with transaction.atomic():
        build(winter, spec, SPRING)
        assert_every_figure(winter, commander_a, hq, surfaces=False, months=SPRING)
        transaction.set_rollback(True)


@seed(20260101)
@settings(max_examples=2, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=winter_spec)
def test_generated_winters_on_every_surface(spec, winter, commander_a, hq):
    with transaction.atomic():
        build(winter, spec)
        assert_every_figure(winter, commander_a, hq)
        transaction.set_rollback(True)
