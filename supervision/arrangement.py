"""Today's supervision, read from teams' postings: a sergeant's supervisor postings to ward teams
(primary in one ward, not primary in the others they also supervise) make one group; wards two
sergeants share join one group; a ward without a supervising sergeant is a group of its own."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from teams.models import Officer, Posting, Rank, Team


@dataclass
class Arrangement:
    groups: list[tuple[str, ...]]  # ward codes, sorted; every ward of the borough once
    sergeants: dict[tuple[str, ...], list[Officer]] = field(default_factory=dict)

    def group_of(self, code: str) -> tuple[str, ...] | None:
        return next((g for g in self.groups if code in g), None)


def current_arrangement(borough_id: int, ward_codes: list[str], on: datetime.date) -> Arrangement:
    """Today's groups. One query."""
    postings = (
        Posting.objects.current(on)
        .filter(
            role=Posting.Role.SUPERVISOR,
            team__kind=Team.Kind.WARD,
            team__borough_id=borough_id,
        )
        .select_related("officer", "team__ward")
        .order_by("officer__shoulder_number", "team__ward__code")
    )
    parent = {code: code for code in ward_codes}
    officers: dict[int, Officer] = {}
    first_ward: dict[int, str] = {}

    def root(code):
        while parent[code] != code:
            parent[code] = parent[parent[code]]
            code = parent[code]
        return code

    for posting in postings:
        code = posting.team.ward.code
        if code not in parent:
            continue
        officers[posting.officer_id] = posting.officer
        if posting.officer_id in first_ward:
            parent[root(code)] = root(first_ward[posting.officer_id])
        else:
            first_ward[posting.officer_id] = code
    members: dict[str, list[str]] = {}
    for code in ward_codes:
        members.setdefault(root(code), []).append(code)
    groups = sorted(tuple(sorted(g)) for g in members.values())
    sergeants = {g: [] for g in groups}
    for officer_id, code in sorted(first_ward.items(), key=lambda item: item[1]):
        group = next(g for g in groups if code in g)
        sergeants[group].append(officers[officer_id])
    return Arrangement(groups, sergeants)


def available_sergeants(borough_id: int, on: datetime.date) -> list[Officer]:
    """The borough's sergeants available to supervise wards: active sergeants of the borough
    whose primary posting today is supervising a ward team, or who have no primary posting.
    One query."""
    elsewhere = (
        Posting.objects.current(on)
        .filter(is_primary=True)
        .exclude(role=Posting.Role.SUPERVISOR, team__kind=Team.Kind.WARD)
    )
    return list(
        Officer.objects.filter(borough_id=borough_id, rank=Rank.SERGEANT, active=True)
        .exclude(pk__in=elsewhere.values("officer_id"))
        .order_by("shoulder_number")
    )
