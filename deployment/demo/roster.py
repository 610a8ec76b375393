"""The demo's rota: a shift for each dedicated ward officer and sergeant on their working days
(earlies, lates and nights that cross midnight, rest days, leave), what each shift became, and
the rota's rest days recorded as real rosters record them (deployment.rest_days)."""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from config import datacache
from config.db import copy_rows
from config.timeutils import LONDON, shift_bounds
from deployment.models import Abstraction, Duty, FlexRequest, RestDay
from teams.models import Officer, Posting, Rank, User
from wards.models import Borough, Ward

SEED = "neighbourhood-ops-deployment-demo"
T = datetime.time
SHIFTS = {"E": (T(7), T(15)), "L": (T(14), T(22)), "N": (T(22), T(7))}
# A four-week rota of 18 shifts (4.5 a week), each officer starting at their own point of it.
# Every shift starts at 07:00 or later and ends by 07:00 the next day, so one shift a day never
# overlaps the next day's.
ROTA = "EEEEERR" "LLLLRRR" "EEEERRR" "RLLLNNR"
# Specials volunteer a few evenings: Friday lates and Saturday nights, alternate weeks.
SPECIAL_ROTA = "RRRRLNR" "RRRRRLR"
ROTA_EPOCH = datetime.date(2024, 1, 1)  # a Monday: rotas stay put from one seeding day to the next
# Chance an officer takes a block of annual leave in the period, and of a single sick day.
LEAVE_CHANCE, SICK_CHANCE = 0.35, 0.02


@dataclass
class DeploymentSeedReport:
    created: Counter = field(default_factory=Counter)
    seeded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        lines = []
        if self.seeded:
            created = ", ".join(f"{n} {label}" for label, n in self.created.items())
            lines.append(f"Deployment demo for {len(self.seeded)} borough(s): {created}.")
        if self.skipped:
            lines.append(
                f"Left alone (already has deployment data, or no officers): "
                f"{len(self.skipped)} borough(s): {', '.join(self.skipped)}."
            )
        return lines


@dataclass
class Shift:
    officer_id: int
    home_ward_id: int
    day: datetime.date
    code: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    kind: str = Duty.Kind.HOME
    worked_ward_id: int | None = None
    flex: FlexRequest | None = None
    abstraction: Abstraction | None = None
    notes: str = ""


@dataclass
class Cast:
    """Who raises, decides and records in a borough."""

    requesters: list[User]
    inspector: User
    chief: User | None

    @property
    def recorder(self) -> User:
        return self.requesters[-1]


@dataclass
class BoroughDemo:
    borough: Borough
    today: datetime.date
    first: datetime.date
    cast: Cast
    wards: dict[int, Ward]
    officers: dict[int, Officer]
    shifts: dict[int, list[Shift]] = field(default_factory=dict)
    rest: dict[int, list[datetime.date]] = field(default_factory=dict)  # the rota's "R" days
    homes: dict[int, list[tuple]] = field(default_factory=dict)  # (first day, last day, ward id)
    held: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    used: set[int] = field(default_factory=set)  # officers named in a flex request
    used_wards: set[int] = field(default_factory=set)  # the wards they come from
    report: DeploymentSeedReport = field(default_factory=DeploymentSeedReport)

    def rng(self, purpose: str) -> random.Random:
        return random.Random(f"{SEED}:{self.borough.code}:{self.today}:{purpose}")

    def at(self, offset: int, hour: int, minute: int = 0) -> datetime.datetime:
        day = self.today + datetime.timedelta(days=offset)
        return datetime.datetime.combine(day, T(hour, minute), tzinfo=LONDON)

    def is_free(self, officer_id, starts_at, ends_at) -> bool:
        return all(ends_at <= s or starts_at >= e for s, e in self.held[officer_id])

    def hold(self, officer_id, starts_at, ends_at) -> None:
        self.held[officer_id].append((starts_at, ends_at))


# --- the rota ---------------------------------------------------------------------------------


def plan_rota(demo: BoroughDemo) -> None:
    postings = (
        Posting.objects.filter(
            team__borough=demo.borough,
            team__ward__isnull=False,
            is_primary=True,
            role__in=[Posting.Role.DEDICATED, Posting.Role.SUPERVISOR],
            start_date__lte=demo.today,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=demo.first))
        .values_list("officer_id", "team__ward_id", "start_date", "end_date")
    )
    homes = defaultdict(list)
    for officer_id, ward_id, start, end in postings:
        homes[officer_id].append((start, end or datetime.date.max, ward_id))
    demo.homes = dict(homes)
    for officer_id in sorted(homes):
        officer = demo.officers[officer_id]
        demo.shifts[officer_id], demo.rest[officer_id] = [], []
        for day, item in _officer_rota(demo, officer, homes[officer_id]):
            if item is REST:
                demo.rest[officer_id].append(day)
            else:
                demo.shifts[officer_id].append(item)


REST = object()  # a rota's rest day, in what _officer_rota yields


def _officer_rota(demo: BoroughDemo, officer, homes):
    """(day, Shift) for each day the officer works, (day, REST) for each rest day of a regular
    officer's rota while posted; leave and sick days are neither."""
    rng = random.Random(f"{SEED}:rota:{officer.shoulder_number}")
    if officer.rank == Rank.SPECIAL:
        rota, offset = SPECIAL_ROTA, 7 * rng.randrange(2)
    else:
        rota, offset = ROTA, rng.randrange(len(ROTA))
    leave = _leave(demo, rng)
    day = demo.first
    while day <= demo.today:
        code = rota[((day - ROTA_EPOCH).days + offset) % len(rota)]
        ward_id = next((w for start, end, w in homes if start <= day <= end), None)
        if code == "R" and ward_id:
            if rota is ROTA:  # a Special's days off are not rostered rest days
                yield day, REST
        elif ward_id and day not in leave and rng.random() >= SICK_CHANCE:
            starts_at, ends_at = shift_bounds(day, *SHIFTS[code])
            yield day, Shift(
                officer.pk, ward_id, day, code, starts_at, ends_at, worked_ward_id=ward_id
            )
        day += datetime.timedelta(days=1)


def _leave(demo: BoroughDemo, rng: random.Random) -> set[datetime.date]:
    if rng.random() >= LEAVE_CHANCE:
        return set()
    start = demo.first + datetime.timedelta(days=rng.randrange((demo.today - demo.first).days + 1))
    return {start + datetime.timedelta(days=i) for i in range(rng.randint(5, 10))}


DUTY_COLUMNS = (
    "officer", "home_ward", "starts_at", "ends_at", "kind", "worked_ward", "flex_request",
    "abstraction", "notes", "recorded_by", "recorded_at",
)


def write_duties(demo: BoroughDemo) -> None:
    """COPY rather than bulk_create: three times faster for London's ~85,000 shifts, and it keeps
    the time each was recorded (as the shift ended), which auto_now_add would overwrite."""
    now = timezone.now()
    recorder_id = demo.cast.recorder.pk
    rows = [
        (
            s.officer_id, s.home_ward_id, s.starts_at, s.ends_at, s.kind, s.worked_ward_id,
            s.flex.pk if s.flex else None, s.abstraction.pk if s.abstraction else None, s.notes,
            recorder_id, min(s.ends_at + datetime.timedelta(minutes=20), now),
        )
        for shifts in demo.shifts.values()
        for s in shifts
    ]
    _copy(Duty, DUTY_COLUMNS, rows)
    demo.report.created["duties"] += len(rows)


def _copy(model, names, rows) -> None:
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in names]
    with connection.cursor() as cursor:
        copy_rows(cursor, table, columns, rows)
    # COPY is not seen by config.datacache: pages kept before the demo was seeded are stale.
    transaction.on_commit(lambda: datacache.bump(table))


def write_rest_days(demo: BoroughDemo) -> None:
    """The rota's rest days, as a roster records them (a RestDay in the borough the officer
    serves in), except a day on which the officer has a shift (it would be a rest day worked:
    the demo's rota never recalls anyone) or a rest day already recorded."""
    duty_days = {
        (s.officer_id, s.starts_at.astimezone(LONDON).date())  # a duty's day: where it starts
        for shifts in demo.shifts.values()
        for s in shifts
    }
    recorded = set(
        RestDay.objects.filter(officer_id__in=demo.rest, day__gte=demo.first).values_list(
            "officer_id", "day"
        )
    )
    now, recorder_id = timezone.now(), demo.cast.recorder.pk
    rows = [
        (officer_id, day, demo.borough.pk, recorder_id, now)
        for officer_id in sorted(demo.rest)
        for day in demo.rest[officer_id]
        if (officer_id, day) not in duty_days and (officer_id, day) not in recorded
    ]
    _copy(RestDay, REST_DAY_COLUMNS, rows)
    demo.report.created["rest days"] += len(rows)


REST_DAY_COLUMNS = ("officer", "day", "borough", "recorded_by", "recorded_at")


# --- flexed without a request -----------------------------------------------------------------


def flex_without_request(demo: BoroughDemo) -> None:
    """A few shifts sent to another ward at short notice with no flex request: the monthly
    report shows them as unauthorised."""
    rng = demo.rng("unauthorised")
    candidates = [
        s
        for officer_id in sorted(demo.shifts)
        if officer_id not in demo.used and demo.officers[officer_id].rank in (Rank.PC, Rank.PCSO)
        for s in demo.shifts[officer_id]
        if s.kind == Duty.Kind.HOME and demo.is_free(officer_id, s.starts_at, s.ends_at)
    ]
    for shift in rng.sample(candidates, min(len(candidates), rng.randint(3, 6))):
        ward = demo.wards[rng.choice(sorted(set(demo.wards) - {shift.home_ward_id}))]
        shift.kind, shift.worked_ward_id = Duty.Kind.FLEXED, ward.pk
        shift.notes = f"Sent to cover {ward.name} at short notice; no flex request raised."
        demo.report.created["unauthorised flex duties"] += 1
