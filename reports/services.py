"""Producing monthly reports: ask for one, claim it, compute it, publish it, tell the commander.

- Asking for a borough's month twice gives the same report: the row is created under the unique
  constraint (borough, month, version), and the loser of a race reads the winner's row.
- Producing one is claimed with a conditional UPDATE (pending → running), never by asking the
  broker what is queued. A running claim whose heartbeat is older than the task time limit was
  left by a dead worker: the next run takes it over.
- The figures and status=ready are written together in one transaction at the very end, so a
  worker killed mid-report leaves a running (or pending) row and never a partial ready one.
- Ready reports are never changed; regenerating adds version + 1 and keeps the old ones.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from config import limits
from config.db import commit_without_waiting
from config.errors import DomainError
from config.parsers import parse_month_text
from reports import emails, versions
from reports.access import may_generate_reports
from reports.figures import borough_figures
from reports.measures import month_instants, month_start
from reports.models import MonthlyReport
from reports.rollup import rollup_figures
from wards.models import Borough

log = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError)
Status = MonthlyReport.Status


# A report still pending this long after it was asked for has lost its task.
RESUME_AFTER = datetime.timedelta(minutes=10)


def stale_after() -> datetime.timedelta:
    """A running claim older than the task's hard time limit belongs to a dead worker."""
    return datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def parse_month(value: str) -> datetime.date:
    try:
        month = parse_month_text(value)
    except ValueError as exc:
        raise DomainError(f"{exc}.", field="month") from None
    if month > timezone.localdate().replace(day=1):
        raise DomainError("A report can only cover a month that has begun.", field="month")
    # Its trend reaches back months before it; year 1 would overflow in the worker.
    limits.check_dates(limits.RECORD, month=month)
    return month


# -- asking for a report ---------------------------------------------------------------------

def report_request(
    *,
    borough: Borough | None,
    month: datetime.date,
    by=None,
    regenerate: bool = False,
    whole_month: bool = False,
) -> tuple[MonthlyReport, bool]:
    """The report of `borough` (None: the roll-up) for `month`, and whether it needs producing.

    Without `regenerate`, the existing report is returned (a failed one is followed by a new
    version). With it, a new version is added unless one is already waiting or running. With
    `whole_month` (the monthly run), a ready report made while the month was still running is
    followed by a new version covering all of it."""
    if by is not None and not may_generate_reports(by):
        raise PermissionDenied("Only commanders and HQ may ask for a report.")
    month = month_start(month)
    latest = (
        MonthlyReport.objects.filter(borough=borough, month=month).order_by("-version").first()
    )
    if latest is not None:
        if latest.status in (Status.PENDING, Status.RUNNING):
            return latest, latest.status == Status.PENDING or _is_stale(latest)
        if latest.status == Status.READY and not regenerate:
            if not (whole_month and latest.is_partial and not month_running(month)):
                return latest, False
    version = (latest.version + 1) if latest else 1
    return _create_version(borough, month, version, by)


def month_running(month) -> bool:
    """The month has not ended yet: its reports are "to date"."""
    return timezone.now() < month_instants(month)[1]


def _is_stale(report) -> bool:
    beat = report.heartbeat_at or report.created_at
    return report.status == Status.RUNNING and beat < timezone.now() - stale_after()


def _create_version(borough, month, version, by) -> tuple[MonthlyReport, bool]:
    try:
        with transaction.atomic():
            # Lost in a crash of the database server, the report is asked for again: the
            # monthly run's roll-up produces a borough it finds without one, and a commander
            # asks again (the task queued for the lost row finds none, and logs it).
            commit_without_waiting()
            report = MonthlyReport.objects.create(
                borough=borough, month=month, version=version, requested_by=by
            )
        return report, True
    except IntegrityError:
        # Someone else created this version a moment ago: theirs is the one.
        existing = MonthlyReport.objects.get(borough=borough, month=month, version=version)
        return existing, False


# -- producing it ----------------------------------------------------------------------------

def report_claim(report_id: int) -> str | None:
    """Take the report for this worker: a claim token, or None if it is not ours to produce
    (ready, failed, or running in a live worker)."""
    now = timezone.now()
    token = str(uuid.uuid4())
    with transaction.atomic():
        # A claim lost in a crash of the database server leaves the report as it was (pending,
        # or a stale claim): publishing on the lost token changes nothing, and reports_resume
        # queues it again.
        commit_without_waiting()
        claimed = (
            MonthlyReport.objects.filter(pk=report_id)
            .filter(
                Q(status=Status.PENDING)
                | Q(status=Status.RUNNING, heartbeat_at__lt=now - stale_after())
            )
            .update(
                status=Status.RUNNING,
                claim_token=token,
                started_at=now,
                heartbeat_at=now,
                attempts=F("attempts") + 1,
            )
        )
    return token if claimed else None


def report_produce(report_id: int, *, compute=None) -> MonthlyReport:
    """Claim, compute and publish one report. Transient database errors give the claim back
    (pending) and propagate, for the task to retry; anything else records the report as failed.
    """
    token = report_claim(report_id)
    report = MonthlyReport.objects.select_related("borough__bcu").get(pk=report_id)
    if token is None:
        return report
    try:
        figures = (compute or compute_figures)(report)
    except TRANSIENT_ERRORS:
        _release(report_id, token)
        raise
    except BaseException as exc:  # includes SoftTimeLimitExceeded
        report_fail(report_id, token, _describe(exc))
        raise
    return _publish(report_id, token, figures)


def compute_figures(report: MonthlyReport) -> dict:
    if report.borough_id:
        figures = borough_figures(report.borough, report.month)
    else:
        figures = _rollup(report.month)
    figures["changes"] = versions.changes(report, figures)
    return figures


# The parts of a borough's figures the roll-up reads (a whole report is ~70 KB of JSON).
ROLLUP_PARTS = ("borough", "abstraction_types", "total", "trend", "flex__authorised",
                "flex__overdue_reviews", "flex__unreviewed_at_month_end", "flex__refused")


def _rollup(month) -> dict:
    """The Met-wide roll-up: the sum of each borough's newest ready report of the month. A
    borough without one, or (once the month is over) with only a "to date" one, gets its
    whole-month report produced and stored first, so that the roll-up names every version it
    summed."""
    for borough in _boroughs_to_produce(month):
        report, needs_run = report_request(borough=borough, month=month, whole_month=True)
        if needs_run or report.status in (Status.PENDING, Status.RUNNING):
            report_produce(report.pk)
    rows = (
        MonthlyReport.objects.filter(month=month, borough__isnull=False, status=Status.READY)
        .order_by("borough_id", "-version")
        .distinct("borough_id")
        .values("pk", "version", "computed_at", "borough__code",
                *(f"figures__{p}" for p in ROLLUP_PARTS), "figures__to_date")
    )
    parts = [
        {
            "report": {
                "id": row["pk"],
                "borough": row["borough__code"],
                "version": row["version"],
                "to_date": bool(row["figures__to_date"]),
                "computed_at": row["computed_at"].isoformat(),
            },
            "figures": _nest(row, "figures__"),
        }
        for row in rows
    ]
    return rollup_figures(month, parts, to_date=month_running(month))


def _boroughs_to_produce(month) -> list[Borough]:
    """The boroughs whose newest report of `month` is not one the roll-up can sum as it is (a
    ready one, for the whole month once the month is over), found in one query without the
    figures (tens of KB each): in the monthly run, none, as the boroughs' own tasks produced
    them all just before."""
    latest = {
        r.borough_id: r
        for r in MonthlyReport.objects.filter(month=month, borough__isnull=False)
        .listed().latest_versions()
    }
    over = not month_running(month)
    return [
        borough for borough in Borough.objects.order_by("name")
        if (r := latest.get(borough.pk)) is None or r.status != Status.READY
        or (over and r.is_partial)
    ]


def _nest(row: dict, prefix: str) -> dict:
    """{"figures__flex__refused": x, ...} → {"flex": {"refused": x}, ...}."""
    out = {}
    for key, value in row.items():
        if key.startswith(prefix):
            *path, leaf = key.removeprefix(prefix).split("__")
            node = out
            for part in path:
                node = node.setdefault(part, {})
            node[leaf] = value
    return out


def _publish(report_id, token, figures) -> MonthlyReport:
    source = figures.pop("source", None) if figures.get("kind") == "borough" else None
    with transaction.atomic():
        published = MonthlyReport.objects.filter(
            pk=report_id, status=Status.RUNNING, claim_token=token
        ).update(
            status=Status.READY,
            figures=figures,
            source=source or _rollup_source(figures),
            computed_at=timezone.now(),
            error="",
        )
        if published:
            emails.send_report_email(report_id, figures)  # into the outbox, with the publishing
    # The figures were just written: read back lazily, only if the caller asks for them.
    return MonthlyReport.objects.select_related("borough__bcu").defer("figures").get(pk=report_id)


def _rollup_source(figures) -> dict:
    """The borough report versions the roll-up summed."""
    return {"boroughs": len(figures.get("boroughs", [])), "versions": figures.get("sources", [])}


def _release(report_id, token) -> None:
    try:
        MonthlyReport.objects.filter(pk=report_id, claim_token=token, status=Status.RUNNING).update(
            status=Status.PENDING, claim_token=""
        )
    except TRANSIENT_ERRORS:
        log.warning("Could not release report %s; its claim will go stale.", report_id)


def report_fail(report_id, token, error: str) -> None:
    MonthlyReport.objects.filter(pk=report_id, claim_token=token, status=Status.RUNNING).update(
        status=Status.FAILED, error=error[:2000]
    )


def _describe(exc: BaseException) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return (
            f"Time limit exceeded: the report took longer than "
            f"{settings.CELERY_TASK_SOFT_TIME_LIMIT} seconds."
        )
    return f"{type(exc).__name__}: {exc}"


def boroughs_unfinished(month) -> int:
    """How many boroughs' latest reports for `month` are still pending or running."""
    latest = (
        MonthlyReport.objects.filter(month=month, borough__isnull=False)
        .order_by("borough_id", "-version")
        .distinct("borough_id")
    )
    return sum(1 for r in latest if r.status in (Status.PENDING, Status.RUNNING))


def reports_lost(now=None):
    """Reports whose production was asked for but whose task is gone (Redis emptied, a worker
    killed): pending for longer than a task waits to start, or running on a stale claim."""
    now = now or timezone.now()
    return MonthlyReport.objects.filter(
        Q(status=Status.PENDING, created_at__lt=now - RESUME_AFTER)
        | Q(status=Status.RUNNING, heartbeat_at__lt=now - stale_after())
    )


def rollups_lost(now=None) -> list[datetime.date]:
    """Months of a monthly run (a report for every borough) whose boroughs are all finished but
    which have no roll-up: the roll-up task that waited for them is gone."""
    now = now or timezone.now()
    months = (
        MonthlyReport.objects.filter(borough__isnull=False, created_at__lt=now - RESUME_AFTER)
        .values("month")
        .annotate(boroughs=Count("borough", distinct=True))
        .filter(boroughs=Borough.objects.count())
        .exclude(month__in=MonthlyReport.objects.filter(borough__isnull=True).values("month"))
        .values_list("month", flat=True)
    )
    return [month for month in months if not boroughs_unfinished(month)]
