"""The SN performance framework: each measure against literals worked out by hand on a hand-built
March 2026 (tests/reports/performance_data.py), the rating rule at its edges, grey where data is
missing, each level, the API, the report's section, commentary, bands and the survey import.

Camden in March 2026, by hand:
- crime 110 + 40 = 150 against 100 + 50 = 150 last March: a change of 0.00% (green at 0 or less);
- ASB 20 + 5 = 25 against 25 + 5 = 30: -16.67% (green);
- MOPAC: burglary 9 + 7 = 16 against the baseline's March (2024) 10 + 10 = 20 less 20%: a target
  of 16.0, so 0.00% above it (green);
- satisfaction: 4 scores recorded in March (London time), 3 of them 4 or 5: 75.00% (amber: at
  least 75, below 85);
- promises: 3 + 1 met of 4 + 1 due: 80.00% (amber);
- abstraction: 200 + 400 of 6,000 + 4,000 duty minutes: 6.00% (amber: above 5, at most 10);
- cover: 0 + 3 ward-days below minimum of 31 days × 2 wards: 4.84% (amber: at most 5).
Haverstock alone: crime +10.00% (red), ASB -20.00% (green), MOPAC 9 against 8.0: 12.50% (red),
satisfaction 2 of 3: 66.67% (red), promises 3 of 4: 75.00% (amber, at its limit), abstraction
200 / 6,000: 3.33% (green), cover 0 of 31: 0.00% (green)."""

import datetime
import io
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports.models import Commentary, ConfidenceResult, RatingBand
from reports.pdf import report_pdf
from reports.performance import bands
from reports.performance.areas import Area, area_for
from reports.performance.confidence import import_confidence
from reports.performance.figures import area_months, report_section
from reports.performance.models import Level
from tests.conftest import api_client_for
from tests.reports.performance_data import FEB, MARCH, build_march, ward_k_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward_k(borough_a):
    return ward_k_of(borough_a)


@pytest.fixture
def march(staff_a, borough_a, ward_a, ward_k):
    build_march(staff_a, borough_a, ward_a, ward_k)


def measures(area: Area, month=MARCH) -> dict:
    return {r.measure: r for r in area_months(area, month, n=1)[-1].results}


def borough_area(borough):
    return Area(Level.BOROUGH, borough.code, borough.name, (borough.pk,), borough=borough)


def shown(results) -> dict:
    return {m: (r.value, r.comparison, r.target, r.rated_value, r.rating)
            for m, r in results.items()}


# -- the rule ---------------------------------------------------------------------------------

@pytest.mark.parametrize("measure, value, expected", [
    ("crime", Fraction(0), "green"), ("crime", Fraction(1, 100), "amber"),
    ("crime", Fraction(5), "amber"), ("crime", Fraction(501, 100), "red"),
    ("crime", Fraction(-50), "green"),
    ("satisfaction", Fraction(85), "green"), ("satisfaction", Fraction(8499, 100), "amber"),
    ("satisfaction", Fraction(75), "amber"), ("satisfaction", Fraction(7499, 100), "red"),
    ("satisfaction", Fraction(100), "green"), ("satisfaction", Fraction(0), "red"),
    # A rounded 5.00 that is really 5.001 is above the limit: the exact value is rated.
    ("abstraction", Fraction(5001, 1000), "amber"),
    ("crime", None, "grey"), ("satisfaction", None, "grey"),
])
def test_the_rule_at_its_edges(measure, value, expected):
    band = RatingBand.objects.get(measure=measure)
    assert bands.rate(measure, value, band) == expected


def test_without_a_band_every_measure_is_grey_never_green():
    assert bands.rate("crime", Fraction(-100), None) == "grey"
    assert "no band is set" in bands.rule_text("crime", None)


def test_the_rule_is_written_with_the_band_s_limits():
    band = RatingBand.objects.get(measure="satisfaction")
    assert bands.rule_text("satisfaction", band) == (
        "Rated on the share of victims asked who scored their visit 4 or 5 of 5: green at 85% "
        "or more, amber at 75% or more, red below; grey without data.")


def test_a_band_with_green_on_the_worse_side_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    band = RatingBand.objects.get(measure="crime")
    band.green_limit = Decimal("10")  # worse than amber's 5 where lower is better
    with pytest.raises(IntegrityError), transaction.atomic():
        band.save()


# -- each level against the hand-worked literals ------------------------------------------------

def test_the_borough_s_march(march, borough_a):
    assert shown(measures(borough_area(borough_a))) == {
        "crime": ("150", "150", None, "0.00", "green"),
        "asb": ("25", "30", None, "-16.67", "green"),
        "mopac_crime": ("16", "20", "16.0", "0.00", "green"),
        "satisfaction": ("75.00", None, None, "75.00", "amber"),
        "confidence": (None, None, None, None, "grey"),
        "promises": ("80.00", None, None, "80.00", "amber"),
        "abstraction": ("6.00", None, "5.00", "6.00", "amber"),
        "cover": ("3 of 62 ward-days", None, None, "4.84", "amber"),
    }


def test_the_ward_s_march(march, ward_a, commander_a):
    results = measures(area_for(commander_a, Level.WARD, ward_a.code))
    assert shown(results) == {
        "crime": ("110", "100", None, "10.00", "red"),
        "asb": ("20", "25", None, "-20.00", "green"),
        "mopac_crime": ("9", "10", "8.0", "12.50", "red"),
        "satisfaction": ("66.67", None, None, "66.67", "red"),
        "confidence": (None, None, None, None, "grey"),
        "promises": ("75.00", None, None, "75.00", "amber"),
        "abstraction": ("3.33", None, "5.00", "3.33", "green"),
        "cover": ("0 of 31 ward-days", None, None, "0.00", "green"),
    }
    assert results["satisfaction"].detail == {"asked": 3, "satisfied": 2}


def test_a_month_without_data_is_grey_on_every_measure(march, borough_a):
    """February: police.uk not loaded, no report, no score, no survey."""
    results = measures(borough_area(borough_a), FEB)
    assert {m: r.rating for m, r in results.items()} == dict.fromkeys(results, "grey")
    assert results["crime"].note == "police.uk has not published this month yet."
    assert results["abstraction"].note == "No ready monthly report of the month."


def test_the_comparison_is_the_month_before_for_report_measures(march, borough_a, ward_a,
                                                                ward_k, staff_a):
    from tests.reports.performance_data import stored_report, ward_row

    stored_report(borough_a, FEB, [ward_row(ward_a, 1000, 100, 0), ward_row(ward_k, 0, 0, 0)],
                  [], days=28)
    results = measures(borough_area(borough_a))
    assert results["abstraction"].comparison == "10.00"
    assert results["promises"].comparison is None  # nothing due in February


def test_confidence_by_level(march, borough_a, borough_a2, ward_a, ward_k, commander_a):
    ConfidenceResult.objects.create(borough=borough_a, quarter=datetime.date(2026, 1, 1),
                                    share_confident=Decimal("82.5"), respondents=400)
    ConfidenceResult.objects.create(ward=ward_k, quarter=datetime.date(2026, 1, 1),
                                    share_confident=Decimal("60"), respondents=50)
    ward = measures(area_for(commander_a, Level.WARD, ward_a.code))["confidence"]
    assert (ward.value, ward.rating, ward.note) == (
        "82.50", "green", "The borough's survey result.")
    own = measures(area_for(commander_a, Level.WARD, ward_k.code))["confidence"]
    assert (own.value, own.rating) == ("60.00", "red")
    bcu = measures(area_for(commander_a, Level.BCU, "CN"))["confidence"]
    assert (bcu.value, bcu.rating, bcu.note) == (
        None, "grey", "1 of 2 boroughs have a survey result.")
    ConfidenceResult.objects.create(borough=borough_a2, quarter=datetime.date(2026, 1, 1),
                                    share_confident=Decimal("70"), respondents=100)
    # (82.5 × 400 + 70 × 100) / 500 = 80: green at its limit.
    bcu = measures(area_for(commander_a, Level.BCU, "CN"))["confidence"]
    assert (bcu.value, bcu.rating) == ("80.00", "green")


def test_a_bcu_without_every_borough_s_report_is_grey(march, borough_a2, commander_a):
    results = measures(area_for(commander_a, Level.BCU, "CN"))
    assert results["abstraction"].rating == "grey"
    assert results["abstraction"].note == "1 of 2 boroughs have no ready report of the month."
    assert results["crime"].value == "150"  # Islington has no crime loaded: nothing to add


def test_london_is_hq_s_and_sums_every_borough(march, hq, inspector_a, borough_b):
    from django.core.exceptions import PermissionDenied

    results = measures(area_for(hq, Level.LONDON))
    assert results["crime"].value == "150"
    assert results["abstraction"].rating == "grey"  # Borough B has no report
    with pytest.raises(PermissionDenied):
        area_for(inspector_a, Level.LONDON)


def test_queries_are_fixed_whatever_the_area_or_the_months(
    march, borough_a, hq, django_assert_num_queries
):
    # Bands, then: crime and ASB totals, months loaded, the MOPAC target and its categories,
    # its counts, satisfaction, confidence, the reports (their needed parts only).
    with django_assert_num_queries(9):
        area_months(borough_area(borough_a), MARCH)
    london = area_for(hq, Level.LONDON)
    with django_assert_num_queries(9):
        area_months(london, MARCH, n=24)


# -- the API -------------------------------------------------------------------------------------

def test_the_api_gives_each_measure_of_a_borough(march, commander_a):
    response = api_client_for(commander_a).get(
        "/api/v1/performance/", {"borough": "E09000007", "month": "2026-03"})
    assert response.status_code == 200
    body = response.json()
    assert (body["level"], body["code"], body["month"]) == ("borough", "E09000007", "2026-03")
    abstraction = next(m for m in body["measures"] if m["measure"] == "abstraction")
    assert abstraction | {"rule": ""} == {
        "measure": "abstraction", "label": "Abstraction rate", "value": "6.00",
        "unit": "% of duty minutes", "comparison": None, "comparison_label": "February 2026",
        "target": "5.00", "rated_value": "6.00", "rating": "amber", "rule": "",
        "note": "", "counts": {"abstracted_minutes": 600, "duty_minutes": 10000},
    }


@pytest.mark.parametrize("query, status", [
    ({"borough": "E09000001"}, 404),  # no such borough, or not the user's
    ({"ward": "E05013660", "borough": "E09000007"}, 400),
    ({}, 400),  # London is HQ's
    ({"borough": "E09000007", "month": "9999-01"}, 400),
    ({"borough": "E09000007", "month": "2026-13"}, 400),
    ({"borough": "E09000007", "month": "0001-01"}, 400),
    ({"bcu": "CN"}, 200),
    ({"ward": "E05013660", "month": "2026-03"}, 200),
])
def test_the_api_answers_by_the_rules(march, inspector_a, query, status):
    assert api_client_for(inspector_a).get("/api/v1/performance/", query).status_code == status


def test_an_outsider_gets_404_and_hq_gets_london(march, inspector_b, hq):
    outsider = api_client_for(inspector_b).get("/api/v1/performance/", {"borough": "E09000007"})
    assert outsider.status_code == 404
    london = api_client_for(hq).get("/api/v1/performance/", {"month": "2026-03"})
    assert (london.status_code, london.json()["level"]) == (200, "london")


# -- the monthly report's section ---------------------------------------------------------------

def test_the_report_s_section_is_the_same_on_page_json_csv_and_pdf(
    borough_a, ward_a, client, commander_a
):
    """A report produced for real (no duties: its abstraction is grey), with police.uk's March
    loaded: the section is the same on every surface."""
    from reports import services
    from tests.reports.performance_data import LAST_MARCH, publish, totals

    publish(MARCH, LAST_MARCH)
    totals(ward_a, MARCH, 12, 3)
    totals(ward_a, LAST_MARCH, 10, 3)
    report, _ = services.report_request(borough=borough_a, month=MARCH)
    report = services.report_produce(report.pk)
    section = {r.measure: r for r in report_section(report)}
    assert (section["crime"].value, section["crime"].rated_value, section["crime"].rating) == (
        "12", "20.00", "red")
    assert section["abstraction"].rating == "grey"
    client.force_login(commander_a)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'id="performance"' in page and 'data-rating="red"' in page
    api = api_client_for(commander_a).get(f"/api/v1/reports/{report.pk}/").json()
    assert api["performance"] == [r.as_dict() for r in section.values()]
    text = client.get(reverse("reports:performance_csv", args=[report.pk])).content.decode()
    assert text.splitlines()[0] == (
        "Measure,Value,Unit,Compared With,Comparison,Target,Rated (%),Rating,Rule,Note")
    assert text.splitlines()[1].startswith(
        "Crime,12,crimes,10,March 2025 (same month last year),,20.00,red,\"Rated on")
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        client.get(reverse("reports:pdf", args=[report.pk])).content)).pages)
    assert "Performance" in pdf and "Red" in pdf and "20.00%" in pdf
    # The page's charts are drawn in the PDF too: the trend against the target, and the wards.
    assert "Abstraction rate (%), blue; target, dashed red" in pdf
    assert "Abstraction rate (%) by ward; target 5.00%" in pdf
    assert report_pdf(report)  # without a section, as before


# -- commentary ---------------------------------------------------------------------------------

def test_the_commander_writes_the_borough_s_commentary(march, client, commander_a,
                                                       inspector_a):
    url = reverse("reports:performance_borough", args=["E09000007"])
    client.force_login(inspector_a)
    assert client.post(url, {"month": "2026-03", "text": "Not mine"}).status_code == 403
    client.force_login(commander_a)
    response = client.post(url, {"month": "2026-03", "text": "Burglary is down."})
    assert response.status_code == 302
    comment = Commentary.objects.get()
    assert (comment.level, comment.area_code, comment.month, comment.written_by) == (
        "borough", "E09000007", MARCH, commander_a)
    page = client.get(url + "?month=2026-03").content.decode()
    assert "Burglary is down." in page
    assert commander_a.display_name in page and "commander_a" not in page
    assert "Burglary is down." not in client.get(url + "?month=2026-02").content.decode()
    empty = client.post(url, {"month": "2026-03", "text": ""})
    assert empty.status_code == 200 and "Enter the commentary" in empty.content.decode()


def test_a_ward_s_inspector_writes_its_commentary_not_an_outsider(
    march, client, inspector_a, inspector_b, ward_a
):
    url = reverse("reports:performance_ward", args=[ward_a.code])
    client.force_login(inspector_b)
    assert client.post(url, {"month": "2026-03", "text": "x"}).status_code == 404
    client.force_login(inspector_a)
    assert client.post(url, {"month": "2026-03", "text": "Patrols doubled."}).status_code == 302
    assert Commentary.objects.get().area_code == ward_a.code


def test_a_bad_month_on_the_page_says_so_and_shows_the_last_whole_month(
    march, client, commander_a
):
    client.force_login(commander_a)
    url = reverse("reports:performance_borough", args=["E09000007"])
    page = client.get(url, {"month": "Marchember"}).content.decode()
    assert "govuk-error-summary" in page and "Enter the month as" in page


# -- bands ------------------------------------------------------------------------------------

def _band_post(green, amber):
    forms = list(RatingBand.objects.order_by("pk"))
    data = {"form-TOTAL_FORMS": len(forms), "form-INITIAL_FORMS": len(forms)}
    for i, band in enumerate(forms):
        data[f"form-{i}-id"] = band.pk
        data[f"form-{i}-green_limit"] = green if band.measure == "crime" else band.green_limit
        data[f"form-{i}-amber_limit"] = amber if band.measure == "crime" else band.amber_limit
    return data


def test_hq_changes_a_band_and_the_rating_follows(march, client, hq, staff_a, borough_a):
    url = reverse("reports:performance_bands")
    client.force_login(staff_a)
    assert client.get(url).status_code == 200
    assert client.post(url, _band_post("-5", "0")).status_code == 403
    client.force_login(hq)
    bad = client.post(url, _band_post("10", "5"))
    assert bad.status_code == 200 and "Green must be on the better side" in bad.content.decode()
    assert RatingBand.objects.get(measure="crime").green_limit == 0
    assert client.post(url, _band_post("-5", "0")).status_code == 302
    band = RatingBand.objects.get(measure="crime")
    assert (band.green_limit, band.amber_limit, band.updated_by) == (-5, 0, hq)
    # Camden's 0.00% change is now amber (above -5, at most 0).
    assert measures(borough_area(borough_a))["crime"].rating == "amber"


@pytest.mark.parametrize("change", [
    {"form-TOTAL_FORMS": "9" * 20},  # more forms than bands
    {"form-0-id": "9" * 20},  # a band that does not exist
    {"form-0-id": ""},
])
def test_a_tampered_band_form_is_an_error_not_a_500(client, hq, change):
    """Found by the hostile probe: POST /performance/bands/ with form-0-id=99999999999999999999
    (or TOTAL_FORMS past the bands) rendered a band with no measure: KeyError, a 500."""
    client.force_login(hq)
    url = reverse("reports:performance_bands")
    before = list(RatingBand.objects.values_list("measure", "green_limit", "amber_limit"))
    response = client.post(url, {**_band_post("-5", "0"), **change})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert list(RatingBand.objects.values_list("measure", "green_limit", "amber_limit")) == before


def test_the_band_form_never_adds_a_band(client, hq):
    """An extra form filled in (TOTAL_FORMS one more than the bands) is not a new band with no
    measure, which would break every page that rates."""
    client.force_login(hq)
    data = _band_post("-5", "0")
    extra = data["form-TOTAL_FORMS"]
    data.update({"form-TOTAL_FORMS": extra + 1, f"form-{extra}-green_limit": "1",
                 f"form-{extra}-amber_limit": "2"})
    count = RatingBand.objects.count()
    response = client.post(url := reverse("reports:performance_bands"), data)
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert RatingBand.objects.count() == count
    assert client.get(url).status_code == 200


# -- the survey import -----------------------------------------------------------------------------

HEADER = "area,quarter,share_confident,respondents\n"


def test_a_file_imports_whole_and_replaces_a_quarter(staff_a, borough_a, ward_a):
    result = import_confidence(HEADER + "E09000007,2026-Q1,78.5%,412\nhaverstock,2026-q2,81,95\n",
                               user=staff_a)
    assert (result.imported, result.errors) == (2, [])
    assert import_confidence(HEADER + "Camden,2026-Q1,79,400\n", user=staff_a).imported == 1
    rows = ConfidenceResult.objects.order_by("quarter")
    assert [(r.borough_id, r.ward_id, r.quarter, r.share_confident, r.respondents)
            for r in rows] == [
        (borough_a.pk, None, datetime.date(2026, 1, 1), Decimal("79.00"), 400),
        (None, ward_a.pk, datetime.date(2026, 4, 1), Decimal("81.00"), 95),
    ]


@pytest.mark.parametrize("row, why", [
    ("E09000007,2026-Q5,50,10", "quarter must be written YYYY-Qn"),
    ("E09000007,9999-Q1,50,10", "The quarter must be between"),
    # year 0: Python's own "year 0 is out of range" was the row's message
    ("E09000007,0000-Q1,50,10", "The quarter must be between"),
    ("E09000007,\u0662\u0660\u0662\u0666-Q1,50,10", "quarter must be written YYYY-Qn"),
    # a superscript two is a digit to str.isdigit(), not to int(): "invalid literal for int()"
    ("E09000007,2026-Q1,50,\u00b2", "respondents must be a whole number of at least 1"),
    ("E09000007,2026-Q1,100.5,10", "share_confident must be from 0 to 100"),
    ("E09000007,2026-Q1,50.123,10", "at most 2 decimal places"),
    ("E09000007,2026-Q1,NaN,10", "share_confident must be from 0 to 100"),
    ("E09000007,2026-Q1,50,0", "respondents must be a whole number of at least 1"),
    ("E09000001,2026-Q1,50,10", "is not a borough or ward you may import for"),
    ("Regent's Park,2026-Q1,50,10", "names more than one ward"),
])
def test_one_bad_row_and_nothing_is_imported(commander_a, borough_a, borough_a2, row, why):
    from tests import factories as f

    f.WardFactory(name="Regent's Park", borough=borough_a)
    f.WardFactory(name="Regent's Park", borough=borough_a2)
    result = import_confidence(HEADER + "E09000007,2026-Q1,50,10\n" + row + "\n",
                               user=commander_a)
    assert result.imported == 0 and ConfidenceResult.objects.count() == 0
    assert result.errors[0][0] == 3 and why in result.errors[0][1]


def test_another_borough_s_staff_cannot_import_for_it(staff_b, borough_a):
    result = import_confidence(HEADER + "E09000007,2026-Q1,50,10\n", user=staff_b)
    assert result.imported == 0 and "you may import for" in result.errors[0][1]


def test_the_upload_page_imports_and_lists_bad_rows(client, staff_a, borough_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff_a)
    url = reverse("reports:performance_confidence")
    bad = client.post(url, {"file": SimpleUploadedFile(
        "pas.csv", (HEADER + "E09000007,2026,50,10\n").encode())})
    assert "Nothing imported: 1 row to correct" in bad.content.decode()
    good = client.post(url, {"file": SimpleUploadedFile(
        "pas.csv", (HEADER + "E09000007,2026-Q1,50,10\n").encode())})
    assert "1 imported" in good.content.decode()
    no_header = client.post(url, {"file": SimpleUploadedFile("pas.csv", b"a,b\n1,2\n")})
    assert "The header must have the columns" in no_header.content.decode()


# -- the ward panel's summary ------------------------------------------------------------------

def test_the_ward_summary_shows_priorities_promises_demand_and_performance(
    march, client, sergeant_a, ward_a
):
    from tests.promises import factories as pf

    pf.WardPriorityFactory(ward=ward_a, issue="Drug dealing by the station")
    client.force_login(sergeant_a)
    page = client.get(reverse("reports:performance_ward_summary", args=[ward_a.code]),
                      {"month": "2026-03"}).content.decode()
    assert "Ward panel summary, 2026 Q1" in page
    assert "Drug dealing by the station" in page
    assert "Promises running" in page
    assert "March 2026" in page and ">110<" in page  # crimes this March
    assert 'data-rating="red"' in page


def test_the_import_command_takes_any_borough_and_refuses_a_bad_file_whole(
    tmp_path, borough_a, borough_b
):
    from django.core.management import CommandError, call_command

    good = tmp_path / "pas.csv"
    good.write_text(HEADER + "E09000007,2026-Q3,70,300\n" + f"{borough_b.code},2026-Q3,65,200\n")
    call_command("import_confidence", str(good))
    assert ConfidenceResult.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "E09000007,2026-Q4,70,300\nE09000007,2026-Q4,71,300\n")
    with pytest.raises(CommandError, match="line 3: the same area and quarter as line 2"):
        call_command("import_confidence", str(bad))
    assert ConfidenceResult.objects.count() == 2


def test_a_report_made_before_its_month_ended_is_said_to_be_to_date(borough_a, ward_a):
    from tests.reports.performance_data import stored_report, ward_row

    stored_report(borough_a, MARCH, [ward_row(ward_a, 600, 60, 0)], [], to_date=True)
    result = measures(borough_area(borough_a))["abstraction"]
    assert (result.value, result.rating) == ("10.00", "amber")
    assert result.note == "To date: the month was not over when reported."


def test_the_level_pages_run_a_fixed_number_of_queries(
    march, client, commander_a, hq, django_assert_num_queries
):
    client.force_login(commander_a)
    url = reverse("reports:performance_borough", args=["E09000007"])
    # The session and user, the area (with the user's boroughs), the commentary, area_months' 9,
    # the bands for the charts, the areas one level down, the navigation: whatever the size.
    with django_assert_num_queries(16):
        assert client.get(url, {"month": "2026-03"}).status_code == 200
    client.force_login(hq)
    with django_assert_num_queries(15):  # HQ: no scope to read; London's boroughs instead
        assert client.get(reverse("reports:performance_london"),
                          {"month": "2026-03"}).status_code == 200


# -- kept figures -------------------------------------------------------------------------------

def test_the_pages_figures_are_kept_until_a_table_they_read_is_written(march, hq):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.performance.figures import area_months_kept

    area = area_for(hq, "borough", "E09000007")
    first = area_months_kept(area, MARCH, n=2)
    assert first == area_months(area, MARCH, n=2)  # the same figures as computed afresh
    with CaptureQueriesContext(connection) as kept:
        again = area_months_kept(area, MARCH, n=2)
    assert again == first and len(kept.captured_queries) == 0
    # Another month, or another area, is its own entry.
    with CaptureQueriesContext(connection) as other:
        area_months_kept(area, FEB, n=2)
    assert len(other.captured_queries) > 0
    RatingBand.objects.order_by("measure").first().save()  # a band written (unchanged)
    with CaptureQueriesContext(connection) as fresh:
        assert area_months_kept(area, MARCH, n=2) == first
    assert len(fresh.captured_queries) > 0
