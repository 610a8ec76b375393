"""The report pages show the figures, charts' data and progress; list pages and the API list run
a fixed number of queries."""

import csv
import io
import json

import pytest
from django.urls import reverse

from reports import services
from reports.export import DATASTORE_COLUMNS, WARD_COLUMNS
from reports.models import MonthlyReport
from tests.conftest import api_client_for
from tests.reports.conftest import MARCH


@pytest.fixture
def report_a(march):
    return services.report_produce(
        services.report_request(borough=march.borough, month=MARCH)[0].pk
    )


def test_the_report_page_shows_the_figures_and_chart_data(client, commander_a, report_a):
    client.force_login(commander_a)
    response = client.get(report_a.get_absolute_url())
    page = response.content.decode()
    assert "Haverstock" in page and "Not intelligence-led" in page
    assert "16.85% against a target of 5.00%" in page
    assert "How each figure is counted" in page
    data = response.context["chart_data"]
    assert data["areas"] == ["Haverstock", "Highgate"]
    assert data["rates"] == ["20.55", "0.00"]
    # Each bar carries the figure as the tables show it: "16:00", never 16.0 hours.
    assert data["rates_shown"] == ["20.55%", "0.00%"]
    assert data["flows"] == [
        {"label": "Haverstock → Highgate", "minutes": 960, "shown": "16:00"}]
    assert len(data["trend"]) == 13
    assert 'id="report-chart-data"' in page and "vendor/chart.umd.js" in page


def test_a_report_being_produced_polls_its_status(client, commander_a, march):
    report, _ = services.report_request(borough=march.borough, month=MARCH)
    client.force_login(commander_a)
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'data-report-status-url="/reports/{report.pk}/status/"' in page
    status = client.get(reverse("reports:status", args=[report.pk])).json()
    assert status["status"] == "pending"


def test_asking_from_the_page_produces_the_report(
    client, commander_a, march, django_capture_on_commit_callbacks
):
    client.force_login(commander_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:generate"), {"borough": march.borough.code, "month": "2026-03"}
        )
    report = MonthlyReport.objects.get()
    assert response.url == report.get_absolute_url()
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.READY


def test_a_bad_month_from_the_page_is_explained(client, commander_a, march):
    client.force_login(commander_a)
    response = client.post(
        reverse("reports:generate"), {"borough": march.borough.code, "month": "2030-01"},
        follow=True,
    )
    assert "A report can only cover a month that has begun." in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_the_csv_mirrors_the_datastore_columns(client, commander_a, report_a):
    client.force_login(commander_a)
    response = client.get(reverse("reports:csv", args=[report_a.pk]))
    lines = response.content.decode().splitlines()
    assert lines[0].split(",")[:8] == [
        "Month", "BCU", "Borough", "Borough Code", "Team", "Abstracted from Duty",
        "Abstraction Type", "Abstracted Minutes",
    ]
    assert lines[0] == ",".join(DATASTORE_COLUMNS)
    # A row per ward team, abstraction type and "abstracted from".
    assert len(lines) == 1 + 2 * 7 * 2
    court = [line for line in lines if "Haverstock SNT" in line and ",Court," in line]
    assert court == [
        "2026-03,Central North,Camden,E09000007,Haverstock SNT,Recorded duty,Court,210,"
        "E05013660,Haverstock,whole month",
        "2026-03,Central North,Camden,E09000007,Haverstock SNT,No recorded duty,Court,0,"
        "E05013660,Haverstock,whole month",
    ]


def test_the_wards_csv_has_one_row_per_ward_and_no_totals(client, commander_a, report_a):
    client.force_login(commander_a)
    response = client.get(reverse("reports:wards_csv", args=[report_a.pk]))
    assert response["Content-Disposition"].endswith('-2026-03-v1-wards.csv"')
    lines = response.content.decode().splitlines()
    assert lines[0] == ",".join(WARD_COLUMNS)
    assert lines[1:] == [
        "2026-03,E09000007,E05013660,Haverstock,Haverstock SNT,6,2190,780,450,0,20.55,960,960,0,"
        "0,0,29,whole month",
        "2026-03,E09000007,E05013661,Highgate,Highgate SNT,1,480,480,0,0,0.00,0,0,0,960,31,31,"
        "whole month",
    ]


def test_the_pdf_downloads(client, commander_a, report_a):
    client.force_login(commander_a)
    response = client.get(reverse("reports:pdf", args=[report_a.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_api_returns_the_figures(commander_a, report_a):
    body = api_client_for(commander_a).get(f"/api/v1/reports/{report_a.pk}/").json()
    assert body["month"] == "2026-03"
    assert body["borough"] == "E09000007"
    assert body["figures"]["total"]["rostered_minutes"] == 2670  # 44:30
    assert (body["to_date"], body["period"]) == (False, "whole month")


def test_the_api_list_filters_by_borough_and_month(commander_a, report_a, borough_a2):
    client = api_client_for(commander_a)
    rows = client.get("/api/v1/reports/", {"borough": "E09000007", "month": "2026-03"}).json()
    assert [r["id"] for r in rows["results"]] == [report_a.pk]
    other = client.get("/api/v1/reports/", {"borough": "E09000019"}).json()
    assert other["results"] == []
    # The month as people write it (config.parsers.parse_month_text); anything else is a 400.
    for typed in ("03/2026", "March 2026", "Mar 2026"):
        rows = client.get("/api/v1/reports/", {"borough": "E09000007", "month": typed}).json()
        assert [r["id"] for r in rows["results"]] == [report_a.pk]
    assert client.get("/api/v1/reports/", {"month": "2026-13"}).status_code == 400


def test_lists_run_a_fixed_number_of_queries(client, commander_a, borough_a, assert_fixed_queries):
    api = api_client_for(commander_a)
    client.force_login(commander_a)

    def add(n, start):
        for i in range(n):
            MonthlyReport.objects.create(
                borough=borough_a, month=MARCH.replace(year=2020 + start + i)
            )

    add(3, 0)
    # API: token, user and their boroughs, count, page of reports (borough joined).
    assert_fixed_queries(
        lambda: api.get("/api/v1/reports/"), lambda: add(5, 3), queries=3
    )
    # Page: user, boroughs, count, page, the filter's and the form's borough choices, and the
    # navigation's boroughs.
    assert_fixed_queries(
        lambda: client.get(reverse("reports:list")), lambda: add(5, 8), queries=7
    )


def test_the_chart_data_is_valid_json_on_the_page(client, hq, report_a):
    client.force_login(hq)
    page = client.get(report_a.get_absolute_url()).content.decode()
    start = page.index('<script id="report-chart-data" type="application/json">') + len(
        '<script id="report-chart-data" type="application/json">'
    )
    data = json.loads(page[start:page.index("</script>", start)])
    assert data["target"] == "5.00"


def test_a_month_with_no_duties_is_not_shown_as_a_change(client, commander_a, borough_a,
                                                         ward_a):
    report, _ = services.report_request(borough=borough_a, month=MARCH)
    report = services.report_produce(report.pk)
    client.force_login(commander_a)
    response = client.get(report.get_absolute_url())
    page = response.content.decode()
    assert page.count("No duties recorded that month") == 2
    # No duty, no rate: the charts draw no bar and say "–", as the tables do (not 0%).
    data = response.context["chart_data"]
    assert data["rates"] == [None] * len(data["areas"]) and data["areas"]
    assert set(data["rates_shown"]) == {"–"}
    assert {t["shown"] for t in data["trend"]} == {"–"}


def test_grip_and_pace_shows_todays_picture(client, commander_a, march, time_machine):
    """12 March 2026 in the hand-built month: PC2 at court (so Haverstock has one PC), Highgate
    short as always, flex 1's review due today, and a new request waiting for a decision."""
    import datetime

    from config.timeutils import LONDON
    from deployment.models import FlexRequest, FlexStatus
    from tests.reports.conftest import flex

    time_machine.move_to(datetime.datetime(2026, 3, 12, 10, 0, tzinfo=LONDON), tick=False)
    running = FlexRequest.objects.get(status=FlexStatus.ACTIVE)
    FlexRequest.objects.filter(pk=running.pk).update(review_due=datetime.date(2026, 3, 12))
    waiting = flex(march.borough, march.ward_east, [(march.pc1, march.ward_a)],
                   datetime.date(2026, 3, 16), datetime.date(2026, 3, 20), by=march.recorder,
                   status=FlexStatus.SUBMITTED, problem="Moped thefts")

    client.force_login(commander_a)
    page = client.get(reverse("reports:grip_and_pace", args=[march.borough.code]))
    from django.utils.html import strip_tags

    text = " ".join(strip_tags(page.content.decode()).split())

    assert f"Flex requests waiting for a decision (1) #{waiting.pk} to Highgate" in text
    assert "Moped thefts" in text
    assert f"Reviews due (1) #{running.pk} to Highgate" in text
    assert "Abstractions today (1)" in text and "Court, 09:00 to 12 Mar 2026 12:30" in text
    assert "Cover below minimum today (2 wards)" in text
    assert "Haverstock: 0 PCs, 1 PCSO" in text and "Highgate: 1 PC, 0 PCSOs" in text


def test_the_report_page_runs_a_fixed_number_of_queries(
    client, commander_a, report_a, django_assert_num_queries
):
    client.force_login(commander_a)
    # user, user's boroughs (scope), the report with its borough and the navigation's boroughs,
    # and the report's other versions; the figures are stored in the report. The performance
    # section: 9 (reports.performance.figures.area_months: the bands, crime and ASB, the months
    # published, the MOPAC target, its categories and counts, satisfaction, confidence and the
    # stored reports' parts), whatever the borough's size.
    with django_assert_num_queries(5 + 9):
        response = client.get(report_a.get_absolute_url())
    assert response.status_code == 200


def test_the_report_csvs_neutralise_a_formula_in_a_name(client, commander_a, march):
    """A team or abstraction type named as a formula (edited in the admin) reaches the CSVs as
    text a spreadsheet shows, not runs: every other CSV download does this already."""
    from deployment.models import AbstractionType
    from teams.models import Team

    formula = '=HYPERLINK("http://evil.example","Haverstock")'
    Team.objects.filter(ward__code="E05013660").update(name=formula)
    AbstractionType.objects.filter(code="court").update(name="@SUM(1+1)")
    report = services.report_produce(
        services.report_request(borough=march.borough, month=MARCH)[0].pk
    )
    client.force_login(commander_a)
    for name in ("reports:csv", "reports:wards_csv"):
        text = client.get(reverse(name, args=[report.pk])).content.decode()
        rows = list(csv.reader(io.StringIO(text)))
        cells = [cell for row in rows for cell in row]
        assert "'" + formula in cells, name
        assert not [cell for cell in cells if cell.startswith(("=", "@", "+"))], name
        # numbers stay numbers, negative ones too
        assert not [cell for cell in cells if cell.startswith("'") and cell[1:2].isdigit()]
    assert "'@SUM(1+1)" in client.get(reverse("reports:csv", args=[report.pk])).content.decode()
