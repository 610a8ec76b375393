"""Every demand figure against a hand computation, through the imports and the API:

borough_a (Camden) has ward_a (Haverstock, 10,000 residents) and ward_a2 (5,000 residents);
borough_b (Westminster) has ward_b. Fake LSOAs map one to one onto them.

March 2025 (police.uk):
  ward_a:  3 burglary (1 "On or near Supermarket"), 1 drugs at "On or near Supermarket",
           2 anti-social behaviour          -> crimes 4, ASB 2
  ward_a2: 4 burglary, 1 shoplifting        -> crimes 5, ASB 0
  ward_b:  1 burglary                       -> not seen by borough_a's users
March 2024 (police.uk, burglary only):
  ward_a:  2 burglary; ward_a2: 5 burglary
CAD, March 2025: ward_a 2 calls (1 ASB), ward_a2 1 call.

Rates per 1,000: ward_a 4 / 10,000 x 1,000 = 0.4; ward_a2 5 / 5,000 x 1,000 = 1.0.
Ranks in borough_a: ward_a2 (5) first, ward_a (4) second.
Change on a year before: every category, no (March 2024 has no drugs or shoplifting data);
burglary only: ward_a (3 - 2) / 2 = +0.5, ward_a2 (4 - 5) / 5 = -0.2.
Business crime (shoplifting anywhere + every crime at a shop): ward_a 2 (burglary and drugs at
the supermarket), ward_a2 1.
"""

import pytest

from demand.models import Lsoa, WardPopulation
from tests import factories as f
from tests.conftest import results
from tests.demand.conftest import crime_file, crime_row, run_cad, run_police_uk

pytestmark = pytest.mark.django_db
SHOP = "On or near Supermarket"


@pytest.fixture
def demand(borough_a, ward_a, ward_b):
    ward_a2 = f.WardFactory(code="E05013661", name="Highgate", borough=borough_a)
    for n, ward in enumerate([ward_a, ward_a2, ward_b]):
        for vintage in (2011, 2021):
            Lsoa.objects.create(
                vintage=vintage,
                code=f"E0190000{n}",
                name=ward.name,
                ward_code=ward.code,
                borough_code=ward.borough.code,
            )
    WardPopulation.objects.create(ward=ward_a, residents=10_000)
    WardPopulation.objects.create(ward=ward_a2, residents=5_000)

    def rows(month, lsoa, n, crime_type="Burglary", location="On or near A Street"):
        return [
            crime_row(
                crime_id=f"{month}{lsoa}{crime_type}{location}{i}",
                month=month,
                lsoa=lsoa,
                crime_type=crime_type,
                location=location,
            )
            for i in range(n)
        ]

    march_2025 = (
        rows("2025-03", "E01900000", 2)
        + rows("2025-03", "E01900000", 1, location=SHOP)
        + rows("2025-03", "E01900000", 1, "Drugs", SHOP)
        + [
            crime_row(
                crime_id="", month="2025-03", lsoa="E01900000", crime_type="Anti-social behaviour"
            )
        ]
        * 2
        + rows("2025-03", "E01900001", 4)
        + rows("2025-03", "E01900001", 1, "Shoplifting")
        + rows("2025-03", "E01900002", 1)
    )
    assert run_police_uk(crime_file(march_2025)).imported == 12
    march_2024 = rows("2024-03", "E01900000", 2) + rows("2024-03", "E01900001", 5)
    assert run_police_uk(crime_file(march_2024)).imported == 7
    cad = (
        "reference,received_at,ward_code,type,grade\n"
        f"A1,2025-03-03T10:00:00,{ward_a.code},asb,S\n"
        f"A2,2025-03-04T10:00:00,{ward_a.code},other,I\n"
        f"A3,2025-03-05T10:00:00,{ward_a2.code},other,E\n"
        f"B1,2025-03-05T10:00:00,{ward_b.code},other,E\n"
    )
    assert run_cad(cad.encode()).imported == 4
    return ward_a2


def _by_ward(response):
    return {row["ward"]: row for row in results(response)}


MARCH = "month_from=2025-03&month_to=2025-03"


def test_each_ward_figure_matches_the_hand_computation(client_of, demand, ward_a):
    rows = _by_ward(client_of("inspector_a").get(f"/api/v1/demand/wards/?{MARCH}"))
    assert set(rows) == {"E05013660", "E05013661"}  # not Westminster's
    a, a2 = rows["E05013660"], rows["E05013661"]
    assert (a["crimes"], a["asb"], a["cad_calls"], a["cad_asb_calls"]) == (4, 2, 2, 1)
    assert (a2["crimes"], a2["asb"], a2["cad_calls"]) == (5, 0, 1)
    assert a["crimes_per_1000"] == pytest.approx(0.4) and a2["crimes_per_1000"] == pytest.approx(
        1.0
    )
    assert a["asb_per_1000"] == pytest.approx(0.2)
    assert (a2["rank_in_borough"], a["rank_in_borough"]) == (1, 2)
    assert a["change"] is None and a["crimes_year_before"] is None  # drugs, shoplifting: no 2024


def test_a_category_narrows_crimes_and_allows_the_comparison(client_of, demand):
    rows = _by_ward(
        client_of("inspector_a").get(f"/api/v1/demand/wards/?{MARCH}&category=burglary")
    )
    a, a2 = rows["E05013660"], rows["E05013661"]
    assert (a["crimes"], a["asb"], a["crimes_year_before"]) == (3, 2, 2)
    assert a["change"] == pytest.approx(0.5) and a2["change"] == pytest.approx(-0.2)
    group = _by_ward(
        client_of("inspector_a").get(
            f"/api/v1/demand/wards/?{MARCH}&category=burglary&category=shoplifting"
        )
    )
    assert group["E05013661"]["crimes"] == 5


def test_a_theme_counts_its_categories_and_crimes_at_its_locations(client_of, demand):
    rows = _by_ward(client_of("hq").get(f"/api/v1/demand/wards/?{MARCH}&theme=business-crime"))
    assert rows["E05013660"]["crimes"] == 2 and rows["E05013661"]["crimes"] == 1
    assert rows["E05013806"]["crimes"] == 0


def test_the_map_has_the_same_numbers_as_the_list(client_of, demand):
    client = client_of("hq")
    listed = _by_ward(client.get(f"/api/v1/demand/wards/?{MARCH}&borough=E09000007"))
    geo = client.get(f"/api/v1/demand/map/?{MARCH}&borough=E09000007").json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2
    for feature in geo["features"]:
        row = listed[feature["properties"]["ward"]]
        assert feature["geometry"]["type"] == "MultiPolygon"
        assert feature["properties"]["count"] == row["crimes"]
        assert feature["properties"]["cad_calls"] == row["cad_calls"]


def test_points_are_police_uk_points_as_given_with_counts(client_of, demand, ward_a):
    body = client_of("inspector_a").get(f"/api/v1/demand/points/?ward={ward_a.code}&{MARCH}").json()
    assert body["total"] == 4  # crimes, not ASB
    counts = {
        (*p["geometry"]["coordinates"], p["properties"]["location"]): p["properties"]["count"]
        for p in body["features"]
    }
    assert counts == {(-0.15, 51.55, "On or near A Street"): 2, (-0.15, 51.55, SHOP): 2}
    assert "victim" not in str(body).lower()


def test_the_default_range_is_the_latest_12_months_with_data(client_of, demand):
    body = client_of("hq").get("/api/v1/demand/wards/").json()
    assert (body["month_from"], body["month_to"]) == ("2024-04", "2025-03")
    assert (body["calls_month_from"], body["calls_month_to"]) == ("2024-04", "2025-03")


def test_target_progress_against_the_baseline(demand):
    from demand.models import Category, ReductionTarget
    from demand.selectors import target_progress

    ReductionTarget.objects.update(active=False)
    target = ReductionTarget.objects.create(
        name="Burglary down",
        baseline_from="2024-03-01",
        reduction_percent=20,
        target_month="2025-03-01",
    )
    target.categories.set(Category.objects.filter(slug="burglary"))
    (progress,) = target_progress()
    # baseline: 12 months from March 2024: 2 + 5 = 7 (only March has data);
    # latest 12 months up to March 2025 after the baseline: April 2025 back... March 2025 only.
    assert (progress.baseline, progress.baseline_months) == (7, 1)
    assert (progress.current, progress.current_months) == (8, 1)
    assert progress.change is None and progress.goal == pytest.approx(5.6)


def test_the_report_section_is_the_latest_month_with_data_labelled_so(demand, ward_a):
    import datetime

    from demand.selectors import report_section

    section = report_section([ward_a.pk, demand.pk], datetime.date(2025, 6, 1))
    assert (section["month"], section["label"]) == ("2025-03", "March 2025")
    assert [
        (w["ward"], w["crimes"], w["asb"], w["cad_calls"], w["rank"]) for w in section["wards"]
    ] == [("Highgate", 5, 0, 1, 1), ("Haverstock", 4, 2, 2, 2)]
    assert section["totals"] == {"crimes": 9, "asb": 2, "cad_calls": 3, "change": None}
    assert report_section([ward_a.pk], datetime.date(2024, 2, 1)) is None


def test_a_day_s_calls_by_ward_in_london_time(demand, ward_a):
    import datetime

    from demand.selectors import calls_on

    assert calls_on([ward_a.pk, demand.pk], datetime.date(2025, 3, 3)) == [
        {"ward": "Haverstock", "code": "E05013660", "calls": 1, "asb": 1}
    ]
    assert calls_on([ward_a.pk], datetime.date(2025, 3, 6)) == []
