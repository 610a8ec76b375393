"""The Victims' Code deadlines for the visit offer: working days, English bank holidays."""

import datetime

import pytest

from config.timeutils import add_working_days, bank_holidays, easter_sunday, is_working_day
from tests.victims.conftest import at
from victims.services import offer_due_date

D = datetime.date


@pytest.mark.parametrize(
    "year, easter",
    [
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2038, D(2038, 4, 25)),
    ],
)
def test_easter_sunday_is_computed(year, easter):
    assert easter_sunday(year) == easter


def test_bank_holidays_2026_are_the_eight_published_days():
    assert sorted(bank_holidays(2026)) == [
        D(2026, 1, 1),
        D(2026, 4, 3),
        D(2026, 4, 6),
        D(2026, 5, 4),
        D(2026, 5, 25),
        D(2026, 8, 31),
        D(2026, 12, 25),
        D(2026, 12, 28),
    ]


def test_christmas_on_a_weekend_gives_substitute_days():
    # 2021: Christmas Saturday, Boxing Day Sunday -> Monday 27 and Tuesday 28.
    assert {D(2021, 12, 27), D(2021, 12, 28)} <= bank_holidays(2021)
    # 2022: Christmas Sunday -> Boxing Day Monday 26, substitute Christmas Tuesday 27.
    assert {D(2022, 12, 26), D(2022, 12, 27)} <= bank_holidays(2022)
    # New Year's Day 2022 was a Saturday -> Monday 3 January.
    assert D(2022, 1, 3) in bank_holidays(2022)


def test_one_off_bank_holidays_are_known():
    assert D(2022, 9, 19) in bank_holidays(2022)  # State funeral
    assert D(2023, 5, 8) in bank_holidays(2023)  # Coronation
    assert D(2020, 5, 8) in bank_holidays(2020) and D(2020, 5, 4) not in bank_holidays(2020)


def test_weekends_and_bank_holidays_are_not_working_days():
    assert not is_working_day(D(2026, 4, 4))  # Saturday
    assert not is_working_day(D(2026, 4, 3))  # Good Friday
    assert is_working_day(D(2026, 4, 7))


def test_a_friday_report_is_due_monday_or_tuesday():
    assert add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)
    assert add_working_days(D(2026, 3, 6), 2) == D(2026, 3, 10)


def test_reported_thursday_before_good_friday_skips_the_easter_weekend():
    thursday = at(2026, 4, 2, 16, 30)
    assert offer_due_date(thursday, enhanced=True) == D(2026, 4, 7)  # Tuesday after Easter
    assert offer_due_date(thursday, enhanced=False) == D(2026, 4, 8)


def test_a_saturday_report_counts_from_monday():
    assert offer_due_date(at(2026, 3, 7), enhanced=True) == D(2026, 3, 9)


def test_a_report_late_in_the_evening_counts_in_london_time():
    # 23:30 BST on Thursday 2 April is 22:30 UTC: still Thursday in London.
    late = datetime.datetime(2026, 4, 2, 22, 30, tzinfo=datetime.UTC)
    assert offer_due_date(late, enhanced=True) == D(2026, 4, 7)


def test_christmas_report_is_due_after_the_holidays():
    # Thursday 24 December 2026: 25 (Fri) and 28 (Mon, Boxing Day substitute) are holidays.
    assert offer_due_date(at(2026, 12, 24), enhanced=False) == D(2026, 12, 30)


def test_deadlines_follow_settings(settings):
    settings.VICTIM_OFFER_DEADLINE_WORKING_DAYS_OTHER = 5
    assert offer_due_date(at(2026, 3, 2), enhanced=False) == D(2026, 3, 9)
