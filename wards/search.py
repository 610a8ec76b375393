"""Wards by a name a person types: a ward's or a borough's, misspelt, without its apostrophe or
accent ("Kings Cross", "Haverstok", "Regents Park"). PostgreSQL's pg_trgm compares the words'
trigrams (word similarity: the best match of the query within the name) after both sides are
folded the same way: unaccented, lower case, apostrophes and full stops dropped, "&" read as
"and". The extensions come with wards' migration 0002."""

from __future__ import annotations

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Case, F, Func, Value, When
from django.db.models.functions import Greatest, Lower, Replace

from wards.models import Ward

# How alike a name must be to be offered (0–1), and how far below the best match a candidate
# may fall: "Haverstok" finds Haverstock (0.7) without every ward of Havering (0.5).
MIN_SIMILARITY = 0.45
BEST_MARGIN = 0.2
MAX_RESULTS = 40


class Unaccent(Func):
    function = "unaccent"


def fold(expression):
    """The form both sides are compared in (one definition for the query and the names)."""
    folded = Lower(Unaccent(expression))
    for drop in ("'", "’", "‘", "`", "."):
        folded = Replace(folded, Value(drop), Value(""))
    return Replace(folded, Value("&"), Value(" and "))


def wards_named(text: str, *, queryset=None, limit: int = MAX_RESULTS) -> list[Ward]:
    """Wards whose name, or whose borough's name, is like `text`: best first, a ward's own name
    before a borough's, then by borough and name. Each has `similarity` (0–1) and its borough
    joined. An empty or punctuation-only text finds nothing."""
    text = " ".join(str(text).split())[:80]
    if not any(ch.isalnum() for ch in text):
        return []
    query = fold(Value(text))
    queryset = Ward.objects.all() if queryset is None else queryset
    candidates = (
        queryset.select_related("borough")
        .defer("boundary")
        .annotate(
            ward_similarity=TrigramWordSimilarity(query, fold(F("name"))),
            borough_similarity=TrigramWordSimilarity(query, fold(F("borough__name"))),
        )
        .annotate(similarity=Greatest("ward_similarity", "borough_similarity"))
        .filter(similarity__gte=MIN_SIMILARITY)
        # Matched by its own name rather than its borough's: first among equals.
        .annotate(own=Case(When(ward_similarity__gte=F("similarity"), then=1), default=0))
        .order_by("-similarity", "-own", "borough__name", "name")
    )
    wards = list(candidates[:limit])
    if not wards:
        return []
    floor = wards[0].similarity - BEST_MARGIN
    return [w for w in wards if w.similarity >= floor][:limit]
