"""A ward's dedicated strength (the officers posted to its team as dedicated ward officers) and
the minimum-cover rule: every ward needs at least WARD_MIN_DEDICATED_PCS dedicated PCs and
WARD_MIN_DEDICATED_PCSOS dedicated PCSOs (Met policy since 2017: 2 and 1).

The rule is defined here once. `with_strength` applies it to today's postings in SQL; deployment's
cover checks (deployment.cover) apply it to the officers still in the ward on a given day, in
Python and in one SQL query, with `minimum_cover()` and `is_below_minimum()`."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone

from teams.models import Posting, Rank

WARD_STRENGTH_COLUMNS = ("Ward", "Cluster", "Dedicated PCs", "Dedicated PCSOs", "Cover")
BOROUGH_COVER_COLUMNS = ("Borough", "ONS code", "Wards below minimum cover")


def minimum_cover() -> tuple[int, int]:
    """(PCs, PCSOs): the fewest dedicated officers of each rank a ward may have."""
    return settings.WARD_MIN_DEDICATED_PCS, settings.WARD_MIN_DEDICATED_PCSOS


def is_below_minimum(pcs: int, pcsos: int) -> bool:
    min_pcs, min_pcsos = minimum_cover()
    return pcs < min_pcs or pcsos < min_pcsos


def minimum_cover_text() -> str:
    min_pcs, min_pcsos = minimum_cover()
    return f"{min_pcs} dedicated PCs and {min_pcsos} dedicated PCSO"


def with_strength(wards: models.QuerySet, on: datetime.date | None = None) -> models.QuerySet:
    """`wards` with each ward's dedicated PCs and PCSOs on `on` (today by default), how many
    short of the minimum it is (`pcs_short`, `pcsos_short`) and whether it is `below_minimum`.
    One query whatever the number of wards."""
    on = on or timezone.localdate()
    current = Posting.objects.current(on).filter(
        role=Posting.Role.DEDICATED, team__ward=models.OuterRef("pk")
    )

    def count_of(rank):
        return models.Subquery(
            current.filter(officer__rank=rank)
            .values("team__ward")
            .annotate(n=Count("officer", distinct=True))
            .values("n")[:1],
            output_field=models.IntegerField(),
        )

    min_pcs, min_pcsos = minimum_cover()
    return wards.annotate(
        dedicated_pcs=models.functions.Coalesce(count_of(Rank.PC), 0),
        dedicated_pcsos=models.functions.Coalesce(count_of(Rank.PCSO), 0),
    ).annotate(
        pcs_short=models.functions.Greatest(min_pcs - F("dedicated_pcs"), 0),
        pcsos_short=models.functions.Greatest(min_pcsos - F("dedicated_pcsos"), 0),
        below_minimum=models.ExpressionWrapper(
            Q(dedicated_pcs__lt=min_pcs) | Q(dedicated_pcsos__lt=min_pcsos),
            output_field=models.BooleanField(),
        ),
    )


def below_minimum_counts(wards: models.QuerySet) -> dict[int, int]:
    """Borough id -> how many of `wards` are below minimum dedicated cover today. One query."""
    rows = (
        with_strength(wards)
        .filter(below_minimum=True)
        .order_by()
        .values("borough_id")
        .annotate(n=Count("pk"))
    )
    return {row["borough_id"]: row["n"] for row in rows}


def boroughs_with_cover(wards: models.QuerySet, boroughs):
    """The boroughs, each with `wards_below_minimum` counted among `wards` (the user's)."""
    counts = below_minimum_counts(wards)
    for borough in boroughs:
        borough.wards_below_minimum = counts.get(borough.pk, 0)
    return boroughs
