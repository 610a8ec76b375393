"""What changed from one version of a report to the next: the figures that differ, and how many
records dated in the month were recorded since the version before was computed (duties recorded
late change the next version, and it says so)."""

from django.db.models import Count

from config.timeutils import month_bounds
from deployment.models import Abstraction, Duty, FlexRequest
from reports import flex_figures
from reports.measures import COUNT_FIELDS, MINUTE_FIELDS, month_instants
from reports.models import MonthlyReport
from reports.rollup import FLEX_COUNTS

Status = MonthlyReport.Status


def headline(figures: dict) -> dict:
    """The figures a version is compared on: the total's minutes and days, its rate, and the
    flex section's counts."""
    total = figures["total"]
    out = {key: total[key] for key in (*MINUTE_FIELDS, *COUNT_FIELDS, "abstraction_rate")}
    if figures.get("kind") == "rollup":
        out.update({key: total[key] for key in FLEX_COUNTS})
    else:
        out.update(flex_figures.counts(figures["flex"]))
    return out


def changes(report: MonthlyReport, figures: dict) -> dict | None:
    """Against the newest ready version before `report`: {previous_version, figures: [{figure,
    before, after}], records_added: {duties, abstractions, flex_requests}}; None for the
    first."""
    previous = (
        MonthlyReport.objects.filter(
            borough=report.borough_id, month=report.month, version__lt=report.version,
            status=Status.READY,
        )
        .order_by("-version")
        .values("version", "computed_at", "figures__total", "figures__flex", "figures__kind")
        .first()
    )
    if previous is None:
        return None
    before = headline({"kind": previous["figures__kind"], "total": previous["figures__total"],
                       "flex": previous["figures__flex"]})
    after = headline(figures)
    return {
        "previous_version": previous["version"],
        "previous_computed_at": previous["computed_at"].isoformat(),
        "figures": [
            {"figure": key, "before": before.get(key), "after": value}
            for key, value in after.items()
            if before.get(key) != value
        ],
        "records_added": records_added(report, previous["computed_at"]),
    }


def records_added(report: MonthlyReport, since) -> dict:
    """Records dated in the report's month (of its borough; all London for the roll-up) that
    were recorded after `since`. Three queries."""
    start, end = month_instants(report.month)
    duties = Duty.objects.filter(starts_at__lt=end, ends_at__gt=start, recorded_at__gt=since)
    abstractions = Abstraction.objects.filter(
        starts_at__lt=end, ends_at__gt=start, recorded_at__gt=since
    )
    first, last = month_bounds(report.month.year, report.month.month)
    flexes = FlexRequest.objects.filter(
        start_date__lte=last, end_date__gte=first, created_at__gt=since
    )
    if report.borough_id:
        duties = duties.filter(home_ward__borough=report.borough_id)
        abstractions = abstractions.filter(borough=report.borough_id)
        flexes = flexes.filter(borough=report.borough_id)
    return {
        "duties": duties.aggregate(n=Count("pk"))["n"],
        "abstractions": abstractions.aggregate(n=Count("pk"))["n"],
        "flex_requests": flexes.aggregate(n=Count("pk"))["n"],
    }
