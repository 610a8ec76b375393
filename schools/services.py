"""Writes: a borough's Safer Schools weights and number of officers, and the commander's
allocation decision (dated, reviewed a year on, kept as history). Pages, the API and the admin
call these. Deciding is a narrow permission (DECIDER_ROLES): commanders, read-only everywhere
else, decide this; borough staff read it but may not."""

from __future__ import annotations

import datetime

from config.access import require_role
from config.decisions import (
    DECIDER_ROLES,
    check_decision_date,
    decision_rationale,
    lock_borough_decisions,
    weights_write,
)
from config.errors import DomainError
from config.transactions import decision
from schools.models import (
    DEFAULT_OFFICERS,
    DEFAULT_WEIGHTS,
    Allocation,
    AllocationDecision,
    SchoolWeights,
)
from schools.recommendation import OFFICER_KINDS, Recommendation, name_contacts, recommend
from wards.models import Borough

PAST = "An allocation takes effect today or later: one already past is history."
LATER = "An allocation from that date or later is already recorded; decide from a later date."


def review_due(effective_from: datetime.date) -> datetime.date:
    """A year on (29 February: 28 February of the next year)."""
    try:
        return effective_from.replace(year=effective_from.year + 1)
    except ValueError:
        return effective_from.replace(year=effective_from.year + 1, day=28)


def weights_save(*, borough: Borough, values: dict, by) -> SchoolWeights:
    """The borough's weights and its number of officers (a row of its own from the first
    change). Commanders and admins."""
    defaults = {**DEFAULT_WEIGHTS, "officers": DEFAULT_OFFICERS}
    return weights_write(SchoolWeights, borough=borough, values=values, defaults=defaults, by=by)


def _apply_choices(rec: Recommendation, officer_urns: set[str] | None, contacts: dict) -> None:
    """The commander's adjustments: which schools have an officer, and named contacts."""
    by_urn = {p.school.urn: p for p in rec.placements}
    unknown = sorted((officer_urns or set()) - set(by_urn))
    if unknown:
        raise DomainError(f"Not a school of {rec.borough.name}: {', '.join(unknown)}.",
                          field="officer_schools")  # fmt: skip
    if officer_urns is not None:
        dropped = [
            p.school.name for p in rec.placements if p.held and p.school.urn not in officer_urns
        ]
        if dropped:
            raise DomainError(
                f"A school that has a Safer Schools officer keeps one: {', '.join(dropped)}.",
                field="officer_schools",
            )
        held = sum(1 for p in rec.placements if p.held)
        if len(officer_urns) > max(rec.weights.officers, held):
            raise DomainError(
                f"{len(officer_urns)} schools chosen for {rec.weights.officers} officers.",
                field="officer_schools",
            )
        for placement in rec.placements:
            chosen = placement.school.urn in officer_urns
            if chosen and placement.school.kind not in OFFICER_KINDS and not placement.held:
                raise DomainError(
                    f"{placement.school.name} is a {placement.school.get_kind_display().lower()}"
                    ": it has a point of contact, not a Safer Schools officer.",
                    field="officer_schools",
                )
            placement.kind = Allocation.Kind.OFFICER if chosen else Allocation.Kind.POINT_OF_CONTACT
        name_contacts(rec.placements, rec.contacts)
    for urn, officer_id in (contacts or {}).items():
        placement = by_urn.get(urn)
        if placement is None or placement.kind != Allocation.Kind.POINT_OF_CONTACT:
            continue
        choices = {o.pk: o for o in rec.contacts.get(placement.school.ward_id, [])}
        if officer_id not in choices:
            raise DomainError(
                f"{placement.school.name}'s contact must be a dedicated officer of its ward.",
                field="contacts",
            )
        placement.contact = choices[officer_id]


@decision
def allocation_record(
    *,
    borough: Borough,
    effective_from: datetime.date,
    rationale: str,
    by,
    today: datetime.date,
    officers: int | None = None,
    officer_urns: set[str] | None = None,
    contacts: dict[str, int] | None = None,
) -> AllocationDecision:
    """Record the allocation from `effective_from`, reviewed a year on. The recommendation is
    made again under the borough's lock, so two commanders deciding at once are taken in turn
    and each decides on what is there. `officer_urns` (default: the recommendation's) are the
    schools with an officer; `contacts` names other contacts ({URN: officer id})."""
    require_role(by, DECIDER_ROLES)
    rationale = decision_rationale(rationale)
    check_decision_date(effective_from, today, past=PAST)
    lock_borough_decisions(AllocationDecision, borough, effective_from, later=LATER)
    rec = recommend(borough, on=effective_from, officers=officers)
    if not rec.placements:
        raise DomainError(f"{borough.name} has no schools to allocate.", field="officer_schools")
    _apply_choices(rec, officer_urns, contacts)
    record = AllocationDecision.objects.create(
        borough=borough, effective_from=effective_from, review_due=review_due(effective_from),
        officers=rec.officers_allocated, rationale=rationale, decided_by=by,
        weights={k: str(v) for k, v in rec.weights.values.items()},
    )  # fmt: skip
    Allocation.objects.bulk_create([
        Allocation(
            decision=record, school=p.school, rank=p.scored.rank, score=p.scored.display_score,
            kind=p.kind, contact=p.contact, missing=p.scored.missing,
        )
        for p in rec.placements
    ])  # fmt: skip
    return record
