"""The figures of one borough's month: the SNT Abstraction Report including Authorised SNT Flex,
with the promises and victims sections. Each section comes from its own module
(reports.hours_figures, reports.flex_figures, deployment.cover) or app (promises.reports,
victims.selectors); the Met-wide roll-up is built from these in reports.rollup. What each figure
means is written once, in reports.definitions.

A closed month's figures depend only on the records dated in it, as they stood at its end: the
cut-off is the month's end, whatever day the report is made. A month not over yet is reported
"to date": its cut-off is the moment the report is made (to the minute).

`borough_figures` runs a fixed number of queries (QUERIES_PER_BOROUGH) whatever the number of
wards, officers, duties or flex requests. Outside a transaction (a worker producing a report),
the minutes and victims statements run on connections of their own beside the others
(config.beside); inside one, all run in turn on the caller's connection."""

import datetime

from django.conf import settings
from django.utils import timezone

from config.beside import Beside, abandoned
from config.timeutils import LONDON, month_bounds
from demand.selectors import report_section as demand_report_section
from deployment import cover as cover_rules
from deployment.models import AbstractionType
from promises.reports import ward_promise_summary
from reports import flex_figures, hours_figures
from reports.measures import comparison, month_instants, month_start, sum_rows, target_percent
from victims.selectors import monthly_section as victims_monthly_section
from wards.models import Ward

# Wards, abstraction types, the minutes (4: the lock, the trend's stored months, the statement
# and the store of the closed months it computed: reports.hours_figures.minutes_rows), flex
# requests with their members, the reviews, the two cover figures (1: they share the posted
# officers, deployment.cover.both_below_minimum), the victims section (1) and
# the promises section (1 when the wards have no promises; when they do, promises/reports.py
# adds 1 for their linked activities over the month and all its weeks, and 1 more for the places
# of visit promises, whatever the number of wards, promises or weeks). And the
# demand section (1 when no police.uk month is loaded; 6 when one is, 7 when the year before can
# be compared).
QUERIES_PER_BOROUGH = 12


def cutoff_of(month: datetime.date, now: datetime.datetime | None = None):
    """(the instant the month's figures stop at, whether the month was still running): its end,
    or `now` (to the minute) when it had not ended."""
    start, end = month_instants(month_start(month))
    now = (now or timezone.now()).astimezone(LONDON).replace(second=0, microsecond=0)
    if now >= end:
        return end, False
    return max(now, start), True


def borough_figures(borough, month: datetime.date, *, now: datetime.datetime | None = None) -> dict:
    """Everything the SNT Abstraction Report shows for `borough` in `month` (its 1st day), as
    it stood at the month's end (or at `now`, default the present, for a month not over)."""
    month = month_start(month)
    first, last = month_bounds(month.year, month.month)
    start, _ = month_instants(month)
    end, to_date = cutoff_of(month, now)
    # States (authorised, reviewed, offered...) as they stood at the month's end; a month not
    # over yet as they stand now.
    as_at = None if to_date else end
    last_day = min(last, (end - datetime.timedelta(minutes=1)).astimezone(LONDON).date())
    wards = list(
        Ward.objects.filter(borough=borough)
        .order_by("name")
        .values("id", "code", "name", "team__id", "team__name")
    )
    types = list(AbstractionType.objects.order_by("ordering", "name").values("id", "code", "name"))
    codes = [t["code"] for t in types]
    ward_ids = [w["id"] for w in wards]
    # The two heaviest statements (the minutes, the victims: nearly all database work) each on
    # a connection of its own, while the other sections (the promises' is mostly Python) and
    # the Python below run on this one (config.beside).
    minutes = Beside(
        lambda: hours_figures.minutes_rows(borough.pk, ward_ids, month, start, end, as_at)
    )
    victims = Beside(
        lambda: victims_monthly_section(borough, first, last, as_at=as_at, until=end)
    )
    with abandoned(minutes, victims):  # an error or the time limit here cancels them
        gaps = cover_rules.both_below_minimum(ward_ids, first, last_day, as_at=as_at)
        flexes = flex_figures.month_flexes(borough, first, last, start, end, as_at)
        missed, unreviewed = flex_figures.reviews(borough, (first, last, last_day), as_at)
        promises = _promises_section(wards, month, as_at)
        # police.uk publishes a month weeks after it ends: the latest month with data, labelled.
        demand = demand_report_section(ward_ids, month)
        sections, victims_section = minutes.result(), victims.result()
    month_idx = hours_figures.TREND_MONTHS - 1
    ward_rows, no_ward = hours_figures.per_ward(wards, types, sections, month_idx)
    cover = _cover(wards, ward_rows, gaps, first, last_day)
    total = sum_rows([*ward_rows, no_ward], codes)
    trend = hours_figures.trend(month, sections)
    return {
        "kind": "borough",
        "month": f"{month:%Y-%m}",
        "to_date": to_date,
        "as_at": end.isoformat(),
        "last_day": f"{last_day:%Y-%m-%d}",
        "borough": _borough_info(borough),
        "target": settings.SNT_ABSTRACTION_TARGET,
        "target_percent": target_percent(),
        "cover_away_hours": settings.COVER_AWAY_HOURS,
        "abstraction_types": [{"code": t["code"], "name": t["name"]} for t in types],
        "wards": ward_rows,
        "no_ward": no_ward,
        "teams": hours_figures.per_team(ward_rows, codes),
        "total": total,
        "by_type": hours_figures.by_type(types, total),
        "abstractions_without_duty": hours_figures.abstractions_without_duty(types, sections),
        "flex": flex_figures.flex_section(
            wards, flexes, sections.get("duty", []), month_idx, missed, unreviewed
        ),
        "cover": cover,
        "trend": trend,
        "comparison": comparison(trend),
        "source": hours_figures.source_of(sections, month_idx),
        "promises": promises,
        "victims": victims_section,
        "demand": demand,
    }


COVER_FIELDS = {
    "posted_strength": "posted_strength_below_minimum_days",
    "cover": "cover_below_minimum_days",
}


def _cover(wards, ward_rows, gaps, first, last_day) -> dict:
    """The two cover figures per ward (every ward, nobody posted too), over the days counted,
    from `gaps`: deployment.cover.both_below_minimum's two answers."""
    posted, below = gaps
    figures = {"posted_strength": posted, "cover": below}
    out = {"days_counted": max((last_day - first).days + 1, 0)}
    for key, gaps in figures.items():
        days = cover_rules.days_by_ward(gaps)
        for row in ward_rows:
            row[COVER_FIELDS[key]] = len(days.get(row["ward_id"], ()))
        listed = [
            {"ward_code": w["code"], "ward": w["name"], "days": len(days[w["id"]]),
             "dates": [f"{d:%Y-%m-%d}" for d in days[w["id"]]]}
            for w in wards if w["id"] in days
        ]
        out[key] = {
            "ward_days": sum(len(ds) for ds in days.values()),
            "wards": sorted(listed, key=lambda r: (-r["days"], r["ward"])),
        }
    return out


def _promises_section(wards, month, as_at) -> list[dict]:
    """Per ward: the promises met and missed in the month, and places never visited."""
    summary = ward_promise_summary([w["id"] for w in wards], month.year, month.month,
                                   as_at=as_at)
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
