"""Redis holds no state of record: a report whose task was lost (Redis emptied by a restore, a
worker killed) is produced all the same, by beat's `reports_resume`, from the database's state."""

import datetime

import pytest
from django.utils import timezone

from reports import services, tasks
from reports.models import MonthlyReport
from tests.reports.conftest import MARCH

pytestmark = pytest.mark.django_db


def backdate(report, minutes, **fields):
    when = timezone.now() - datetime.timedelta(minutes=minutes)
    MonthlyReport.objects.filter(pk=report.pk).update(created_at=when, **fields)


def test_a_report_whose_task_was_lost_is_produced_by_the_resume_job(march):
    lost, _ = services.report_request(borough=march.borough, month=MARCH)
    backdate(lost, minutes=11)
    recent, _ = services.report_request(
        borough=march.borough, month=MARCH - datetime.timedelta(days=31)
    )

    outcome = tasks.reports_resume.delay().get()

    assert outcome["reports"] == [lost.pk]
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.status == "ready"
    assert recent.status == "pending"  # its own task may still be on its way


def test_a_report_left_running_by_a_dead_worker_is_produced_again(march, settings):
    report, _ = services.report_request(borough=march.borough, month=MARCH)
    stale = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    backdate(report, minutes=30, status="running", claim_token="dead", heartbeat_at=stale)

    assert tasks.reports_resume.delay().get()["reports"] == [report.pk]
    report.refresh_from_db()
    assert report.status == "ready" and report.attempts == 1


def test_a_month_whose_roll_up_task_was_lost_gets_its_roll_up(march):
    report, _ = services.report_request(borough=march.borough, month=MARCH, whole_month=True)
    services.report_produce(report.pk)
    backdate(report, minutes=11)
    assert not MonthlyReport.objects.filter(borough__isnull=True).exists()

    assert tasks.reports_resume.delay().get()["rollups"] == ["2026-03"]
    rollup = MonthlyReport.objects.get(borough__isnull=True, month=MARCH)
    assert rollup.status == "ready"
    assert tasks.reports_resume.delay().get() == {"reports": [], "rollups": []}


def test_a_month_asked_for_by_one_borough_only_gets_no_roll_up(march, borough_b):
    report, _ = services.report_request(borough=march.borough, month=MARCH)
    services.report_produce(report.pk)
    backdate(report, minutes=11)
    assert tasks.reports_resume.delay().get()["rollups"] == []
