"""Each measure of an area, month by month: its value, its comparison, its target, and the exact
percentage it is rated on (reports.performance.bands rates it). Defined once here; the pages,
the API, the CSV, the PDF and the monthly report's section all read `area_months`.

What each measure counts is written once, in words, in `bands.COUNTED` (the bands page and
the README show it); each `_…_result` below is its computation.

A report-based measure of a borough, BCU or London is grey unless every borough in it has a
ready report of the month (the latest version). Figures are whole counts and minutes; the rated
percentage is an exact fraction, shown rounded once (two places)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import F, Func, IntegerField, Q, Sum

from config import datacache
from demand.models import DataMonth, ReductionTarget, WardMonthCount, WardMonthTotal
from reports.measures import (
    abstraction_parts,
    add_months,
    month_instants,
    percent,
    target_percent,
)
from reports.models import MonthlyReport
from reports.performance import bands
from reports.performance.areas import Area
from reports.performance.bands import Measure
from reports.performance.models import ConfidenceResult, Level, RatingBand
from victims.models import VisitOffer
from victims.selectors import satisfaction_by_month
from wards.models import Borough

TREND_MONTHS = 12


def shown(value: Fraction | None) -> str | None:
    """An exact percentage rounded once, half up, to two places: "11.82"."""
    return None if value is None else percent(value.numerator, value.denominator * 100)


def share(part: int, whole: int) -> Fraction | None:
    return Fraction(part * 100, whole) if whole else None


def change(now: int, then: int) -> Fraction | None:
    """The change on `then`, in per cent; none on nothing (unless nothing became nothing)."""
    if then == 0:
        return Fraction(0) if now == 0 else None
    return Fraction((now - then) * 100, then)


@dataclass
class Result:
    measure: str
    value: str | None = None
    unit: str = ""
    comparison: str | None = None
    comparison_label: str = ""
    target: str | None = None
    rated: Fraction | None = None
    note: str = ""
    rating: str = bands.GREY
    rule: str = ""
    detail: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return Measure(self.measure).label

    @property
    def rated_value(self) -> str | None:
        return shown(self.rated)

    def as_dict(self) -> dict:
        return {
            "measure": self.measure, "label": self.label, "value": self.value,
            "unit": self.unit, "comparison": self.comparison,
            "comparison_label": self.comparison_label, "target": self.target,
            "rated_value": self.rated_value, "rating": self.rating, "rule": self.rule,
            "note": self.note, "counts": self.detail,
        }  # fmt: skip


@dataclass
class Month:
    month: datetime.date
    results: list[Result]

    @property
    def by_measure(self) -> dict[str, Result]:
        return {r.measure: r for r in self.results}


# -- gathering: each a fixed number of queries over the whole window -----------------------------

def months_of(last: datetime.date, n: int) -> list[datetime.date]:
    return [add_months(last, i - n + 1) for i in range(n)]


def _demand(area: Area, first, last) -> tuple[dict, set]:
    """({month: (crimes, ASB)} from a year before `first`, the months police.uk has
    published)."""
    since = add_months(first, -12)
    rows = (WardMonthTotal.objects.filter(area.wards(), month__gte=since, month__lte=last)
            .values("month").annotate(crimes=Sum("crimes"), asb=Sum("asb")))
    # Every month published up to `last` (a few hundred rows at most): the MOPAC baseline's
    # months too, which may lie years before the window.
    loaded = set(DataMonth.objects.filter(month__lte=last)
                 .values_list("month", flat=True).distinct())
    return {r["month"]: (r["crimes"], r["asb"]) for r in rows}, loaded


def _mopac(area: Area, months) -> tuple[ReductionTarget | None, dict]:
    """The active target (the first, as demand orders them) and {month: count of its
    categories} over the months and their baseline months. Two or three queries."""
    target = ReductionTarget.objects.filter(active=True).prefetch_related("categories").first()
    if target is None:
        return None, {}
    wanted = set(months) | {_baseline_month(target, m) for m in months} - {None}
    rows = (WardMonthCount.objects.filter(
        area.wards(), month__in=wanted, category__in=[c.pk for c in target.categories.all()])
        .values("month").annotate(n=Sum("count")))
    return target, {r["month"]: r["n"] for r in rows}


def _baseline_month(target, month) -> datetime.date | None:
    """The baseline year's month of the same calendar month, if `month` is after that year."""
    first = target.baseline_from
    for i in range(12):
        candidate = add_months(first, i)
        if candidate.month == month.month:
            return candidate if month > add_months(first, 11) else None
    return None


def _satisfaction(area: Area, first, last) -> dict:
    start, _ = month_instants(add_months(first, -1))
    _, end = month_instants(last)
    offers = VisitOffer.objects.filter(area.wards("victim__crime__ward"))
    return satisfaction_by_month(offers, start, end)


def quarter_of(month: datetime.date) -> datetime.date:
    return datetime.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)


def _confidence(area: Area, first, last) -> dict:
    """{quarter: {"borough": {id: (share, respondents)}, "ward": {...}}} from the quarter before
    `first`'s. One query."""
    results = ConfidenceResult.objects.filter(
        quarter__gte=add_months(quarter_of(first), -3), quarter__lte=quarter_of(last))
    if area.ward is not None:
        results = results.filter(ward=area.ward) | results.filter(borough=area.ward.borough_id)
    else:
        results = results.filter(borough__in=area.borough_ids)
    out = defaultdict(lambda: {"borough": {}, "ward": {}})
    for r in results.values("quarter", "borough_id", "ward_id", "share_confident", "respondents"):
        kind, key = ("ward", r["ward_id"]) if r["ward_id"] else ("borough", r["borough_id"])
        out[r["quarter"]][kind][key] = (Fraction(r["share_confident"]), r["respondents"])
    return out


def _reports(area: Area, first, last, pinned=()) -> dict:
    """{(borough id, month): the parts of its latest ready report the measures read}. One query.
    Only the JSON parts needed are fetched, never the whole figures. `pinned`: report ids read
    instead of their borough's latest of `last` (a report's own section rates that report)."""
    parts = {
        "total": F("figures__total"),
        "days_counted": F("figures__cover__days_counted"),
        "promises": F("figures__promises"),
        "to_date": F("figures__to_date"),
        "ward_count": Func(F("figures__wards"), function="jsonb_array_length",
                           output_field=IntegerField()),
    }
    if area.ward is not None:
        parts["wards"] = F("figures__wards")
    rows = (MonthlyReport.objects.filter(
        borough__in=area.borough_ids, month__gte=add_months(first, -1), month__lte=last,
        status=MonthlyReport.Status.READY)
        .order_by("borough_id", "month", "-version").distinct("borough_id", "month")
        .values("borough_id", "month", "version", **parts))
    if pinned:
        rows = rows.exclude(
            Q(month=last) & ~Q(pk__in=pinned)
            & Q(borough_id__in=MonthlyReport.objects.filter(pk__in=pinned).values("borough_id"))
        )
    return {(r["borough_id"], r["month"]): r for r in rows}


# -- each measure of one month ------------------------------------------------------------------

def _label(month: datetime.date) -> str:
    return f"{month:%B %Y}"


def _demand_result(measure, index, month, counts, loaded) -> Result:
    then = add_months(month, -12)
    result = Result(measure, unit="crimes" if index == 0 else "incidents",
                    comparison_label=f"{_label(then)} (same month last year)")
    if month not in loaded:
        result.note = "police.uk has not published this month yet."
        return result
    now = counts.get(month, (0, 0))[index]
    result.value = str(now)
    if then not in loaded:
        result.note = "No police.uk data for the same month last year."
        return result
    before = counts.get(then, (0, 0))[index]
    result.comparison = str(before)
    result.rated = change(now, before)
    if result.rated is None:
        result.note = "None last year: no change to rate."
    return result


def _mopac_result(month, target, counts, loaded) -> Result:
    result = Result(Measure.MOPAC, unit="crimes")
    if target is None:
        result.note = "No active MOPAC target."
        return result
    base = _baseline_month(target, month)
    result.comparison_label = f"{_label(base)} (baseline)" if base else "baseline"
    if month not in loaded:
        result.note = "police.uk has not published this month yet."
        return result
    result.value = str(counts.get(month, 0))
    if base is None or base not in loaded:
        result.note = "No baseline month to compare with."
        return result
    baseline = counts.get(base, 0)
    goal = Fraction(baseline) * (100 - Fraction(target.reduction_percent)) / 100
    result.comparison, result.target = str(baseline), f"{float(goal):.1f}"
    result.rated = (Fraction((counts.get(month, 0) - goal) * 100) / goal) if goal else (
        Fraction(0) if counts.get(month, 0) == 0 else None)
    return result


def _satisfaction_result(month, by_month) -> Result:
    prev = add_months(month, -1)
    result = Result(Measure.SATISFACTION, unit="% satisfied",
                    comparison_label=_label(prev))
    asked, satisfied = by_month.get(month, (0, 0))
    result.detail = {"asked": asked, "satisfied": satisfied}
    result.rated = share(satisfied, asked)
    result.value = shown(result.rated)
    result.comparison = shown(share(*reversed(by_month.get(prev, (0, 0)))))
    result.note = f"{satisfied} of {asked} asked scored 4 or 5." if asked else "No victim asked."
    return result


def _confidence_share(area: Area, quarter_results) -> tuple[Fraction | None, str]:
    if area.ward is not None:
        own = quarter_results["ward"].get(area.ward.pk)
        if own:
            return own[0], "The ward's own survey result."
        borough = quarter_results["borough"].get(area.ward.borough_id)
        return (borough[0], "The borough's survey result.") if borough else (None, "No survey.")
    found = [quarter_results["borough"].get(b) for b in area.borough_ids]
    if not all(found):
        have = sum(1 for f in found if f)
        return None, f"{have} of {len(found)} boroughs have a survey result."
    people = sum(r for _s, r in found)
    weighted = sum(s * r for s, r in found) / people
    return weighted, f"Weighted by {people} respondents."


def _confidence_result(area, month, by_quarter) -> Result:
    quarter = quarter_of(month)
    prev = add_months(quarter, -3)
    result = Result(Measure.CONFIDENCE, unit="% confident",
                    comparison_label=f"{prev.year}-Q{(prev.month - 1) // 3 + 1}")
    result.rated, result.note = _confidence_share(area, by_quarter[quarter])
    result.value = shown(result.rated)
    result.comparison = shown(_confidence_share(area, by_quarter[prev])[0])
    return result


def _report_rows(area: Area, month, reports) -> tuple[list | None, str]:
    """The rows (one per borough, or the ward's) of the month's reports, or None and why."""
    rows = [reports.get((b, month)) for b in area.borough_ids]
    if not all(rows):
        missing = sum(1 for r in rows if not r)
        return None, (f"{missing} of {len(rows)} boroughs have no ready report of the month."
                      if len(rows) > 1 else "No ready monthly report of the month.")
    note = "To date: the month was not over when reported." if any(
        r["to_date"] for r in rows) else ""
    return rows, note


def _ward_row(area, row) -> dict | None:
    return next((w for w in row.get("wards") or () if w["ward_code"] == area.code), None)


def _report_core(area: Area, measure, month, reports) -> tuple[Fraction | None, dict, str]:
    """The rated fraction of a report-based measure in `month`, its counts, and a note."""
    rows, note = _report_rows(area, month, reports)
    if rows is None:
        return None, {}, note
    if measure == Measure.PROMISES:
        entries = [p for r in rows for p in r["promises"] or ()
                   if area.ward is None or p["ward_code"] == area.code]
        # The report lists the titles of the promises met and missed (each promise once).
        met = sum(len(p["met"]) for p in entries)
        missed = sum(len(p["missed"]) for p in entries)
        return share(met, met + missed), {"met": met, "due": met + missed}, note
    if area.ward is not None:
        ward = _ward_row(area, rows[0])
        if ward is None:
            return None, {}, "The ward is not in its borough's report."
        totals, ward_days = [ward], rows[0]["days_counted"]
    else:
        totals = [r["total"] for r in rows]
        ward_days = sum(r["days_counted"] * r["ward_count"] for r in rows)
    if measure == Measure.ABSTRACTION:
        part, whole = abstraction_parts(totals)
        return share(part, whole), {"abstracted_minutes": part, "duty_minutes": whole}, note
    days = sum(t["cover_below_minimum_days"] for t in totals)
    return share(days, ward_days), {"days": days, "ward_days": ward_days}, note


REPORT_UNITS = {
    Measure.PROMISES: "% met", Measure.ABSTRACTION: "% of duty minutes",
    Measure.COVER: "% of ward-days",
}


def _report_result(area, measure, month, reports) -> Result:
    prev = add_months(month, -1)
    rated, counts, note = _report_core(area, measure, month, reports)
    result = Result(measure, unit=REPORT_UNITS[measure], comparison_label=_label(prev),
                    rated=rated, note=note, detail=counts)
    result.value = shown(rated)
    result.comparison = shown(_report_core(area, measure, prev, reports)[0])
    if measure == Measure.COVER and counts:
        result.value = f"{counts['days']} of {counts['ward_days']} ward-days"
        result.note = (note + " " if note else "") + f"{shown(rated) or '-'}% of ward-days."
    if measure == Measure.ABSTRACTION:
        result.target = target_percent()
    if measure == Measure.PROMISES and counts:
        result.note = (note + " " if note else "") + f"{counts['met']} of {counts['due']} met."
    return result


# -- the whole --------------------------------------------------------------------------------

def area_months(area: Area, last: datetime.date, n: int = TREND_MONTHS, *,
                pinned=()) -> list[Month]:
    """The area's measures for the `n` months ending with `last` (its 1st day), oldest first,
    each rated. A fixed number of queries, whatever the area or the number of months. `pinned`:
    the ids of the borough reports of `last` to read (default: each borough's latest)."""
    months = months_of(last, n)
    first = months[0]
    counts, loaded = _demand(area, first, last)
    target, mopac = _mopac(area, months)
    satisfaction = _satisfaction(area, first, last)
    confidence = _confidence(area, first, last)
    reports = _reports(area, first, last, tuple(pinned))
    band_of = {b.measure: b for b in RatingBand.objects.all()}
    out = []
    for month in months:
        results = [
            _demand_result(Measure.CRIME, 0, month, counts, loaded),
            _demand_result(Measure.ASB, 1, month, counts, loaded),
            _mopac_result(month, target, mopac, loaded),
            _satisfaction_result(month, satisfaction),
            _confidence_result(area, month, confidence),
            *(_report_result(area, m, month, reports)
              for m in (Measure.PROMISES, Measure.ABSTRACTION, Measure.COVER)),
        ]
        for r in results:
            band = band_of.get(r.measure)
            r.rating = bands.rate(r.measure, r.rated, band)
            r.rule = bands.rule_text(r.measure, band)
        out.append(Month(month, results))
    return out


def area_months_kept(area: Area, last: datetime.date, n: int = TREND_MONTHS) -> list[Month]:
    """`area_months` for the pages and the API, kept (config.datacache) until a table it read is
    written to: the figures of an area are the same for everyone who may see it (the caller has
    checked that), and a borough's satisfaction alone reads every offer of its crimes (a fifth of
    a second at London's scale). The monthly report computes afresh.

    Keyed on the boroughs counted too: a BCU is the part of it the user may see, so one user's
    BCU figures are never another's."""
    return datacache.cached(
        ("performance", area.level, area.code, area.borough_ids, last.isoformat(), n),
        lambda: (area_months(area, last, n), True),
    )


# -- the monthly report's performance section -----------------------------------------------------

def report_area(report) -> Area:
    """The area a monthly report covers: its borough, or London for the roll-up."""
    if report.borough_id is None:
        ids = tuple(Borough.objects.order_by("pk").values_list("pk", flat=True))
        return Area(Level.LONDON, "", "London", ids)
    b = report.borough
    return Area(Level.BOROUGH, b.code, b.name, (b.pk,), borough=b)


def report_section(report) -> list[Result]:
    """The performance section of a monthly report: its area's measures in its month, rated on
    the report's own figures (a borough's version itself; the roll-up's, the versions it summed),
    so an older version's section agrees with its total; the month before is the latest."""
    if report.borough_id is None:
        pinned = [s["id"] for s in (report.figures or {}).get("sources", ())]
    else:
        pinned = [report.pk]
    return area_months(report_area(report), report.month, n=1, pinned=pinned)[-1].results


SECTION_COLUMNS = {
    "Measure": "The measure's name.",
    "Value": "The month's figure, as shown (a percentage where the unit says so).",
    "Unit": "What the value counts.",
    "Compared With": "The comparison's figure.",
    "Comparison": "What the value is compared with.",
    "Target": "The target, where the measure has one.",
    "Rated (%)": "The percentage the rating is given on, rounded once to 0.01.",
    "Rating": "red, amber, green, or grey where data is missing.",
    "Rule": "The rule of the rating, with the band's limits.",
    "Note": "Counts behind a share, or why the measure is grey.",
}


def section_rows(results) -> list[list]:
    return [[r.label, r.value, r.unit, r.comparison, r.comparison_label, r.target,
             r.rated_value, r.rating, r.rule, r.note] for r in results]
