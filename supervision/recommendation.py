"""A borough's shared-supervision recommendation: each ward's workload, groups of 1-3 adjacent
wards (supervision.grouping), the objective (the largest group workload) for the proposal and
for today's arrangement side by side, and the reasons behind each group in plain words.

If the search's proposal has a larger largest group than today's arrangement of the same number
of groups or fewer, today's arrangement is proposed instead: never worse than today."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from config.errors import DomainError
from demand.selectors import Selection, selection
from supervision import reasons as why
from supervision.adjacency import borough_adjacency
from supervision.arrangement import Arrangement, available_sergeants, current_arrangement
from supervision.grouping import MAX_GROUP, Grouping, Problem, group_wards, objective
from supervision.workload import WardWorkload, Weights, top_fifth, ward_workloads, weights_for
from wards.models import Borough, Ward


@dataclass
class Cluster:
    wards: list[Ward]
    workload: Decimal
    reasons: list[str]

    @property
    def codes(self) -> list[str]:
        return [w.code for w in self.wards]


@dataclass
class Recommendation:
    borough: Borough
    period: Selection
    weights: Weights
    loads: list[WardWorkload]
    problem: Problem
    clusters: list[Cluster]
    today: list[Cluster]
    objective_proposal: Decimal
    objective_today: Decimal
    groups_asked: int | None
    sergeants: int
    notes: list[str]

    @property
    def by_code(self) -> dict[str, WardWorkload]:
        return {load.code: load for load in self.loads}


@dataclass
class Option:
    """One arrangement to compare before deciding: its groups and its objective."""

    name: str
    clusters: list[Cluster]
    objective: Decimal


def compare(rec: Recommendation, groups: list[list[str]]) -> list[Option]:
    """The recommendation, today's arrangement and the commander's adjusted groups side by
    side, each with its groups and its largest group workload (the one objective). The
    adjusted groups are checked as a decision's are (validate_groups)."""
    problem = rec.problem
    decided = validate_groups(problem, groups)
    ward_of = {load.code: load.ward for load in rec.loads}
    largest = objective(problem, decided)
    adjusted = [
        Cluster([ward_of[c] for c in g], problem.load(g),
                why.for_group(problem, g, rec.loads, largest, False))
        for g in decided
    ]  # fmt: skip
    return [
        Option("Recommendation", rec.clusters, rec.objective_proposal),
        Option("Today", rec.today, rec.objective_today),
        Option("Your adjusted groups", adjusted, largest),
    ]


def groups_range(n_wards: int) -> tuple[int, int]:
    """The fewest and most groups a borough of n wards can have."""
    return (-(-n_wards // MAX_GROUP), n_wards) if n_wards else (0, 0)


def recommend(borough: Borough, *, groups: int | None = None, on: datetime.date) -> Recommendation:
    wards = list(Ward.objects.filter(borough=borough).order_by("code"))
    weights = weights_for(borough)
    period = selection()
    loads = ward_workloads(wards, weights, period)
    sergeants = available_sergeants(borough.pk, on)
    k, notes = _number_of_groups(len(wards), len(sergeants), groups)
    problem = Problem(
        loads={w.code: w.score for w in loads},
        adjacency=borough_adjacency(borough.pk),
        k=k,
        alone=frozenset(top_fifth(loads)),
    )
    today = current_arrangement(borough.pk, [w.code for w in wards], on)
    grouping = group_wards(problem) if wards else Grouping([], Decimal(0), 0, True)
    groups_found, today_kept = _never_worse(problem, grouping, today)
    notes += why.notes(problem, grouping, today_kept, len(groups_found))
    ward_of = {w.code: w for w in wards}
    proposal = objective(problem, groups_found)
    clusters = [
        Cluster(
            [ward_of[c] for c in g],
            problem.load(g),
            why.for_group(problem, g, loads, proposal, today_kept),
        )
        for g in groups_found
    ]
    return Recommendation(
        borough=borough, period=period, weights=weights, loads=loads, problem=problem,
        clusters=clusters, today=_today_clusters(problem, today, ward_of),
        objective_proposal=proposal, objective_today=objective(problem, today.groups),
        groups_asked=groups, sergeants=len(sergeants), notes=notes,
    )  # fmt: skip


def _number_of_groups(n_wards: int, n_sergeants: int, asked: int | None) -> tuple[int, list[str]]:
    fewest, most = groups_range(n_wards)
    if asked is not None:
        if not fewest <= asked <= most:
            raise DomainError(
                f"The number of groups must be from {fewest} to {most} for {n_wards} wards.",
                field="groups",
            )
        return asked, [f"{asked} groups, as asked."]
    k = min(max(n_sergeants, fewest), most)
    note = f"{k} groups: the borough's {n_sergeants} sergeants available to supervise wards."
    if k != n_sergeants:
        note = (
            f"{k} groups: the borough has {n_sergeants} sergeants available to supervise wards, "
            f"and {n_wards} wards need from {fewest} to {most} groups of one to three."
        )
    return k, [note]


def _never_worse(problem: Problem, grouping: Grouping, today: Arrangement):
    """The search's groups, or today's when they are valid, no more than k, and better."""
    valid_today = len(today.groups) <= problem.k and all(
        len(g) <= MAX_GROUP and problem.connected(g) for g in today.groups
    )
    if valid_today and objective(problem, today.groups) < grouping.objective:
        return list(today.groups), True
    return grouping.groups, False


def _today_clusters(problem: Problem, today: Arrangement, ward_of) -> list[Cluster]:
    return [
        Cluster([ward_of[c] for c in g], problem.load(g), why.for_today(today, g))
        for g in today.groups
    ]


def validate_groups(problem: Problem, groups: list[list[str]]) -> list[tuple[str, ...]]:
    """Groups a commander decides: every ward exactly once, 1-3 wards each, a group's wards
    connected by adjacency. Raises DomainError naming the first thing wrong."""
    seen: set[str] = set()
    result = []
    for group in groups:
        group = tuple(sorted(group))
        if not group:
            continue
        unknown = [c for c in group if c not in problem.loads]
        if unknown:
            raise DomainError(f"{unknown[0]} is not a ward of this borough.", field="groups")
        twice = seen.intersection(group)
        if twice:
            raise DomainError(f"{min(twice)} is in two groups.", field="groups")
        if len(group) > MAX_GROUP:
            raise DomainError(f"A group has at most {MAX_GROUP} wards.", field="groups")
        if not problem.connected(group):
            raise DomainError(
                "The wards of a group must be adjacent (boundaries within 50 m): "
                + ", ".join(group)
                + " are not.",
                field="groups",
            )
        seen.update(group)
        result.append(group)
    missing = sorted(set(problem.loads) - seen)
    if missing:
        raise DomainError(f"{missing[0]} is in no group.", field="groups")
    return sorted(result)
