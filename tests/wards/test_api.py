"""The geography API: /api/v1/bcus/, boroughs/, wards/, clusters/ and places/.

Everyone reads their own boroughs; outsiders get 404 and never see another borough's rows in a
list; only editing roles write (commander and HQ: 403)."""

import pytest

from teams.models import Posting, Rank
from tests import factories as f
from tests.conftest import (
    EDITORS_OF_A,
    READERS_OF_A,
    ROLE_FIXTURES,
    api_client_for,
    results,
    write_status,
)
from wards.models import Place, WardCluster

pytestmark = pytest.mark.django_db

SEES_B = {"hq", "admin_user", "inspector_b"}


def test_anonymous_users_cannot_write(api, ward_a):
    response = api.post("/api/v1/places/", {"name": "X", "kind": "college", "ward": ward_a.code})
    assert response.status_code == 401
    assert not Place.objects.exists()


# Every record of borough_a, one by one: its readers see it, outsiders get 404.

DETAILS = {
    "bcu": lambda ward: "/api/v1/bcus/CN/",
    "borough": lambda ward: "/api/v1/boroughs/E09000007/",
    "ward": lambda ward: f"/api/v1/wards/{ward.code}/",
    "cluster": lambda ward: f"/api/v1/clusters/{ward.cluster_id}/",
    "place": lambda ward: f"/api/v1/places/{ward.places.get().pk}/",
}


@pytest.mark.parametrize("who", ROLE_FIXTURES)
@pytest.mark.parametrize("record", sorted(DETAILS))
def test_a_record_of_borough_a_is_404_for_outsiders(client_of, who, cluster_a, place_a, record):
    ward = place_a.ward
    assert ward.cluster_id == cluster_a.pk
    response = client_of(who).get(DETAILS[record](ward))
    assert response.status_code == (200 if who in READERS_OF_A else 404)


# BCUs


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_bcu_list_shows_bcus_holding_the_users_boroughs(client_of, who, borough_a, borough_b):
    codes = {b["code"] for b in results(client_of(who).get("/api/v1/bcus/"))}
    assert ("CN" in codes) == (who in READERS_OF_A)
    assert ("AW" in codes) == (who in SEES_B)


@pytest.mark.parametrize(
    "who, boroughs",
    [
        ("staff_a", ["E09000007"]),
        ("commander_a", ["E09000007", "E09000019"]),  # Camden, Islington: by name
        ("hq", ["E09000007", "E09000019"]),
    ],
)
def test_a_bcu_lists_only_the_boroughs_the_user_may_see(
    client_of, who, boroughs, borough_a, borough_a2
):
    response = client_of(who).get("/api/v1/bcus/CN/")
    assert response.status_code == 200
    assert response.json()["boroughs"] == boroughs


def test_bcus_are_read_only(client_of, borough_a):
    response = client_of("admin_user").post("/api/v1/bcus/", {"code": "ZZ", "name": "New"})
    assert response.status_code == 405


def test_bcu_list_runs_a_fixed_number_of_queries(assert_fixed_queries, hq):
    f.BoroughFactory.create_batch(2)
    client = api_client_for(hq)
    # 1 token and user, 2 count, 3 BCUs, 4 their boroughs (HQ sees every borough: no borough query)
    before, after = assert_fixed_queries(
        lambda: client.get("/api/v1/bcus/"), lambda: f.BoroughFactory.create_batch(8), queries=4
    )
    assert (before.json()["count"], after.json()["count"]) == (2, 10)


# Boroughs


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_borough_list_shows_only_the_users_boroughs(client_of, who, borough_a, borough_b):
    codes = {b["code"] for b in results(client_of(who).get("/api/v1/boroughs/"))}
    assert ("E09000007" in codes) == (who in READERS_OF_A)
    assert ("E09000033" in codes) == (who in SEES_B)


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_borough_detail_is_404_for_outsiders(client_of, who, borough_a):
    response = client_of(who).get("/api/v1/boroughs/E09000007/")
    assert response.status_code == (200 if who in READERS_OF_A else 404)
    if response.status_code == 200:
        assert response.json()["bcu"] == "CN"


def test_boroughs_filter_by_bcu(client_of, borough_a, borough_b):
    codes = [b["code"] for b in results(client_of("hq").get("/api/v1/boroughs/?bcu=aw"))]
    assert codes == ["E09000033"]


def test_boroughs_are_read_only(client_of, borough_a):
    response = client_of("admin_user").patch("/api/v1/boroughs/E09000007/", {"name": "Kamden"})
    assert response.status_code == 405


def test_borough_list_runs_a_fixed_number_of_queries(assert_fixed_queries, hq):
    f.BoroughFactory.create_batch(2)
    client = api_client_for(hq)
    # 1 token and user, 2 count, 3 boroughs with their BCU
    before, after = assert_fixed_queries(
        lambda: client.get("/api/v1/boroughs/"), lambda: f.BoroughFactory.create_batch(8), queries=3
    )
    assert (before.json()["count"], after.json()["count"]) == (2, 10)


# Wards


def staff(team, *, pcs: int, pcsos: int):
    for rank, n in ((Rank.PC, pcs), (Rank.PCSO, pcsos)):
        for _ in range(n):
            officer = f.OfficerFactory(rank=rank, borough=team.borough)
            f.PostingFactory(officer=officer, team=team, role=Posting.Role.DEDICATED)


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_ward_list_shows_only_the_users_boroughs(client_of, who, ward_a, ward_b):
    codes = {w["code"] for w in results(client_of(who).get("/api/v1/wards/"))}
    assert (ward_a.code in codes) == (who in READERS_OF_A)
    assert (ward_b.code in codes) == (who in SEES_B)


def test_a_ward_shows_its_ids_place_and_dedicated_strength(client_of, team_a, borough_a):
    cluster = f.WardClusterFactory(borough=borough_a, name="North")
    team_a.ward.cluster = cluster
    team_a.ward.save()
    staff(team_a, pcs=2, pcsos=1)
    ward = client_of("staff_a").get("/api/v1/wards/E05013660/").json()
    assert ward["police_uk_id"] == "E05013660N"
    assert (ward["borough"], ward["cluster"], ward["cluster_name"]) == (
        "E09000007",
        cluster.pk,
        "North",
    )
    assert ward["centroid"] == {
        "lat": float(team_a.ward.centroid_lat),
        "lng": float(team_a.ward.centroid_lng),
    }
    assert (ward["dedicated_pcs"], ward["dedicated_pcsos"], ward["below_minimum"]) == (2, 1, False)


def test_a_ward_without_a_pcso_is_below_minimum(client_of, team_a):
    staff(team_a, pcs=3, pcsos=0)
    ward = client_of("staff_a").get("/api/v1/wards/E05013660/").json()
    assert (ward["dedicated_pcs"], ward["dedicated_pcsos"], ward["below_minimum"]) == (3, 0, True)


def test_the_boundary_comes_with_one_ward_not_with_the_list(client_of, ward_a):
    client = client_of("staff_a")
    assert client.get(f"/api/v1/wards/{ward_a.code}/").json()["boundary"] == ward_a.boundary
    assert "boundary" not in results(client.get("/api/v1/wards/"))[0]


def test_wards_filter_by_below_minimum(client_of, team_a, borough_a):
    staff(team_a, pcs=2, pcsos=1)
    short = f.WardFactory(borough=borough_a)
    client = client_of("staff_a")
    below = [w["code"] for w in results(client.get("/api/v1/wards/?below_minimum=true"))]
    covered = [w["code"] for w in results(client.get("/api/v1/wards/?below_minimum=false"))]
    assert (below, covered) == ([short.code], [team_a.ward.code])


def test_wards_filter_by_borough(client_of, ward_a, ward_b):
    codes = [w["code"] for w in results(client_of("hq").get("/api/v1/wards/?borough=E09000033"))]
    assert codes == [ward_b.code]


def test_wards_are_read_only(client_of, ward_a):
    response = client_of("admin_user").patch(f"/api/v1/wards/{ward_a.code}/", {"name": "X"})
    assert response.status_code == 405


def test_ward_list_runs_a_fixed_number_of_queries(assert_fixed_queries, staff_a, borough_a):
    def add_staffed_wards(n):
        for team in f.TeamFactory.create_batch(n, ward__borough=borough_a):
            staff(team, pcs=1, pcsos=1)

    add_staffed_wards(2)
    client = api_client_for(staff_a)
    # 1 token, user and their boroughs, 2 count, 3 wards with strength, borough, cluster
    before, after = assert_fixed_queries(
        lambda: client.get("/api/v1/wards/"), lambda: add_staffed_wards(8), queries=3
    )
    assert (before.json()["count"], after.json()["count"]) == (2, 10)


# Clusters


@pytest.fixture
def cluster_a(borough_a, ward_a):
    cluster = f.WardClusterFactory(borough=borough_a, name="Camden North")
    ward_a.cluster = cluster
    ward_a.save()
    return cluster


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_cluster_list_shows_only_the_users_boroughs(client_of, who, cluster_a, borough_b):
    cluster_b = f.WardClusterFactory(borough=borough_b)
    ids = {c["id"] for c in results(client_of(who).get("/api/v1/clusters/"))}
    assert (cluster_a.pk in ids) == (who in READERS_OF_A)
    assert (cluster_b.pk in ids) == (who in SEES_B)


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_cluster_detail_is_404_for_outsiders(client_of, who, cluster_a):
    response = client_of(who).get(f"/api/v1/clusters/{cluster_a.pk}/")
    assert response.status_code == (200 if who in READERS_OF_A else 404)
    if response.status_code == 200:
        assert response.json()["wards"] == ["E05013660"]


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_create_clusters_in_their_own_borough(client_of, who, borough_a):
    response = client_of(who).post(
        "/api/v1/clusters/", {"name": "Camden South", "borough": "E09000007"}, format="json"
    )
    # An outsider who may edit their own borough is told borough_a "does not exist" (400).
    expected = 400 if who == "inspector_b" else write_status(who, 201)
    assert response.status_code == expected, response.content
    assert WardCluster.objects.filter(name="Camden South").exists() == (expected == 201)
    if who == "inspector_b":
        assert "does not exist" in response.json()["borough"][0]


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_update_clusters_of_their_own_borough(client_of, who, cluster_a):
    response = client_of(who).patch(
        f"/api/v1/clusters/{cluster_a.pk}/", {"notes": "Shared sergeant"}, format="json"
    )
    assert response.status_code == write_status(who, 200)
    cluster_a.refresh_from_db()
    assert (cluster_a.notes == "Shared sergeant") == (who in EDITORS_OF_A)


def test_a_cluster_cannot_move_to_another_borough(client_of, cluster_a, borough_b):
    response = client_of("admin_user").patch(
        f"/api/v1/clusters/{cluster_a.pk}/", {"borough": "E09000033"}, format="json"
    )
    assert response.status_code == 400
    assert "borough" in response.json()


def test_a_cluster_name_is_unique_in_its_borough(client_of, cluster_a):
    response = client_of("staff_a").post(
        "/api/v1/clusters/", {"name": "Camden North", "borough": "E09000007"}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_clusters_are_not_deleted_through_the_api(client_of, cluster_a):
    assert client_of("admin_user").delete(f"/api/v1/clusters/{cluster_a.pk}/").status_code == 405


def test_clusters_filter_by_borough(client_of, cluster_a, borough_b):
    f.WardClusterFactory(borough=borough_b)
    ids = [c["id"] for c in results(client_of("hq").get("/api/v1/clusters/?borough=E09000007"))]
    assert ids == [cluster_a.pk]


def test_cluster_list_runs_a_fixed_number_of_queries(assert_fixed_queries, staff_a, borough_a):
    def add_clusters(n):
        for cluster in f.WardClusterFactory.create_batch(n, borough=borough_a):
            f.WardFactory.create_batch(2, borough=borough_a, cluster=cluster)

    add_clusters(2)
    client = api_client_for(staff_a)
    # 1 token, user and their boroughs, 2 count, 3 clusters with borough, 4 their wards
    before, after = assert_fixed_queries(
        lambda: client.get("/api/v1/clusters/"), lambda: add_clusters(8), queries=4
    )
    assert (before.json()["count"], after.json()["count"]) == (2, 10)


# Places


@pytest.fixture
def place_a(ward_a):
    return f.PlaceFactory(ward=ward_a, name="Haverstock School", kind=Place.Kind.SECONDARY_SCHOOL)


def new_place(ward_code: str, **extra) -> dict:
    return {"name": "St Silas", "kind": "place_of_worship", "ward": ward_code, **extra}


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_place_list_shows_only_the_users_boroughs(client_of, who, place_a, ward_b):
    place_b = f.PlaceFactory(ward=ward_b)
    ids = {p["id"] for p in results(client_of(who).get("/api/v1/places/"))}
    assert (place_a.pk in ids) == (who in READERS_OF_A)
    assert (place_b.pk in ids) == (who in SEES_B)


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_add_places_to_wards_of_their_borough(client_of, who, ward_a):
    response = client_of(who).post("/api/v1/places/", new_place(ward_a.code), format="json")
    expected = 400 if who == "inspector_b" else write_status(who, 201)
    assert response.status_code == expected, response.content
    assert Place.objects.filter(name="St Silas").exists() == (expected == 201)
    if expected == 201:
        assert response.json()["borough"] == "E09000007"


def test_a_place_cannot_be_added_to_another_boroughs_ward(client_of, ward_a, ward_b):
    response = client_of("staff_a").post("/api/v1/places/", new_place(ward_b.code), format="json")
    assert response.status_code == 400
    assert "does not exist" in response.json()["ward"][0]
    assert not Place.objects.exists()


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_update_places_of_their_borough(client_of, who, place_a):
    response = client_of(who).patch(
        f"/api/v1/places/{place_a.pk}/", {"postcode": "NW5 4AB"}, format="json"
    )
    assert response.status_code == write_status(who, 200)
    place_a.refresh_from_db()
    assert (place_a.postcode == "NW5 4AB") == (who in EDITORS_OF_A)


def test_a_place_cannot_be_moved_into_another_borough(client_of, place_a, ward_b):
    response = client_of("staff_a").patch(
        f"/api/v1/places/{place_a.pk}/", {"ward": ward_b.code}, format="json"
    )
    assert response.status_code == 400
    place_a.refresh_from_db()
    assert place_a.ward.code == "E05013660"


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_editors_delete_places_of_their_borough(client_of, who, place_a):
    response = client_of(who).delete(f"/api/v1/places/{place_a.pk}/")
    assert response.status_code == write_status(who, 204)
    assert Place.objects.filter(pk=place_a.pk).exists() == (who not in EDITORS_OF_A)


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"kind": "pub"}, "kind"),
        ({"name": ""}, "name"),
        ({"lat": "51.5"}, "lng"),
        ({"lat": "52.5", "lng": "-0.1"}, "lat"),
        ({"lat": "51.5", "lng": "1.5"}, "lng"),
        ({"ward": "E05999999"}, "ward"),
    ],
)
def test_bad_place_input_is_a_400_naming_the_field(client_of, ward_a, extra, field):
    response = client_of("staff_a").post(
        "/api/v1/places/", new_place(ward_a.code, **extra), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()


def test_places_filter_by_ward_and_kind(client_of, place_a, borough_a):
    other_ward = f.WardFactory(borough=borough_a)
    f.PlaceFactory(ward=other_ward)
    f.PlaceFactory(ward=place_a.ward, kind=Place.Kind.HOSPITAL)
    client = client_of("staff_a")
    in_ward = results(client.get(f"/api/v1/places/?ward={place_a.ward.code}&kind=secondary_school"))
    assert [p["id"] for p in in_ward] == [place_a.pk]


def test_place_list_runs_a_fixed_number_of_queries(assert_fixed_queries, staff_a, borough_a):
    def add_places(n):
        for ward in f.WardFactory.create_batch(n, borough=borough_a):
            f.PlaceFactory(ward=ward)

    add_places(2)
    client = api_client_for(staff_a)
    # 1 token, user and their boroughs, 2 count, 3 places with ward and borough
    before, after = assert_fixed_queries(
        lambda: client.get("/api/v1/places/"), lambda: add_places(8), queries=3
    )
    assert (before.json()["count"], after.json()["count"]) == (2, 10)
