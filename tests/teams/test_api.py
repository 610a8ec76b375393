"""The people API: /api/v1/officers/, teams/ and postings/.

Everyone reads their own boroughs; outsiders get 404 and never see another borough's rows;
only editing roles write (commander and HQ: 403). Postings are never edited or deleted: they
are created, ended or moved through the services, so their history is kept."""

import datetime

import pytest

from teams.models import Officer, Posting, Rank, Team
from tests import factories as f
from tests.conftest import (
    EDITORS_OF_A,
    READERS_OF_A,
    ROLE_FIXTURES,
    api_client_for,
    results,
    write_status,
)

pytestmark = pytest.mark.django_db

SEES_B = {"hq", "admin_user", "inspector_b"}
JAN_2025 = datetime.date(2025, 1, 1)


@pytest.fixture
def officer_a(borough_a):
    return f.OfficerFactory(
        shoulder_number="7016EA", first_name="Sam", last_name="Okafor", borough=borough_a
    )


@pytest.fixture
def officer_b(borough_b):
    return f.OfficerFactory(shoulder_number="1234AW", borough=borough_b)


@pytest.fixture
def posting_a(officer_a, team_a):
    return f.PostingFactory(officer=officer_a, team=team_a, start_date=JAN_2025)


@pytest.fixture
def team_a2(borough_a):
    """A second ward team in borough_a."""
    return f.TeamFactory(ward=f.WardFactory(code="E05013661", name="Highgate", borough=borough_a))


def test_anonymous_users_cannot_end_a_posting(api, posting_a):
    response = api.post(f"/api/v1/postings/{posting_a.pk}/end/", {"end_date": "2025-06-30"})
    assert response.status_code == 401
    posting_a.refresh_from_db()
    assert posting_a.end_date is None


# Officers


def new_officer(**extra) -> dict:
    return {
        "shoulder_number": "7100EA",
        "first_name": "Priya",
        "last_name": "Shah",
        "rank": "pcso",
        "borough": "E09000007",
        **extra,
    }


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_officer_list_shows_only_the_users_boroughs(client_of, who, officer_a, officer_b):
    numbers = {o["shoulder_number"] for o in results(client_of(who).get("/api/v1/officers/"))}
    assert ("7016EA" in numbers) == (who in READERS_OF_A)
    assert ("1234AW" in numbers) == (who in SEES_B)


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_officers_are_found_by_shoulder_number_within_scope(client_of, who, officer_a):
    response = client_of(who).get("/api/v1/officers/7016EA/")
    assert response.status_code == (200 if who in READERS_OF_A else 404)
    if response.status_code == 200:
        assert (response.json()["rank_title"], response.json()["borough"]) == ("PC", "E09000007")


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_add_officers_to_their_own_borough(client_of, who, borough_a):
    response = client_of(who).post("/api/v1/officers/", new_officer(), format="json")
    # An outsider who may edit their own borough is told borough_a "does not exist" (400).
    expected = 400 if who == "inspector_b" else write_status(who, 201)
    assert response.status_code == expected, response.content
    assert Officer.objects.filter(shoulder_number="7100EA").exists() == (expected == 201)


def test_an_officer_cannot_be_added_to_another_borough(client_of, borough_a, borough_b):
    response = client_of("staff_a").post(
        "/api/v1/officers/", new_officer(borough="E09000033"), format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["borough"][0]
    assert not Officer.objects.exists()


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"rank": "constable"}, "rank"),
        ({"rank": "pcso", "is_detective": True}, "is_detective"),
        ({"shoulder_number": "7016EA"}, "shoulder_number"),  # officer_a's
        ({"first_name": ""}, "first_name"),
    ],
)
def test_bad_officer_input_is_a_400_naming_the_field(client_of, officer_a, extra, field):
    response = client_of("staff_a").post("/api/v1/officers/", new_officer(**extra), format="json")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_update_officers_of_their_borough(client_of, who, officer_a):
    response = client_of(who).patch(
        "/api/v1/officers/7016EA/", {"rank": "sergeant"}, format="json"
    )
    assert response.status_code == write_status(who, 200)
    officer_a.refresh_from_db()
    assert (officer_a.rank == Rank.SERGEANT) == (who in EDITORS_OF_A)


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_delete_officers_without_history(client_of, who, officer_a):
    response = client_of(who).delete("/api/v1/officers/7016EA/")
    assert response.status_code == write_status(who, 204)
    assert Officer.objects.filter(pk=officer_a.pk).exists() == (who not in EDITORS_OF_A)


def test_an_officer_with_postings_is_kept_not_deleted(client_of, posting_a):
    response = client_of("staff_a").delete("/api/v1/officers/7016EA/")
    assert response.status_code == 409
    assert Officer.objects.filter(shoulder_number="7016EA").exists()


def test_officers_filter_by_rank_ward_and_name(client_of, posting_a, borough_a):
    f.OfficerFactory(borough=borough_a, rank=Rank.PCSO, last_name="Okafor")
    client = client_of("staff_a")

    def numbers(query):
        return [o["shoulder_number"] for o in results(client.get(f"/api/v1/officers/?{query}"))]

    assert numbers("rank=pc") == ["7016EA"]
    assert numbers("ward=E05013660") == ["7016EA"]
    assert numbers("q=7016ea") == ["7016EA"]
    assert len(numbers("q=okafor")) == 2


def test_officer_list_runs_a_fixed_number_of_queries(assert_fixed_queries, staff_a, borough_a):
    f.OfficerFactory.create_batch(2, borough=borough_a)
    client = api_client_for(staff_a)
    # 1 token, user and their boroughs, 2 count, 3 officers with borough
    before, after = assert_fixed_queries(
        lambda: client.get("/api/v1/officers/"),
        lambda: f.OfficerFactory.create_batch(8, borough=borough_a),
        queries=3,
    )
    assert (before.json()["count"], after.json()["count"]) == (2, 10)


# Teams


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_team_list_shows_only_the_users_boroughs(client_of, who, team_a, team_b):
    ids = {t["id"] for t in results(client_of(who).get("/api/v1/teams/"))}
    assert (team_a.pk in ids) == (who in READERS_OF_A)
    assert (team_b.pk in ids) == (who in SEES_B)


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_team_detail_is_404_for_outsiders(client_of, who, team_a):
    response = client_of(who).get(f"/api/v1/teams/{team_a.pk}/")
    assert response.status_code == (200 if who in READERS_OF_A else 404)
    if response.status_code == 200:
        assert (response.json()["ward"], response.json()["kind"]) == ("E05013660", "ward")


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_update_a_teams_contact_details(client_of, who, team_a):
    response = client_of(who).patch(
        f"/api/v1/teams/{team_a.pk}/",
        {"email": "haverstock.snt@met.police.example", "phone": "020 7000 0000"},
        format="json",
    )
    assert response.status_code == write_status(who, 200)
    team_a.refresh_from_db()
    changed = (team_a.email, team_a.phone) == ("haverstock.snt@met.police.example", "020 7000 0000")
    assert changed == (who in EDITORS_OF_A)


def test_only_contact_details_of_a_team_change(client_of, team_a):
    response = client_of("staff_a").patch(
        f"/api/v1/teams/{team_a.pk}/", {"name": "Renamed", "kind": "inpt"}, format="json"
    )
    assert response.status_code == 200
    team_a.refresh_from_db()
    assert (team_a.name, team_a.kind) == ("Haverstock SNT", Team.Kind.WARD)


def test_a_bad_team_email_is_a_400(client_of, team_a):
    response = client_of("staff_a").patch(
        f"/api/v1/teams/{team_a.pk}/", {"email": "not an email"}, format="json"
    )
    assert response.status_code == 400
    assert "email" in response.json()


def test_teams_are_not_created_or_deleted_through_the_api(client_of, team_a):
    client = client_of("admin_user")
    assert client.post("/api/v1/teams/", {"name": "New"}, format="json").status_code == 405
    assert client.delete(f"/api/v1/teams/{team_a.pk}/").status_code == 405


def test_teams_filter_by_ward_and_kind(client_of, team_a, team_a2, borough_a):
    f.INPTFactory(cluster=f.WardClusterFactory(borough=borough_a))
    client = client_of("staff_a")
    assert [t["id"] for t in results(client.get("/api/v1/teams/?ward=E05013661"))] == [team_a2.pk]
    assert len(results(client.get("/api/v1/teams/?kind=ward"))) == 2


def test_team_list_runs_a_fixed_number_of_queries(assert_fixed_queries, staff_a, borough_a):
    f.TeamFactory.create_batch(2, ward__borough=borough_a)
    client = api_client_for(staff_a)
    # 1 token, user and their boroughs, 2 count, 3 teams with borough and ward
    before, after = assert_fixed_queries(
        lambda: client.get("/api/v1/teams/"),
        lambda: f.TeamFactory.create_batch(8, ward__borough=borough_a),
        queries=3,
    )
    assert (before.json()["count"], after.json()["count"]) == (2, 10)


# Postings


def new_posting(team, /, **extra) -> dict:
    return {
        "officer": "7016EA",
        "team": team.pk,
        "role": "dedicated",
        "start_date": "2025-01-01",
        **extra,
    }


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_posting_list_shows_only_the_users_boroughs(client_of, who, posting_a, team_b):
    posting_b = f.PostingFactory(officer=f.OfficerFactory(borough=team_b.borough), team=team_b)
    ids = {p["id"] for p in results(client_of(who).get("/api/v1/postings/"))}
    assert (posting_a.pk in ids) == (who in READERS_OF_A)
    assert (posting_b.pk in ids) == (who in SEES_B)


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_posting_detail_is_404_for_outsiders(client_of, who, posting_a):
    response = client_of(who).get(f"/api/v1/postings/{posting_a.pk}/")
    assert response.status_code == (200 if who in READERS_OF_A else 404)
    if response.status_code == 200:
        assert response.json()["officer"] == "7016EA"


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_post_officers_of_their_borough(client_of, cast, who, officer_a, team_a):
    response = client_of(who).post("/api/v1/postings/", new_posting(team_a), format="json")
    # An outsider who may edit their own borough is told the officer and team "do not exist".
    expected = 400 if who == "inspector_b" else write_status(who, 201)
    assert response.status_code == expected, response.content
    assert Posting.objects.filter(officer=officer_a).exists() == (expected == 201)
    if expected == 201:
        assert Posting.objects.get().created_by == cast(who)
    if who == "inspector_b":
        assert {"officer", "team"} <= response.json().keys()


def test_an_officer_of_another_borough_does_not_exist_for_a_borough_user(
    client_of, officer_b, team_a
):
    response = client_of("staff_a").post(
        "/api/v1/postings/", new_posting(team_a, officer="1234AW"), format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["officer"][0]


def test_an_officer_cannot_be_posted_to_another_boroughs_team(client_of, officer_b, team_a):
    # Admin sees both boroughs; the service's rule still keeps officers in their own borough.
    response = client_of("admin_user").post(
        "/api/v1/postings/", new_posting(team_a, officer="1234AW"), format="json"
    )
    assert response.status_code == 400
    assert "team" in response.json()
    assert not Posting.objects.exists()


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"end_date": "2024-12-31"}, "end_date"),  # before the start
        ({"start_date": "1st of May"}, "start_date"),
        ({"role": "boss"}, "role"),
        ({"role": "supervisor"}, "role"),  # a PC cannot supervise
        ({"team": 999999}, "team"),
    ],
)
def test_bad_posting_input_is_a_400_naming_the_field(client_of, officer_a, team_a, extra, field):
    response = client_of("staff_a").post(
        "/api/v1/postings/", new_posting(team_a, **extra), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Posting.objects.exists()


def test_a_second_overlapping_primary_posting_is_a_conflict(client_of, posting_a, team_a2):
    response = client_of("staff_a").post(
        "/api/v1/postings/", new_posting(team_a2, start_date="2025-06-01"), format="json"
    )
    assert response.status_code == 409
    assert "already has a primary posting" in response.json()["detail"]
    assert Posting.objects.count() == 1


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_postings_are_never_edited_or_deleted(client_of, posting_a, method):
    response = getattr(client_of("admin_user"), method)(
        f"/api/v1/postings/{posting_a.pk}/", {"end_date": "2025-02-01"}, format="json"
    )
    assert response.status_code == 405
    posting_a.refresh_from_db()
    assert posting_a.end_date is None


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_end_postings_of_their_borough(client_of, cast, who, posting_a):
    response = client_of(who).post(
        f"/api/v1/postings/{posting_a.pk}/end/",
        {"end_date": "2025-12-31", "reason": "Promoted"},
        format="json",
    )
    assert response.status_code == write_status(who, 200)
    posting_a.refresh_from_db()
    ended = (posting_a.end_date, posting_a.end_reason) == (datetime.date(2025, 12, 31), "Promoted")
    assert ended == (who in EDITORS_OF_A)
    if ended:
        assert posting_a.ended_by == cast(who)
        assert response.json()["ended_by"] == who


@pytest.mark.parametrize(
    "body, field",
    [
        ({"end_date": "2024-12-31", "reason": "Mistake"}, "end_date"),  # before it started
        ({"end_date": "soon", "reason": "Promoted"}, "end_date"),
        ({"end_date": "2025-12-31"}, "reason"),
    ],
)
def test_bad_end_of_posting_is_a_400_naming_the_field(client_of, posting_a, body, field):
    response = client_of("staff_a").post(
        f"/api/v1/postings/{posting_a.pk}/end/", body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    posting_a.refresh_from_db()
    assert posting_a.end_date is None


def test_ending_a_posting_that_has_ended_is_a_conflict(client_of, officer_a, team_a):
    ended = f.PostingFactory(
        officer=officer_a, team=team_a, start_date=JAN_2025, end_date=datetime.date(2025, 3, 31)
    )
    response = client_of("staff_a").post(
        f"/api/v1/postings/{ended.pk}/end/",
        {"end_date": "2025-06-30", "reason": "Again"},
        format="json",
    )
    assert response.status_code == 409
    ended.refresh_from_db()
    assert ended.end_date == datetime.date(2025, 3, 31)


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_move_an_officer_between_teams_of_their_borough(
    client_of, who, posting_a, team_a2
):
    response = client_of(who).post(
        "/api/v1/postings/move/",
        new_posting(team_a2, start_date="2025-09-01", reason="Demand in Highgate"),
        format="json",
    )
    expected = 400 if who == "inspector_b" else write_status(who, 201)
    assert response.status_code == expected, response.content
    posting_a.refresh_from_db()
    moved = posting_a.end_date == datetime.date(2025, 8, 31)
    assert moved == (expected == 201)
    assert Posting.objects.filter(team=team_a2).exists() == moved
    if moved:
        new = response.json()
        assert (new["team"], new["start_date"]) == (team_a2.pk, "2025-09-01")


def test_moving_an_officer_to_where_they_are_is_a_conflict(client_of, posting_a, team_a):
    response = client_of("staff_a").post(
        "/api/v1/postings/move/", new_posting(team_a, start_date="2025-09-01"), format="json"
    )
    assert response.status_code == 409
    posting_a.refresh_from_db()
    assert posting_a.end_date is None


def test_a_move_must_start_after_the_current_posting(client_of, posting_a, team_a2):
    response = client_of("staff_a").post(
        "/api/v1/postings/move/", new_posting(team_a2, start_date="2025-01-01"), format="json"
    )
    assert response.status_code == 400
    assert "start_date" in response.json()
    assert Posting.objects.count() == 1


def test_postings_filter_by_officer_role_and_current(client_of, posting_a, officer_a, team_a2):
    old = f.PostingFactory(
        officer=officer_a,
        team=team_a2,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    other = f.PostingFactory(officer=f.OfficerFactory(borough=team_a2.borough), team=team_a2)
    client = client_of("staff_a")

    def ids(query):
        return {p["id"] for p in results(client.get(f"/api/v1/postings/?{query}"))}

    assert ids("officer=7016EA") == {posting_a.pk, old.pk}
    assert ids("officer=7016EA&current=true") == {posting_a.pk}
    assert ids(f"team={team_a2.pk}&current=false") == {old.pk}
    assert ids("role=dedicated") == {posting_a.pk, old.pk, other.pk}
    assert ids("role=supervisor") == set()


def test_posting_list_runs_a_fixed_number_of_queries(
    assert_fixed_queries, staff_a, borough_a, team_a
):
    def add_postings(n):
        for officer in f.OfficerFactory.create_batch(n, borough=borough_a):
            f.PostingFactory(officer=officer, team=team_a, created_by=staff_a)

    add_postings(2)
    client = api_client_for(staff_a)
    # 1 token, user and their boroughs, 2 count,
    # 3 postings with officer, team, borough and the users who created and ended them
    before, after = assert_fixed_queries(
        lambda: client.get("/api/v1/postings/"), lambda: add_postings(8), queries=3
    )
    assert (before.json()["count"], after.json()["count"]) == (2, 10)
