"""The demo's abstractions: London-wide central aid days (Notting Hill Carnival, demonstrations),
the borough's local aid days, and court dates, courses, CAD room and response cover and the odd
other duty for individual officers, each with its commitment and abstracted shifts."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db.models import F, Value
from django.db.models.functions import Least
from django.utils import timezone

from config.timeutils import shift_bounds
from deployment.demo.roster import SEED, BoroughDemo, Shift, T
from deployment.models import Abstraction, Commitment, Duty
from teams.demo import FIRST_NAMES, LAST_NAMES
from teams.models import Rank

COURTS = ("Snaresbrook", "Southwark", "Wood Green", "Isleworth", "Inner London", "Kingston",
          "Croydon", "Harrow", "Woolwich", "the Central Criminal Court")
GENERIC_CENTRAL_AID = (
    "Demonstration in Whitehall", "March from Park Lane to Parliament Square",
    "State visit: ceremonial route on The Mall", "International football match at Wembley Stadium",
)
STADIUMS = {  # boroughs whose big local-aid events are matches
    "E09000019": "Arsenal home match at the Emirates Stadium",
    "E09000014": "Tottenham Hotspur home match",
    "E09000005": "Event at Wembley Stadium",
    "E09000013": "Premier League match at Stamford Bridge",
    "E09000025": "West Ham United home match at the London Stadium",
    "E09000027": "Rugby international at Twickenham Stadium",
}
LOCAL_AID = ("{borough} town centre night-time economy operation", "{borough} community festival",
             "Weapons sweep and knife arch operation in {ward}")
# Abstractions each officer may have, with the chance for an average borough (each borough's
# rate differs, as the real ones do): (type, chance, shifts, shift codes, hours or None to keep
# the shift's, events).
INDIVIDUAL = (
    ("court", 0.15, 1, "EL", (T(9), T(17)), ("Crown Court trial: R v {surname} at {court}",)),
    ("training", 0.3, 3, "E", (T(8), T(16)), (
        "Officer safety training (annual refresher)", "Public order level 2 refresher",
        "Emergency life support recertification", "Taser initial course")),
    ("cad-room", 0.06, 1, "EL", None, ("CAD room cover: Met Command and Control short of call "
                                       "handlers",)),
    ("response-cover", 0.35, 2, "LN", None, (
        "Response team cover: {borough} response below minimum strength",
        "Response cover: Saturday night-time economy surge")),
    ("other", 0.1, 1, "ELN", None, (
        "Hospital guard: prisoner under arrest at the local hospital",
        "Scene preservation: murder investigation in {ward}", "Prisoner escort to HMP Belmarsh")),
)


@dataclass
class Event:
    type_code: str
    name: str
    day: datetime.date
    hours: tuple | None = None  # replaces the shift's hours
    share: float = 0.0  # of officers on an early or late that day


def central_aid_days(first: datetime.date, last: datetime.date) -> list[Event]:
    """London-wide events every borough sends officers to: the fixed ones in the period, and
    demonstrations or state occasions on some Saturdays (the same days for every borough)."""
    events = []
    for year in range(first.year, last.year + 1):
        bank_holiday = _last_weekday(year, 8, 0)
        events += [
            Event("central-aid", "Notting Hill Carnival", bank_holiday - datetime.timedelta(1)),
            Event("central-aid", "Notting Hill Carnival", bank_holiday),
            Event("central-aid", "Remembrance Sunday", _nth_weekday(year, 11, 6, 2)),
            Event("central-aid", "Trooping the Colour", _nth_weekday(year, 6, 5, 2)),
            Event("central-aid", "London Marathon", _last_weekday(year, 4, 6)),
            Event("central-aid", "New Year's Eve fireworks on the Embankment",
                  datetime.date(year, 12, 31), (T(18), T(6))),
        ]
    events = [e for e in events if first <= e.day <= last]
    rng = random.Random(f"{SEED}:central-aid:{first}")
    saturday = first + datetime.timedelta(days=(5 - first.weekday()) % 7)
    fixed = {e.day for e in events}
    saturdays = [
        day
        for day in (saturday + datetime.timedelta(weeks=n) for n in range(10))
        if day <= last and day not in fixed
    ]
    chosen = [day for day in saturdays if rng.random() < 0.4]
    chosen += [day for day in saturdays if day not in chosen][: max(0, 2 - len(events + chosen))]
    events += [Event("central-aid", rng.choice(GENERIC_CENTRAL_AID), day) for day in chosen]
    for event in events:
        event.hours = event.hours or (T(8), T(20))
        event.share = 0.5 if "Carnival" in event.name else 0.35
    return sorted(events, key=lambda e: e.day)


def _nth_weekday(year, month, weekday, n) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year, month, weekday) -> datetime.date:
    last = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)


def _local_aid_days(demo: BoroughDemo, rng) -> list[Event]:
    span = (demo.today - demo.first).days + 1
    days = sorted(rng.sample(range(span), 3))
    events = []
    for offset in days:
        template = STADIUMS.get(demo.borough.code) or rng.choice(LOCAL_AID)
        name = template.format(borough=demo.borough.name, ward=rng.choice(_ward_names(demo)))
        events.append(Event("local-aid", name, demo.first + datetime.timedelta(days=offset),
                            share=0.2))
    return events


def _ward_names(demo: BoroughDemo) -> list[str]:
    return [w.name for w in demo.wards.values()]


def surname(rng) -> str:
    return rng.choice(LAST_NAMES)


def authorisers_of(demo: BoroughDemo) -> list[str]:
    rng = demo.rng("authorisers")
    return [f"{title} {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            for title in ("Supt", "Ch Insp")]


def seed_abstractions(demo: BoroughDemo, types) -> None:
    rng = demo.rng("abstractions")
    authorisers = authorisers_of(demo)
    abstractions = []
    for event in central_aid_days(demo.first, demo.today) + _local_aid_days(demo, rng):
        for officer_id in sorted(demo.shifts):
            shifts = [s for s in demo.shifts[officer_id] if s.day == event.day and s.code in "EL"]
            if shifts and rng.random() < event.share:
                abstractions += _abstract(demo, shifts, types[event.type_code], event.name,
                                          event.hours, authorisers[0])
    rate = rng.uniform(0.6, 1.7)
    for officer_id in sorted(demo.shifts):
        if demo.officers[officer_id].rank != Rank.SPECIAL:
            abstractions += _individual_abstractions(demo, officer_id, types, rate, authorisers)
    abstractions += _every_type_once(demo, abstractions, types, authorisers, rng)
    Abstraction.objects.bulk_create(abstractions, batch_size=1000)
    Commitment.objects.bulk_create(
        [
            Commitment(officer_id=a.officer_id, abstraction=a, starts_at=a.starts_at,
                       ends_at=a.ends_at)
            for a in abstractions
        ],
        batch_size=1000,
    )
    # Aid, courses and court dates are booked a few days ahead.
    Abstraction.objects.filter(officer__borough=demo.borough).update(
        recorded_at=Least(F("starts_at") - datetime.timedelta(days=3), Value(timezone.now()))
    )
    demo.report.created["abstractions"] += len(abstractions)
    demo.report.created["commitments"] += len(abstractions)


def _individual_abstractions(demo, officer_id, types, rate, authorisers) -> list[Abstraction]:
    officer = demo.officers[officer_id]
    rng = random.Random(f"{SEED}:{demo.today}:abstractions:{officer.shoulder_number}")
    made = []
    for code, chance, most, shift_codes, hours, events in INDIVIDUAL:
        if rng.random() >= chance * rate:
            continue
        run = _free_run(demo, officer_id, shift_codes, rng.randint(1, most), rng)
        if run:
            event = _event_text(demo, rng.choice(events), run, rng)
            made += _abstract(demo, run, types[code], event, hours, rng.choice(authorisers))
    return made


def _event_text(demo: BoroughDemo, template: str, run: list[Shift], rng) -> str:
    return template.format(
        surname=surname(rng), court=rng.choice(COURTS), borough=demo.borough.name,
        ward=demo.wards[run[0].home_ward_id].name,
    )


# One event of each type, for a borough whose dice left a type out: every type shows.
FALLBACKS = {
    "central-aid": (GENERIC_CENTRAL_AID[0], (T(8), T(20))),
    "local-aid": (LOCAL_AID[0], None),
    **{code: (events[0], hours) for code, _, _, _, hours, events in INDIVIDUAL},
}


def _every_type_once(demo, abstractions, types, authorisers, rng) -> list[Abstraction]:
    seen = {a.abstraction_type.code for a in abstractions}
    officer_ids = [o for o in sorted(demo.shifts) if demo.officers[o].rank != Rank.SPECIAL]
    made = []
    for code, (template, hours) in FALLBACKS.items():
        if code in seen or code not in types:
            continue
        for officer_id in rng.sample(officer_ids, len(officer_ids)):
            run = _free_run(demo, officer_id, "EL", 1, rng)
            event = _event_text(demo, template, run, rng) if run else ""
            if run and (new := _abstract(demo, run, types[code], event, hours, authorisers[1])):
                made += new
                break
    return made


def _free_run(demo: BoroughDemo, officer_id, codes, length, rng) -> list[Shift]:
    """`length` home shifts on consecutive days, of the given kinds, with the officer free."""
    shifts = demo.shifts[officer_id]
    for _ in range(6):
        if len(shifts) < length:
            return []
        i = rng.randrange(len(shifts) - length + 1)
        run = shifts[i:i + length]
        if all(
            s.kind == Duty.Kind.HOME and s.code in codes
            and (s.day - run[0].day).days == n
            and demo.is_free(officer_id, s.starts_at, s.ends_at)
            for n, s in enumerate(run)
        ):
            return run
    return []


def _abstract(demo, shifts, abstraction_type, event, hours, authorised_by) -> list[Abstraction]:
    """Abstract the officer for these shifts (at the event's hours if it has its own)."""
    if hours:
        bounds = [shift_bounds(s.day, *hours) for s in shifts]
    else:
        bounds = [(s.starts_at, s.ends_at) for s in shifts]
    starts_at, ends_at = bounds[0][0], bounds[-1][1]
    officer_id = shifts[0].officer_id
    if any(s.kind != Duty.Kind.HOME for s in shifts) or not demo.is_free(
        officer_id, starts_at, ends_at
    ):
        return []
    demo.hold(officer_id, starts_at, ends_at)
    abstraction = Abstraction(
        officer_id=officer_id, borough=demo.borough, abstraction_type=abstraction_type,
        starts_at=starts_at,
        ends_at=ends_at, significant_event=event, authorised_by_name=authorised_by,
        notes=event if abstraction_type.code == "other" else "",
        recorded_by=demo.cast.recorder,
    )
    for shift, (shift_starts, shift_ends) in zip(shifts, bounds, strict=True):
        shift.starts_at, shift.ends_at = shift_starts, shift_ends
        shift.kind, shift.abstraction = Duty.Kind.ABSTRACTED, abstraction
    return [abstraction]
