"""The demand figures, each defined once (README "Demand figures" says them in words):

- crimes: police.uk rows of every category but anti-social behaviour, in the wards and months
  (narrowed to a category, a group of categories or a theme when one is chosen);
- ASB: police.uk rows of the category anti-social behaviour;
- CAD calls: calls for service received in the wards, in those months (London time);
- rate per 1,000 residents: crimes (or ASB) ÷ Census 2021 usual residents (best fit from LSOAs)
  × 1,000, rounded only for display;
- rank in borough: 1 for the ward with the most crimes in its borough over the months; wards with
  equal crimes share a rank (1, 2, 2, 4);
- change against a year before: (crimes − crimes in the same months a year before) ÷ the latter.
  Only when every month and category counted now has data a year before; otherwise none, and
  the page says why.

All of them read the counts tables (WardMonthCount, CadWardMonth), never the rows, in a fixed
number of queries whatever the number of wards or months.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Q, Sum

from config.timeutils import add_months, months_between, today
from demand.models import (
    CadWardMonth,
    Category,
    DataImport,
    DataMonth,
    ReductionTarget,
    Theme,
    WardMonthCount,
    WardMonthTotal,
)
from demand.months import DEFAULT_RANGE_MONTHS, check_range, label
from demand.reference import ASB


@dataclass
class Selection:
    """What a demand figure counts: months, and optionally categories or a theme."""

    first: datetime.date
    last: datetime.date
    categories: list = field(default_factory=list)  # Category objects; empty: every crime
    theme: Theme | None = None
    # CAD's months: the same, unless no months were asked for; then CAD's own latest 12.
    calls_months: tuple[datetime.date, datetime.date] | None = None

    @property
    def calls_first(self) -> datetime.date:
        return self.calls_months[0] if self.calls_months else self.first

    @property
    def calls_last(self) -> datetime.date:
        return self.calls_months[1] if self.calls_months else self.last

    @property
    def calls_label(self) -> str:
        return label(self.calls_first, self.calls_last)

    @property
    def months(self) -> list[datetime.date]:
        return months_between(self.first, self.last)

    @property
    def label(self) -> str:
        return label(self.first, self.last)

    @property
    def what(self) -> str:
        if self.theme:
            return self.theme.name
        if self.categories:
            return ", ".join(c.name for c in self.categories)
        return "All crime"

    def year_before(self) -> Selection:
        return Selection(
            add_months(self.first, -12), add_months(self.last, -12), self.categories, self.theme
        )


def latest_month(kind: str = DataImport.Kind.POLICE_UK) -> datetime.date | None:
    """The latest month holding police.uk data (or, for CAD, calls)."""
    model = DataMonth if kind == DataImport.Kind.POLICE_UK else CadWardMonth
    return model.objects.aggregate(m=Max("month"))["m"]


def default_range(kind: str = DataImport.Kind.POLICE_UK) -> tuple[datetime.date, datetime.date]:
    """The latest 12 months that have data (this month's 12 when there is none yet)."""
    last = latest_month(kind) or today().replace(day=1)
    return add_months(last, -(DEFAULT_RANGE_MONTHS - 1)), last


def selection(first=None, last=None, categories=(), theme=None, kind=DataImport.Kind.POLICE_UK):
    """A Selection, months defaulting to the latest 12 with data: police.uk's for crime and
    CAD's for calls when no month is given (police.uk publishes weeks after a month ends, CAD
    is live), the months given for both otherwise."""
    calls_months = None
    if first is None and last is None and kind == DataImport.Kind.POLICE_UK:
        calls_months = default_range(DataImport.Kind.CAD)
    if first is None or last is None:
        default_first, default_last = default_range(kind)
        if last is None:
            last = max(default_last, first) if first else default_last
        if first is None:
            first = add_months(last, -(DEFAULT_RANGE_MONTHS - 1))
    check_range(first, last)
    return Selection(first, last, list(categories), theme, calls_months)


# --- counts -----------------------------------------------------------------------------------


def asb_id() -> int:
    return Category.objects.values_list("pk", flat=True).get(slug=ASB)


def crime_filter(sel: Selection, asb: int) -> Q:
    """Which count rows are the selection's "crimes" (ASB only when chosen)."""
    if sel.theme is not None:
        return theme_filter(sel.theme)
    if sel.categories:
        return Q(category_id__in=[c.pk for c in sel.categories])
    return ~Q(category_id=asb)


def theme_filter(theme: Theme) -> Q:
    """A theme's rows: its categories anywhere, plus crimes at its kinds of location. Reads the
    theme's categories from the prefetch cache when there is one."""
    anywhere = [c.pk for c in theme.categories.all()]
    at_location = [c.pk for c in theme.at_location_categories.all()]
    condition = Q(category_id__in=anywhere)
    if theme.at_locations:
        where = Q(location_kind__in=theme.at_locations)
        if at_location:
            where &= Q(category_id__in=at_location)
        else:
            where &= Q(category__is_asb=False)
        condition |= where
    return condition


def crime_counts(ward_ids, sel: Selection, *, asb: int) -> dict[int, tuple[int, int]]:
    """{ward id: (crimes, ASB)} over the selection. One query. `ward_ids` None: every ward.
    Every crime (no category or theme chosen) reads the ward-month totals."""
    if sel.theme is None and not sel.categories:
        rows = WardMonthTotal.objects.filter(month__gte=sel.first, month__lte=sel.last)
        if ward_ids is not None:
            rows = rows.filter(ward_id__in=ward_ids)
        totals = (
            rows.order_by()
            .values("ward_id")
            .annotate(n_crimes=Sum("crimes"), n_asb=Sum("asb"))
            .values_list("ward_id", "n_crimes", "n_asb")
        )
        return {ward: (crimes or 0, n_asb or 0) for ward, crimes, n_asb in totals}
    rows = WardMonthCount.objects.filter(month__gte=sel.first, month__lte=sel.last)
    if ward_ids is not None:
        rows = rows.filter(ward_id__in=ward_ids)
    totals = (
        rows.order_by()
        .values("ward_id")
        .annotate(
            crimes=Sum("count", filter=crime_filter(sel, asb)),
            asb=Sum("count", filter=Q(category_id=asb)),
        )
        .values_list("ward_id", "crimes", "asb")
    )
    return {ward: (crimes or 0, asb_n or 0) for ward, crimes, asb_n in totals}


def cad_counts(ward_ids, sel: Selection) -> dict[int, tuple[int, int]]:
    """{ward id: (CAD calls, of which ASB)} over the selection's calls months. One query."""
    rows = CadWardMonth.objects.filter(month__gte=sel.calls_first, month__lte=sel.calls_last)
    if ward_ids is not None:
        rows = rows.filter(ward_id__in=ward_ids)
    totals = (
        rows.order_by()
        .values("ward_id")
        .annotate(total=Sum("calls"), asb=Sum("calls", filter=Q(kind="asb")))
        .values_list("ward_id", "total", "asb")
    )
    return {ward: (calls or 0, asb or 0) for ward, calls, asb in totals}


def comparable(now: set, before: set) -> tuple[bool, str]:
    """Whether a change against the year before means something, and if not, why."""
    if not now:
        return False, "No data in these months."
    missing = sorted({m for m, c in now if (add_months(m, -12), c) not in before})
    if missing:
        months = ", ".join(f"{add_months(m, -12):%b %Y}" for m in missing[:4])
        more = "…" if len(missing) > 4 else ""
        return False, f"No comparison: the year before has no data for {months}{more}."
    return True, ""


def rate(count: int, residents: int | None) -> float | None:
    """Per 1,000 residents; None without a population."""
    return count * 1000 / residents if residents else None


def change(now: int, before: int | None) -> float | None:
    if before is None or before == 0:
        return None
    return (now - before) / before


def ranks(values: dict[int, int]) -> dict[int, int]:
    """Competition ranks, highest first: {key: rank}."""
    ordered = sorted(values.values(), reverse=True)
    first_at = {}
    for position, value in enumerate(ordered, start=1):
        first_at.setdefault(value, position)
    return {key: first_at[value] for key, value in values.items()}


def crime_category_ids(sel: Selection, asb: int) -> set[int] | None:
    """The categories the selection counts as crimes; None: every category but ASB."""
    if sel.theme is not None:
        anywhere = {c.pk for c in sel.theme.categories.all()}
        at_location = {c.pk for c in sel.theme.at_location_categories.all()}
        if sel.theme.at_locations and not at_location:
            return None
        return anywhere | at_location
    if sel.categories:
        return {c.pk for c in sel.categories}
    return None


# --- wards ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BoroughInfo:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class WardInfo:
    """What the figures need of a ward: read as values, not model objects (London has 679)."""

    pk: int
    code: str
    name: str
    borough_id: int
    borough: BoroughInfo
    residents: int | None


def ward_infos(wards) -> list[WardInfo]:
    """The wards of a Ward queryset, by borough name and name. One query."""
    rows = wards.order_by("borough__name", "name").values_list(
        "pk", "code", "name", "borough_id", "borough__code", "borough__name",
        "population__residents",
    )  # fmt: skip
    boroughs: dict[int, BoroughInfo] = {}
    out = []
    for pk, code, name, borough_id, borough_code, borough_name, residents in rows:
        borough = boroughs.setdefault(borough_id, BoroughInfo(borough_code, borough_name))
        out.append(WardInfo(pk, code, name, borough_id, borough, residents))
    return out


@dataclass
class WardDemand:
    ward: object
    crimes: int = 0
    asb: int = 0
    cad_calls: int = 0
    cad_asb: int = 0
    crimes_before: int | None = None
    rank: int | None = None

    @property
    def residents(self) -> int | None:
        return self.ward.residents

    @property
    def crimes_rate(self) -> float | None:
        return rate(self.crimes, self.residents)

    @property
    def asb_rate(self) -> float | None:
        return rate(self.asb, self.residents)

    @property
    def change(self) -> float | None:
        return change(self.crimes, self.crimes_before)


@dataclass
class DemandTable:
    selection: Selection
    rows: list[WardDemand]
    comparable: bool
    why_not_comparable: str
    every_ward: bool = False  # the rows are all London's wards

    def total(self, name: str) -> int:
        return sum(getattr(r, name) or 0 for r in self.rows)

    @property
    def total_crimes(self) -> int:
        return self.total("crimes")

    @property
    def total_asb(self) -> int:
        return self.total("asb")

    @property
    def total_cad(self) -> int:
        return self.total("cad_calls")

    @property
    def residents(self) -> int:
        return sum(r.residents or 0 for r in self.rows)

    @property
    def crimes_rate(self):
        return rate(self.total("crimes"), self.residents)

    @property
    def asb_rate(self):
        return rate(self.total("asb"), self.residents)

    @property
    def change(self):
        if not self.comparable:
            return None
        return change(self.total("crimes"), self.total("crimes_before"))


def ward_demand(wards, sel: Selection, *, show=None, every_ward=False) -> DemandTable:
    """Demand of each ward in `wards` (WardInfo, from `ward_infos`), ranked within
    its borough among `wards`; `show` (ward ids) keeps only those rows. `every_ward`: `wards` is
    all London, so the counts need no list of ids. Five queries."""
    asb = asb_id()
    ids = None if every_ward else [w.pk for w in wards]
    now = crime_counts(ids, sel, asb=asb)
    calls = cad_counts(ids, sel)
    pairs = set(
        DataMonth.objects.filter(
            Q(month__gte=sel.first, month__lte=sel.last)
            | Q(month__gte=add_months(sel.first, -12), month__lte=add_months(sel.last, -12))
        ).values_list("month", "category_id")
    )
    counted = crime_category_ids(sel, asb)
    in_sel = {
        (m, c)
        for m, c in pairs
        if m >= sel.first and (c != asb if counted is None else c in counted)
    }
    ok, why = comparable(in_sel, pairs)
    before = crime_counts(ids, sel.year_before(), asb=asb) if ok else {}
    rows = []
    for ward in wards:
        crimes, asb_n = now.get(ward.pk, (0, 0))
        cad_n, cad_asb = calls.get(ward.pk, (0, 0))
        prior = before.get(ward.pk, (0, 0))[0] if ok else None
        rows.append(WardDemand(ward, crimes, asb_n, cad_n, cad_asb, prior))
    _rank_in_borough(rows)
    if show is not None:
        rows = [r for r in rows if r.ward.pk in show]
    return DemandTable(sel, rows, ok, why, every_ward and show is None)


def _rank_in_borough(rows: list[WardDemand]) -> None:
    by_borough: dict[int, dict] = {}
    for row in rows:
        by_borough.setdefault(row.ward.borough_id, {})[row.ward.pk] = row.crimes
    rank_of = {}
    for values in by_borough.values():
        rank_of.update(ranks(values))
    for row in rows:
        row.rank = rank_of[row.ward.pk]


def by_month(ward_ids, sel: Selection) -> list[dict]:
    """Month by month: crimes by category (every category, ASB included) and CAD calls, for the
    wards. Two queries."""
    counts = (
        WardMonthCount.objects.filter(month__gte=sel.first, month__lte=sel.last)
        .filter(ward_id__in=ward_ids)
        .order_by()
        .values("month", "category_id")
        .annotate(n=Sum("count"))
    )
    calls = (
        CadWardMonth.objects.filter(month__gte=sel.first, month__lte=sel.last, ward_id__in=ward_ids)
        .order_by()
        .values("month")
        .annotate(n=Sum("calls"))
    )
    table = {m: {"month": m, "categories": {}, "cad_calls": 0} for m in sel.months}
    for row in counts:
        table[row["month"]]["categories"][row["category_id"]] = row["n"]
    for row in calls:
        table[row["month"]]["cad_calls"] = row["n"]
    return list(table.values())


# --- freshness and the target --------------------------------------------------------------------


def freshness() -> dict:
    """The latest month of police.uk data and of CAD calls, and when each was last imported."""
    last = {}
    for kind in DataImport.Kind.values:
        last[kind] = (
            DataImport.objects.filter(kind=kind, status=DataImport.Status.DONE)
            .order_by("-finished_at")
            .values("finished_at", "file_name")
            .first()
        )
    return {
        "crime_month": latest_month(),
        "cad_month": latest_month(DataImport.Kind.CAD),
        "crime_import": last[DataImport.Kind.POLICE_UK],
        "cad_import": last[DataImport.Kind.CAD],
    }


@dataclass
class TargetProgress:
    target: ReductionTarget
    baseline: int
    baseline_months: int
    current: int
    current_from: datetime.date | None
    current_to: datetime.date | None
    current_months: int

    @property
    def goal(self) -> float:
        return self.baseline * (1 - float(self.target.reduction_percent) / 100)

    @property
    def complete(self) -> bool:
        return self.baseline_months == 12 and self.current_months == 12

    @property
    def change(self):
        return change(self.current, self.baseline) if self.complete else None

    @property
    def on_track(self):
        return self.current <= self.goal if self.complete else None


def target_progress(ward_ids=None) -> list[TargetProgress]:
    """Each active target for the wards (None: London): the baseline 12 months against the
    latest 12 months with data up to the target month."""
    out = []
    targets = ReductionTarget.objects.filter(active=True).prefetch_related("categories")
    for target in targets:
        cats = [c.pk for c in target.categories.all()]
        months = set(DataMonth.objects.filter(category_id__in=cats).values_list("month", flat=True))
        baseline = Selection(target.baseline_from, add_months(target.baseline_from, 11))
        eligible = [m for m in months if m <= target.target_month and m > baseline.last]
        last = max(eligible) if eligible else None
        current = Selection(add_months(last, -11), last) if last else None
        out.append(
            TargetProgress(
                target,
                _sum(ward_ids, baseline, cats),
                len(months & set(baseline.months)),
                _sum(ward_ids, current, cats) if current else 0,
                current.first if current else None,
                last,
                len(months & set(current.months)) if current else 0,
            )
        )
    return out


def _sum(ward_ids, sel: Selection, cats) -> int:
    rows = WardMonthCount.objects.filter(
        month__gte=sel.first, month__lte=sel.last, category_id__in=cats
    )
    if ward_ids is not None:
        rows = rows.filter(ward_id__in=ward_ids)
    return rows.aggregate(n=Sum("count"))["n"] or 0


# --- for the monthly report and Grip and Pace ----------------------------------------------------


def report_section(ward_ids, up_to: datetime.date) -> dict | None:
    """The demand section of a monthly report: the latest police.uk month with data at or before
    `up_to` (police.uk publishes weeks after a month ends), labelled with that month, each ward's
    figures over it and CAD calls over the same month. JSON-ready. Six queries."""
    month = DataMonth.objects.filter(month__lte=up_to).aggregate(m=Max("month"))["m"]
    if month is None:
        return None
    from wards.models import Ward

    wards = ward_infos(Ward.objects.filter(pk__in=ward_ids))
    table = ward_demand(wards, Selection(month, month))
    rows = sorted(table.rows, key=lambda r: (r.rank, r.ward.name))
    return {
        "month": f"{month:%Y-%m}",
        "label": f"{month:%B %Y}",
        "comparable": table.comparable,
        "totals": {
            "crimes": table.total_crimes,
            "asb": table.total_asb,
            "cad_calls": table.total_cad,
            "change": table.change,
        },
        "wards": [
            {
                "ward": r.ward.name,
                "code": r.ward.code,
                "crimes": r.crimes,
                "asb": r.asb,
                "cad_calls": r.cad_calls,
                "per_1000": r.crimes_rate,
                "rank": r.rank,
                "change": r.change,
            }
            for r in rows
        ],
    }


def calls_on(ward_ids, day: datetime.date) -> list[dict]:
    """Each ward's CAD calls received on `day` (London), ASB apart, busiest first. One query."""
    from django.db.models import Count

    from config.timeutils import day_bounds
    from demand.models import CadCall

    start, end = day_bounds(day, day)
    rows = (
        CadCall.objects.filter(ward_id__in=ward_ids, received_at__gte=start, received_at__lt=end)
        .order_by()
        .values("ward_id", "ward__name", "ward__code")
        .annotate(calls=Count("pk"), asb=Count("pk", filter=Q(kind="asb")))
    )
    return sorted(
        (
            {"ward": r["ward__name"], "code": r["ward__code"], "calls": r["calls"], "asb": r["asb"]}
            for r in rows
        ),
        key=lambda r: (-r["calls"], r["ward"]),
    )
