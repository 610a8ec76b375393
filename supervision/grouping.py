"""Grouping a borough's wards for supervision: groups of 1-3 adjacent wards (a group of three
connected), one sergeant each, exactly `k` groups, minimising the largest group workload (the
objective). The wards in the top fifth of workload stay alone where the number of groups allows.

The method, deterministic (every choice is ordered by workload, then ward code):
1. greedy: start from every ward alone and merge the two adjacent groups with the smallest
   combined workload (never a top-fifth ward while another merge exists) until k remain;
2. exact search below the greedy's objective: for a threshold T (binary search over the workloads
   a group can have), an exact cover of the wards by at most k candidate groups of workload ≤ T,
   found depth-first (the ward with fewest candidates first). The search visits at most
   SEARCH_NODES nodes in all, so it never hangs; when it runs out it keeps the best cover found;
3. splitting the heaviest groups until there are exactly k (a split never raises the largest)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

SEARCH_NODES = 200_000
MAX_GROUP = 3

Group = tuple[str, ...]  # ward codes, sorted


@dataclass
class Problem:
    loads: dict[str, Decimal]  # ward code -> workload
    adjacency: dict[str, frozenset[str]]
    k: int
    alone: frozenset[str]  # top-fifth wards, kept alone where k allows

    @property
    def codes(self) -> list[str]:
        return sorted(self.loads)

    def load(self, group) -> Decimal:
        return sum((self.loads[c] for c in group), Decimal(0))

    def connected(self, group) -> bool:
        group = set(group)
        seen, todo = set(), [min(group)]
        while todo:
            code = todo.pop()
            if code not in seen:
                seen.add(code)
                todo += [n for n in self.adjacency.get(code, ()) if n in group]
        return seen == group


@dataclass
class Grouping:
    groups: list[Group]
    objective: Decimal
    alone_kept: int  # how many top-fifth wards are alone
    exact: bool  # the search proved no smaller largest workload exists


def objective(problem: Problem, groups) -> Decimal:
    return max((problem.load(g) for g in groups), default=Decimal(0))


def candidates(problem: Problem, keep_alone: bool) -> list[Group]:
    """Every group a ward can be in: itself, an adjacent pair, three connected wards."""
    found: set[Group] = {(c,) for c in problem.codes}
    for a in problem.codes:
        for b in problem.adjacency.get(a, ()):
            if b in problem.loads and a < b:
                found.add((a, b))
                for c in problem.adjacency[a] | problem.adjacency.get(b, frozenset()):
                    if c in problem.loads and c not in (a, b):
                        found.add(tuple(sorted((a, b, c))))
    if keep_alone:
        found = {g for g in found if len(g) == 1 or not problem.alone & set(g)}
    return sorted(found, key=lambda g: (-len(g), problem.load(g), g))


def greedy(problem: Problem, keep_alone: bool) -> list[Group]:
    groups = [(c,) for c in problem.codes]
    while len(groups) > problem.k:
        best = None
        for i, a in enumerate(groups):
            for b in groups[i + 1 :]:
                if len(a) + len(b) > MAX_GROUP or not _touch(problem, a, b):
                    continue
                if keep_alone and problem.alone & set(a + b):
                    continue
                key = (problem.load(a + b), tuple(sorted(a + b)))
                if best is None or key < best[0]:
                    best = (key, a, b)
        if best is None:
            break
        _key, a, b = best
        groups = sorted([g for g in groups if g not in (a, b)] + [tuple(sorted(a + b))])
    return groups


def _touch(problem: Problem, a: Group, b: Group) -> bool:
    return any(y in problem.adjacency.get(x, ()) for x in a for y in b)


class _Search:
    def __init__(self, problem: Problem, pool: list[Group]):
        self.problem = problem
        self.pool = pool
        self.nodes = SEARCH_NODES
        self.by_ward: dict[str, list[Group]] = {c: [] for c in problem.codes}
        for group in pool:
            for code in group:
                self.by_ward[code].append(group)

    def cover(self, limit: Decimal) -> list[Group] | None:
        """A cover by at most k groups of workload ≤ limit, or None (none, or out of nodes)."""
        allowed = {
            code: [g for g in groups if self.problem.load(g) <= limit]
            for code, groups in self.by_ward.items()
        }
        if any(not gs for gs in allowed.values()):
            return None
        return self._dfs(allowed, set(), [])

    def _dfs(self, allowed, covered: set, chosen: list) -> list[Group] | None:
        self.nodes -= 1
        if self.nodes < 0:
            return None
        left = len(self.problem.loads) - len(covered)
        if left == 0:
            return list(chosen)
        if len(chosen) + -(-left // MAX_GROUP) > self.problem.k:
            return None
        options = None
        for code in self.problem.codes:
            if code in covered:
                continue
            fits = [g for g in allowed[code] if covered.isdisjoint(g)]
            if options is None or len(fits) < len(options):
                options = fits
            if len(options) <= 1:
                break
        for group in options:
            covered.update(group)
            chosen.append(group)
            found = self._dfs(allowed, covered, chosen)
            chosen.pop()
            covered.difference_update(group)
            if found is not None or self.nodes < 0:
                return found
        return None


def search(problem: Problem, keep_alone: bool, start: list[Group]) -> tuple[list[Group], bool]:
    """The cover with the smallest largest workload the search finds, no worse than `start`;
    True when it is proved the smallest."""
    pool = candidates(problem, keep_alone)
    best = start
    # A start with too many groups is only a fallback: every threshold is tried.
    ceiling = objective(problem, start) if len(start) <= problem.k else None
    floor = max(problem.loads.values(), default=Decimal(0))
    limits = sorted(
        {
            value
            for value in (problem.load(g) for g in pool)
            if value >= floor and (ceiling is None or value < ceiling)
        }
    )
    finder, proved = _Search(problem, pool), True
    low, high = 0, len(limits) - 1
    while low <= high:
        middle = (low + high) // 2
        found = finder.cover(limits[middle])
        if found is None:
            proved = proved and finder.nodes >= 0
            low = middle + 1
        else:
            best = sorted(found)
            high = middle - 1
    return best, proved and finder.nodes >= 0


def split_to(problem: Problem, groups: list[Group]) -> list[Group]:
    """Split groups until there are k: first a top-fifth ward out of a shared group, then the
    heaviest group, each time the way that leaves the smaller largest part (parts connected)."""
    groups = sorted(groups)
    while len(groups) < problem.k:
        shared = [g for g in groups if len(g) > 1]
        if not shared:
            break
        with_alone = [g for g in shared if problem.alone & set(g)]
        pick = max(with_alone or shared, key=lambda g: (problem.load(g), g))
        groups.remove(pick)
        groups += _best_split(problem, pick)
        groups.sort()
    return groups


def _best_split(problem: Problem, group: Group) -> list[Group]:
    options = []
    for code in group:
        rest = tuple(c for c in group if c != code)
        if problem.connected(rest):
            first_alone = code in problem.alone
            worst = max(problem.load(rest), problem.loads[code])
            options.append(((not first_alone, worst, code), [(code,), rest]))
    return min(options)[1]


def group_wards(problem: Problem) -> Grouping:
    """Exactly min(k, wards) groups covering every ward once (more than k only when the wards'
    shapes allow no fewer), minimising the largest group workload. As many top-fifth wards stay
    alone as k allows, the heaviest first."""
    heaviest = sorted(problem.alone, key=lambda c: (-problem.loads[c], c))
    n = len(problem.loads)
    for kept in range(len(heaviest), -1, -1):
        if kept + -(-(n - kept) // MAX_GROUP) > problem.k and kept:
            continue  # too few groups for this many alone: no need to search
        trial = replace(problem, alone=frozenset(heaviest[:kept]))
        groups, exact = search(trial, True, greedy(trial, True))
        if len(groups) <= problem.k:
            break
    groups = split_to(problem, groups)
    alone = sum(1 for code in heaviest if (code,) in groups)
    return Grouping(groups, objective(problem, groups), alone, exact)
