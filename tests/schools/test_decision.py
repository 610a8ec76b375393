"""The commander's allocation decision: recorded with its rationale, dated, reviewed a year on,
kept as history; held schools keep their officer; staff read but may not decide; outsiders 404.
Page, API and service."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from config.errors import ConflictError, DomainError
from config.timeutils import today
from schools import services
from schools.models import Allocation, AllocationDecision
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def decide(borough, by, **kw):
    kw.setdefault("effective_from", today())
    kw.setdefault("rationale", "Need, as the ranking shows.")
    return services.allocation_record(borough=borough, by=by, today=today(), **kw)


def test_the_commander_records_the_allocation_reviewed_a_year_on(
    hand_built, borough_a, commander_a
):
    decision = decide(borough_a, commander_a, officers=2,
                      effective_from=datetime.date(2028, 2, 29))  # fmt: skip
    assert decision.review_due == datetime.date(2029, 2, 28)
    rows = {a.school.urn: (a.rank, a.kind, a.contact and a.contact.shoulder_number)
            for a in decision.allocations.select_related("school", "contact")}  # fmt: skip
    assert rows == {
        "100003": (1, "point_of_contact", "1001AA"), "100001": (2, "officer", None),
        "100002": (3, "officer", None), "100005": (4, "point_of_contact", "1002AA"),
        "100004": (5, "point_of_contact", None),
    }  # fmt: skip
    assert decision.weights["free_meals"] == "1"
    assert decision.officers == 2


def test_the_commander_adjusts_which_schools_and_names_another_contact(
    hand_built, borough_a, commander_a
):
    pc1 = hand_built["pc1"]
    decision = decide(borough_a, commander_a, officers=2, officer_urns={"100001", "100005"},
                      contacts={"100002": pc1.pk, "100003": pc1.pk})  # fmt: skip
    kinds = dict(decision.allocations.values_list("school__urn", "kind"))
    assert kinds["100005"] == "officer" and kinds["100002"] == "point_of_contact"
    contacts = dict(decision.allocations.values_list("school__urn", "contact__shoulder_number"))
    assert contacts["100002"] == contacts["100003"] == "1001AA"


@pytest.mark.parametrize("change, field", [
    ({"officer_urns": {"100003"}}, "officer_schools"),  # a primary school
    ({"officer_urns": {"100001", "100002", "100005"}}, "officer_schools"),  # 3 for 2
    ({"officer_urns": {"999999"}}, "officer_schools"),
    ({"contacts": {"100004": 1}}, "contacts"),  # W2 has no dedicated officer
    ({"rationale": "  "}, "rationale"),
    ({"effective_from": datetime.date(2020, 1, 1)}, "effective_from"),
    ({"effective_from": datetime.date(9999, 12, 31)}, "effective_from"),
])  # fmt: skip
def test_a_bad_decision_is_refused_and_nothing_is_written(
    hand_built, borough_a, commander_a, change, field
):
    with pytest.raises(DomainError) as refused:
        decide(borough_a, commander_a, officers=2, **change)
    assert refused.value.field == field
    assert not AllocationDecision.objects.exists()


def test_a_school_that_has_an_officer_cannot_lose_it(hand_built, borough_a, commander_a):
    decide(borough_a, commander_a, officers=2)
    with pytest.raises(DomainError, match="keeps one"):
        decide(borough_a, commander_a, officers=2, officer_urns={"100001"},
               effective_from=today() + datetime.timedelta(days=1))  # fmt: skip


def test_history_is_kept_and_a_decision_cannot_go_behind_a_later_one(
    hand_built, borough_a, commander_a
):
    first = decide(borough_a, commander_a, officers=2)
    second = decide(borough_a, commander_a, officers=3,
                    effective_from=today() + datetime.timedelta(days=30))  # fmt: skip
    assert AllocationDecision.objects.count() == 2
    in_force = Allocation.objects.in_force(today()).filter(kind="officer")
    assert set(in_force.values_list("decision", flat=True)) == {first.pk}
    ahead = Allocation.objects.in_force(second.effective_from).filter(kind="officer")
    assert ahead.count() == 3
    with pytest.raises(ConflictError):
        decide(borough_a, commander_a, effective_from=today() + datetime.timedelta(days=2))


@pytest.mark.parametrize("who", ["staff_a", "inspector_a", "hq"])
def test_only_commanders_decide(hand_built, borough_a, cast, who):
    with pytest.raises(PermissionDenied):
        decide(borough_a, cast(who))


def test_the_api_lists_the_ranking_and_a_commander_decides(hand_built, commander_a, staff_a):
    got = api_client_for(staff_a).get("/api/v1/safer-schools/?borough=E09000007")
    assert got.status_code == 200
    first = got.json()["schools"][0]
    assert (first["urn"], first["rank"], first["score"], first["allocation"]) == (
        "100003", 1, "100.00", "point_of_contact"
    )
    assert first["criteria_used"] == ["free_meals"] and "deprivation" in first["criteria_missing"]
    assert first["point_of_contact"] == "1001AA"
    body = {"borough": "E09000007", "effective_from": today().isoformat(), "officers": 2,
            "rationale": "By need."}  # fmt: skip
    assert api_client_for(staff_a).post("/api/v1/safer-schools/decisions/", body,
                                        format="json").status_code == 403  # fmt: skip
    made = api_client_for(commander_a).post("/api/v1/safer-schools/decisions/", body,
                                            format="json")  # fmt: skip
    assert made.status_code == 201, made.json()
    assert made.json()["review_due"] == today().replace(year=today().year + 1).isoformat()
    again = api_client_for(commander_a).post("/api/v1/safer-schools/decisions/", body,
                                             format="json")  # fmt: skip
    assert again.status_code in (400, 409)


def test_outsiders_get_404(hand_built, inspector_b, commander_a, borough_b):
    assert api_client_for(inspector_b).get(
        "/api/v1/safer-schools/?borough=E09000007").status_code == 404  # fmt: skip
    body = {"borough": "E09000033", "effective_from": today().isoformat(), "rationale": "x"}
    assert api_client_for(commander_a).post("/api/v1/safer-schools/decisions/", body,
                                            format="json").status_code == 404  # fmt: skip


def test_the_api_ranking_takes_a_fixed_number_of_queries(
    hand_built, staff_a, django_assert_num_queries
):
    client = api_client_for(staff_a)
    client.get("/api/v1/safer-schools/?borough=E09000007")  # warm the session and token
    # token, user and their boroughs, the borough, then the recommendation's five
    with django_assert_num_queries(7):
        assert client.get("/api/v1/safer-schools/?borough=E09000007").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_commanders_deciding_at_once_are_taken_in_turn(hand_built, borough_a, commander_a):
    results = []

    def run():
        try:
            results.append(decide(borough_a, commander_a, officers=2))
        except ConflictError as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(type(r).__name__ for r in results) == ["AllocationDecision", "ConflictError"]
    assert AllocationDecision.objects.count() == 1
