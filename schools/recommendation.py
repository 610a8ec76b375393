"""A borough's schools ranked by need (schools.scoring) and the recommended allocation:

- the borough has `officers` Safer Schools officers (its weights record, which its commander
  sets; the London default is DEFAULT_OFFICERS);
- a school that has an officer under the decision in force keeps one (2011 SN report, paragraph
  24: no school that has a Safer Schools officer loses it), even when that takes more officers
  than the number (the page says so);
- the remaining officers go down the ranking to the schools that may have one: secondary
  schools, pupil referral units and colleges (paragraph 19); primary and special schools are
  ranked but have a point of contact (paragraph 25);
- every other school gets a named point of contact in its ward team: the ward's dedicated
  officers (postings in force, by shoulder number) take its schools in turn, by URN, so the same
  data names the same people. The commander can name another when deciding."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Q

from demand.models import Deprivation, Lsoa
from schools.models import (
    CRITERION_LABELS,
    CRITERION_NAMES,
    DEFAULT_OFFICERS,
    DEFAULT_WEIGHTS,
    Allocation,
    School,
    SchoolWeights,
)
from schools.scoring import Facts, Scored, score_all
from schools.surroundings import radius_m
from teams.models import Officer, Posting, Team
from wards.models import Borough

OFFICER_KINDS = frozenset({School.Kind.SECONDARY, School.Kind.PRU, School.Kind.COLLEGE})
IMD_EDITION = Deprivation.Edition.IMD_2025


@dataclass(frozen=True)
class Weights:
    values: dict[str, Decimal]
    officers: int
    source: str  # "borough", "london" or "default"


@dataclass
class Placement:
    """One school's line: its score and rank, and what it gets."""

    scored: Scored
    kind: str  # Allocation.Kind
    contact: Officer | None = None
    held: bool = False  # it has an officer under the decision in force

    @property
    def school(self) -> School:
        return self.scored.facts.school

    @property
    def missing_labels(self) -> list[str]:
        return [CRITERION_LABELS[name] for name in self.scored.missing]


@dataclass
class Recommendation:
    borough: Borough
    on: datetime.date
    weights: Weights
    placements: list[Placement]
    contacts: dict[int, list[Officer]]  # ward id: its dedicated officers, for the decision form
    notes: list[str] = field(default_factory=list)

    @property
    def officers_allocated(self) -> int:
        return sum(1 for p in self.placements if p.kind == Allocation.Kind.OFFICER)


def weights_for(borough: Borough) -> Weights:
    """The borough's own weights, else HQ's London-wide row, else the defaults (one query)."""
    rows = {
        w.borough_id: w
        for w in SchoolWeights.objects.filter(Q(borough=borough) | Q(borough__isnull=True))
    }
    for key, source in ((borough.pk, "borough"), (None, "london")):
        if key in rows:
            return Weights(rows[key].as_dict(), rows[key].officers, source)
    return Weights(dict(DEFAULT_WEIGHTS), DEFAULT_OFFICERS, "default")


def ward_deprivation(borough: Borough) -> dict[str, Decimal]:
    """{ward code: IMD 2025 score} of the borough's wards: the mean over the ward's LSOAs (best
    fit). LSOAs are drawn to hold similar populations (1,000-3,000 residents), so the mean is
    close to population-weighted; LSOA populations themselves are not in the data."""
    rows = (
        Deprivation.objects.filter(
            edition=IMD_EDITION, lsoa__vintage=Lsoa.Vintage.LSOA_2021,
            lsoa__borough_code=borough.code, imd_score__isnull=False,
        )  # fmt: skip
        .values("lsoa__ward_code")
        .annotate(score=Avg("imd_score"))
    )
    return {r["lsoa__ward_code"]: r["score"] for r in rows}


def facts_of(schools: list[School], deprivation: dict[str, Decimal]) -> list[Facts]:
    facts = []
    for school in schools:
        values = {name: getattr(school, name, None) for name in CRITERION_NAMES}
        values["deprivation"] = deprivation.get(school.ward.code) if school.ward else None
        facts.append(Facts(school.urn, values, school))
    return facts


def dedicated_officers(borough: Borough, on: datetime.date) -> dict[int, list[Officer]]:
    """{ward id: the ward team's dedicated officers on `on`, by shoulder number}."""
    postings = (
        Posting.objects.current(on)
        .filter(role=Posting.Role.DEDICATED, team__kind=Team.Kind.WARD, team__borough=borough)
        .select_related("officer", "team")
        .order_by("officer__shoulder_number", "pk")
    )
    by_ward: dict[int, list[Officer]] = {}
    for posting in postings:
        officers = by_ward.setdefault(posting.team.ward_id, [])
        if posting.officer not in officers:
            officers.append(posting.officer)
    return by_ward


def held_school_ids(borough: Borough, on: datetime.date) -> set[int]:
    """The schools that have a Safer Schools officer under the decision in force on `on`."""
    return set(
        Allocation.objects.in_force(on)
        .filter(decision__borough=borough, kind=Allocation.Kind.OFFICER)
        .values_list("school_id", flat=True)
    )


def allocate(scored: list[Scored], *, officers: int, held: set[int]) -> list[Placement]:
    """Officers to the held schools, then down the ranking; everyone else a point of contact."""
    placements = [
        Placement(s, Allocation.Kind.OFFICER if s.facts.school.pk in held
                  else Allocation.Kind.POINT_OF_CONTACT, held=s.facts.school.pk in held)
        for s in scored
    ]  # fmt: skip
    free = officers - sum(1 for p in placements if p.held)
    for placement in placements:
        if free <= 0:
            break
        if not placement.held and placement.school.kind in OFFICER_KINDS:
            placement.kind = Allocation.Kind.OFFICER
            free -= 1
    return placements


def name_contacts(placements: list[Placement], contacts: dict[int, list[Officer]]) -> None:
    """Each point-of-contact school's contact: its ward's dedicated officers in turn, by URN."""
    turn: dict[int, int] = {}
    for placement in sorted(placements, key=lambda p: (len(p.school.urn), p.school.urn)):
        ward_id = placement.school.ward_id
        officers = contacts.get(ward_id, [])
        placement.contact = None
        if placement.kind == Allocation.Kind.POINT_OF_CONTACT and officers:
            placement.contact = officers[turn.get(ward_id, 0) % len(officers)]
            turn[ward_id] = turn.get(ward_id, 0) + 1


def recommend(borough: Borough, *, on: datetime.date, officers: int | None = None):
    """The borough's schools ranked and allocated. A fixed number of queries whatever the
    number of schools: weights, schools, deprivation, the decision in force, postings."""
    weights = weights_for(borough)
    n = weights.officers if officers is None else officers
    schools = list(
        School.objects.filter(borough=borough).select_related("ward").defer("ward__boundary")
    )
    scored = score_all(facts_of(schools, ward_deprivation(borough)), weights.values)
    held = held_school_ids(borough, on)
    placements = allocate(scored, officers=n, held=held)
    contacts = dedicated_officers(borough, on)
    name_contacts(placements, contacts)
    rec = Recommendation(borough, on, Weights(weights.values, n, weights.source), placements,
                         contacts)  # fmt: skip
    rec.notes = _notes(rec, held)
    return rec


def _notes(rec: Recommendation, held: set[int]) -> list[str]:
    notes = []
    if len(held) > rec.weights.officers:
        notes.append(
            f"{len(held)} schools have a Safer Schools officer today and each keeps one, though "
            f"the borough's number is {rec.weights.officers}."
        )
    unplaced = [p.school.name for p in rec.placements if p.school.ward_id is None]
    if unplaced:
        notes.append(f"Not placed in a ward, so no ward team to name a contact: "
                     f"{', '.join(unplaced)}.")  # fmt: skip
    no_contact = sorted({p.school.ward.name for p in rec.placements
                         if p.school.ward_id and p.kind == Allocation.Kind.POINT_OF_CONTACT
                         and p.contact is None})  # fmt: skip
    if no_contact:
        notes.append(
            f"No dedicated officer posted to name as a contact in: {', '.join(no_contact)}."
        )
    notes.append(
        f"Crime and ASB around a school: police.uk points within {radius_m()} m "
        "over demand's latest 12 months."
    )
    return notes
