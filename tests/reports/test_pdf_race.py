"""A report's PDF downloaded while the report is regenerated (each in its own thread and
connection, real transactions): a new version is added beside the old, so the download is the
version asked for, whole and tagged, never a 500 or a 404; the new version is ready after."""

import pytest
from django.test import Client
from django.urls import reverse

from reports import services
from reports.models import MonthlyReport
from tests.deployment.test_races import race
from tests.pdf_tags import assert_tagged
from tests.reports.conftest import MARCH

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pdf_while_its_report_is_regenerated(hq, march):
    first, _ = services.report_request(borough=march.borough, month=MARCH)
    first = services.report_produce(first.pk)
    client = Client()
    client.force_login(hq)
    client.raise_request_exception = False
    downloads = []

    def regenerate():
        again, _ = services.report_request(borough=march.borough, month=MARCH, by=hq,
                                           regenerate=True)
        services.report_produce(again.pk)

    outcomes = race(lambda: downloads.append(client.get(reverse("reports:pdf", args=[first.pk]))),
                    regenerate)
    assert outcomes == ["ok", "ok"], outcomes
    [response] = downloads
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_tagged(response.content, title=f"SNT Abstraction Report including Authorised SNT "
                  f"Flex: {first.scope_name}", figures=2)
    versions = MonthlyReport.objects.filter(borough=march.borough, month=MARCH)
    assert sorted(versions.values_list("version", "status")) == [
        (first.version, "ready"), (first.version + 1, "ready")]
