"""Celery tasks for monthly reports: thin wrappers that take ids and call the services.

The monthly run (beat, 1st of the month 06:00 London) asks for one report per borough for the
month just ended, produces them in parallel, then the Met-wide roll-up once all are done. The
roll-up waits on the boroughs' stored reports (ready or failed), not on the broker: it retries
until they are finished, so it does not depend on a chord's bookkeeping in the result backend.
Transient database and broker errors are retried with the project's DEFAULT_RETRY.

Each task is also registered under the name it had while the reports lived in the deployment app
(`deployment.reports.tasks.<name>`), so a message queued before the move is still run."""

import datetime
import logging

from django.conf import settings
from django.db import transaction

from config.tasks import DEFAULT_RETRY, registered_as
from config.timeutils import today
from reports import services
from reports.measures import add_months
from reports.models import MonthlyReport
from wards.models import Borough

log = logging.getLogger(__name__)

STALE_CLAIM_RETRIES = 2


def reports_task(**options):
    """shared_task named reports.tasks.<function>, also registered under the name it had while
    the reports lived in deployment (deployment.reports.tasks.<function>)."""

    def register(fn):
        name = fn.__name__
        return registered_as(f"reports.tasks.{name}", f"deployment.reports.tasks.{name}",
                             **options)(fn)

    return register


@reports_task(bind=True, **DEFAULT_RETRY)
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


@reports_task(bind=True, **DEFAULT_RETRY)
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


@reports_task(**DEFAULT_RETRY)
def reports_monthly(month: str | None = None) -> list[int]:
    """Every borough's report for `month` (default: the month just ended), then the roll-up."""
    month_date = _month(month) if month else add_months(today().replace(day=1), -1)
    label = f"{month_date:%Y-%m}"
    ids = [
        services.report_request(borough=borough, month=month_date, whole_month=True)[0].pk
        for borough in Borough.objects.order_by("name")
    ]
    for report_id in ids:
        report_produce.delay(report_id)
    report_rollup.delay(label)
    return ids


@reports_task(**DEFAULT_RETRY)
def reports_resume() -> dict:
    """Queue again the work the broker lost (Redis emptied by a restore, a worker killed): the
    reports still waiting for a task, and the roll-ups of months whose boroughs are done. The
    claims make a second delivery harmless."""
    lost = list(services.reports_lost().values_list("pk", flat=True))
    for report_id in lost:
        report_produce.delay(report_id)
    months = [f"{month:%Y-%m}" for month in services.rollups_lost()]
    for month in months:
        report_rollup.delay(month)
    return {"reports": lost, "rollups": months}


# -- asking for a report now (the pages and the API) ---------------------------------------

def report_queue(report: MonthlyReport) -> None:
    """Produce the report in a worker once the current transaction commits."""
    def send():
        result = report_produce.apply_async(args=[report.pk])
        MonthlyReport.objects.filter(pk=report.pk, task_id="").update(task_id=result.id or "")

    transaction.on_commit(send)


def report_request_and_queue(*, borough, month, by=None, regenerate=False) -> MonthlyReport:
    report, needs_run = services.report_request(
        borough=borough, month=month, by=by, regenerate=regenerate
    )
    if needs_run:
        report_queue(report)
    return report


def _month(value: str) -> datetime.date:
    return services.parse_month(value)
