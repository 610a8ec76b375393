"""Celery tasks for monthly reports: thin wrappers that take ids and call the services.

The monthly run (beat, 1st of the month 06:00 London) asks for one report per borough for the
month just ended, produces them in parallel, then the Met-wide roll-up once all are done. The
roll-up waits on the boroughs' stored reports (ready or failed), not on the broker: it retries
until they are finished, so it does not depend on a chord's bookkeeping in the result backend.
Transient database and broker errors are retried with exponential back-off."""

import datetime
import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

from config.timeutils import today
from deployment.reports import figures, services
from wards.models import Borough

log = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (
        OperationalError,
        InterfaceError,
        BrokerOperationalError,
        ConnectionError,
        TimeoutError,
    ),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 6,
}
STALE_CLAIM_RETRIES = 2


@shared_task(bind=True, **RETRY)
def report_produce(self, report_id: int) -> int:
    """Produce one report (borough or roll-up). A failure that is not transient is recorded on
    the report (status failed, with the error) rather than raised, so the month's roll-up still
    runs after the other boroughs."""
    try:
        report = services.report_produce(report_id)
    except services.TRANSIENT_ERRORS:
        raise
    except Exception:
        log.exception("Report %s failed", report_id)
        return report_id
    if report.status == report.Status.RUNNING and not self.request.is_eager:
        # Another worker holds the claim: a live one finishes it; a killed one (this task was
        # redelivered) leaves it to go stale, and then this retry takes it over.
        if self.request.retries < STALE_CLAIM_RETRIES:
            raise self.retry(countdown=services.stale_after().total_seconds() + 30)
    return report_id


@shared_task(bind=True, **RETRY)
def report_rollup(self, month: str) -> int | None:
    """The Met-wide roll-up of `month` (YYYY-MM), once every borough's report is finished."""
    month_date = _month(month)
    if services.boroughs_unfinished(month_date):
        raise self.retry(
            countdown=settings.REPORT_ROLLUP_POLL_SECONDS,
            max_retries=settings.REPORT_ROLLUP_MAX_WAITS,
        )
    report, needs_run = services.report_request(borough=None, month=month_date, whole_month=True)
    if needs_run:
        services.report_produce(report.pk)
    return report.pk


@shared_task(**RETRY)
def reports_monthly(month: str | None = None) -> list[int]:
    """Every borough's report for `month` (default: the month just ended), then the roll-up."""
    month_date = _month(month) if month else figures.add_months(today().replace(day=1), -1)
    label = f"{month_date:%Y-%m}"
    ids = [
        services.report_request(borough=borough, month=month_date, whole_month=True)[0].pk
        for borough in Borough.objects.order_by("name")
    ]
    for report_id in ids:
        report_produce.delay(report_id)
    report_rollup.delay(label)
    return ids


@shared_task(**{**RETRY, "autoretry_for": (*RETRY["autoretry_for"], smtplib.SMTPException)})
def report_email(report_id: int) -> int:
    return services.report_email(report_id)


def _month(value: str) -> datetime.date:
    return services.parse_month(value)
