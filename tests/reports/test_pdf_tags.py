"""The report PDFs are tagged for assistive technology (PDF/UA-1 through WeasyPrint): a
structure tree with headings, tables and the charts as figures with alternative text, the
document's language and title; and they show the JSON report's figures for a hand-built month,
for a borough and for the Met-wide roll-up."""

import pytest
from django.urls import reverse

from reports import services
from reports.measures import hm
from reports.models import MonthlyReport
from tests.conftest import api_client_for
from tests.pdf_tags import assert_tagged
from tests.reports.conftest import MARCH
from tests.reports.surfaces import api_figures


def pct(rate) -> str:
    """The tests' own: a stored rate as printed ("16.85" → "16.85%", none → "–")."""
    return "–" if rate is None else f"{rate}%"

pytestmark = pytest.mark.django_db


def produce(borough):
    report, _ = services.report_request(borough=borough, month=MARCH)
    return services.report_produce(report.pk)


def test_the_borough_report_pdf_is_tagged_and_shows_the_json_figures(client, hq, march):
    report = produce(march.borough)
    body = api_figures(hq, report)["figures"]
    client.force_login(hq)
    response = client.get(reverse("reports:pdf", args=[report.pk]))
    title = f"SNT Abstraction Report including Authorised SNT Flex: {report.scope_name}"
    found = assert_tagged(response.content, title=title, figures=2)
    assert found.alts == [
        "Abstraction rate by ward against the target of 5.00%",
        "Abstraction rate over the last 13 months against the target of 5.00%",
    ]
    # The hand-built month (tests/reports/conftest.py: march), as the JSON report gives it.
    total = body["total"]
    assert (total["rostered_minutes"], total["abstraction_rate"]) == (2670, "16.85")
    assert f"Rostered {hm(total['rostered_minutes'])}; in home ward" in found.text
    assert "abstraction rate 16.85% against a target of 5.00%" in found.text
    wards = {w["ward"]: w for w in body["wards"]}
    haverstock = wards["Haverstock"]
    assert (haverstock["rostered_minutes"], haverstock["abstraction_rate"]) == (2190, "20.55")
    assert "Haverstock 36:30 13:00 7:30 20.55% 16:00" in found.text
    # The charts' data tables: each ward's rate against the target, and each month's.
    assert "Haverstock 20.55% 5.00%" in found.text
    for row in body["wards"]:
        assert f"{row['ward']} {pct(row['abstraction_rate'])} 5.00%" in found.text
    assert [t["month"] for t in body["trend"]][-1] == "2026-03"
    for t in body["trend"]:
        assert f"{t['month']} {pct(t['abstraction_rate'])} 5.00%" in found.text
    assert "2026-03 16.85% 5.00%" in found.text


def test_the_rollup_pdf_is_tagged_and_shows_the_json_figures(hq, march, borough_a2,
                                                             django_capture_on_commit_callbacks):
    produce(march.borough)
    with django_capture_on_commit_callbacks(execute=True):
        rollup, _ = services.report_request(borough=None, month=MARCH)
        services.report_produce(rollup.pk)
    rollup = MonthlyReport.objects.get(pk=rollup.pk)
    api = api_client_for(hq)
    body = api.get(f"/api/v1/reports/{rollup.pk}/").json()["figures"]
    response = api.get(f"/api/v1/reports/{rollup.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    found = assert_tagged(response.content, figures=2, title=(
        f"SNT Abstraction Report including Authorised SNT Flex: {rollup.scope_name}"))
    assert found.alts[0] == "Abstraction rate by borough against the target of 5.00%"
    assert "By BCU" in found.text and "By borough" in found.text
    for row in body["boroughs"]:
        assert (f"{row['borough']} {hm(row['rostered_minutes'])} "
                f"{hm(row['home_ward_minutes'])}") in found.text
    assert f"Rostered {hm(body['total']['rostered_minutes'])};" in found.text
