"""The promises and demand sections of a borough report against bench/same_figures.sql, the
statement hand-written from the README's definitions (no application code): on a hand-built
month, each figure as the definition gives it, and both sides the same."""

import datetime

import pytest

from bench.reports import borough_checked, same_figures
from demand.models import Lsoa
from reports.figures import borough_figures
from tests import factories as f
from tests.demand.conftest import crime_file, crime_row, run_cad, run_police_uk
from tests.promises.factories import ActivityFactory, PromiseFactory, at
from tests.promises.test_report_section import _month_built
from wards.models import Place

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2025, 3, 1)
MAY = datetime.date(2025, 5, 1)


def test_promises_met_missed_and_never_visited_agree_with_the_hand_sql(ward_a):
    wards = [ward_a, f.WardFactory(borough=ward_a.borough), f.WardFactory(borough=ward_a.borough)]
    _month_built(wards)
    # Monthly, running from the 17th: its target of 2 cut to 15 of 31 days is 1, which it met.
    late = PromiseFactory(ward=ward_a, title="Late start", target=2,
                          start=datetime.date(2025, 3, 17))
    ActivityFactory(ward=ward_a, starts_at=at("2025-03-20"), promises=[late])
    # Places known before the month; one added after its end is not to be visited in it.
    Place.objects.update(created_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    f.PlaceFactory(ward=ward_a, kind="secondary_school", name="Cedar 0")
    Place.objects.filter(name="Cedar 0").update(
        created_at=datetime.datetime(2025, 4, 2, tzinfo=datetime.UTC))

    figures = borough_figures(ward_a.borough, MARCH)

    ours = borough_checked(figures)
    # tests/promises/test_report_section.py says which of the 12 are met; "Late start" is met
    assert ours["promises"] == {"met": 7, "missed": 6, "never_visited": 3}
    assert ours == same_figures(MARCH)[ward_a.borough.code]


@pytest.fixture
def demand_months(borough_a, ward_a):
    """Two wards with police.uk data for March 2024 and March 2025, and CAD calls (London
    time) in March and April 2025."""
    highgate = f.WardFactory(code="E05013661", name="Highgate", borough=borough_a)
    for n, ward in enumerate([ward_a, highgate]):
        for vintage in (2011, 2021):
            Lsoa.objects.create(vintage=vintage, code=f"E0190000{n}", name=ward.name,
                                ward_code=ward.code, borough_code=borough_a.code)
    rows = [crime_row(crime_id="old", month="2024-03", lsoa="E01900001")]
    rows += [crime_row(crime_id=f"h{i}", month="2025-03", lsoa="E01900001") for i in range(3)]
    rows.append(crime_row(crime_id="a", month="2025-03", lsoa="E01900000"))
    rows.append(crime_row(crime_id="", month="2025-03", lsoa="E01900000",
                          crime_type="Anti-social behaviour"))
    run_police_uk(crime_file(rows))
    run_cad(
        b"reference,received_at,ward_code,type,grade\n"
        + f"C1,2025-03-03T08:00:00,{ward_a.code},asb,S\n".encode()
        + f"C2,2025-04-01T00:30:00,{ward_a.code},other,I\n".encode()  # April: not counted
        + b"C3,2025-03-12T10:00:00,E05013661,other,I\n"
    )
    return highgate


def test_demand_totals_and_change_agree_with_the_hand_sql(demand_months, borough_a):
    figures = borough_figures(borough_a, MAY)

    ours = borough_checked(figures)
    # The latest police.uk month by May: March. 4 crimes against 1 a year before: +300%.
    assert ours["demand"] == {"month": "2025-03", "crimes": 4, "asb": 1, "cad_calls": 2,
                              "change": 3.0}
    assert ours == same_figures(MAY)[borough_a.code]


def test_no_police_uk_month_no_demand_on_either_side(borough_a, ward_a):
    assert borough_checked(borough_figures(borough_a, MAY))["demand"] is None
    assert same_figures(MAY)[borough_a.code]["demand"] is None
