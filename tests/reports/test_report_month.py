"""The report month as people type it: select one of the last twelve or type "November 2026",
"Nov 2026", "2026-11" or "11/2026"; anything else is an inline GOV.UK error that keeps what was
typed, never a silently cleared field."""

import datetime

import pytest
from django.urls import reverse

from config.parsers import parse_month_text
from reports.models import MonthlyReport

pytestmark = pytest.mark.django_db
NOV = datetime.date(2026, 11, 1)


@pytest.mark.parametrize(
    "typed", ["November 2026", "november  2026", "Nov 2026", "Nov. 2026", "2026-11", "11/2026",
              "11-2026", "2026/11"],
)
def test_a_month_as_people_write_it(typed):
    assert parse_month_text(typed) == NOV


@pytest.mark.parametrize("typed", ["Novembre 2026", "13/2026", "2026-00", "March", "11/26", ""])
def test_anything_else_says_how_to_write_one(typed):
    with pytest.raises(ValueError, match="Enter the month as a month and year"):
        parse_month_text(typed)


def test_a_month_that_cannot_be_read_is_said_inline_and_kept(client, commander_a, borough_a):
    client.force_login(commander_a)
    response = client.post(reverse("reports:generate"),
                           {"borough": borough_a.code, "month": "Novembre 2026"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and 'href="#generate-month"' in page
    assert 'id="generate-month-error"' in page
    assert 'value="Novembre 2026"' in page
    assert not MonthlyReport.objects.exists()


def test_the_month_box_offers_the_last_twelve_months(client, commander_a, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 30, 12), tick=False)
    client.force_login(commander_a)
    page = client.get(reverse("reports:list")).content.decode()
    assert 'list="month-choices"' in page
    assert '<option value="November 2026">' in page and '<option value="December 2025">' in page


def test_the_list_filter_reads_a_typed_month_or_says_it_cannot(client, commander_a):
    client.force_login(commander_a)
    assert client.get(reverse("reports:list"), {"month": "Nov 2026"}).status_code == 200
    page = client.get(reverse("reports:list"), {"month": "Smarch"}).content.decode()
    assert "Enter the month as a month and year" in page
    assert 'value="Smarch"' in page
