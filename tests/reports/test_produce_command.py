"""`manage.py produce_reports`: every borough's report and the roll-up, once."""

import io

import pytest
from django.core.management import CommandError, call_command

from reports.models import MonthlyReport

pytestmark = pytest.mark.django_db


def test_it_produces_each_borough_and_the_rollup_once(borough_a, borough_b):
    out = io.StringIO()
    call_command("produce_reports", "--month", "2026-03", stdout=out)
    assert "3 produced" in out.getvalue()
    reports = MonthlyReport.objects.filter(month="2026-03-01")
    assert reports.count() == 3
    assert set(reports.values_list("status", flat=True)) == {MonthlyReport.Status.READY}
    call_command("produce_reports", "--month", "2026-03", stdout=io.StringIO())
    assert reports.count() == 3


def test_a_bad_month_is_refused(db):
    with pytest.raises(CommandError, match="Enter the month as a month and year"):
        call_command("produce_reports", "--month", "March")


@pytest.mark.parametrize(
    "month, message",
    [("2099-01", "a month that has begun"), ("1999-12", "1 January 2000"), ("0001-01", "2000")],
)
def test_the_command_keeps_the_month_rules_of_the_page_and_api(db, borough_a, month, message):
    with pytest.raises(CommandError, match=message):
        call_command("produce_reports", "--month", month)
    assert not MonthlyReport.objects.exists()
