"""The score, by hand (schools.scoring): min-max within the borough, attainment turned round,
flags 0 or 1, the weighted mean of the criteria a school has, ties by URN."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from schools.models import CRITERION_NAMES, DEFAULT_WEIGHTS
from schools.scoring import Facts, score_all


def facts(urn, **values):
    return Facts(urn, {name: values.get(name) for name in CRITERION_NAMES})


SCHOOLS = [
    facts("100001", deprivation=Decimal(40), attainment=Decimal(-10), free_meals=Decimal(50),
          gang=True),
    facts("100002", deprivation=Decimal(20), attainment=Decimal(10), free_meals=Decimal(30),
          gang=False),
    facts("100003", deprivation=Decimal(30), free_meals=Decimal(10)),
]  # fmt: skip


def by_urn(scored):
    return {s.urn: s for s in scored}


def test_each_score_is_the_mean_of_the_normalised_criteria_it_has():
    scored = by_urn(score_all(SCHOOLS, DEFAULT_WEIGHTS))
    # 100001: deprivation 1, attainment 1 (the lowest), meals 1, gang 1.
    assert scored["100001"].score == 100
    # 100002: 0, 0, 0.5, 0 over four criteria.
    assert scored["100002"].score == Fraction(25, 2)
    # 100003: deprivation 0.5, meals 0, over two: attainment and gang missing.
    assert scored["100003"].score == 25
    assert [s.urn for s in score_all(SCHOOLS, DEFAULT_WEIGHTS)] == ["100001", "100003", "100002"]


def test_a_missing_criterion_is_left_out_and_named():
    third = by_urn(score_all(SCHOOLS, DEFAULT_WEIGHTS))["100003"]
    assert third.used == ["deprivation", "free_meals"]
    assert "attainment" in third.missing and "gang" in third.missing
    assert len(third.used) + len(third.missing) == len(CRITERION_NAMES)


def test_the_weights_change_the_score():
    weights = {**DEFAULT_WEIGHTS, "deprivation": Decimal(2), "free_meals": Decimal(0)}
    scored = by_urn(score_all(SCHOOLS, weights))
    assert scored["100001"].score == 100  # (2 + 1 + 0 + 1) / (2 + 1 + 0 + 1)
    assert scored["100002"].score == 0
    assert scored["100003"].score == 50  # (2 × 0.5 + 0 × 0) / (2 + 0)
    assert scored["100003"].display_score == Decimal("50.00")


def test_equal_scores_rank_by_urn_as_numbers():
    same = [facts(urn, free_meals=Decimal(20)) for urn in ("100000", "99999", "100002")]
    ranked = score_all(same, DEFAULT_WEIGHTS)
    assert [s.urn for s in ranked] == ["99999", "100000", "100002"]
    assert [s.rank for s in ranked] == [1, 2, 3]
    assert all(s.score == 0 for s in ranked)  # one value for all: it tells them apart in nothing


def test_a_school_with_no_criteria_scores_zero():
    (only,) = score_all([facts("100001")], DEFAULT_WEIGHTS)
    assert only.score == 0 and only.used == [] and len(only.missing) == len(CRITERION_NAMES)


values = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(values, values, values, st.one_of(st.none(), st.booleans())),
                min_size=1, max_size=12),
       st.permutations(range(12)))  # fmt: skip
def test_scores_lie_in_0_100_and_the_ranking_does_not_depend_on_the_order(rows, order):
    schools = [
        facts(str(100000 + i), free_meals=a, absence=b, attainment=c, weapon=d)
        for i, (a, b, c, d) in enumerate(rows)
    ]
    ranked = score_all(schools, DEFAULT_WEIGHTS)
    shuffled = [schools[i] for i in order if i < len(schools)]
    assert [s.urn for s in score_all(shuffled, DEFAULT_WEIGHTS)] == [s.urn for s in ranked]
    assert all(0 <= s.score <= 100 for s in ranked)
    # Scores never rise down the ranking.
    assert all(a.score >= b.score for a, b in zip(ranked, ranked[1:], strict=False))
