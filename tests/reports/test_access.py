"""Who may read reports: commanders, HQ, admins, and the borough's chief inspectors and
inspectors. Staff and sergeants get 403; anyone outside the borough (a commander of another BCU
included) gets 404, by page, API or download URL. The Met-wide roll-up is for HQ and admins."""

import pytest
from django.urls import reverse

from config.access import Role
from reports import services
from reports.models import MonthlyReport
from tests import factories as f
from tests.conftest import ROLE_FIXTURES, api_client_for
from tests.reports.conftest import MARCH

READERS_OF_A = {"inspector_a", "chief_inspector_a", "commander_a", "hq", "admin_user"}
FORBIDDEN_IN_A = {"staff_a", "sergeant_a"}


def expected(who):
    if who in READERS_OF_A:
        return 200
    return 403 if who in FORBIDDEN_IN_A else 404


@pytest.fixture
def report_a(march):
    return services.report_produce(
        services.report_request(borough=march.borough, month=MARCH)[0].pk
    )


@pytest.fixture
def commander_b(borough_b):
    return f.UserFactory(username="commander_b", role=Role.COMMANDER, boroughs=[borough_b])


PAGES = ["reports:detail", "reports:status", "reports:csv", "reports:pdf"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_report_pages_and_downloads(client, cast, report_a, who, name):
    client.force_login(cast(who))
    assert client.get(reverse(name, args=[report_a.pk])).status_code == expected(who)


@pytest.mark.parametrize("name", PAGES)
def test_a_commander_of_another_bcu_cannot_read_the_report(client, commander_b, report_a, name):
    client.force_login(commander_b)
    assert client.get(reverse(name, args=[report_a.pk])).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, report_a, name):
    response = client.get(reverse(name, args=[report_a.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("suffix", ["", "csv/", "pdf/"])
@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_report_api(cast, report_a, who, suffix):
    response = api_client_for(cast(who)).get(f"/api/v1/reports/{report_a.pk}/{suffix}")
    assert response.status_code == expected(who)


@pytest.mark.parametrize("suffix", ["", "csv/", "pdf/"])
def test_report_api_for_a_commander_of_another_bcu_and_anonymous(api, commander_b, report_a,
                                                                 suffix):
    url = f"/api/v1/reports/{report_a.pk}/{suffix}"
    assert api_client_for(commander_b).get(url).status_code == 404
    assert api.get(url).status_code in (401, 403)


def test_the_report_list_shows_only_the_users_boroughs(client, report_a, inspector_b, hq):
    client.force_login(inspector_b)
    response = client.get(reverse("reports:list"))
    assert response.status_code == 200
    assert report_a.get_absolute_url() not in response.content.decode()
    assert api_client_for(inspector_b).get("/api/v1/reports/").json()["results"] == []
    client.force_login(hq)
    assert report_a.get_absolute_url() in client.get(reverse("reports:list")).content.decode()


def test_the_rollup_is_for_london_wide_roles(client, march, commander_a, hq):
    rollup = services.report_produce(
        services.report_request(borough=None, month=MARCH)[0].pk
    )
    client.force_login(commander_a)
    assert client.get(rollup.get_absolute_url()).status_code == 404
    client.force_login(hq)
    response = client.get(rollup.get_absolute_url())
    assert response.status_code == 200
    assert "Camden" in response.content.decode()
    csv_lines = client.get(reverse("reports:csv", args=[rollup.pk])).content.decode().splitlines()
    # Camden and Islington, a row per abstraction type and "abstracted from".
    assert len(csv_lines) == 1 + 2 * 7 * 2
    assert csv_lines[1].startswith("2026-03,Central North,Camden,E09000007,All teams,")


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_grip_and_pace(client, cast, march, who):
    client.force_login(cast(who))
    url = reverse("reports:grip_and_pace", args=[march.borough.code])
    assert client.get(url).status_code == expected(who)


def test_only_hq_sees_failed_reports(client, commander_a, hq):
    client.force_login(commander_a)
    assert client.get(reverse("reports:failures")).status_code == 403
    client.force_login(hq)
    assert client.get(reverse("reports:failures")).status_code == 200


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_generating_by_api(cast, march, who, django_capture_on_commit_callbacks):
    client = api_client_for(cast(who))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/reports/generate/", {"borough": march.borough.code, "month": "2026-03"}
        )
    # A role that may not generate reports is told so first (403), whichever borough it names.
    status = {"commander_a": 202, "hq": 202, "admin_user": 202}.get(who, 403)
    assert response.status_code == status, response.content
    if status == 202:
        body = response.json()
        assert body["status_url"].endswith(f"/api/v1/reports/{body['id']}/status/")
        assert client.get(body["status_url"]).json()["status"] == "ready"  # eager in tests


def test_generating_by_api_rejects_a_bad_month(march, commander_a):
    client = api_client_for(commander_a)
    response = client.post(
        "/api/v1/reports/generate/", {"borough": march.borough.code, "month": "March"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "month": ["Enter the month as a month and year, for example November 2026 or 11/2026."]
    }


@pytest.mark.parametrize("who", ["hq", "inspector_a"])
def test_grip_and_pace_of_a_borough_code_with_a_nul_is_not_found(client, cast, who):
    client.force_login(cast(who))
    assert client.get("/boroughs/%00/grip-and-pace/").status_code == 404


@pytest.mark.parametrize("month", ["0001-01", "1999-12"])
def test_generating_a_month_before_2000_is_refused(march, commander_a, month):
    client = api_client_for(commander_a)
    response = client.post(
        "/api/v1/reports/generate/", {"borough": march.borough.code, "month": month}
    )
    assert response.status_code == 400
    assert response.json() == {
        "month": ["Month must be between 1 January 2000 and 31 December 2099."]
    }
    assert not MonthlyReport.objects.filter(month__year__lt=2000).exists()


@pytest.mark.django_db
def test_only_hq_reads_why_a_report_failed(commander_a, hq, borough_a):
    report, _ = services.report_request(borough=borough_a, month=MARCH)
    MonthlyReport.objects.filter(pk=report.pk).update(
        status=MonthlyReport.Status.FAILED, error="SoftTimeLimitExceeded in cover_gaps"
    )
    url = f"/api/v1/reports/{report.pk}/"
    assert api_client_for(commander_a).get(url).json()["error"] == ""
    assert api_client_for(hq).get(url).json()["error"] == "SoftTimeLimitExceeded in cover_gaps"


def test_who_reads_a_reports_error_is_decided_in_one_place(client, commander_a, borough_a,
                                                           monkeypatch):
    """The status poll, the API and the failures page all follow
    reports.access.REPORT_ERROR_READER_ROLES."""
    import datetime

    from reports import access

    failed = MonthlyReport.objects.create(
        borough=borough_a, month=datetime.date(2026, 2, 1), status=MonthlyReport.Status.FAILED,
        error="OperationalError: the database went away",
    )
    client.force_login(commander_a)
    api = api_client_for(commander_a)

    def shown():
        status = client.get(reverse("reports:status", args=[failed.pk])).json()["error"]
        detail = api.get(f"/api/v1/reports/{failed.pk}/").json()["error"]
        failures = client.get(reverse("reports:failures")).status_code
        return status, detail, failures

    assert shown() == ("", "", 403)
    monkeypatch.setattr(access, "REPORT_ERROR_READER_ROLES", frozenset({Role.COMMANDER}))
    assert shown() == (failed.error, failed.error, 200)
