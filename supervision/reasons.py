"""The reasons behind each group, in plain words, from the same numbers the grouping used."""

from __future__ import annotations

from decimal import Decimal

from supervision.adjacency import ADJACENT_WITHIN_M

FACTOR_WORDS = {"hospital": "hospital", "college": "college", "nightclub": "nightclub"}


def whole(value: Decimal) -> str:
    """A workload for display: rounded to a whole number, with thousands separators."""
    return f"{int(value.quantize(Decimal(1))):,}"


def _names(codes, by_code) -> str:
    names = [by_code[c].ward.name for c in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _factors(load) -> list[str]:
    said = [
        f"{load.ward.name} has {n} {FACTOR_WORDS[name]}{'s' if n > 1 else ''}"
        for name, n in sorted(load.places.items())
        if n
    ]
    said += [f"{load.ward.name} has the SN base {base}" for base in load.sn_bases]
    return said


def _rank(code, loads) -> int:
    ordered = sorted(loads, key=lambda w: (-w.score, w.code))
    return next(i for i, w in enumerate(ordered, start=1) if w.code == code)


def for_group(problem, group, loads, proposal: Decimal, today_kept: bool) -> list[str]:
    by_code = {w.code: w for w in loads}
    load = problem.load(group)
    said = []
    if today_kept:
        said.append("Kept as today: no other grouping found has a smaller largest workload.")
    if len(group) == 1:
        said += _alone(problem, group[0], loads, by_code, proposal)
    else:
        said.append(
            f"{_names(group, by_code)} are adjacent (boundaries within "
            f"{ADJACENT_WITHIN_M:.0f} m), so one sergeant can cover them."
        )
        said.append(
            f"Together their workload is {whole(load)}, within the largest group's "
            f"{whole(proposal)}."
        )
        bases = [b for c in group for b in by_code[c].sn_bases]
        if bases:
            said.append(f"The group can share the SN base {bases[0]}.")
    for code in group:
        said += [f"{f}." for f in _factors(by_code[code]) if "SN base" not in f]
    return said


def _alone(problem, code, loads, by_code, proposal) -> list[str]:
    load = by_code[code]
    rank = _rank(code, loads)
    if code in problem.alone:
        return [
            f"{load.ward.name} is in the top fifth of the borough's workload ({whole(load.score)}, "
            f"{rank} of {len(loads)}): it keeps a sergeant of its own."
        ]
    if not problem.adjacency.get(code):
        return [
            f"{load.ward.name} has no ward within {ADJACENT_WITHIN_M:.0f} m in the borough, "
            "so it cannot share."
        ]
    return [
        f"{load.ward.name} ({whole(load.score)}, {rank} of {len(loads)}) is alone: the number "
        f"of groups allows it, and sharing would not lower the largest group's {whole(proposal)}."
    ]


def for_today(today, group) -> list[str]:
    sergeants = today.sergeants.get(group, [])
    if not sergeants:
        return ["No sergeant supervises this ward today."]
    names = ", ".join(f"{s.rank_title} {s.full_name}" for s in sergeants)
    return [f"Supervised today by {names}."]


def notes(problem, grouping, today_kept: bool, n_groups: int) -> list[str]:
    said = []
    if grouping.alone_kept < len(problem.alone):
        said.append(
            f"With {problem.k} groups only {grouping.alone_kept} of the {len(problem.alone)} "
            "wards in the top fifth of workload can stay alone: the heaviest first."
        )
    if n_groups > problem.k:
        said.append(f"The wards' shapes allow no fewer than {n_groups} groups of adjacent wards.")
    if not grouping.exact:
        said.append(
            "The search stopped at its limit: this is the best grouping it found, not proved "
            "the best possible."
        )
    if today_kept:
        said.append("Today's arrangement is kept: the search found none better.")
    return said
