"""Reads for victims: a team's work list and the borough's figures. Each runs a fixed number of
queries whatever the number of crimes."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from config.timeutils import day_bounds
from victims.models import OfferStatus, Route, VisitOffer

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


def work_list(offers, *, on=None) -> WorkList:
    """Offers to make (overdue first, by deadline), accepted or missed visits to (re)schedule,
    and visits in the window today and the rest of this week. Four queries."""
    on = on or timezone.localdate()
    today_start, today_end = day_bounds(on, on)
    sunday = on + datetime.timedelta(days=6 - on.weekday())
    _, week_end = day_bounds(on, sunday)
    scheduled = offers.filter(status=S.SCHEDULED).order_by("window_start", "pk")
    return WorkList(
        # An offer never made before the victim's details were removed can no longer be made.
        offers_due=list(
            offers.filter(status__in=(S.DUE, S.OFFERED), victim__anonymised_at__isnull=True)
            .order_by("due_date", "pk")
        ),
        to_schedule=list(
            offers.filter(status__in=(S.ACCEPTED, S.MISSED)).order_by("due_date", "pk")
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
    satisfaction_sum: float = 0
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
            self.satisfaction_sum += row["satisfaction_avg"] * row["satisfaction_n"]
            self.satisfaction_n += row["satisfaction_n"]
        self.repeats += row["repeats"]

    @staticmethod
    def _pct(n, d):
        return round(100 * n / d) if d else None

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
        return (
            round(self.satisfaction_sum / self.satisfaction_n, 1) if self.satisfaction_n else None
        )


def figure_rows(offers):
    """One aggregate row per (ward, month of report). One query."""
    return (
        offers.annotate(
            month=TruncMonth("victim__crime__reported_at"),
            ward_name=F("victim__crime__ward__name"),
        )
        .values("month", "ward_name")
        .annotate(
            victims=Count("pk"),
            offers_made=Count("pk", filter=Q(status__in=MADE_STATES)),
            on_time=Count(
                "pk", filter=Q(offered_at__isnull=False, due_date__gte=TruncDate("offered_at"))
            ),
            accepted=Count("pk", filter=Q(status__in=ACCEPTED_STATES)),
            completed=Count("pk", filter=Q(status=S.COMPLETED)),
            completed_on_time=Count(
                "pk", filter=Q(status=S.COMPLETED, completed_at__lte=F("window_end"))
            ),
            satisfaction_avg=Avg("satisfaction"),
            satisfaction_n=Count("satisfaction"),
            repeats=Count("pk", filter=Q(victim__is_repeat=True)),
        )
        .order_by("month", "ward_name")
    )


@dataclass
class BoroughFigures:
    total: Figures
    by_ward: list
    by_month: list


def borough_figures(offers) -> BoroughFigures:
    total = Figures("All wards")
    wards: dict = {}
    months: dict = {}
    for row in figure_rows(offers):
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
        "offer_rate": f.offer_rate,
        "offers_on_time_rate": f.on_time_rate,
        "acceptance_rate": f.acceptance_rate,
        "completion_rate": f.completion_rate,
        "visits_completed_on_time_rate": f.completed_on_time_rate,
        "satisfaction": f.satisfaction,
        "repeat_victims": f.repeats,
    }


def monthly_section(borough, first: datetime.date, last: datetime.date) -> dict:
    """The victims section of a borough's monthly report: JSON-ready figures for the crimes
    reported in [first, last], for the borough and per ward. One query. Not scoped to a user:
    the report's own access rules apply."""
    figures = borough_figures(
        offers_in(VisitOffer.objects.all(), borough=borough, first=first, last=last)
    )
    return {
        "borough": _as_dict(figures.total),
        "wards": [_as_dict(w) for w in figures.by_ward],
    }
