"""The independent recomputation (tests.reports.oracle) on every surface at once, on the edges the
definitions name: flex windows across midnight, the month's end and both clock changes (the
definition's own worked example: an 18:00 to 06:00 window is 11 real hours on the night the
clocks go forward and 13 on the night they go back; a daily start the clocks skip is read as
GMT), with an officer who moves borough mid-month, a ward with nobody posted and wards with no
team (the winter cast). Every report (each borough's and the roll-up: its boroughs, its BCU and
London) is compared on the stored figures, the page (areas and total), the JSON, both CSV files,
the PDF (areas, BCUs and headline), the email in the outbox, and the performance framework (API
and pages for a ward, each borough, the BCU and London)."""

import datetime

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from deployment.models import FlexStatus
from reports import services
from reports.definitions import by_key
from tests.reports.conftest import flex
from tests.reports.test_independent_edges import AUTUMN
from tests.reports.test_independent_flex import authorised, build_flexes, flex_item
from tests.reports.test_independent_recomputation import SPRING, build, winter_spec
from tests.reports.winter import (
    DECEMBER,
    _m,
    assert_every_figure,
    assert_performance_section,
    assert_section,
    expected_rows,
    move,
    oracle,
    record_abstraction,
    record_duty,
)

pytestmark = pytest.mark.django_db

OCTOBER, NOVEMBER = AUTUMN
MARCH = SPRING[0]


def test_the_flex_definition_gives_the_clock_change_examples_these_tests_hold():
    text = by_key()["authorised_flex_minutes"]["text"]
    assert "an 18:00 to 06:00 window is 11 hours long on the night the clocks go forward" in text
    assert "and 13 on the night they go back" in text
    assert "a skipped 01:30 is 02:30 BST, a repeated 01:30 its second occurrence" in text
    cover = by_key()["cover_below_minimum_days"]["text"]
    assert "23 hours on the Sunday the clocks go forward, 25 on the Sunday they go back" in cover


def test_a_night_flex_over_the_autumn_change_and_the_month_end(winter, borough_a, borough_a2,
                                                                 commander_a, hq):
    """Camden's flex to Kilburn names PC1, 24-31 October 2026, 18:00-06:00, approved on the
    20th. PC1 works two nights flexed to Kilburn: 24 October 18:00 BST → 25 October 06:00 GMT,
    13 real hours, all inside the window (780 authorised); 31 October 18:00 → 1 November 06:00,
    the last day's window running past the month's end: 360 minutes in October and 360 in
    November, all authorised in both. The mover's night 14 → 15 October (Haverstock's: it
    starts before the move on the 15th), and an abstraction of the mover on 20 October with no
    duty (Highbury's, outside any duty: 240).

    Cover: PC1 is held 12 hours a day from the 24th to the 31st, and 6 hours of 1 November by
    the window that began on the 31st: with the mover gone, Haverstock has one PC on those days
    (8 in October, 1 in November)."""
    pc1, *_rest, mover, _unposted = winter["officers"]
    haverstock, kilburn, _belsize = winter["wards"][borough_a.pk]
    highbury, _barnsbury = winter["wards"][borough_a2.pk]
    move(winter, datetime.date(2026, 10, 15))
    nights = flex(borough_a, kilburn, [(pc1, haverstock)], datetime.date(2026, 10, 24),
                  datetime.date(2026, 10, 31), by=winter["by"], status=FlexStatus.ACTIVE,
                  daily_start=datetime.time(18), daily_end=datetime.time(6))
    authorised(nights, [("submitted", "approved", _m(2026, 10, 20, 9)),
                        ("approved", "active", _m(2026, 10, 24, 0))], hq)
    to_kilburn = lambda _b: kilburn  # noqa: E731
    record_duty(winter, pc1, _m(2026, 10, 24, 18), _m(2026, 10, 25, 6), flexed_to=to_kilburn)
    record_duty(winter, pc1, _m(2026, 10, 31, 18), _m(2026, 11, 1, 6), flexed_to=to_kilburn)
    record_duty(winter, mover, _m(2026, 10, 14, 22), _m(2026, 10, 15, 6))
    record_abstraction(winter, mover, _m(2026, 10, 20, 10), _m(2026, 10, 20, 14))

    found = assert_every_figure(winter, commander_a, hq, months=AUTUMN)
    october, november = found[OCTOBER]["wards"], found[NOVEMBER]["wards"]
    keys = ("rostered_minutes", "flexed_out_minutes", "authorised_flex_minutes",
            "unauthorised_flex_minutes", "cover_below_minimum_days")
    assert {k: october[haverstock.pk][k] for k in keys} == {
        "rostered_minutes": 780 + 360 + 480, "flexed_out_minutes": 1140,
        "authorised_flex_minutes": 1140, "unauthorised_flex_minutes": 0,
        "cover_below_minimum_days": 8,
    }
    assert {k: november[haverstock.pk][k] for k in keys} == {
        "rostered_minutes": 360, "flexed_out_minutes": 360, "authorised_flex_minutes": 360,
        "unauthorised_flex_minutes": 0, "cover_below_minimum_days": 1,
    }
    assert (october[kilburn.pk]["flexed_in_minutes"], november[kilburn.pk]["flexed_in_minutes"]
            ) == (1140, 360)
    assert october[highbury.pk]["abstracted_outside_duty_minutes"] == 240


def test_night_and_skipped_hour_flexes_over_the_spring_change(winter, borough_a, commander_a,
                                                                hq):
    """28 March 2026 to Kilburn, PC1, 18:00-06:00: the window is 18:00 GMT → 06:00 BST, 11 real
    hours (660). PC1's duty 17:00 GMT → 07:00 BST (13 real hours) flexed to Kilburn: 660
    authorised, 120 not. 29 March to Kilburn, PC2, 01:30-05:00: 01:30 does not happen that
    day and is read as GMT (02:30 BST), so the window is 150 real minutes; PC2's duty 00:00 GMT
    → 06:00 BST (300) flexed to Kilburn: 150 authorised, 150 not."""
    pc1, pc2, *_rest = winter["officers"]
    winter["moved_on"] = datetime.date.max
    haverstock, kilburn, _belsize = winter["wards"][borough_a.pk]
    for officer, day, start, end in ((pc1, 28, 18, 6), (pc2, 29, datetime.time(1, 30), 5)):
        one = flex(borough_a, kilburn, [(officer, haverstock)], datetime.date(2026, 3, day),
                   datetime.date(2026, 3, day), by=winter["by"], status=FlexStatus.ENDED,
                   daily_start=start if isinstance(start, datetime.time) else datetime.time(start),
                   daily_end=datetime.time(end))
        authorised(one, [("submitted", "approved", _m(2026, 3, 20, 9)),
                         ("approved", "active", _m(2026, 3, day, 0)),
                         ("active", "ended", _m(2026, 3, 30, 9))], hq)
    to_kilburn = lambda _b: kilburn  # noqa: E731
    record_duty(winter, pc1, _m(2026, 3, 28, 17), _m(2026, 3, 29, 7), flexed_to=to_kilburn)
    record_duty(winter, pc2, _m(2026, 3, 29, 0), _m(2026, 3, 29, 6), flexed_to=to_kilburn)

    found = assert_every_figure(winter, commander_a, hq, months=(MARCH,))
    march = found[MARCH]["wards"][haverstock.pk]
    assert {k: march[k] for k in ("rostered_minutes", "flexed_out_minutes",
                                  "authorised_flex_minutes", "unauthorised_flex_minutes")} == {
        "rostered_minutes": 1080, "flexed_out_minutes": 1080, "authorised_flex_minutes": 810,
        "unauthorised_flex_minutes": 270,
    }


# -- generated: records and flexes across each clock change, on every surface ------------------

@seed(20261101)
@settings(max_examples=2, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=winter_spec, flexes=st.lists(flex_item, min_size=1, max_size=4),
       months=st.sampled_from([AUTUMN, SPRING]))
def test_generated_clock_change_months_on_every_surface(spec, flexes, months, winter,
                                                        commander_a, hq):
    """Generated duties, abstractions and flexes (any window, overnight or not) over March and
    April or October and November 2026, with the mover changing borough: every surface of every
    report (borough and roll-up, with its BCU and London) and the performance framework are
    the oracle's."""
    with transaction.atomic():
        build(winter, spec, months)
        build_flexes(winter, flexes, months)
        assert_every_figure(winter, commander_a, hq, months=months)
        transaction.set_rollback(True)


# -- an older version's performance section ----------------------------------------------------

def _version(borough, month):
    report, _ = services.report_request(borough=borough, month=month, regenerate=True)
    report = services.report_produce(report.pk)
    report.refresh_from_db()
    return report


def test_each_version_s_performance_section_rates_that_version(winter, borough_a, borough_a2,
                                                                 hq):
    """Version 1 of Camden's December: PC1's 8-hour duty, 2 hours abstracted inside it (25%).
    A second duty recorded late makes version 2 (120 of 960: 12.50%). Version 1's page, PDF and
    performance CSV rate version 1's own minutes, as its total does, not the latest version's;
    the roll-up made from version 1 rates version 1's minutes too, after version 2 exists."""
    pc1, *_rest = winter["officers"]
    winter["moved_on"] = datetime.date.max
    court = record_abstraction(winter, pc1, _m(2025, 12, 8, 9), _m(2025, 12, 8, 11))
    record_duty(winter, pc1, _m(2025, 12, 8, 8), _m(2025, 12, 8, 16), abstraction=court)
    first = _version(borough_a, DECEMBER)
    _version(borough_a2, DECEMBER)
    rollup = _version(None, DECEMBER)
    as_first = oracle(winter, DECEMBER)  # the records as version 1 and the roll-up saw them
    record_duty(winter, pc1, _m(2025, 12, 9, 8), _m(2025, 12, 9, 16))
    second = _version(borough_a, DECEMBER)
    assert (first.figures["total"]["abstraction_rate"],
            second.figures["total"]["abstraction_rate"]) == ("25.00", "12.50")
    wards = winter["wards"]
    assert_performance_section(Client(), hq, first, as_first, wards[borough_a.pk])
    assert_section(Client(), hq, rollup,
                   [expected_rows(winter, as_first, b)[1] for b in winter["boroughs"]],
                   sum(len(ws) for ws in wards.values()))
    assert_performance_section(Client(), hq, second, oracle(winter, DECEMBER),
                               wards[borough_a.pk])
