"""London at the scale the seeds give it, built for `make bench` in its own database.

- all 679 wards (load_london) with their teams, clusters and the demo's officers (seed_demo);
- more ward team members, so that about 6,000 neighbourhood officers and PCSOs work the wards;
- a year of history and the current month: about 125,000 SN shifts a month (as in early 2014:
  250,000 in two months), abstractions, flex requests in every state with their members,
  transitions and commitments, and shifts flexed without a request;
- about 75,000 crimes a month, each with its victim and visit offer;
- each ward's promises, activities, priorities, panel meetings and events.

Rows go in with PostgreSQL's COPY, and every table is ANALYZEd right after its load, so that no
query plan depends on when autovacuum happens to run. Foreign keys are not checked during the
load (session_replication_role = replica): the generator makes them consistent itself, and the
CHECK and exclusion constraints still hold it to the model's rules.

Deterministic for a given build day: every choice comes from one seeded random generator.
`fingerprint()` names the data: this file, the migrations and the month it was built in. The
runner rebuilds when it changes."""

from __future__ import annotations

import datetime
import hashlib
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from config.timeutils import LONDON, add_working_days, day_bounds

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-password-not-for-use"
# The user the page bench signs in as: an Inspector of the busiest borough.
LOGIN = "bench.inspector"
CRIMES_PER_MONTH = 75_000
# Extra ward team members (PCs and PCSOs) per ward, on top of the demo's dedicated officers.
EXTRA_MEMBERS = (4, 6)
SHIFTS = ((7, 0), (14, 0), (22, 0))  # early, late, night (crosses midnight): 8 hours each
SHIFT_HOURS = 8
ABSTRACTED_SHARE = 0.08
UNAUTHORISED_FLEX_SHARE = 0.01
UTC = datetime.UTC


def fingerprint(today: datetime.date) -> str:
    """What the data depends on: this generator, the schema (migrations) and the build month."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(ROOT.glob("*/migrations/0*.py")) + sorted(
        ROOT.glob("*/*/migrations/0*.py")
    ):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    digest.update(f"{today:%Y-%m}".encode())
    return digest.hexdigest()[:16]


# --- COPY helpers -----------------------------------------------------------------------------


def next_id(table: str) -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cur.fetchone()[0]


def copy_rows(table: str, columns: list[str], rows, *, with_id: bool = True) -> int:
    """COPY `rows` (tuples in `columns` order) into `table`, move its id sequence past them, and
    ANALYZE it. Returns the number of rows."""
    n = 0
    extra = _model_defaults(table, columns)
    columns = [*columns, *extra]
    tail = tuple(extra.values())
    with connection.cursor() as cur:
        quoted = ", ".join(f'"{c}"' for c in columns)
        with cur.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, *tail))
                n += 1
        if with_id:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        cur.execute(f"ANALYZE {table}")
    return n


def _model_defaults(table: str, columns: list[str]) -> dict:
    """{column: the model's default} for each NOT NULL column of `table` that `columns` leaves
    out and PostgreSQL has no default for (Django keeps defaults in Python): a field a later
    migration adds (blank text, a false flag) is filled as the model would fill it, so the
    generator needs no change for it."""
    from django.apps import apps

    with connection.cursor() as cur:
        cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO' "
            "AND is_generated = 'NEVER'", [table],
        )
        missing = [name for (name,) in cur.fetchall() if name not in columns]
    if not missing:
        return {}
    model = next(m for m in apps.get_models(include_auto_created=True)
                 if m._meta.db_table == table)
    fields = {f.column: f for f in model._meta.concrete_fields}
    return {name: fields[name].get_db_prep_save(fields[name].get_default(), connection)
            for name in missing}


def analyze(*tables: str) -> None:
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"ANALYZE {table}")


# --- the plan ---------------------------------------------------------------------------------


@dataclass
class WardOfficer:
    officer_id: int
    ward_id: int
    borough_id: int
    rank: str
    # (first day, last day) of each flex the officer is named in that held them (no abstraction)
    flexed: list = field(default_factory=list)


@dataclass
class Build:
    rng: random.Random
    today: datetime.date
    first: datetime.date  # first day of the history
    last: datetime.date  # last day of the current month
    recorder: int = 0  # user id that recorded everything
    requester: int = 0
    decider: int = 0
    counts: dict = field(default_factory=dict)
    officers: list = field(default_factory=list)  # WardOfficer
    wards_of: dict = field(default_factory=dict)  # borough id -> [ward id]
    centroid: dict = field(default_factory=dict)  # ward id -> (lat, lng)

    def months(self):
        day = self.first
        while day <= self.last:
            yield day
            day = (day + datetime.timedelta(days=32)).replace(day=1)


def build(*, today: datetime.date | None = None, seed: int = 2014) -> dict:
    """Build London on an empty, migrated database. Returns the counts of what it made."""
    from teams.demo import seed_demo
    from wards.london import load_london

    today = today or timezone.localdate()
    month = today.replace(day=1)
    first = month.replace(year=month.year - 1)  # a year of history, then the current month
    last = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    b = Build(rng=random.Random(seed), today=today, first=first, last=last)
    call_command("migrate", verbosity=0)
    load_london()
    seed_demo(password=PASSWORD)
    analyze("wards_ward", "wards_borough", "wards_place", "teams_officer", "teams_posting",
            "teams_team", "teams_user", "teams_user_boroughs", "wards_wardcluster")
    with connection.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
    try:
        _users(b)
        _extra_officers(b)
        _load_ward_officers(b)
        flexes = _timed("flex requests", _flexes, b)
        _timed("duties and abstractions", _duties, b, flexes)
        _timed("crimes, victims and offers", _crimes, b)
        _timed("promises and activities", _promises, b)
    finally:
        with connection.cursor() as cur:
            cur.execute("SET session_replication_role = DEFAULT")
    analyze("teams_user", "teams_user_boroughs")
    return b.counts


def _timed(what, fn, *args):
    t0 = time.perf_counter()
    result = fn(*args)
    print(f"  {what}: {time.perf_counter() - t0:.0f} s", flush=True)
    return result


def busiest_borough():
    """The borough with the most wards: the most officers, shifts and crimes."""
    from django.db.models import Count

    from wards.models import Borough

    return Borough.objects.annotate(n=Count("wards")).order_by("-n", "code").first()


def _users(b: Build) -> None:
    from config.access import Role
    from teams.models import User
    from wards.models import Borough

    hashed = make_password(PASSWORD)
    busiest = busiest_borough()
    specs = [
        ("bench.recorder", Role.ADMIN, None),
        ("bench.sergeant", Role.SERGEANT, "all"),
        ("bench.decider", Role.INSPECTOR, "all"),
        (LOGIN, Role.INSPECTOR, busiest),
    ]
    ids = []
    for username, role, boroughs in specs:
        user = User.objects.create(username=username, role=role, password=hashed,
                                   email=f"{username}@bench.example")
        if boroughs == "all":
            user.boroughs.set(Borough.objects.all())
        elif boroughs is not None:
            user.boroughs.set([boroughs])
        ids.append(user.pk)
    b.recorder, b.requester, b.decider, _ = ids


# --- officers ---------------------------------------------------------------------------------


def _extra_officers(b: Build) -> None:
    """PCs and PCSOs who are members of each ward team, so that London has its real strength."""
    from teams.demo import FIRST_NAMES, LAST_NAMES
    from teams.models import Team

    teams = list(
        Team.objects.filter(ward__isnull=False)
        .values_list("id", "ward__borough_id", "ward__borough__bcu__code")
        .order_by("ward__code")
    )
    officer_id, posting_id = next_id("teams_officer"), next_id("teams_posting")
    officers, postings = [], []
    now = timezone.now()
    number = 10000
    for team_id, borough_id, bcu_code in teams:
        for _ in range(b.rng.randint(*EXTRA_MEMBERS)):
            rank = "pc" if b.rng.random() < 0.6 else "pcso"
            officers.append((officer_id, f"{number}{bcu_code}", b.rng.choice(FIRST_NAMES),
                             b.rng.choice(LAST_NAMES), rank, False, borough_id, True))
            start = b.first - datetime.timedelta(days=b.rng.randrange(30, 1500))
            postings.append((posting_id, officer_id, team_id, "member", True, start, None, "",
                             None, now, None, None))
            officer_id, posting_id, number = officer_id + 1, posting_id + 1, number + 1
    b.counts["extra officers"] = copy_rows(
        "teams_officer",
        ["id", "shoulder_number", "first_name", "last_name", "rank", "is_detective",
         "borough_id", "active"],
        officers,
    )
    copy_rows(
        "teams_posting",
        ["id", "officer_id", "team_id", "role", "is_primary", "start_date", "end_date",
         "end_reason", "created_by_id", "created_at", "ended_by_id", "ended_at"],
        postings,
    )


def _load_ward_officers(b: Build) -> None:
    """Everyone whose primary posting is to a ward team: they work shifts in that ward."""
    from teams.models import Posting
    from wards.models import Ward

    rows = (
        Posting.objects.filter(is_primary=True, end_date__isnull=True, team__ward__isnull=False)
        .values_list("officer_id", "team__ward_id", "team__ward__borough_id", "officer__rank")
        .order_by("officer_id")
    )
    b.officers = [WardOfficer(*row) for row in rows]
    for ward_id, borough_id, lat, lng in Ward.objects.values_list(
        "id", "borough_id", "centroid_lat", "centroid_lng"
    ).order_by("id"):
        b.wards_of.setdefault(borough_id, []).append(ward_id)
        b.centroid[ward_id] = (lat, lng)
    b.counts["neighbourhood officers and PCSOs"] = len(b.officers)


# --- flex requests ----------------------------------------------------------------------------


@dataclass
class PlannedFlex:
    id: int
    borough_id: int
    to_ward_id: int
    start: datetime.date
    end: datetime.date
    status: str
    members: list  # WardOfficer

    @property
    def works(self) -> bool:
        """Its officers worked it: their shifts in it are flexed duties."""
        return self.status in ("approved", "active", "ended")

    @property
    def holds(self) -> bool:
        return self.status in ("approved", "active")


def _flex_status(b: Build, start: datetime.date, end: datetime.date) -> str:
    roll = b.rng.random()
    if end < b.today:
        return "ended" if roll < 0.75 else ("rejected" if roll < 0.9 else "withdrawn")
    if start <= b.today:
        return "active" if roll < 0.9 else "withdrawn"
    return "submitted" if roll < 0.5 else ("approved" if roll < 0.9 else "rejected")


def _flexes(b: Build) -> list[PlannedFlex]:
    """About one flex request a month for every two wards of a borough, each naming 2 or 3
    officers of other wards of the borough, who are in at most one flex at a time."""
    by_borough = defaultdict(list)
    for officer in b.officers:
        by_borough[officer.borough_id].append(officer)
    flex_id = next_id("deployment_flexrequest")
    plan = []
    for month in b.months():
        days_in = ((month + datetime.timedelta(days=32)).replace(day=1) - month).days
        for borough_id, wards in sorted(b.wards_of.items()):
            for _ in range(max(1, len(wards) // 2)):
                start = month + datetime.timedelta(days=b.rng.randrange(days_in))
                end = min(start + datetime.timedelta(days=b.rng.randint(3, 20)), b.last)
                to_ward = b.rng.choice(wards)
                candidates = [
                    o for o in b.rng.sample(by_borough[borough_id], 12)
                    if o.ward_id != to_ward and not _overlaps(o.flexed, start, end)
                ][: b.rng.randint(2, 3)]
                if not candidates:
                    continue
                status = _flex_status(b, start, end)
                flex = PlannedFlex(flex_id, borough_id, to_ward, start, end, status, candidates)
                if status not in ("rejected", "withdrawn", "submitted"):
                    for officer in candidates:
                        officer.flexed.append((start, end, flex))
                plan.append(flex)
                flex_id += 1
    _write_flexes(b, plan)
    return plan


def _overlaps(spans, start, end) -> bool:
    return any(s <= end and start <= e for s, e, _ in spans)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def _write_flexes(b: Build, plan: list[PlannedFlex]) -> None:
    requests, members, transitions, commitments = [], [], [], []
    member_id = next_id("deployment_flexofficer")
    transition_id = next_id("deployment_flextransition")
    commitment_id = next_id("deployment_commitment")
    for f in plan:
        created = _at(f.start - datetime.timedelta(days=4), 9)
        submitted = created + datetime.timedelta(hours=1)
        decided = None if f.status == "submitted" else submitted + datetime.timedelta(days=1)
        if f.status == "withdrawn" and f.start > b.today:
            decided = None
        reason = {"rejected": "Not intelligence-led: use the ward's own team."}.get(f.status, "")
        if f.status in ("approved", "active", "ended"):
            reason = "Intelligence-led, within the borough, reviewed at tasking."
        reviewed = (
            _at(f.start + datetime.timedelta(days=14), 10)
            if f.status == "ended" and (f.end - f.start).days >= 14
            else None
        )
        requests.append((
            f.id, f.borough_id, f.to_ward_id, f.start, f.end, datetime.time(8), datetime.time(16),
            f"Burglary series near the high street ({f.id % 40})",
            "Fewer burglaries; reassurance patrols.", f.status, b.requester, created, submitted,
            b.decider if decided else None, decided, reason, "",
            f.start + datetime.timedelta(days=14), reviewed, None,
            f.end if f.status == "ended" else None,
        ))
        steps = [("", "draft"), ("draft", "submitted")]
        steps += {
            "approved": [("submitted", "approved")],
            "active": [("submitted", "approved"), ("approved", "active")],
            "ended": [("submitted", "approved"), ("approved", "active"), ("active", "ended")],
            "rejected": [("submitted", "rejected")],
            "withdrawn": [("submitted", "withdrawn")],
        }.get(f.status, [])
        for i, (frm, to) in enumerate(steps):
            transitions.append((transition_id, f.id, frm, to, b.requester,
                                created + datetime.timedelta(hours=i), ""))
            transition_id += 1
        starts_at, ends_at = day_bounds(f.start, f.end)
        for officer in f.members:
            members.append((member_id, f.id, officer.officer_id, officer.ward_id))
            member_id += 1
            if f.holds:
                commitments.append((commitment_id, officer.officer_id, starts_at, ends_at, f.id,
                                    None))
                commitment_id += 1
    b.counts["flex requests"] = copy_rows(
        "deployment_flexrequest",
        ["id", "borough_id", "to_ward_id", "start_date", "end_date", "daily_start", "daily_end",
         "problem", "expected_benefit", "status", "requested_by_id", "created_at", "submitted_at",
         "decided_by_id", "decided_at", "decision_reason", "cover_override_reason", "review_due",
         "last_reviewed_at", "review_reminded_at", "ended_on"],
        requests,
    )
    copy_rows("deployment_flexofficer", ["id", "flex_request_id", "officer_id", "from_ward_id"],
              members)
    copy_rows("deployment_flextransition",
              ["id", "flex_request_id", "from_status", "to_status", "by_id", "at", "reason"],
              transitions)
    copy_rows("deployment_commitment",
              ["id", "officer_id", "starts_at", "ends_at", "flex_request_id", "abstraction_id"],
              commitments)


# --- duties and abstractions ------------------------------------------------------------------


def _duties(b: Build, flexes: list[PlannedFlex]) -> None:
    """Five shifts in seven for every ward officer, rotating earlies, lates and nights week by
    week, with a fortnight's leave a year. A shift inside a flex the officer worked is flexed to
    its ward; otherwise a few are abstracted or flexed without a request."""
    from deployment.models import AbstractionType

    types = list(AbstractionType.objects.values_list("id", flat=True).order_by("id"))
    abstractions, commitments = [], []
    state = {"abstraction": next_id("deployment_abstraction"),
             "commitment": next_id("deployment_commitment")}
    recorded = timezone.now()
    days = [b.first + datetime.timedelta(days=n) for n in range((b.last - b.first).days + 1)]
    starts = {(day, shift): _at(day, SHIFTS[shift][0]).astimezone(UTC)
              for day in days for shift in range(len(SHIFTS))}
    length = datetime.timedelta(hours=SHIFT_HOURS)

    def rows():
        rng = b.rng
        for officer in b.officers:
            offset = rng.randrange(7)
            leave = rng.randrange(len(days) - 14)
            others = b.wards_of[officer.borough_id]
            for index, day in enumerate(days):
                if (day.toordinal() + offset) % 7 >= 5 or leave <= index < leave + 14:
                    continue
                starts_at = starts[day, ((day.toordinal() + offset) // 7) % 3]
                ends_at = starts_at + length
                flex = next((f for s, e, f in officer.flexed if s <= day <= e), None)
                if flex is not None:
                    yield (officer.officer_id, officer.ward_id, starts_at, ends_at, "flexed",
                           flex.to_ward_id, flex.id, None, "", b.recorder, recorded)
                    continue
                roll = rng.random()
                # A night shift runs into the next day: no abstraction on the eve of a held flex.
                eve = day + datetime.timedelta(days=1)
                held = any(s <= eve and day <= e for s, e, f in officer.flexed if f.holds)
                if roll < ABSTRACTED_SHARE and not held:
                    aid = state["abstraction"]
                    state["abstraction"] += 1
                    abstractions.append((aid, officer.officer_id, officer.borough_id,
                                         rng.choice(types), starts_at, ends_at,
                                         "Public order event on the borough", "Supt Bench", "",
                                         b.recorder, recorded))
                    commitments.append((state["commitment"], officer.officer_id, starts_at,
                                        ends_at, None, aid))
                    state["commitment"] += 1
                    yield (officer.officer_id, officer.ward_id, starts_at, ends_at, "abstracted",
                           officer.ward_id, None, aid, "", b.recorder, recorded)
                elif roll < ABSTRACTED_SHARE + UNAUTHORISED_FLEX_SHARE and len(others) > 1:
                    worked = rng.choice([w for w in others if w != officer.ward_id])
                    yield (officer.officer_id, officer.ward_id, starts_at, ends_at, "flexed",
                           worked, None, None, "", b.recorder, recorded)
                else:
                    yield (officer.officer_id, officer.ward_id, starts_at, ends_at, "home",
                           officer.ward_id, None, None, "", b.recorder, recorded)

    b.counts["duties"] = copy_rows(
        "deployment_duty",
        ["officer_id", "home_ward_id", "starts_at", "ends_at", "kind", "worked_ward_id",
         "flex_request_id", "abstraction_id", "notes", "recorded_by_id", "recorded_at"],
        rows(),
    )
    b.counts["abstractions"] = copy_rows(
        "deployment_abstraction",
        ["id", "officer_id", "borough_id", "abstraction_type_id", "starts_at", "ends_at",
         "significant_event", "authorised_by_name", "notes", "recorded_by_id", "recorded_at"],
        abstractions,
    )
    copy_rows("deployment_commitment",
              ["id", "officer_id", "starts_at", "ends_at", "flex_request_id", "abstraction_id"],
              commitments)


# --- crimes, victims and visit offers ---------------------------------------------------------

STREETS = ("High Street", "Church Road", "Station Road", "Park Avenue", "London Road",
           "Victoria Road", "Green Lane", "Manor Road", "Kings Road", "Queens Road")
# (category slug, weight): roughly the Met's mix of recorded crime with a victim.
CRIME_MIX = (("violent-crime", 28), ("other-theft", 14), ("vehicle-crime", 11), ("burglary", 9),
             ("criminal-damage-arson", 8), ("theft-from-the-person", 6), ("shoplifting", 6),
             ("robbery", 4), ("public-order", 5), ("bicycle-theft", 2), ("domestic-abuse", 4),
             ("hate-crime", 1), ("sexual-offences", 1), ("serious-violence", 1))


def _crimes(b: Build) -> None:
    from teams.demo import FIRST_NAMES, LAST_NAMES
    from victims.models import CrimeCategory

    categories = {slug: (pk, route) for pk, slug, route in
                  CrimeCategory.objects.values_list("id", "slug", "routes_to")}
    mix = [(categories[slug], weight) for slug, weight in CRIME_MIX if slug in categories]
    cats = [c for c, _ in mix]
    weights = [w for _, w in mix]
    wards = sorted(b.centroid)
    borough_of = {w: bid for bid, ws in b.wards_of.items() for w in ws}
    officers_of = defaultdict(list)
    for officer in b.officers:
        officers_of[officer.borough_id].append(officer.officer_id)
    now = timezone.now()
    crime_id, victim_id = next_id("victims_crime"), next_id("victims_victim")
    crimes, victims, offers = [], [], []
    rng = b.rng
    for month in b.months():
        month_end = (month + datetime.timedelta(days=32)).replace(day=1)
        # In UTC: adding to a London time would add wall-clock time across the clock change.
        start, stop = _at(month, 0).astimezone(UTC), _at(month_end, 0).astimezone(UTC)
        span = (min(stop, now) - start).total_seconds()
        if span <= 0:
            continue
        count = int(CRIMES_PER_MONTH * span / (stop - start).total_seconds())
        for n in range(count):
            ward = rng.choice(wards)
            borough = borough_of[ward]
            (category, route) = rng.choices(cats, weights)[0]
            occurred = start + datetime.timedelta(seconds=rng.random() * span)
            reported = min(occurred + datetime.timedelta(hours=rng.random() * 30), now)
            age = (now - reported).days
            closed = reported + datetime.timedelta(days=30) if age > 60 and rng.random() < 0.9 \
                else None
            lat, lng = b.centroid[ward]
            crimes.append((crime_id, f"BENCH/{month:%Y%m}/{n:06d}", category, occurred, reported,
                           borough, ward, f"{rng.randint(1, 200)} {rng.choice(STREETS)}", lat, lng,
                           route, closed, b.recorder, reported))
            enhanced = rng.random() < 0.1
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            victims.append((victim_id, crime_id, name, f"07{rng.randint(100000000, 999999999)}",
                            "", "phone", "", enhanced, "vulnerable" if enhanced else "",
                            rng.random() < 0.6, f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
                            "", rng.random() < 0.05, None))
            offers.append(_offer(b, victim_id, reported, enhanced, age, officers_of[borough]))
            crime_id, victim_id = crime_id + 1, victim_id + 1
    b.counts["crimes"] = copy_rows(
        "victims_crime",
        ["id", "reference", "category_id", "occurred_at", "reported_at", "borough_id", "ward_id",
         "location", "lat", "lng", "routed_to", "closed_at", "created_by_id", "created_at"],
        crimes,
    )
    del crimes
    b.counts["victims"] = copy_rows(
        "victims_victim",
        ["id", "crime_id", "name", "phone", "email", "preferred_contact", "preferred_times",
         "enhanced_rights", "enhanced_reason", "consents_to_referral", "address", "postcode",
         "is_repeat", "anonymised_at"],
        victims,
    )
    del victims
    b.counts["visit offers"] = copy_rows(
        "victims_visitoffer",
        ["victim_id", "status", "due_date", "offered_at", "offered_how", "offered_by_id",
         "attempts", "responded_at", "window_start", "window_end", "officer_id", "reschedules",
         "completed_at", "needs_assessment_done", "referral_made", "crime_prevention_advice",
         "satisfaction", "reason", "satisfaction_recorded_at", "satisfaction_recorded_by_id"],
        offers,
    )


# An offer's status by its age in days: older offers have reached an outcome.
OLD_OUTCOMES = (("completed", 50), ("declined", 30), ("no_reply", 10), ("missed", 5),
                ("cancelled", 5))
RECENT_STATES = (("due", 30), ("offered", 20), ("accepted", 15), ("scheduled", 20),
                 ("completed", 15))


def _offer(b, victim_id, reported, enhanced, age, officers):
    rng = b.rng
    states = OLD_OUTCOMES if age > 14 else RECENT_STATES
    status = rng.choices([s for s, _ in states], [w for _, w in states])[0]
    due = add_working_days(reported.astimezone(LONDON).date(), 1 if enhanced else 2)
    offered = responded = window = completed = officer = None
    satisfaction, attempts, how = None, 0, ""
    if status != "due":
        offered, attempts, how = reported + datetime.timedelta(hours=rng.randint(2, 40)), 1, "phone"
    if status in ("accepted", "scheduled", "completed", "missed", "cancelled", "declined"):
        responded = offered + datetime.timedelta(hours=2)
    if status in ("scheduled", "completed", "missed", "cancelled"):
        begins = responded + datetime.timedelta(days=rng.randint(1, 5))
        window = (begins, begins + datetime.timedelta(hours=2))
        officer = rng.choice(officers)
    if status == "completed":
        completed = window[0] + datetime.timedelta(minutes=30)
        satisfaction = rng.randint(1, 5)
    if status == "no_reply":
        attempts = 3
    reason = "Victim not at home." if status in ("missed", "cancelled") else ""
    return (victim_id, status, due, offered, how, b.recorder if offered else None, attempts,
            responded, window[0] if window else None, window[1] if window else None, officer, 0,
            completed, status == "completed", status == "completed" and rng.random() < 0.3,
            status == "completed", satisfaction, reason,
            completed + datetime.timedelta(hours=1) if satisfaction else None,
            b.recorder if satisfaction else None)


# --- promises, activities, priorities, panels, events -----------------------------------------


def _promises(b: Build) -> None:
    """Each ward's three promises (a patrol, visiting every secondary school, engagement), about
    25 logged activities a month linked to them, 3 open priorities, quarterly panels and 2
    upcoming events."""
    first_officer = {}
    for officer in b.officers:
        first_officer.setdefault(officer.ward_id, officer.officer_id)
    rng = b.rng
    now = timezone.now()
    promise_id, activity_id = next_id("promises_promise"), next_id("promises_activity")
    promises, activities, links, crew = [], [], [], []
    priorities, panels, events = [], [], []
    for borough_id, wards in sorted(b.wards_of.items()):
        for ward in wards:
            owner = first_officer.get(ward)
            if owner is None:
                continue
            patrol = promise_id
            for kind, title, extra in (
                ("patrol", "Evening patrols of the high street",
                 ([4, 5], datetime.time(20), datetime.time(23), "", 3, "week")),
                ("visit_all", "Visit every secondary school each month",
                 ([], None, None, "secondary_school", None, "month")),
                ("engagement", "Two street briefings a month",
                 ([], None, None, "", 2, "month")),
            ):
                days, ws, we, place_kind, target, period = extra
                promises.append((promise_id, borough_id, ward, None, title, "", kind, b.first,
                                 None, b.first, None, "", None, owner, None,
                                 "High Street" if kind == "patrol" else "", days, ws, we,
                                 place_kind, target, period, None, now))
                promise_id += 1
            for month in b.months():
                for _ in range(25):
                    day = month + datetime.timedelta(days=rng.randrange(28))
                    if day > b.today:
                        continue
                    starts = _at(day, rng.choice((10, 14, 20)))
                    activities.append((activity_id, ward, "patrol", None, "High Street", starts,
                                       starts + datetime.timedelta(hours=1), "", None, now))
                    links.append((activity_id, patrol))
                    crew.append((activity_id, owner))
                    activity_id += 1
            for i in range(3):
                priorities.append((ward, f"Anti-social behaviour around the station ({i + 1})",
                                   "<p>Weekly patrols and a dispersal order.</p>",
                                   _at(b.first, 12), _at(b.today, 12), None, None, now))
            for q in range(4):
                panels.append((ward, b.first + datetime.timedelta(days=91 * q), 12, "", None, now))
            for e in range(2):
                starts = _at(b.today + datetime.timedelta(days=7 * (e + 1)), 18)
                events.append((ward, "Meet your ward team", "street_briefing",
                               "Library, High Street", starts,
                               starts + datetime.timedelta(hours=1), "", "", None))
    b.counts["promises"] = copy_rows(
        "promises_promise",
        ["id", "borough_id", "ward_id", "team_id", "title", "description", "kind", "agreed_on",
         "panel_meeting_id", "start", "end", "end_reason", "owner_user_id", "owner_officer_id",
         "place_id", "area", "days", "window_start", "window_end", "place_kind", "target",
         "period", "created_by_id", "created_at"],
        promises,
    )
    b.counts["activities"] = copy_rows(
        "promises_activity",
        ["id", "ward_id", "kind", "place_id", "location", "starts_at", "ends_at", "notes",
         "recorded_by_id", "created_at"],
        activities,
    )
    copy_rows("promises_activity_promises", ["activity_id", "promise_id"], links)
    copy_rows("promises_activity_officers", ["activity_id", "officer_id"], crew)
    copy_rows("promises_wardpriority",
              ["ward_id", "issue", "action", "issue_date", "action_date", "closed_on",
               "created_by_id", "created_at"], priorities)
    copy_rows("promises_panelmeeting",
              ["ward_id", "date", "attendees", "minutes", "recorded_by_id", "created_at"], panels)
    copy_rows("promises_engagementevent",
              ["ward_id", "title", "kind", "address", "starts_at", "ends_at", "contact",
               "description", "created_by_id"], events)
