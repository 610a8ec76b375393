"""Where demand shows beyond its own pages: the ward page (next to its priorities), the borough
page (its wards ranked), the monthly report (the latest month with data, labelled) and Grip and
Pace (yesterday's calls by ward)."""

import datetime

import pytest
import time_machine

from demand.models import Lsoa
from reports.figures import borough_figures
from tests import factories as f
from tests.demand.conftest import crime_file, crime_row, run_cad, run_police_uk

pytestmark = pytest.mark.django_db


@pytest.fixture
def camden(borough_a, ward_a):
    highgate = f.WardFactory(code="E05013661", name="Highgate", borough=borough_a)
    for n, ward in enumerate([ward_a, highgate]):
        for vintage in (2011, 2021):
            Lsoa.objects.create(
                vintage=vintage,
                code=f"E0190000{n}",
                name=ward.name,
                ward_code=ward.code,
                borough_code=borough_a.code,
            )
    rows = [crime_row(crime_id=f"h{i}", month="2025-03", lsoa="E01900001") for i in range(3)]
    rows.append(crime_row(crime_id="a", month="2025-03", lsoa="E01900000"))
    run_police_uk(crime_file(rows))
    return highgate


def test_the_ward_page_shows_its_demand_next_to_its_priorities(client, staff_a, camden, ward_a):
    client.force_login(staff_a)
    html = client.get(ward_a.get_absolute_url()).content.decode()
    assert "Promises and priorities" in html and '<h2 class="govuk-heading-m">Demand</h2>' in html
    assert html.index("Promises and priorities") < html.index(">Demand</h2>")
    assert "2 of 2 by crimes" in html  # Haverstock: 1 crime, Highgate 3


def test_the_borough_page_ranks_its_wards(client, staff_a, camden, borough_a):
    client.force_login(staff_a)
    html = client.get(borough_a.get_absolute_url()).content.decode()
    panel = html[html.index("Demand: wards ranked by crime") :]
    assert panel.index("Highgate") < panel.index("Haverstock")


def test_the_monthly_report_has_the_latest_demand_month_labelled(camden, borough_a):
    figures = borough_figures(borough_a, datetime.date(2025, 5, 1))
    assert figures["demand"]["label"] == "March 2025"
    assert [(w["ward"], w["crimes"], w["rank"]) for w in figures["demand"]["wards"]] == [
        ("Highgate", 3, 1),
        ("Haverstock", 1, 2),
    ]


@time_machine.travel(datetime.datetime(2025, 3, 4, 9, 0, tzinfo=datetime.UTC))
def test_grip_and_pace_shows_yesterday_s_calls_by_ward(client, inspector_a, camden, ward_a):
    run_cad(
        b"reference,received_at,ward_code,type,grade\n"
        b"Y1,2025-03-03T08:00:00,E05013660,asb,S\n"
        b"Y2,2025-03-03T23:30:00,E05013660,other,I\n"
        b"T1,2025-03-04T00:30:00,E05013660,other,I\n"
    )  # today: not yesterday
    client.force_login(inspector_a)
    response = client.get(f"/boroughs/{ward_a.borough.code}/grip-and-pace/")
    assert response.status_code == 200
    assert response.context["calls"] == [
        {"ward": "Haverstock", "code": "E05013660", "calls": 2, "asb": 1}
    ]
    assert "Yesterday's calls by ward (Monday 3 March)" in response.content.decode()
