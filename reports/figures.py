"""The figures of one borough's month: the SNT Abstraction Report including Authorised SNT Flex,
with the promises and victims sections. Each section comes from its own module
(reports.hours_figures, reports.flex_figures) or app (promises.reports, victims.selectors); the
Met-wide roll-up is built from these in reports.rollup.

`borough_figures` runs a fixed number of queries (QUERIES_PER_BOROUGH) whatever the number of
wards, officers, duties or flex requests."""

import datetime

from django.conf import settings

from config.timeutils import LONDON, day_bounds, month_bounds
from demand.selectors import report_section as demand_report_section
from deployment import cover as cover_rules
from deployment.models import AbstractionType
from promises.reports import ward_promise_summary
from reports import flex_figures, hours_figures
from reports.measures import comparison, hours, month_start, sum_rows
from victims.selectors import monthly_section as victims_monthly_section
from wards.models import Ward

# Wards, abstraction types, duty hours (with the source summary), the trend's earlier months, flex
# requests with their members, the reviews missed, cover gaps, the victims section (1) and the
# promises section (1 when the wards have no promises; promises/reports.py runs a few more per
# week of the month when they do, still whatever the number of wards or promises).
# And the demand section (1 when no police.uk month is loaded; 6 when one is, 7 when the year
# before can be compared).
QUERIES_PER_BOROUGH = 10


def borough_figures(borough, month: datetime.date, *, today: datetime.date | None = None) -> dict:
    """Everything the SNT Abstraction Report shows for `borough` in `month` (its 1st day)."""
    month = month_start(month)
    first, last = month_bounds(month.year, month.month)
    start, end = day_bounds(first, last)
    today = today or datetime.datetime.now(LONDON).date()
    wards = list(
        Ward.objects.filter(borough=borough)
        .order_by("name")
        .values("id", "code", "name", "team__id", "team__name")
    )
    types = list(AbstractionType.objects.order_by("ordering", "name").values("id", "code", "name"))
    ward_ids = [w["id"] for w in wards]
    duty_rows = hours_figures.duty_hours(ward_ids, start, end)
    trend = hours_figures.trend_rows(ward_ids, month, duty_rows)
    per_ward, by_type_total, flex_seconds = hours_figures.per_ward(wards, types, duty_rows)
    below = cover_rules.days_by_ward(cover_rules.cover_below_minimum(ward_ids, first, last))
    cover = hours_figures.cover_section(wards, below)
    for row in per_ward:
        row["cover_gap_days"] = cover["days_by_ward"].get(row["ward_id"], 0)
    total = sum_rows(per_ward, types)
    total["cover_gap_days"] = sum(r["cover_gap_days"] for r in per_ward)
    return {
        "kind": "borough",
        "month": f"{month:%Y-%m}",
        "borough": _borough_info(borough),
        "target": settings.SNT_ABSTRACTION_TARGET,
        "abstraction_types": [{"code": t["code"], "name": t["name"]} for t in types],
        "wards": per_ward,
        "teams": hours_figures.per_team(per_ward),
        "total": total,
        "by_type": [
            {"code": t["code"], "name": t["name"], "hours": hours(by_type_total[t["id"]])}
            for t in types
        ],
        "flex": _flex(borough, wards, flex_seconds, first, last, start, end, today),
        "cover": {"wards": cover["wards"], "ward_days": cover["ward_days"]},
        "trend": trend,
        "comparison": comparison(trend),
        "source": hours_figures.source_of(duty_rows),
        "promises": _promises_section(wards, month),
        "victims": victims_monthly_section(borough, first, last),
        # police.uk publishes a month weeks after it ends: the latest month with data, labelled.
        "demand": demand_report_section(ward_ids, month),
    }


def _flex(borough, wards, flex_seconds, first, last, start, end, today) -> dict:
    flexes, members = flex_figures.month_flexes(borough, first, last, start, end)
    overdue = flex_figures.overdue_reviews(borough, first, last, today)
    return flex_figures.flex_section(wards, flexes, members, flex_seconds, overdue, first, last)


def _promises_section(wards, month) -> list[dict]:
    """Per ward: the promises met and missed in the month, and places never visited."""
    summary = ward_promise_summary([w["id"] for w in wards], month.year, month.month)
    return [
        {
            "ward": w["name"],
            "ward_code": w["code"],
            "met": summary[w["id"]].met,
            "missed": summary[w["id"]].missed,
            "never_visited": summary[w["id"]].never_visited,
        }
        for w in wards
        if w["id"] in summary
    ]


def _borough_info(borough) -> dict:
    bcu = borough.bcu
    return {
        "id": borough.pk,
        "code": borough.code,
        "name": borough.name,
        "bcu": {"code": bcu.code, "name": bcu.name},
    }
