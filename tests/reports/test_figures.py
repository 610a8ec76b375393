"""The report's figures equal the hand-worked month in tests/reports/conftest.py, minute for
minute (the expected minutes are worked out in the docstring of `march`)."""

import datetime

import pytest

from reports.figures import QUERIES_PER_BOROUGH, borough_figures
from tests.reports.conftest import MARCH, at, duty

APRIL = datetime.datetime(2026, 4, 2, 9, 0, tzinfo=datetime.UTC)
TYPES = ("local-aid", "central-aid", "cad-room", "court", "training", "response-cover", "other")


@pytest.fixture
def figures(march):
    return borough_figures(march.borough, MARCH, now=APRIL)


def by_ward(figures, name):
    return next(r for r in figures["wards"] if r["ward"] == name)


def nonzero(mapping):
    return {k: v for k, v in mapping.items() if v}


def test_a_ward_counts_only_the_minutes_inside_the_month_in_real_time(figures):
    ward = by_ward(figures, "Haverstock")
    assert {k: ward[k] for k in (
        "duties", "rostered_minutes", "home_ward_minutes", "abstracted_minutes",
        "abstracted_in_duty_minutes", "abstracted_outside_duty_minutes", "flexed_out_minutes",
        "authorised_flex_minutes", "unauthorised_flex_minutes", "flexed_in_minutes",
        "abstraction_rate", "above_target", "posted_strength_below_minimum_days",
        "cover_below_minimum_days",
    )} == {
        "duties": 6, "rostered_minutes": 2190, "home_ward_minutes": 780,
        "abstracted_minutes": 450, "abstracted_in_duty_minutes": 450,
        "abstracted_outside_duty_minutes": 0, "flexed_out_minutes": 960,
        "authorised_flex_minutes": 960, "unauthorised_flex_minutes": 0, "flexed_in_minutes": 0,
        "abstraction_rate": "20.55", "above_target": True,
        "posted_strength_below_minimum_days": 0, "cover_below_minimum_days": 29,
    }
    assert nonzero(ward["abstracted_by_type"]) == {"central-aid": 240, "court": 210}
    assert nonzero(ward["abstracted_in_duty_by_type"]) == {"central-aid": 240, "court": 210}
    assert nonzero(ward["abstracted_outside_duty_by_type"]) == {}


def test_the_receiving_ward_shows_minutes_flexed_in(figures):
    ward = by_ward(figures, "Highgate")
    assert (ward["rostered_minutes"], ward["home_ward_minutes"], ward["flexed_in_minutes"]) == (
        480, 480, 960
    )
    assert (ward["abstraction_rate"], ward["above_target"]) == ("0.00", False)
    assert (ward["posted_strength_below_minimum_days"], ward["cover_below_minimum_days"]) == (
        31, 31
    )


def test_totals_and_teams_are_sums_of_minutes(figures):
    total = figures["total"]
    assert (total["rostered_minutes"], total["home_ward_minutes"], total["abstracted_minutes"],
            total["flexed_out_minutes"], total["flexed_in_minutes"]) == (2670, 1260, 450, 960, 960)
    assert (total["abstraction_rate"], total["posted_strength_below_minimum_days"],
            total["cover_below_minimum_days"]) == ("16.85", 31, 60)
    assert [(t["code"], t["abstracted"], t["abstracted_in_duty"])
            for t in figures["by_type"] if t["abstracted"]] == [
        ("central-aid", 240, 240), ("court", 210, 210),
    ]
    assert (figures["target"], figures["target_percent"]) == (0.05, "5.00")
    teams = {t["team"]: t for t in figures["teams"]}
    assert set(teams) == {"Haverstock SNT", "Highgate SNT"}
    assert teams["Haverstock SNT"]["rostered_minutes"] == 2190
    assert teams["Highgate SNT"]["flexed_in_minutes"] == 960
    assert figures["no_ward"]["abstracted_minutes"] == 0
    assert figures["abstractions_without_duty"] == []


def test_authorised_matched_refused_and_overdue_flex(figures):
    flex = figures["flex"]
    assert flex["authorised"] == {
        "requests": 2, "officers": 2, "minutes": 960,
        "duties_matched_without_naming_their_request": 1,
    }
    assert flex["flows"] == [{
        "from_ward": "Haverstock", "to_ward": "Highgate", "officers": 1, "flexed_minutes": 960,
        "authorised_minutes": 960, "unauthorised_minutes": 0,
    }]
    assert sorted(r["problem"] for r in flex["requests"]) == ["Burglary series", "Car crime"]
    assert flex["unauthorised"] == {"minutes": 0, "flows": []}
    assert [(r["to_ward"], r["review_due"], r["reviewed_on"]) for r in flex["overdue_reviews"]] \
        == [("Highgate", "2026-03-15", None)]
    assert [r["review_due"] for r in flex["unreviewed_at_month_end"]] == ["2026-03-15"]
    assert [(r["reason"], r["decided_on"]) for r in flex["refused"]] == [
        ("Not intelligence-led", "2026-03-05")
    ]


def test_the_two_cover_figures(figures):
    cover = figures["cover"]
    assert cover["days_counted"] == 31
    assert cover["posted_strength"]["ward_days"] == 31
    assert [(w["ward"], w["days"]) for w in cover["posted_strength"]["wards"]] == [
        ("Highgate", 31)
    ]
    assert cover["cover"]["ward_days"] == 60
    assert [(w["ward"], w["days"]) for w in cover["cover"]["wards"]] == [
        ("Highgate", 31), ("Haverstock", 29),
    ]
    assert cover["cover"]["wards"][1]["dates"][-2:] == ["2026-03-28", "2026-03-31"]


def test_change_against_the_previous_month_and_a_year_before(figures):
    previous = figures["comparison"]["previous_month"]
    assert (previous["month"], previous["rostered_minutes"]) == ("2026-02", 720)
    assert previous["rostered_minutes_change"] == 2670 - 720
    assert (previous["abstraction_rate"], previous["abstraction_rate_change"]) == (
        "0.00", "+16.85"
    )
    year = figures["comparison"]["year_before"]
    assert (year["month"], year["rostered_minutes"], year["rostered_minutes_change"]) == (
        "2025-03", 360, 2310
    )
    assert previous["has_data"] and year["has_data"]
    trend = figures["trend"]
    assert len(trend) == 13
    assert trend[-1] == {
        "month": "2026-03", "rostered_minutes": 2670, "abstracted_in_duty_minutes": 450,
        "flexed_out_minutes": 960, "unauthorised_flex_minutes": 0, "abstraction_rate": "16.85",
    }
    assert [t["rostered_minutes"] for t in trend[1:-2]] == [0] * 10


def test_the_autumn_clock_change_counts_a_25_hour_day(borough_a, team_a, ward_a, staff_a):
    """25 October 2026: clocks go back at 02:00 BST. A 22:00 → 06:00 night is 9 real hours;
    a shift over the October/November boundary is split at London midnight (GMT by then)."""
    from teams.models import Rank
    from tests.reports.conftest import dedicated

    officer = dedicated(team_a, Rank.PC)
    duty(officer, ward_a, at(2026, 10, 24, 22), at(2026, 10, 25, 6), by=staff_a)
    duty(officer, ward_a, at(2026, 10, 31, 21), at(2026, 11, 1, 5), by=staff_a)
    october = borough_figures(borough_a, datetime.date(2026, 10, 1), now=APRIL.replace(year=2027))
    november = borough_figures(borough_a, datetime.date(2026, 11, 1), now=APRIL.replace(year=2027))
    assert october["total"]["rostered_minutes"] == 9 * 60 + 3 * 60
    assert november["total"]["rostered_minutes"] == 5 * 60


def test_a_borough_report_runs_a_fixed_number_of_queries(march, django_assert_num_queries):
    with django_assert_num_queries(QUERIES_PER_BOROUGH):
        before = borough_figures(march.borough, MARCH, now=APRIL)
    for day in range(1, 20):
        duty(march.pc3, march.ward_east, at(2026, 3, day, 18), at(2026, 3, day, 22),
             by=march.recorder)
    with django_assert_num_queries(QUERIES_PER_BOROUGH):
        after = borough_figures(march.borough, MARCH, now=APRIL)
    assert after["total"]["rostered_minutes"] == before["total"]["rostered_minutes"] + 19 * 240


def test_the_promises_and_victims_sections_join_the_report(figures):
    assert figures["promises"] == []  # no promises in the hand-built month
    assert figures["victims"]["borough"]["victims"] == 0
    assert figures["victims"]["wards"] == [] or all(
        w["victims"] == 0 for w in figures["victims"]["wards"]
    )


def test_every_abstraction_type_is_a_column_of_every_row(figures):
    for row in [*figures["wards"], *figures["teams"], figures["total"], figures["no_ward"]]:
        assert tuple(row["abstracted_by_type"]) == TYPES


def test_promises_add_two_queries_whatever_the_weeks(march, django_assert_num_queries):
    """With promises: their linked activities over the month and its weeks (1) and the places
    of visit promises (1), on top of the report's fixed count; a monthly, a weekly and a visit
    promise in every ward cost no more."""
    from tests.promises.factories import (
        CustomPromiseFactory,
        PatrolPromiseFactory,
        PromiseFactory,
        VisitPromiseFactory,
    )

    for ward in march.borough.wards.all():
        for factory in (PromiseFactory, CustomPromiseFactory, PatrolPromiseFactory,
                        VisitPromiseFactory):
            factory(ward=ward)
    with django_assert_num_queries(QUERIES_PER_BOROUGH + 2):
        figures = borough_figures(march.borough, MARCH, now=APRIL)
    assert {p["ward"] for p in figures["promises"]} == {
        w.name for w in march.borough.wards.all()
    }
