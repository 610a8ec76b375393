"""The independent recomputation (tests.reports.oracle) on the edge months: the autumn clock
change (25 October 2026, 02:00 BST → 01:00 GMT: a 25-hour London day), hand-built and generated,
and months the product must refuse (year 9999, year 1) on every entry point that asks for one.
The year's end, the spring change, an empty ward and a ward with no team are in
test_independent_recomputation (the same cast: Kilburn has a team and nobody posted, Belsize and
Barnsbury have no team)."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, seed, settings

from deployment.models import FlexStatus, FlexTransition
from reports.models import MonthlyReport
from tests.conftest import api_client_for
from tests.reports.conftest import flex
from tests.reports.oracle import at_minute
from tests.reports.test_independent_recomputation import build, winter_spec
from tests.reports.winter import _m, assert_every_figure, record_abstraction, record_duty

pytestmark = pytest.mark.django_db

AUTUMN = (datetime.date(2026, 10, 1), datetime.date(2026, 11, 1))


def test_a_night_over_the_autumn_change(winter, borough_a, commander_a, hq):
    """PC1's night, 24 October 22:00 BST → 25 October 06:00 GMT, flexed to Kilburn: 9 real hours,
    540 minutes. A one-day authorised flex to Kilburn names PC1 from 01:00 to 05:00 on the 25th:
    01:00 happens twice and is read as GMT (deployment.commitments), so its window is 4 real
    hours: 240 authorised, 300 unauthorised. PC2 is abstracted 00:30 BST → 04:00 GMT (3.5
    wall-clock hours, 4.5 real: taken from cover), PC1 is held 4 hours by the flex: Haverstock
    keeps the mover and PCSO1, one PC: below cover on the 25th, and on no other day."""
    winter["moved_on"] = datetime.date.max
    pc1, pc2, *_rest = winter["officers"]
    haverstock, kilburn, _belsize = winter["wards"][borough_a.pk]
    one_day = flex(borough_a, kilburn, [(pc1, haverstock)], datetime.date(2026, 10, 25),
                   datetime.date(2026, 10, 25), by=winter["by"], status=FlexStatus.ENDED,
                   daily_start=datetime.time(1), daily_end=datetime.time(5))
    step = FlexTransition.objects.create(flex_request=one_day, from_status="submitted",
                                         to_status="approved", by=hq)
    FlexTransition.objects.filter(pk=step.pk).update(at=at_minute(_m(2026, 10, 20, 9)))
    record_duty(winter, pc1, _m(2026, 10, 24, 22), _m(2026, 10, 25, 6),
                flexed_to=lambda _b: kilburn)
    record_abstraction(winter, pc2, _m(2026, 10, 25, 0, 30), _m(2026, 10, 25, 4))
    found = assert_every_figure(winter, commander_a, hq, months=AUTUMN)
    october = found[AUTUMN[0]]["wards"]
    assert {k: october[haverstock.pk][k] for k in (
        "rostered_minutes", "flexed_out_minutes", "authorised_flex_minutes",
        "unauthorised_flex_minutes", "abstracted_outside_duty_minutes",
        "cover_below_minimum_days", "posted_strength_below_minimum_days")} == {
        "rostered_minutes": 540, "flexed_out_minutes": 540, "authorised_flex_minutes": 240,
        "unauthorised_flex_minutes": 300, "abstracted_outside_duty_minutes": 270,
        "cover_below_minimum_days": 1, "posted_strength_below_minimum_days": 0,
    }
    assert october[kilburn.pk]["flexed_in_minutes"] == 540


@seed(20261025)
@settings(max_examples=3, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=winter_spec)
def test_generated_autumns_across_the_clock_change(spec, winter, commander_a, hq):
    """The cast's generated records in October and November 2026, across 25 October."""
    with transaction.atomic():
        build(winter, spec, AUTUMN)
        assert_every_figure(winter, commander_a, hq, surfaces=False, months=AUTUMN)
        transaction.set_rollback(True)


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13"])
def test_a_month_out_of_range_is_refused_everywhere(month, client, hq, borough_a):
    """Year 9999 (not begun), year 1 (before records) and a month that does not exist: the
    report page and the API refuse them with the month's error and produce nothing; the
    performance API answers 400, its page shows the last whole month and says why."""
    client.force_login(hq)
    page = client.post(reverse("reports:generate"), {"borough": borough_a.code, "month": month})
    assert page.status_code == 400 and "govuk-error-message" in page.content.decode()
    api = api_client_for(hq)
    response = api.post("/api/v1/reports/generate/",
                        {"borough": borough_a.code, "month": month}, format="json")
    assert response.status_code == 400 and "month" in response.json()
    assert not MonthlyReport.objects.exists()
    assert api.get(f"/api/v1/performance/?borough={borough_a.code}&month={month}"
                   ).status_code == 400
    url = reverse("reports:performance_borough", args=[borough_a.code])
    shown = client.get(url + f"?month={month}")
    assert shown.status_code == 200 and "govuk-error-summary" in shown.content.decode()
