"""The report's figures equal the hand-worked month in tests/reports/conftest.py."""

import datetime

import pytest

from reports.figures import QUERIES_PER_BOROUGH, borough_figures
from tests.reports.conftest import MARCH, at, duty

APRIL_1 = datetime.date(2026, 4, 1)


@pytest.fixture
def figures(march):
    return borough_figures(march.borough, MARCH, today=APRIL_1)


def by_ward(figures, name):
    return next(r for r in figures["wards"] if r["ward"] == name)


def test_a_ward_counts_only_the_part_of_a_night_inside_the_month_and_real_hours(figures):
    ward = by_ward(figures, "Haverstock")
    assert ward["rostered_hours"] == 36.5
    assert ward["home_ward_hours"] == 13.0
    assert ward["abstracted_hours"] == 7.5
    assert ward["abstracted_by_type"]["central-aid"] == 4.0
    assert ward["abstracted_by_type"]["court"] == 3.5
    assert sum(ward["abstracted_by_type"].values()) == 7.5
    assert ward["flexed_out_hours"] == 16.0
    assert ward["flexed_in_hours"] == 0
    assert ward["unauthorised_flex_hours"] == 8.0
    assert ward["abstraction_rate"] == round(7.5 / 36.5, 4)
    assert ward["above_target"] is True
    # Cover below minimum: PC1 is held by the approved flex (08:00-16:00) 1-28 March and
    # abstracted 4 h on 31 March; the 3.5 h court hearing on 12 March does not take PC2.
    assert ward["cover_gap_days"] == 29
    assert ward["duties"] == 6


def test_the_receiving_ward_shows_hours_flexed_in(figures):
    ward = by_ward(figures, "Highgate")
    assert ward["rostered_hours"] == 8.0
    assert ward["home_ward_hours"] == 8.0
    assert ward["abstracted_hours"] == 0
    assert ward["flexed_in_hours"] == 16.0
    assert ward["abstraction_rate"] == 0
    assert ward["above_target"] is False
    assert ward["cover_gap_days"] == 31


def test_totals_and_teams(figures):
    total = figures["total"]
    assert total["rostered_hours"] == 44.5
    assert total["home_ward_hours"] == 21.0
    assert total["abstracted_hours"] == 7.5
    assert total["unauthorised_flex_hours"] == 8.0
    assert total["abstraction_rate"] == round(7.5 / 44.5, 4)
    assert total["cover_gap_days"] == 60
    assert {t["code"]: t["hours"] for t in figures["by_type"] if t["hours"]} == {
        "central-aid": 4.0, "court": 3.5,
    }
    assert figures["target"] == 0.05
    teams = {t["team"]: t for t in figures["teams"]}
    assert set(teams) == {"Haverstock SNT", "Highgate SNT"}
    assert teams["Haverstock SNT"]["rostered_hours"] == 36.5
    assert teams["Highgate SNT"]["flexed_in_hours"] == 16.0


def test_authorised_unauthorised_refused_and_overdue_flex(figures):
    flex = figures["flex"]
    assert flex["authorised"] == {"requests": 2, "officers": 2, "officer_hours": 8.0}
    assert flex["flows"] == [
        {"from_ward": "Haverstock", "to_ward": "Highgate", "officers": 2, "hours": 8.0}
    ]
    assert sorted(r["problem"] for r in flex["requests"]) == ["Burglary series", "Car crime"]
    assert flex["unauthorised"] == {
        "hours": 8.0,
        "flows": [{"from_ward": "Haverstock", "to_ward": "Highgate", "hours": 8.0}],
    }
    assert [(r["to_ward"], r["review_due"], r["reviewed_on"]) for r in flex["overdue_reviews"]] \
        == [("Highgate", "2026-03-15", None)]
    assert [(r["reason"], r["decided_on"]) for r in flex["refused"]] == [
        ("Not intelligence-led", "2026-03-05")
    ]


def test_wards_below_cover(figures):
    assert figures["cover"]["ward_days"] == 60
    assert [(w["ward"], w["days"]) for w in figures["cover"]["wards"]] == [
        ("Highgate", 31), ("Haverstock", 29),
    ]
    haverstock = figures["cover"]["wards"][1]
    assert haverstock["dates"][-2:] == ["2026-03-28", "2026-03-31"]


def test_change_against_the_previous_month_and_a_year_before(figures):
    previous = figures["comparison"]["previous_month"]
    assert previous["month"] == "2026-02"
    assert previous["rostered_hours"] == 12.0
    assert previous["rostered_hours_change"] == 32.5
    assert previous["abstraction_rate"] == 0
    assert previous["abstraction_rate_change"] == round(7.5 / 44.5, 4)
    year = figures["comparison"]["year_before"]
    assert year["month"] == "2025-03"
    assert year["rostered_hours"] == 6.0
    assert year["rostered_hours_change"] == 38.5
    assert previous["has_data"] and year["has_data"]
    trend = figures["trend"]
    assert len(trend) == 13
    assert trend[-1]["rostered_hours"] == 44.5
    assert trend[-1]["abstracted_hours"] == 7.5
    assert trend[-1]["flexed_hours"] == 16.0
    assert trend[-1]["unauthorised_flex_hours"] == 8.0
    assert [t["rostered_hours"] for t in trend[1:-2]] == [0] * 10


def test_the_autumn_clock_change_counts_a_25_hour_day(borough_a, team_a, ward_a, staff_a):
    """25 October 2026: clocks go back at 02:00 BST. A 22:00 → 06:00 night is 9 real hours;
    a shift over the October/November boundary is split at London midnight (GMT by then)."""
    officer = f_officer(team_a)
    duty(officer, ward_a, at(2026, 10, 24, 22), at(2026, 10, 25, 6), by=staff_a)
    duty(officer, ward_a, at(2026, 10, 31, 21), at(2026, 11, 1, 5), by=staff_a)
    october = borough_figures(borough_a, datetime.date(2026, 10, 1), today=APRIL_1)
    november = borough_figures(borough_a, datetime.date(2026, 11, 1), today=APRIL_1)
    assert october["total"]["rostered_hours"] == 9.0 + 3.0
    assert november["total"]["rostered_hours"] == 5.0


def f_officer(team):
    from teams.models import Rank
    from tests.reports.conftest import dedicated

    return dedicated(team, Rank.PC)


def test_a_borough_report_runs_a_fixed_number_of_queries(
    march, django_assert_num_queries
):
    with django_assert_num_queries(QUERIES_PER_BOROUGH):
        before = borough_figures(march.borough, MARCH, today=APRIL_1)
    for day in range(1, 20):
        duty(march.pc3, march.ward_east, at(2026, 3, day, 18), at(2026, 3, day, 22),
             by=march.recorder)
    with django_assert_num_queries(QUERIES_PER_BOROUGH):
        after = borough_figures(march.borough, MARCH, today=APRIL_1)
    assert after["total"]["rostered_hours"] == before["total"]["rostered_hours"] + 19 * 4


def test_the_promises_and_victims_sections_join_the_report(figures):
    assert figures["promises"] == []  # no promises in the hand-built month
    assert figures["victims"]["borough"]["victims"] == 0
    assert figures["victims"]["wards"] == [] or all(
        w["victims"] == 0 for w in figures["victims"]["wards"]
    )
