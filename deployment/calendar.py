"""Month views of deployment: a ward's calendar (who was in the ward, flexed in, flexed out,
abstracted or with no duty recorded, day by day, with the ward's cover against the minimum) and
an officer's duties. Each runs a fixed number of queries
whatever the number of officers, days, duties or flexes.

A recorded duty says what happened on its day (a night shift counts on the day it starts); where
there is none, an approved flex or an abstraction says what was planned."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery

from config.timeutils import LONDON, dates_between, day_bounds
from deployment import cover
from deployment.models import Commitment, Duty, FlexOfficer, RestDay
from deployment.rest_days import rest_day_worked
from teams.models import Posting, Rank


@dataclass(frozen=True)
class State:
    code: str
    label: str
    colour: str  # a GOV.UK tag colour
    meaning: str


IN_WARD = State("in_ward", "In ward", "green", "On a shift in the ward.")
FLEXED_IN = State("flexed_in", "Flexed in", "blue", "Flexed here from another ward of the borough.")
FLEXED_OUT = State("flexed_out", "Flexed out", "orange", "Flexed from here to another ward.")
ABSTRACTED = State("abstracted", "Abstracted", "red", "Taken away from ward duties.")
# A posted officer's day with no shift recorded and nothing planned: not a rest day (nobody said
# so), and in a future month every day until the roster is recorded.
NOT_RECORDED = State(
    "not_recorded", "No duty recorded", "grey", "No shift recorded and nothing planned."
)
# A recorded rest day (deployment.rest_days), and one cancelled: a duty recorded on it too.
REST_DAY = State("rest_day", "Rest day", "purple", "A rostered rest day, recorded.")
REST_DAY_WORKED = State(
    "rest_day_worked", "Rest day worked", "pink",
    "A rest day cancelled: the officer was called in and a duty is recorded.",
)
STATES = (IN_WARD, FLEXED_IN, FLEXED_OUT, ABSTRACTED, REST_DAY, REST_DAY_WORKED, NOT_RECORDED)


@dataclass(frozen=True)
class Cell:
    state: State | None  # None: not serving this ward that day
    detail: str = ""


NOT_HERE = Cell(None)


@dataclass
class CalendarOfficer:
    officer: object
    dedicated: bool
    totals: dict = field(default_factory=dict)  # state code -> days

    @property
    def summary(self):
        """[(State, days)] for the states the officer was in this month, in the key's order."""
        return [(s, self.totals[s.code]) for s in STATES if self.totals.get(s.code)]


@dataclass
class WardMonth:
    officers: list
    rows: list  # (day, [Cell per officer], cover.DayCover of the day)

    @property
    def states(self):
        return STATES

    @property
    def days_below(self) -> int:
        """The month's days counted in "cover below minimum" for the ward."""
        return sum(1 for _, _, day_cover in self.rows if day_cover and day_cover.below)


_RANK_ORDER = {Rank.PC: 0, Rank.PCSO: 1, Rank.SPECIAL: 2}


def ward_month(ward, first: datetime.date, last: datetime.date) -> WardMonth:
    """The ward's dedicated officers and the officers flexed into it, day by day, each day with
    the ward's cover against the minimum (cover.cover_each_day; rest days change no cover).
    Six queries."""
    postings = list(
        Posting.objects.filter(team__ward=ward, role=Posting.Role.DEDICATED, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .select_related("officer")
    )
    dedicated_ids = {p.officer_id for p in postings}
    starts_at, ends_at = day_bounds(first, last)
    commitments = _commitments(ward, dedicated_ids, starts_at, ends_at)
    duties = list(
        Duty.objects.filter(starts_at__gte=starts_at, starts_at__lt=ends_at)
        .filter(
            Q(officer_id__in=dedicated_ids)
            | Q(worked_ward=ward)
            | Q(officer_id__in={c.officer_id for c in commitments})
        )
        .select_related("officer", "home_ward", "worked_ward", "abstraction__abstraction_type")
    )
    officers = _officers(postings, commitments, duties, ward)
    days = list(dates_between(first, last))
    on_day = _commitments_by_day(commitments, first, last)
    duty_on = {}
    for duty in sorted(duties, key=lambda d: d.starts_at):
        duty_on.setdefault((duty.officer_id, duty.starts_at.astimezone(LONDON).date()), duty)
    posted = defaultdict(list)
    for p in postings:
        posted[p.officer_id].append(p)
    resting = _rest_days([row.officer.pk for row in officers], first, last)
    day_cover = {c.day: c for c in cover.cover_each_day(ward.pk, first, last)}
    rows = []
    for day in days:
        cells = []
        for row in officers:
            oid = row.officer.pk
            is_posted = any(p.is_current(day) for p in posted[oid])
            duty = duty_on.get((oid, day))
            cell = _cell(ward, is_posted, duty, on_day.get((oid, day)))
            if (oid, day) in resting:
                cell = _on_rest_day(cell, duty)
            if cell.state:
                row.totals[cell.state.code] = row.totals.get(cell.state.code, 0) + 1
            cells.append(cell)
        rows.append((day, cells, day_cover.get(day)))
    return WardMonth(officers=officers, rows=rows)


def _commitments(ward, dedicated_ids, starts_at, ends_at):
    """Commitments of the ward's officers, and flexes into the ward, with the ward each flexed
    officer came from."""
    from_ward = FlexOfficer.objects.filter(
        flex_request=OuterRef("flex_request"), officer=OuterRef("officer")
    ).values("from_ward__name")[:1]
    return list(
        Commitment.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
        .filter(Q(officer_id__in=dedicated_ids) | Q(flex_request__to_ward=ward))
        .select_related("officer", "flex_request__to_ward", "abstraction__abstraction_type")
        .annotate(from_ward_name=Subquery(from_ward))
        .order_by("starts_at", "pk")
    )


def _officers(postings, commitments, duties, ward):
    dedicated = {p.officer_id: p.officer for p in postings}
    flexed_in = {}
    for c in commitments:
        if c.flex_request_id and c.flex_request.to_ward_id == ward.pk:
            flexed_in.setdefault(c.officer_id, c.officer)
    for d in duties:
        if d.worked_ward_id == ward.pk and d.home_ward_id != ward.pk:
            flexed_in.setdefault(d.officer_id, d.officer)

    def order(officer):
        return (_RANK_ORDER.get(officer.rank, 9), officer.last_name, officer.first_name)

    rows = [CalendarOfficer(o, True) for o in sorted(dedicated.values(), key=order)]
    rows += [
        CalendarOfficer(o, False)
        for o in sorted(flexed_in.values(), key=order)
        if o.pk not in dedicated
    ]
    return rows


def _commitments_by_day(commitments, first, last):
    """{(officer id, day): the first commitment that takes them that day (cover.days_touched)}."""
    on_day = {}
    for c in commitments:
        for day in cover.days_touched(c.starts_at, c.ends_at, first, last):
            on_day.setdefault((c.officer_id, day), c)
    return on_day


def _cell(ward, is_posted, duty, commitment) -> Cell:
    if duty is not None:
        return _duty_cell(ward, duty)
    if commitment is not None and commitment.flex_request_id:
        if commitment.flex_request.to_ward_id == ward.pk:
            return Cell(FLEXED_IN, f"from {commitment.from_ward_name or 'another ward'}")
        if is_posted:
            return Cell(FLEXED_OUT, f"to {commitment.flex_request.to_ward.name}")
    elif commitment is not None and is_posted:
        return Cell(ABSTRACTED, str(commitment.abstraction.abstraction_type))
    return Cell(NOT_RECORDED) if is_posted else NOT_HERE


def _rest_days(officer_ids, first, last) -> set:
    """{(officer id, day)} of the officers' recorded rest days in [first, last]."""
    return set(
        RestDay.objects.filter(officer_id__in=officer_ids, day__gte=first, day__lte=last)
        .values_list("officer_id", "day")
    )


def _on_rest_day(cell, duty) -> Cell:
    """A day of the ward's on a recorded rest day: a rest day, or a rest day worked when a duty
    of this ward is recorded on it (what the duty was stays in the detail)."""
    if cell.state is None:
        return cell
    if rest_day_worked(True, duty is not None):
        detail = cell.state.label + (f" {cell.detail}" if cell.detail else "")
        return Cell(REST_DAY_WORKED, detail)
    return Cell(REST_DAY)


def _duty_cell(ward, duty) -> Cell:
    if duty.kind == Duty.Kind.FLEXED:
        if duty.worked_ward_id == ward.pk:
            return Cell(FLEXED_IN, f"from {duty.home_ward.name}")
        if duty.home_ward_id == ward.pk:
            return Cell(FLEXED_OUT, f"to {duty.worked_ward.name}")
    elif duty.home_ward_id == ward.pk:
        if duty.kind == Duty.Kind.ABSTRACTED:
            return Cell(ABSTRACTED, str(duty.abstraction.abstraction_type))
        return Cell(IN_WARD)
    return NOT_HERE


# --- an officer's month ----------------------------------------------------------------------


@dataclass(frozen=True)
class KindTotal:
    label: str
    shifts: int
    hours: float


def officer_duties(duties_qs, officer, first: datetime.date, last: datetime.date):
    """The officer's duties starting in [first, last], and (shifts, hours) by kind. One query."""
    starts_at, ends_at = day_bounds(first, last)
    duties = list(
        duties_qs.filter(officer=officer, starts_at__gte=starts_at, starts_at__lt=ends_at)
        .select_related(
            "home_ward", "worked_ward", "flex_request__to_ward", "abstraction__abstraction_type"
        )
        .order_by("starts_at")
    )
    totals = []
    for value, label in Duty.Kind.choices:
        of_kind = [d for d in duties if d.kind == value]
        totals.append(KindTotal(label, len(of_kind), sum(d.hours for d in of_kind)))
    totals.append(KindTotal("All duties", len(duties), sum(d.hours for d in duties)))
    return duties, totals


@dataclass(frozen=True)
class RestDayLine:
    pk: int
    day: datetime.date
    worked: bool  # a duty recorded on it too: a rest day worked


def officer_rest_days(rest_days_qs, officer, first, last, duties) -> list[RestDayLine]:
    """The officer's recorded rest days in [first, last], each marked worked when one of
    `duties` starts on it (deployment.rest_days.rest_day_worked). One query."""
    duty_days = {d.starts_at.astimezone(LONDON).date() for d in duties}
    days = rest_days_qs.filter(officer=officer, day__gte=first, day__lte=last).order_by("day")
    return [
        RestDayLine(pk, day, rest_day_worked(True, day in duty_days))
        for pk, day in days.values_list("pk", "day")
    ]
