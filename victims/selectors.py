"""Reads for victims: a team's work list and the borough's figures. Each runs a fixed number of
queries whatever the number of crimes."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from config.timeutils import day_bounds
from victims.models import OfferStatus, Route, VisitOffer, VisitTransition

S = OfferStatus
# Every state an offer can only reach once the victim said yes.
ACCEPTED_STATES = (S.ACCEPTED, S.SCHEDULED, S.COMPLETED, S.MISSED, S.CANCELLED)
MADE_STATES = (*ACCEPTED_STATES, S.OFFERED, S.DECLINED, S.NO_REPLY)


def queue(user, *, ward=None, borough=None):
    """The offers of one ward team's queue (crimes routed to the ward team), or of one
    borough's CID queue (`borough`, crimes routed to CID)."""
    offers = VisitOffer.objects.for_user(user).with_crime()
    if ward is not None:
        return offers.filter(victim__crime__ward=ward, victim__crime__routed_to=Route.WARD)
    return offers.filter(victim__crime__borough=borough, victim__crime__routed_to=Route.CID)


@dataclass
class WorkList:
    offers_due: list
    to_schedule: list
    today: list
    this_week: list

    # Each section: its attribute, its caption, and what the page says when it is empty.
    SECTIONS = (
        ("offers_due", "Offers due", "No offers are due."),
        ("to_schedule", "Visits to schedule", "No accepted or missed visit is waiting for a time."),
        ("today", "Visits today", "No visits today."),
        ("this_week", "Visits later this week", "No more visits this week."),
    )

    def sections(self) -> list[tuple[str, list]]:
        """Each section's caption and offers, in the page's order."""
        return [(caption, getattr(self, name)) for name, caption, _ in self.SECTIONS]

    def shown(self) -> list[tuple[str, list, str]]:
        """Each section's caption, offers and empty text, for the page."""
        return [(caption, getattr(self, name), empty) for name, caption, empty in self.SECTIONS]


# The work list's sortable columns: a key of the page's `sort` parameter and the field it orders
# by. Victims' names are not among them: a list ordered by name would show whose names there are.
WORK_SORTS = {
    "crime": "victim__crime__reference",
    "type": "victim__crime__category__name",
    "deadline": "due_date",
    "visit": "window_start",
}


def work_sort_order(sort: str) -> tuple[str, ...] | None:
    """The ORDER BY of a `sort` value (`key` or `-key` of WORK_SORTS), None for no sort or an
    unknown one (the page says so)."""
    descending = sort.startswith("-")
    field = WORK_SORTS.get(sort.removeprefix("-"))
    if field is None:
        return None
    return (f"-{field}" if descending else field, "pk")


def work_list(offers, *, on=None, order=None) -> WorkList:
    """Offers to make (overdue first, by deadline), accepted or missed visits to (re)schedule,
    and visits in the window today and the rest of this week, each section in its working order
    unless `order` (from `work_sort_order`) sorts them all by a column. Four queries."""
    on = on or timezone.localdate()
    today_start, today_end = day_bounds(on, on)
    sunday = on + datetime.timedelta(days=6 - on.weekday())
    _, week_end = day_bounds(on, sunday)
    by_deadline = order or ("due_date", "pk")
    scheduled = offers.filter(status=S.SCHEDULED).order_by(*(order or ("window_start", "pk")))
    return WorkList(
        # An offer never made before the victim's details were removed can no longer be made.
        offers_due=list(
            offers.filter(status__in=(S.DUE, S.OFFERED), victim__anonymised_at__isnull=True)
            .order_by(*by_deadline)
        ),
        to_schedule=list(
            offers.filter(status__in=(S.ACCEPTED, S.MISSED)).order_by(*by_deadline)
        ),
        today=list(scheduled.filter(window_start__lt=today_end, window_end__gt=today_start)),
        this_week=list(scheduled.filter(window_start__gte=today_end, window_start__lt=week_end)),
    )


@dataclass
class Figures:
    label: str
    victims: int = 0
    offers_made: int = 0
    on_time: int = 0
    accepted: int = 0
    completed: int = 0
    completed_on_time: int = 0
    satisfaction_sum: int = 0
    satisfaction_n: int = 0
    repeats: int = 0
    months: dict = field(default_factory=dict)

    def add(self, row):
        self.victims += row["victims"]
        self.offers_made += row["offers_made"]
        self.on_time += row["on_time"]
        self.accepted += row["accepted"]
        self.completed += row["completed"]
        self.completed_on_time += row["completed_on_time"]
        if row["satisfaction_n"]:
            self.satisfaction_sum += row["satisfaction_sum"]
            self.satisfaction_n += row["satisfaction_n"]
        self.repeats += row["repeats"]

    @staticmethod
    def _pct(n, d):
        """A whole percentage, rounded once, half up, from the exact counts."""
        return (200 * n + d) // (2 * d) if d else None

    @property
    def offer_rate(self):
        return self._pct(self.offers_made, self.victims)

    @property
    def on_time_rate(self):
        return self._pct(self.on_time, self.offers_made)

    @property
    def acceptance_rate(self):
        return self._pct(self.accepted, self.offers_made)

    @property
    def completion_rate(self):
        return self._pct(self.completed, self.accepted)

    @property
    def completed_on_time_rate(self):
        return self._pct(self.completed_on_time, self.completed)

    @property
    def satisfaction(self):
        """The mean score to one decimal place, rounded once, half up, from the exact sum."""
        if not self.satisfaction_n:
            return None
        tenths = (20 * self.satisfaction_sum + self.satisfaction_n) // (2 * self.satisfaction_n)
        return tenths / 10


def status_as_at(instant):
    """An offer's status as it stood at `instant`: the `from_status` of its first transition at or
    after it, or its status now if none came since (None: now)."""
    if instant is None:
        return F("status")
    later = (
        VisitTransition.objects.filter(offer=OuterRef("pk"), at__gte=instant)
        .order_by("at", "pk")
        .values("from_status")[:1]
    )
    return Coalesce(Subquery(later), F("status"))


def score_as_at(instant):
    """The victim's satisfaction score as it stood at `instant`: recorded before it, or none
    (None: now). A score is recorded once and never changed (services._set_satisfaction)."""
    if instant is None:
        return F("satisfaction")
    return Case(When(satisfaction_recorded_at__lt=instant, then=F("satisfaction")),
                default=None, output_field=IntegerField())


# The figures of offers (the rows of FIGURE_FIELDS below, a MATERIALIZED CTE so that PostgreSQL
# works out each offer's status then once, not again in every count that reads it).
FIGURES_SQL = """
WITH o AS MATERIALIZED ({offers})
SELECT month, ward_name, COUNT(*),
       COUNT(*) FILTER (WHERE status_then = ANY(%s)),
       COUNT(*) FILTER (WHERE status_then = ANY(%s) AND offered_at IS NOT NULL
                          AND due_date >= offered_day),
       COUNT(*) FILTER (WHERE status_then = ANY(%s)),
       COUNT(*) FILTER (WHERE status_then = %s),
       COUNT(*) FILTER (WHERE status_then = %s AND completed_at <= window_end),
       SUM(score_then) FILTER (WHERE status_then = %s),
       COUNT(score_then) FILTER (WHERE status_then = %s),
       COUNT(*) FILTER (WHERE is_repeat)
FROM o GROUP BY month, ward_name ORDER BY month, ward_name
"""
FIGURE_FIELDS = ("month", "ward_name", "victims", "offers_made", "on_time", "accepted",
                 "completed", "completed_on_time", "satisfaction_sum", "satisfaction_n",
                 "repeats")


def figure_rows(offers, as_at=None) -> list[dict]:
    """One aggregate row per (ward, month of report), each offer counted as it stood at `as_at`
    (default: now): made, accepted and completed by its status then (the transitions' times),
    made on time by its first attempt (its date in London on or before the due date),
    satisfaction only of visits completed by then and scored by then (a score recorded after a
    closed month never changes it). One query."""
    each = offers.annotate(
        month=TruncMonth("victim__crime__reported_at"),
        ward_name=F("victim__crime__ward__name"),
        status_then=status_as_at(as_at),
        offered_day=TruncDate("offered_at"),
        is_repeat=F("victim__is_repeat"),
        score_then=score_as_at(as_at),
    ).values("month", "ward_name", "status_then", "offered_at", "offered_day", "due_date",
             "completed_at", "window_end", "score_then", "is_repeat").order_by()
    sql, params = each.query.sql_with_params()
    made, accepted = [str(s) for s in MADE_STATES], [str(s) for s in ACCEPTED_STATES]
    done = str(S.COMPLETED)
    with connections[offers.db].cursor() as cursor:
        cursor.execute(FIGURES_SQL.replace("{offers}", sql),
                       [*params, made, made, accepted, done, done, done, done])
        rows = [dict(zip(FIGURE_FIELDS, r, strict=True)) for r in cursor.fetchall()]
    for row in rows:  # London's month, as TruncMonth gives it through the ORM
        row["month"] = timezone.make_aware(row["month"]) if row["month"] else None
    return rows


@dataclass
class BoroughFigures:
    total: Figures
    by_ward: list
    by_month: list


def borough_figures(offers, as_at=None) -> BoroughFigures:
    total = Figures("All wards")
    wards: dict = {}
    months: dict = {}
    for row in figure_rows(offers, as_at):
        ward = row["ward_name"] or "No ward"
        month = timezone.localtime(row["month"]).date() if row["month"] else None
        total.add(row)
        wards.setdefault(ward, Figures(ward)).add(row)
        months.setdefault(month, Figures(f"{month:%B %Y}" if month else "")).add(row)
    return BoroughFigures(
        total=total,
        by_ward=[wards[k] for k in sorted(wards)],
        by_month=[months[k] for k in sorted(months, key=lambda m: m or datetime.date.min)],
    )


def offers_in(offers, *, borough, first, last):
    """Offers for crimes of `borough` reported between two dates (inclusive)."""
    start, end = day_bounds(first, last)
    return offers.filter(
        victim__crime__borough=borough,
        victim__crime__reported_at__gte=start,
        victim__crime__reported_at__lt=end,
    )


def ward_counts(offers):
    """Open offers per (ward, status) for the index page. One query."""
    rows = offers.values("victim__crime__ward", "status").annotate(n=Count("pk"))
    counts = defaultdict(dict)
    for row in rows:
        counts[row["victim__crime__ward"]][row["status"]] = row["n"]
    return counts


def _as_dict(f: Figures) -> dict:
    return {
        "label": f.label,
        "victims": f.victims,
        "offers_made": f.offers_made,
        "offers_on_time": f.on_time,
        "accepted": f.accepted,
        "visits_completed": f.completed,
        "visits_completed_on_time": f.completed_on_time,
        "offer_rate": f.offer_rate,
        "offers_on_time_rate": f.on_time_rate,
        "acceptance_rate": f.acceptance_rate,
        "completion_rate": f.completion_rate,
        "visits_completed_on_time_rate": f.completed_on_time_rate,
        "satisfaction": f.satisfaction,
        "repeat_victims": f.repeats,
    }


def monthly_section(
    borough, first: datetime.date, last: datetime.date, as_at=None, until=None
) -> dict:
    """The victims section of a borough's monthly report: JSON-ready figures for the crimes
    reported in [first, last] (and before `until`, for a month not over), for the borough and per
    ward, each offer as it stood at `as_at` (the month's end; None: now). One query. Not scoped
    to a user: the report's own access rules apply.

    Its counts are exact and its totals the sums of the wards'; a rate is a whole percentage of
    two of those counts, rounded once."""
    offers = offers_in(VisitOffer.objects.all(), borough=borough, first=first, last=last)
    if until is not None:
        offers = offers.filter(victim__crime__reported_at__lt=until)
    figures = borough_figures(offers, as_at)
    return {
        "borough": _as_dict(figures.total),
        "wards": [_as_dict(w) for w in figures.by_ward],
    }


# A victim is satisfied with their visit when they score it 4 or 5 of 5.
SATISFIED_FROM = 4


def satisfaction_by_month(offers, start, end) -> dict[datetime.date, tuple[int, int]]:
    """{first day of a month: (victims asked, of whom satisfied)} for the scores recorded in
    [start, end), by the London month they were recorded in. A score is recorded once and never
    changed, so a closed month's figures never move. One query."""
    rows = (
        offers.filter(satisfaction_recorded_at__gte=start, satisfaction_recorded_at__lt=end)
        .annotate(month=TruncMonth("satisfaction_recorded_at"))
        .values("month")
        .annotate(asked=Count("pk"),
                  satisfied=Count("pk", filter=Q(satisfaction__gte=SATISFIED_FROM)))
    )
    return {
        timezone.localtime(r["month"]).date(): (r["asked"], r["satisfied"]) for r in rows
    }
