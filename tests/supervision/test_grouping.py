"""The grouping: every ward exactly once in k groups of 1-3 adjacent wards (three connected),
the top fifth alone where k allows, deterministic, and its objective (the largest group
workload) checked against a separate brute-force computation on generated boroughs."""

import random
from decimal import Decimal
from itertools import combinations

import pytest

from supervision.grouping import Problem, group_wards


def grid(rows, cols, seed):
    rng = random.Random(seed)
    codes = [f"W{r}{c}" for r in range(rows) for c in range(cols)]
    loads = {code: Decimal(rng.randint(0, 1000)) for code in codes}
    adjacency = {}
    for r in range(rows):
        for c in range(cols):
            near = [(r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)]
            adjacency[f"W{r}{c}"] = frozenset(
                f"W{a}{b}" for a, b in near if 0 <= a < rows and 0 <= b < cols
            )
    return loads, adjacency


def problem(loads, adjacency, k, alone=()):
    return Problem(loads=loads, adjacency=adjacency, k=k, alone=frozenset(alone))


def valid(p: Problem, groups) -> bool:
    flat = [c for g in groups for c in g]
    return (
        sorted(flat) == sorted(p.loads)
        and len(groups) == p.k
        and all(1 <= len(g) <= 3 and p.connected(g) for g in groups)
    )


def brute_force_best(p: Problem) -> Decimal:
    """The smallest largest group workload over every partition into k connected groups of
    1-3, enumerated directly (independent of the search)."""
    best = None

    def walk(left, groups):
        nonlocal best
        if not left:
            if len(groups) == p.k:
                value = max(sum(p.loads[c] for c in g) for g in groups)
                best = value if best is None else min(best, value)
            return
        if len(groups) >= p.k:
            return
        first, rest = left[0], left[1:]
        for size in (0, 1, 2):
            for others in combinations(rest, size):
                group = (first, *others)
                if p.connected(group):
                    walk([c for c in rest if c not in others], [*groups, group])

    walk(sorted(p.loads), [])
    return best


@pytest.mark.parametrize("seed", range(12))
def test_the_objective_is_the_brute_force_optimum_on_generated_boroughs(seed):
    loads, adjacency = grid(2, 4, seed)
    k = random.Random(seed).randint(3, 6)
    p = problem(loads, adjacency, k)
    result = group_wards(p)
    assert valid(p, result.groups)
    assert result.objective == brute_force_best(p)
    assert result.exact


def test_a_hand_built_row():
    # A-B-C-D in a row, workloads 10, 20, 30, 40; two groups: {A,B,C} 60 | {D} 40 is best
    loads = {"A": Decimal(10), "B": Decimal(20), "C": Decimal(30), "D": Decimal(40)}
    adjacency = {
        "A": frozenset("B"), "B": frozenset("AC"), "C": frozenset("BD"), "D": frozenset("C"),
    }  # fmt: skip
    result = group_wards(problem(loads, adjacency, 2))
    assert result.groups == [("A", "B", "C"), ("D",)]
    assert result.objective == 60


def test_three_wards_not_connected_never_share():
    # A and C both border B only: {A, C} is not a group; {A, B, C} is (connected through B)
    loads = {"A": Decimal(5), "B": Decimal(100), "C": Decimal(5), "D": Decimal(5)}
    adjacency = {
        "A": frozenset("B"), "B": frozenset("AC"), "C": frozenset("B"), "D": frozenset(),
    }  # fmt: skip
    result = group_wards(problem(loads, adjacency, 3))
    assert ("A", "C") not in result.groups
    assert ("D",) in result.groups  # no neighbour: alone whatever k
    assert valid(problem(loads, adjacency, 3), result.groups)


def test_the_top_fifth_stays_alone_where_the_number_of_groups_allows():
    loads, adjacency = grid(2, 5, 3)
    heavy = sorted(loads, key=lambda c: -loads[c])[:2]
    roomy = group_wards(problem(loads, adjacency, 6, heavy))
    assert all((code,) in roomy.groups for code in heavy)
    assert roomy.alone_kept == 2
    # 10 wards in 4 groups: one alone leaves 9 wards for 3 groups; two alone would leave 8 for 2
    tight = group_wards(problem(loads, adjacency, 4, heavy))
    assert valid(problem(loads, adjacency, 4, heavy), tight.groups)
    assert tight.alone_kept == 1 and (heavy[0],) in tight.groups


def test_it_is_deterministic_whatever_the_order_it_is_given():
    loads, adjacency = grid(4, 5, 7)
    first = group_wards(problem(loads, adjacency, 9))
    shuffled = dict(sorted(loads.items(), key=lambda item: random.Random(1).random()))
    second = group_wards(problem(shuffled, adjacency, 9))
    assert first.groups == second.groups and first.objective == second.objective


def test_a_large_borough_finishes_with_a_valid_grouping():
    loads, adjacency = grid(5, 7, 11)  # 35 wards, more than any London borough
    p = problem(loads, adjacency, 13, sorted(loads, key=lambda c: -loads[c])[:7])
    result = group_wards(p)
    assert valid(p, result.groups)
