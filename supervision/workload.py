"""Each ward's workload score, the one definition (README "Shared supervision"):

    workload = crime weight × crimes (TNO: police.uk crimes, not ASB, latest 12 months)
             + ASB call weight × ASB CAD calls (latest 12 months of calls)
             + hospital weight × hospitals + college weight × colleges
             + nightclub weight × nightclubs (Places in the ward)

The weights are the borough's record, else HQ's London-wide record, else DEFAULT_WEIGHTS. The
score is kept exact (Decimal) and rounded only for display."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from demand.selectors import Selection, asb_id, cad_counts, crime_counts, selection
from supervision.models import DEFAULT_WEIGHTS, WorkloadWeights
from wards.models import Place, Ward

# Place kinds that add to a ward's workload, by weight name.
FACTOR_KINDS = {
    "hospital": Place.Kind.HOSPITAL,
    "college": Place.Kind.COLLEGE,
    "nightclub": Place.Kind.NIGHTCLUB,
}


@dataclass
class Weights:
    values: dict[str, Decimal]
    source: str  # "borough", "london" or "default"

    def __getitem__(self, name: str) -> Decimal:
        return self.values[name]


@dataclass
class WardWorkload:
    ward: Ward
    crimes: int
    asb_calls: int
    places: dict[str, int]  # weight name -> count
    sn_bases: list[str] = field(default_factory=list)
    score: Decimal = Decimal(0)

    @property
    def code(self) -> str:
        return self.ward.code


def weights_for(borough) -> Weights:
    """The borough's weights: its own record, else London's, else the built-in defaults."""
    rows = {
        row.borough_id: row
        for row in WorkloadWeights.objects.filter(Q(borough=borough) | Q(borough__isnull=True))
    }
    if borough.pk in rows:
        return Weights(rows[borough.pk].as_dict(), "borough")
    if None in rows:
        return Weights(rows[None].as_dict(), "london")
    return Weights(dict(DEFAULT_WEIGHTS), "default")


def score(crimes: int, asb_calls: int, places: dict[str, int], weights: Weights) -> Decimal:
    total = weights["crime"] * crimes + weights["asb_call"] * asb_calls
    return total + sum(weights[name] * places.get(name, 0) for name in FACTOR_KINDS)


def _place_counts(ward_ids) -> tuple[dict[int, dict[str, int]], dict[int, list[str]]]:
    kinds = {kind: name for name, kind in FACTOR_KINDS.items()}
    counts: dict[int, dict[str, int]] = {}
    bases: dict[int, list[str]] = {}
    rows = (
        Place.objects.filter(ward_id__in=ward_ids, kind__in=[*kinds, Place.Kind.SN_BASE])
        .order_by("ward_id", "kind", "name")
        .values_list("ward_id", "kind", "name")
    )
    for ward_id, kind, name in rows:
        if kind == Place.Kind.SN_BASE:
            bases.setdefault(ward_id, []).append(name)
        else:
            ward_counts = counts.setdefault(ward_id, {})
            ward_counts[kinds[kind]] = ward_counts.get(kinds[kind], 0) + 1
    return counts, bases


def ward_workloads(wards, weights: Weights, sel: Selection | None = None) -> list[WardWorkload]:
    """The workload of each ward, in the wards' order. Four queries (+1 for the default months)."""
    wards = list(wards)
    ids = [w.pk for w in wards]
    sel = sel or selection()
    crimes = crime_counts(ids, sel, asb=asb_id())
    calls = cad_counts(ids, sel)
    places, bases = _place_counts(ids)
    result = []
    for ward in wards:
        load = WardWorkload(
            ward=ward,
            crimes=crimes.get(ward.pk, (0, 0))[0],
            asb_calls=calls.get(ward.pk, (0, 0))[1],
            places=places.get(ward.pk, {}),
            sn_bases=bases.get(ward.pk, []),
        )
        load.score = score(load.crimes, load.asb_calls, load.places, weights)
        result.append(load)
    return result


def top_fifth(loads: list[WardWorkload]) -> set[str]:
    """The codes of the wards in the top fifth of the borough's workload: the ceil(n/5) highest
    scores with anything to score (ties broken by code, so the set is the same every time)."""
    scored = sorted((w for w in loads if w.score > 0), key=lambda w: (-w.score, w.code))
    return {w.code for w in scored[: -(-len(loads) // 5)]}
