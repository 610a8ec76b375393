"""The allocation on the hand-built borough (tests/schools/conftest.py): officers down the
ranking to schools that may have one, held schools keep theirs, every other school a named
contact from its ward's dedicated officers, in turn by URN."""

import datetime

import pytest

from config.timeutils import today
from schools.models import Allocation, AllocationDecision, SchoolWeights
from schools.recommendation import recommend

pytestmark = pytest.mark.django_db


def lines(rec):
    return [
        (p.school.urn, p.scored.rank, str(p.scored.display_score), p.kind,
         p.contact.shoulder_number if p.contact else None)
        for p in rec.placements
    ]  # fmt: skip


def test_officers_go_down_the_ranking_and_the_rest_get_a_named_contact(hand_built, borough_a):
    rec = recommend(borough_a, on=today(), officers=2)
    assert lines(rec) == [
        ("100003", 1, "100.00", "point_of_contact", "1001AA"),  # a primary school: a contact
        ("100001", 2, "80.00", "officer", None),
        ("100002", 3, "60.00", "officer", None),
        ("100005", 4, "20.00", "point_of_contact", "1002AA"),
        ("100004", 5, "0.00", "point_of_contact", None),  # W2 has no dedicated officer
    ]
    assert any("W2" in note for note in rec.notes)
    assert all(p.missing_labels for p in rec.placements)  # deprivation and the rest missing


def test_a_school_that_has_an_officer_keeps_one(hand_built, borough_a, commander_a):
    earlier = AllocationDecision.objects.create(
        borough=borough_a, effective_from=datetime.date(2025, 9, 1),
        review_due=datetime.date(2026, 9, 1), officers=1, rationale="Last year",
        decided_by=commander_a,
    )  # fmt: skip
    Allocation.objects.create(decision=earlier, school=hand_built["schools"]["100004"], rank=1,
                              score=0, kind="officer")  # fmt: skip
    rec = recommend(borough_a, on=today(), officers=2)
    assert lines(rec) == [
        ("100003", 1, "100.00", "point_of_contact", "1002AA"),
        ("100001", 2, "80.00", "officer", None),
        ("100002", 3, "60.00", "point_of_contact", "1001AA"),  # one officer left: 100001 has it
        ("100005", 4, "20.00", "point_of_contact", "1001AA"),
        ("100004", 5, "0.00", "officer", None),  # lowest need, but it has an officer
    ]
    assert [p.held for p in rec.placements] == [False, False, False, False, True]


def test_more_held_schools_than_officers_keep_theirs_and_the_page_says_so(
    hand_built, borough_a, commander_a
):
    earlier = AllocationDecision.objects.create(
        borough=borough_a, effective_from=datetime.date(2025, 9, 1),
        review_due=datetime.date(2026, 9, 1), officers=2, rationale="Last year",
        decided_by=commander_a,
    )  # fmt: skip
    for urn in ("100004", "100005"):
        Allocation.objects.create(decision=earlier, school=hand_built["schools"][urn], rank=1,
                                  score=0, kind="officer")  # fmt: skip
    rec = recommend(borough_a, on=today(), officers=1)
    assert rec.officers_allocated == 2
    assert any("each keeps one" in note for note in rec.notes)


def test_the_borough_number_of_officers_comes_from_its_weights(hand_built, borough_a):
    assert recommend(borough_a, on=today()).weights.officers == 8  # the London default
    SchoolWeights.objects.create(borough=borough_a, officers=1, **{
        name: 1 for name in SchoolWeights().as_dict()
    })  # fmt: skip
    rec = recommend(borough_a, on=today())
    assert rec.weights.source == "borough"
    assert [p.school.urn for p in rec.placements if p.kind == "officer"] == ["100001"]


def test_the_recommendation_is_deterministic(hand_built, borough_a):
    assert lines(recommend(borough_a, on=today(), officers=2)) == lines(
        recommend(borough_a, on=today(), officers=2)
    )


def test_the_recommendation_takes_a_fixed_number_of_queries(
    hand_built, borough_a, django_assert_num_queries
):
    from tests.schools.conftest import school

    # weights, schools, deprivation, the allocation in force, the dedicated officers
    with django_assert_num_queries(5):
        recommend(borough_a, on=today())
    for n in range(10):
        school(borough_a, hand_built["w1"], f"20000{n}")
    with django_assert_num_queries(5):
        recommend(borough_a, on=today())
