"""Demo data on top of the real London geography: ward clusters, a neighbourhood team for every
ward, an INPT per cluster, officers posted to them, and a login for each role.

Deterministic and idempotent: every choice comes from a random generator seeded with a fixed
string and the object's natural key (a ward's ONS code, a shoulder number), and every object is
matched by its natural key before it is created, so a second run creates nothing. Runs in one
transaction with bulk inserts (all London in a few seconds)."""

from __future__ import annotations

import datetime
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from config.access import Role
from config.db import analyze
from config.errors import DomainError
from teams.models import Officer, Posting, Rank, Team, User
from wards.models import BCU, Borough, Ward, WardCluster

SEED = "neighbourhood-ops-demo"
DEMO_PASSWORD = "demo-password-2026"
# Boroughs with a login for every borough role: Camden, Westminster, Lambeth.
DEMO_BOROUGHS = ["E09000007", "E09000033", "E09000022"]
# Clusters hold at most this many wards (a borough of 17 wards gets clusters of 6, 6 and 5).
MAX_CLUSTER_SIZE = 8
# Every BELOW_MINIMUM_EVERY-th ward is short of its minimum cover, so the warnings show.
BELOW_MINIMUM_EVERY = 15
FIRST_POSTING = datetime.date(2023, 1, 2)
LAST_POSTING = datetime.date(2026, 9, 30)

FIRST_NAMES = (
    "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Muhammad", "Thomas", "Oscar",
    "William", "James", "Leo", "Alfie", "Henry", "Joshua", "Freddie", "Archie", "Ethan", "Isaac",
    "Alexander", "Joseph", "Samuel", "Daniel", "Adam", "Ryan", "Callum", "Kwame", "Tariq", "Ravi",
    "Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Mia", "Poppy", "Ella", "Lily",
    "Evie", "Jessica", "Chloe", "Hannah", "Charlotte", "Ruby", "Lucy", "Megan", "Holly", "Priya",
    "Aisha", "Fatima", "Zainab", "Niamh", "Siobhan", "Rachel", "Sarah", "Laura", "Rebecca", "Emma",
    "Katie", "Chantelle", "Abigail", "Yasmin",
)
LAST_NAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes",
    "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin",
    "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison",
    "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price",
    "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey",
    "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall",
    "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Okafor", "Mensah", "Ahmed",
    "Hussain", "Campbell", "O'Brien", "Fraser", "Reid", "Doyle", "Kaur", "Osei", "Akhtar", "Nowak",
)

# Officer slots per ward. An officer's shoulder number comes from (the ward's place in its BCU,
# slot), scrambled into 1000-9999, followed by the BCU code: unique, and stable for as long as the
# ward list is.
SLOT_PC, SLOT_PC2, SLOT_PCSO, SLOT_EXTRA_PC, SLOT_EXTRA_PCSO, SLOT_SPECIAL = range(6)
SLOT_SERGEANT, SLOT_INSPECTOR, SLOT_DC, SLOT_DC2 = range(6, 10)


@dataclass
class DemoLogin:
    username: str
    role: str
    boroughs: list[str]


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    logins: list[DemoLogin] = field(default_factory=list)
    password: str = DEMO_PASSWORD


@dataclass
class PlannedOfficer:
    shoulder_number: str
    rank: str
    borough_id: int
    is_detective: bool = False
    # (team id, posting role, is primary)
    postings: list[tuple[int, str, bool]] = field(default_factory=list)


def seed_demo(*, password: str = DEMO_PASSWORD) -> SeedReport:
    if not Ward.objects.exists() or not BCU.objects.exists():
        raise DomainError("There are no wards yet: run `manage.py load_london` first.")
    report = SeedReport(password=password)
    with transaction.atomic():
        wards = _wards_by_borough()
        _create_clusters(wards, report)
        _create_teams(report)
        _create_officers_and_postings(_plan_staffing(wards), report)
        report.logins = _upsert_logins(password, report)
        # Statistics for the tables just filled, before anything queries them (the deployment
        # demo joins postings, teams and officers next).
        analyze(WardCluster, Ward, Team, Officer, Posting, User)
    return report


# --- clusters ---------------------------------------------------------------------------------


def _wards_by_borough() -> dict[Borough, list[Ward]]:
    """Each borough's wards in geographical order: clockwise around the borough's centre,
    starting after the widest gap so no cluster straddles it."""
    wards = defaultdict(list)
    for ward in Ward.objects.select_related("borough__bcu").order_by("code"):
        wards[ward.borough].append(ward)
    return {
        borough: _clockwise(borough, items)
        for borough, items in sorted(wards.items(), key=lambda item: item[0].code)
    }


def _bearing(centre: tuple[float, float], ward: Ward) -> float:
    lat0, lng0 = centre
    dx = (float(ward.centroid_lng) - lng0) * math.cos(math.radians(lat0))
    dy = float(ward.centroid_lat) - lat0
    return math.degrees(math.atan2(dx, dy)) % 360


def _centre(borough: Borough, wards: list[Ward]) -> tuple[float, float]:
    if borough.centroid_lat is not None and borough.centroid_lng is not None:
        return float(borough.centroid_lat), float(borough.centroid_lng)
    return (
        sum(float(w.centroid_lat) for w in wards) / len(wards),
        sum(float(w.centroid_lng) for w in wards) / len(wards),
    )


def _clockwise(borough: Borough, wards: list[Ward]) -> list[Ward]:
    centre = _centre(borough, wards)
    ordered = sorted(wards, key=lambda w: (_bearing(centre, w), w.code))
    if len(ordered) < 2:
        return ordered
    bearings = [_bearing(centre, w) for w in ordered]
    gaps = [(bearings[(i + 1) % len(bearings)] - bearings[i]) % 360 for i in range(len(bearings))]
    start = (gaps.index(max(gaps)) + 1) % len(ordered)
    return ordered[start:] + ordered[:start]


def split_evenly(items: list, parts: int) -> list[list]:
    """`items` in `parts` consecutive runs whose sizes differ by at most one."""
    size, extra = divmod(len(items), parts)
    runs, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        runs.append(items[start:end])
        start = end
    return runs


COMPASS = ["North", "North East", "East", "South East", "South", "South West", "West", "North West"]


def _cluster_names(borough: Borough, groups: list[list[Ward]]) -> list[str]:
    """"<Borough> North East" after the group's direction from the borough's centre, or
    "<Borough> Cluster n" when two groups would share a direction."""
    centre = _centre(borough, [w for g in groups for w in g])
    directions = []
    for group in groups:
        x = sum(math.sin(math.radians(_bearing(centre, w))) for w in group)
        y = sum(math.cos(math.radians(_bearing(centre, w))) for w in group)
        directions.append(COMPASS[round((math.degrees(math.atan2(x, y)) % 360) / 45) % 8])
    if len(set(directions)) < len(directions):
        directions = [f"Cluster {i}" for i in range(1, len(groups) + 1)]
    return [f"{borough.name} {direction}" for direction in directions]


def _create_clusters(wards: dict[Borough, list[Ward]], report: SeedReport) -> None:
    """Clusters are an operational choice: a borough that has any keeps them as they are."""
    clustered = set(WardCluster.objects.values_list("borough_id", flat=True))
    new_clusters, members = [], []
    for borough, items in wards.items():
        if borough.pk in clustered:
            continue
        groups = split_evenly(items, math.ceil(len(items) / MAX_CLUSTER_SIZE))
        for name, group in zip(_cluster_names(borough, groups), groups, strict=True):
            new_clusters.append(
                WardCluster(
                    borough=borough,
                    name=name,
                    notes="Demo data: neighbouring wards grouped for shared supervision.",
                )
            )
            members.append(group)
    WardCluster.objects.bulk_create(new_clusters)
    changed = []
    for cluster, group in zip(new_clusters, members, strict=True):
        for ward in group:
            ward.cluster = cluster
            changed.append(ward)
    Ward.objects.bulk_update(changed, ["cluster"], batch_size=500)
    report.created["ward clusters"] += len(new_clusters)


# --- teams ------------------------------------------------------------------------------------


def _ward_team(ward: Ward, shared_slugs: set[str]) -> Team:
    rng = random.Random(f"{SEED}:team:{ward.code}")
    slug = slugify(ward.name)
    if slug in shared_slugs:  # e.g. Highgate is a ward of Camden and of Haringey
        slug = f"{slug}-{slugify(ward.borough.name)}"
    return Team(
        kind=Team.Kind.WARD,
        name=f"{ward.name} Safer Neighbourhood Team",
        borough_id=ward.borough_id,
        ward=ward,
        email=f"{slug}.snt@met.police.uk",
        phone=f"020 {rng.choice('78')}{rng.randint(100, 999)} {rng.randint(0, 9999):04d}",
    )


def _create_teams(report: SeedReport) -> None:
    all_wards = list(Ward.objects.select_related("borough").order_by("code"))
    slug_counts = Counter(slugify(w.name) for w in all_wards)
    shared_slugs = {slug for slug, n in slug_counts.items() if n > 1}
    staffed = set(Team.objects.filter(ward__isnull=False).values_list("ward_id", flat=True))
    ward_teams = [_ward_team(w, shared_slugs) for w in all_wards if w.pk not in staffed]
    Team.objects.bulk_create(ward_teams, batch_size=500)

    with_inpt = set(Team.objects.filter(cluster__isnull=False).values_list("cluster_id", flat=True))
    inpts = [
        Team(
            kind=Team.Kind.INPT,
            name=f"{cluster.name} INPT",
            borough_id=cluster.borough_id,
            cluster=cluster,
        )
        for cluster in WardCluster.objects.order_by("borough__code", "name")
        if cluster.pk not in with_inpt
    ]
    Team.objects.bulk_create(inpts)
    report.created["ward teams"] += len(ward_teams)
    report.created["INPTs"] += len(inpts)


# --- officers and postings --------------------------------------------------------------------


def _plan_staffing(wards: dict[Borough, list[Ward]]) -> list[PlannedOfficer]:
    team_of_ward = dict(Team.objects.filter(ward__isnull=False).values_list("ward_id", "id"))
    inpt_of_cluster = dict(
        Team.objects.filter(cluster__isnull=False).values_list("cluster_id", "id")
    )
    place_in_bcu = _place_in_bcu(wards)
    london_index = {w.pk: i for i, w in enumerate(sorted(
        (w for items in wards.values() for w in items), key=lambda w: w.code
    ))}
    plan = []
    for borough, items in wards.items():

        def shoulder(ward, slot, borough=borough):
            return shoulder_number(place_in_bcu[ward.pk], slot, borough.bcu.code)

        for ward in items:
            plan += _dedicated_officers(
                ward, team_of_ward[ward.pk], london_index[ward.pk], shoulder
            )
        for cluster_wards in _by_cluster(items):
            plan += _supervisors(cluster_wards, team_of_ward, shoulder)
            inpt = inpt_of_cluster.get(cluster_wards[0].cluster_id)
            if inpt is not None:
                plan += _inpt_officers(cluster_wards[0], inpt, shoulder)
    return plan


def shoulder_number(place_in_bcu: int, slot: int, bcu_code: str) -> str:
    # 7919 is prime to 9000, so n -> n * 7919 mod 9000 is one-to-one.
    return f"{1000 + (10 * place_in_bcu + slot) * 7919 % 9000}{bcu_code}"


def _place_in_bcu(wards: dict[Borough, list[Ward]]) -> dict[int, int]:
    by_bcu = defaultdict(list)
    for borough, items in wards.items():
        by_bcu[borough.bcu_id].extend(items)
    return {
        w.pk: i
        for items in by_bcu.values()
        for i, w in enumerate(sorted(items, key=lambda w: w.code))
    }


def _by_cluster(items: list[Ward]) -> list[list[Ward]]:
    """The borough's wards grouped by cluster, each group in geographical order."""
    groups = defaultdict(list)
    for ward in items:
        groups[ward.cluster_id].append(ward)
    return [group for key, group in groups.items() if key is not None]


def _dedicated_officers(ward: Ward, team_id: int, index: int, shoulder) -> list[PlannedOfficer]:
    """At least 2 PCs and a PCSO; every 15th ward is short (one PC, or no PCSO); some wards
    have an extra PC or PCSO, or a Special."""
    rng = random.Random(f"{SEED}:strength:{ward.code}")
    slots = {SLOT_PC: Rank.PC, SLOT_PC2: Rank.PC, SLOT_PCSO: Rank.PCSO}
    if index % BELOW_MINIMUM_EVERY == BELOW_MINIMUM_EVERY // 2:
        del slots[SLOT_PC2 if (index // BELOW_MINIMUM_EVERY) % 2 == 0 else SLOT_PCSO]
    else:
        if rng.random() < 0.25:
            slots[SLOT_EXTRA_PC] = Rank.PC
        if rng.random() < 0.2:
            slots[SLOT_EXTRA_PCSO] = Rank.PCSO
        if rng.random() < 0.15:
            slots[SLOT_SPECIAL] = Rank.SPECIAL
    return [
        PlannedOfficer(
            shoulder_number=shoulder(ward, slot),
            rank=rank,
            borough_id=ward.borough_id,
            postings=[(team_id, Posting.Role.DEDICATED, True)],
        )
        for slot, rank in slots.items()
    ]


def _supervisors(cluster_wards: list[Ward], team_of_ward, shoulder) -> list[PlannedOfficer]:
    """One sergeant per 2-3 neighbouring wards: primary in the first, also supervising the
    others (shared supervision)."""
    groups = split_evenly(cluster_wards, max(1, math.ceil(len(cluster_wards) / 3)))
    sergeants = []
    for group in groups:
        first, *others = group
        postings = [(team_of_ward[first.pk], Posting.Role.SUPERVISOR, True)]
        postings += [(team_of_ward[w.pk], Posting.Role.SUPERVISOR, False) for w in others]
        sergeants.append(
            PlannedOfficer(
                shoulder_number=shoulder(first, SLOT_SERGEANT),
                rank=Rank.SERGEANT,
                borough_id=first.borough_id,
                postings=postings,
            )
        )
    return sergeants


def _inpt_officers(first_ward: Ward, inpt_id: int, shoulder) -> list[PlannedOfficer]:
    """An Inspector leading the cluster's INPT, and two detective constables."""
    inspector = PlannedOfficer(
        shoulder_number=shoulder(first_ward, SLOT_INSPECTOR),
        rank=Rank.INSPECTOR,
        borough_id=first_ward.borough_id,
        postings=[(inpt_id, Posting.Role.LEAD, True)],
    )
    detectives = [
        PlannedOfficer(
            shoulder_number=shoulder(first_ward, slot),
            rank=Rank.PC,
            is_detective=True,
            borough_id=first_ward.borough_id,
            postings=[(inpt_id, Posting.Role.MEMBER, True)],
        )
        for slot in (SLOT_DC, SLOT_DC2)
    ]
    return [inspector, *detectives]


def _start_date(rng: random.Random) -> datetime.date:
    last = min(LAST_POSTING, timezone.localdate() - datetime.timedelta(days=1))
    return FIRST_POSTING + datetime.timedelta(days=rng.randint(0, (last - FIRST_POSTING).days))


def _create_officers_and_postings(plan: list[PlannedOfficer], report: SeedReport) -> None:
    numbers = [p.shoulder_number for p in plan]
    existing = Officer.objects.in_bulk(numbers, field_name="shoulder_number")
    new_officers = []
    for planned in plan:
        if planned.shoulder_number in existing:
            continue
        rng = random.Random(f"{SEED}:officer:{planned.shoulder_number}")
        new_officers.append(
            Officer(
                shoulder_number=planned.shoulder_number,
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                rank=planned.rank,
                is_detective=planned.is_detective,
                borough_id=planned.borough_id,
            )
        )
    Officer.objects.bulk_create(new_officers, batch_size=1000)
    officers = {**existing, **{o.shoulder_number: o for o in new_officers}}

    posted = set(
        Posting.objects.filter(officer__shoulder_number__in=numbers).values_list(
            "officer__shoulder_number", "team_id"
        )
    )
    postings = []
    for planned in plan:
        start = _start_date(random.Random(f"{SEED}:posting:{planned.shoulder_number}"))
        for team_id, role, is_primary in planned.postings:
            if (planned.shoulder_number, team_id) in posted:
                continue
            postings.append(
                Posting(
                    officer=officers[planned.shoulder_number],
                    team_id=team_id,
                    role=role,
                    is_primary=is_primary,
                    start_date=start,
                )
            )
    Posting.objects.bulk_create(postings, batch_size=1000)
    report.created["officers"] += len(new_officers)
    report.created["postings"] += len(postings)


# --- logins -----------------------------------------------------------------------------------


@dataclass
class LoginSpec:
    username: str
    role: str
    boroughs: list[Borough]
    officer_rank: str | None = None
    superuser: bool = False


def _login_specs() -> list[LoginSpec]:
    boroughs = {b.code: b for b in Borough.objects.select_related("bcu").filter(
        code__in=DEMO_BOROUGHS
    )}
    specs = []
    for code in DEMO_BOROUGHS:
        borough = boroughs.get(code)
        if borough is None:
            continue
        slug = slugify(borough.name)
        specs += [
            LoginSpec(f"staff.{slug}", Role.STAFF, [borough]),
            LoginSpec(f"sergeant.{slug}", Role.SERGEANT, [borough], Rank.SERGEANT),
            LoginSpec(f"inspector.{slug}", Role.INSPECTOR, [borough], Rank.INSPECTOR),
            LoginSpec(f"chief_inspector.{slug}", Role.CHIEF_INSPECTOR, [borough]),
            LoginSpec(f"constable.{slug}", Role.CONSTABLE, [borough], Rank.PC),
        ]
    bcus = sorted({b.bcu for b in boroughs.values()}, key=lambda bcu: bcu.code)
    for bcu in bcus:
        specs.append(
            LoginSpec(
                f"commander.{slugify(bcu.name)}",
                Role.COMMANDER,
                list(bcu.boroughs.order_by("name")),
            )
        )
    specs += [
        LoginSpec("hq", Role.HQ, []),
        LoginSpec("admin", Role.ADMIN, [], superuser=True),
    ]
    return specs


def _upsert_logins(password: str, report: SeedReport) -> list[DemoLogin]:
    """Create the demo logins, or put them back to their demo role, boroughs and password."""
    hashed = make_password(password)  # one hash for all: the demo password is public anyway
    logins = []
    for spec in _login_specs():
        user, created = User.objects.get_or_create(username=spec.username)
        report.created["users"] += int(created)
        user.role = spec.role
        user.is_active = True
        user.is_staff = user.is_superuser = spec.superuser
        user.email = f"{spec.username}@neighbourhood-ops.example"  # notifications go to the console
        user.password = hashed
        user.officer = _officer_for(user, spec)
        if user.officer:
            user.first_name, user.last_name = user.officer.first_name, user.officer.last_name
        user.save()
        user.boroughs.set(spec.boroughs)
        logins.append(DemoLogin(spec.username, spec.role, [b.name for b in spec.boroughs]))
    return logins


def _officer_for(user: User, spec: LoginSpec) -> Officer | None:
    if spec.officer_rank is None:
        return None
    officers = Officer.objects.filter(
        borough__in=spec.boroughs, rank=spec.officer_rank, active=True
    ).filter(Q(user__isnull=True) | Q(user=user))
    if spec.role == Role.CONSTABLE:  # a dedicated ward officer, whose home shows their ward
        officers = officers.filter(postings__team__ward__isnull=False).distinct()
    return officers.order_by("shoulder_number").first()
