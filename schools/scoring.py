"""A school's need score, defined once (README "Safer Schools"; shown on the page):

1. Each criterion is normalised within the borough to 0-1 (min-max over the borough's schools
   that have it): 1 for the school with the most need on it, 0 for the least. For attainment,
   where a higher value means less need, the scale is turned round. Where every school that has
   a criterion has the same value, it tells them apart in nothing: each gets 0. Intelligence
   flags are already 0 or 1.
2. The score is the weighted mean of the criteria the school has, times 100:
   100 × Σ weight × normalised / Σ weight, over those criteria only. A missing criterion is left
   out of both sums, so the others are re-weighted, and the page names what is missing. With no
   criterion (or only criteria weighted 0), the score is 0.
3. The ranking is by score, highest first; equal scores by URN (the lower first), so the same
   data always gives the same ranking. Scores are compared as computed, rounded only for display.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from schools.models import CRITERIA


@dataclass
class Facts:
    """What is known of one school: each criterion's value, or None when missing."""

    urn: str
    values: dict[str, object]
    school: object = None  # the School, when the facts came from one


@dataclass
class Scored:
    facts: Facts
    score: Fraction
    rank: int = 0
    used: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    normalised: dict[str, Fraction] = field(default_factory=dict)

    @property
    def urn(self) -> str:
        return self.facts.urn

    @property
    def display_score(self) -> Decimal:
        """Rounded to two places, for pages, the API and the decision record."""
        return round(Decimal(self.score.numerator) / Decimal(self.score.denominator), 2)


def _number(value) -> Fraction:
    if isinstance(value, bool):
        return Fraction(int(value))
    return Fraction(str(value)) if isinstance(value, Decimal | float) else Fraction(value)


def normalise(facts: list[Facts]) -> dict[str, dict[str, Fraction]]:
    """{criterion: {urn: 0-1}} for the schools that have each criterion (rule 1)."""
    scales: dict[str, dict[str, Fraction]] = {}
    for name, _label, more_is_need in CRITERIA:
        known = {f.urn: _number(f.values[name]) for f in facts if f.values.get(name) is not None}
        if not known:
            scales[name] = {}
            continue
        if name in ("gang", "weapon"):
            scales[name] = known
            continue
        low, high = min(known.values()), max(known.values())
        span = high - low
        scales[name] = {
            urn: Fraction(0) if span == 0 else ((v - low) if more_is_need else (high - v)) / span
            for urn, v in known.items()
        }
    return scales


def score_all(facts: list[Facts], weights: dict[str, Decimal]) -> list[Scored]:
    """Every school scored (rule 2) and ranked (rule 3)."""
    scales = normalise(facts)
    scored = []
    for f in facts:
        used = [name for name, _l, _m in CRITERIA if f.urn in scales[name]]
        missing = [name for name, _l, _m in CRITERIA if f.urn not in scales[name]]
        total_weight = sum((Fraction(weights[name]) for name in used), Fraction(0))
        weighted = sum(
            (Fraction(weights[name]) * scales[name][f.urn] for name in used), Fraction(0)
        )
        score = 100 * weighted / total_weight if total_weight else Fraction(0)
        scored.append(Scored(
            f, score, used=used, missing=missing,
            normalised={name: scales[name][f.urn] for name in used},
        ))  # fmt: skip
    scored.sort(key=lambda s: (-s.score, _urn_key(s.urn)))
    for rank, item in enumerate(scored, start=1):
        item.rank = rank
    return scored


def _urn_key(urn: str) -> tuple[int, str]:
    """URNs compare as numbers (99999 before 100000), then as text."""
    return (int(urn), urn) if urn.isdigit() else (10**9, urn)
