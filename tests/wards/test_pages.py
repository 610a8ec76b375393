"""The geography pages: home dashboard, BCU, borough and ward. Who sees what, what the pages tell
a borough about its wards' cover, and that they cost the same number of queries however big."""

import datetime

import pytest
from django.urls import reverse

from teams.models import Posting, Rank
from tests import factories as f
from tests.conftest import EDITORS_OF_A, READERS_OF_A, ROLE_FIXTURES

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 1, 1)


def post_officers(team, rank, n, role=Posting.Role.DEDICATED, **kwargs):
    officers = f.OfficerFactory.create_batch(n, rank=rank, borough=team.borough)
    for officer in officers:
        f.PostingFactory(officer=officer, team=team, role=role, start_date=START, **kwargs)
    return officers


def fully_staffed(ward):
    team = f.TeamFactory(ward=ward)
    post_officers(team, Rank.PC, 2)
    post_officers(team, Rank.PCSO, 1)
    return team


def get_as(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.fixture
def home_page(db):
    return reverse("home")


@pytest.fixture
def ward_page(team_a):
    return reverse("wards:ward", args=[team_a.ward.code])


@pytest.fixture
def borough_page(borough_a):
    return reverse("wards:borough", args=[borough_a.code])


@pytest.fixture
def bcu_page(bcu_a, borough_a):
    return reverse("wards:bcu", args=[bcu_a.code])


@pytest.mark.parametrize("url_fixture", ["bcu_page", "borough_page", "ward_page"])
@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_borough_a_pages_open_to_its_readers_and_hide_from_outsiders(
    client, cast, request, url_fixture, who
):
    url = request.getfixturevalue(url_fixture)
    response = get_as(client, cast(who), url)
    assert response.status_code == (200 if who in READERS_OF_A else 404)


def test_the_404_page_is_a_govuk_page_that_gives_nothing_away(client, inspector_b, ward_page):
    response = get_as(client, inspector_b, ward_page)
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Haverstock" not in response.content


def test_an_unknown_ward_code_is_not_found(client, staff_a):
    assert get_as(client, staff_a, reverse("wards:ward", args=["E05999999"])).status_code == 404


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_home_opens_for_every_role(client, cast, borough_a, borough_b, who):
    response = get_as(client, cast(who), reverse("home"))
    assert response.status_code == 200
    assert (b"Camden" in response.content) == (who in READERS_OF_A)


def test_home_runs_a_fixed_number_of_queries(client, hq, borough_a, assert_fixed_queries):
    client.force_login(hq)

    def more():
        fill_borough(f.BoroughFactory(bcu=borough_a.bcu), 4)

    # user, the boroughs with their BCUs, wards below minimum cover by borough, and the
    # navigation's query; HQ's Grip and Pace boroughs and latest reports (tests/config/
    # test_role_homes.py pins each role's home)
    before, after = assert_fixed_queries(lambda: client.get(reverse("home")), more, queries=6)
    assert before.status_code == after.status_code == 200


def test_home_lists_a_commanders_bcu_boroughs_only(client, commander_a, borough_b):
    response = get_as(client, commander_a, reverse("home"))
    assert [b.name for b in response.context["boroughs"]] == ["Camden", "Islington"]


def test_home_lists_every_borough_by_bcu_for_hq(client, hq, borough_a, borough_a2, borough_b):
    response = get_as(client, hq, reverse("home"))
    assert [b.name for b in response.context["boroughs"]] == ["Camden", "Islington", "Westminster"]
    assert b"Central North BCU" in response.content
    assert b"Central West BCU" in response.content


def test_home_counts_each_boroughs_wards_below_minimum_cover(client, hq, borough_a, borough_b):
    fully_staffed(f.WardFactory(borough=borough_a))
    f.WardFactory.create_batch(2, borough=borough_a)  # no officers at all
    fully_staffed(f.WardFactory(borough=borough_b))
    response = get_as(client, hq, reverse("home"))
    counts = {b.name: b.wards_below_minimum for b in response.context["boroughs"]}
    assert counts == {"Camden": 2, "Westminster": 0}
    assert b"2 below minimum" in response.content


def test_bcu_page_lists_only_the_boroughs_the_user_may_see(
    client, staff_a, commander_a, bcu_page, borough_a2
):
    assert [b.name for b in get_as(client, staff_a, bcu_page).context["boroughs"]] == ["Camden"]
    client.logout()
    names = [b.name for b in get_as(client, commander_a, bcu_page).context["boroughs"]]
    assert names == ["Camden", "Islington"]


def test_borough_page_puts_wards_below_minimum_first_then_the_rest_by_name(
    client, staff_a, borough_a, borough_page
):
    for name in ("Alpha", "Charlie"):
        fully_staffed(f.WardFactory(name=name, borough=borough_a))
    f.WardFactory(name="Delta", borough=borough_a)
    short = f.TeamFactory(ward=f.WardFactory(name="Bravo", borough=borough_a))
    post_officers(short, Rank.PC, 1)
    response = get_as(client, staff_a, borough_page)
    wards = response.context["wards"]
    assert [w.name for w in wards] == ["Bravo", "Delta", "Alpha", "Charlie"]
    assert [w.below_minimum for w in wards] == [True, True, False, False]
    assert response.content.count(b"govuk-tag--red") == 2
    assert b"Posted strength below minimum today: 2 of 4 wards" in response.content


def test_borough_page_lists_clusters_with_their_integrated_teams(
    client, staff_a, borough_a, borough_page
):
    cluster = f.WardClusterFactory(name="Camden North", borough=borough_a)
    f.WardFactory(name="Highgate", borough=borough_a, cluster=cluster)
    inpt = f.INPTFactory(cluster=cluster, name="Camden North INPT")
    response = get_as(client, staff_a, borough_page)
    assert b"Camden North" in response.content
    assert reverse("teams:team", args=[inpt.pk]).encode() in response.content


def fill_borough(borough, n):
    cluster = f.WardClusterFactory(borough=borough)
    f.INPTFactory(cluster=cluster)
    for _ in range(n):
        fully_staffed(f.WardFactory(borough=borough, cluster=cluster))


@pytest.mark.parametrize("n_wards", [3, 10])
def test_borough_page_runs_a_fixed_number_of_queries(
    client, staff_a, borough_a, borough_page, django_assert_num_queries, n_wards
):
    fill_borough(borough_a, n_wards)
    client.force_login(staff_a)
    # user, user's boroughs (scope), borough, wards with strength, clusters with INPTs,
    # borough-wide INPTs, navigation boroughs (the session is read from Redis, and not saved);
    # demand's panel: latest police.uk and CAD months, the borough's wards, ASB's category, crime
    # counts, CAD counts, months with data (7); supervision's panel: the borough's decisions;
    # the wards' map panel: the borough's wards with their outlines and place counts (1);
    # Safer Schools' panel: the allocation in force (1); deployment's cover panel: the
    # borough's wards, then its two named figures (3)
    with django_assert_num_queries(20):
        response = client.get(borough_page)
    assert len(response.context["wards"]) == n_wards


class TestWardPage:
    @pytest.fixture
    def shared_sergeant(self, team_a, borough_a):
        """A sergeant supervising Haverstock and, under shared supervision, Gospel Oak."""
        other = f.TeamFactory(ward=f.WardFactory(name="Gospel Oak", borough=borough_a))
        sergeant = f.OfficerFactory(rank=Rank.SERGEANT, last_name="Okafor", borough=borough_a)
        f.PostingFactory(officer=sergeant, team=team_a, role=Posting.Role.SUPERVISOR)
        f.PostingFactory(
            officer=sergeant, team=other, role=Posting.Role.SUPERVISOR, is_primary=False
        )
        return sergeant

    def test_it_shows_the_team_and_its_public_contacts(self, client, staff_a, team_a, ward_page):
        content = get_as(client, staff_a, ward_page).content.decode()
        assert team_a.name in content
        assert team_a.email in content
        assert team_a.phone in content
        assert "E05013660N" in content  # data.police.uk neighbourhood id

    def test_it_lists_current_officers_with_rank_titles(self, client, staff_a, team_a, ward_page):
        pc = f.OfficerFactory(rank=Rank.PC, last_name="Ahmed", borough=team_a.borough)
        f.PostingFactory(officer=pc, team=team_a)
        gone = f.OfficerFactory(rank=Rank.PC, last_name="Gone", borough=team_a.borough)
        f.PostingFactory(officer=gone, team=team_a, end_date=datetime.date(2025, 2, 1))
        dc = f.OfficerFactory(rank=Rank.PC, is_detective=True, borough=team_a.borough)
        f.PostingFactory(officer=dc, team=team_a, role=Posting.Role.MEMBER)
        response = get_as(client, staff_a, ward_page)
        content = response.content.decode()
        assert "Ahmed" in content
        assert "Gone" not in content
        assert {p.officer.rank_title for p in response.context["postings"]} == {"PC", "DC"}

    def test_it_names_the_supervising_sergeant_and_their_other_wards(
        self, client, staff_a, ward_page, shared_sergeant
    ):
        response = get_as(client, staff_a, ward_page)
        [supervisor] = response.context["supervisors"]
        assert supervisor.officer == shared_sergeant
        assert [w.name for w in supervisor.other_wards] == ["Gospel Oak"]
        assert b"also supervises" in response.content

    def test_it_shows_the_cluster_inpt_and_its_lead_inspector(
        self, client, staff_a, team_a, borough_a
    ):
        cluster = f.WardClusterFactory(name="Camden South", borough=borough_a)
        team_a.ward.cluster = cluster
        team_a.ward.save()
        inpt = f.INPTFactory(cluster=cluster, name="Camden South INPT")
        inspector = f.OfficerFactory(rank=Rank.INSPECTOR, last_name="Boateng", borough=borough_a)
        f.PostingFactory(officer=inspector, team=inpt, role=Posting.Role.LEAD)
        content = get_as(client, staff_a, reverse("wards:ward", args=[team_a.ward.code])).content
        assert b"Camden South INPT" in content
        assert b"Led by Insp" in content
        assert b"Boateng" in content

    def test_it_lists_the_places_in_the_ward(self, client, staff_a, team_a, ward_page):
        f.PlaceFactory(ward=team_a.ward, name="Haverstock School")
        assert b"Haverstock School" in get_as(client, staff_a, ward_page).content

    def test_it_warns_when_the_ward_is_below_minimum_cover(
        self, client, staff_a, team_a, ward_page
    ):
        post_officers(team_a, Rank.PC, 1)
        response = get_as(client, staff_a, ward_page)
        assert b"govuk-warning-text" in response.content
        assert b"1 PC short and 1 PCSO short" in response.content

    def test_it_does_not_warn_when_cover_is_met(self, client, staff_a, team_a, ward_page):
        post_officers(team_a, Rank.PC, 2)
        post_officers(team_a, Rank.PCSO, 1)
        response = get_as(client, staff_a, ward_page)
        assert b"govuk-warning-text" not in response.content
        assert b"Minimum met" in response.content

    @pytest.mark.parametrize("who", sorted(READERS_OF_A))
    def test_only_editors_see_the_post_an_officer_button(self, client, cast, ward_page, who):
        response = get_as(client, cast(who), ward_page)
        assert (b"Post an officer here" in response.content) == (who in EDITORS_OF_A)

    @pytest.mark.parametrize("n", [3, 10])
    def test_it_runs_a_fixed_number_of_queries(
        self, client, staff_a, team_a, ward_page, shared_sergeant, django_assert_num_queries, n
    ):
        cluster = f.WardClusterFactory(borough=team_a.borough)
        team_a.ward.cluster = cluster
        team_a.ward.save()
        inpt = f.INPTFactory(cluster=cluster)
        post_officers(inpt, Rank.INSPECTOR, 1, role=Posting.Role.LEAD)
        post_officers(team_a, Rank.PC, n)
        f.PlaceFactory.create_batch(n, ward=team_a.ward)
        client.force_login(staff_a)
        # user, user's boroughs (scope), ward with strength, team's postings,
        # sergeants' other wards, INPT leads, places, navigation boroughs; demand's panel (7, as
        # on the borough page); supervision's panel: the group in force, else the sergeants'
        # supervisor postings (2); Safer Schools' panel: the allocations in force for the
        # ward's schools, the ward's schools (2); deployment's cover panel: its two named
        # figures (2)
        with django_assert_num_queries(21):
            response = client.get(ward_page)
        assert len(response.context["postings"]) == n + 1
        assert len(response.context["places"]) == n


def test_a_ward_without_a_team_still_shows(client, staff_a, borough_a):
    from tests.factories import WardFactory

    ward = WardFactory(borough=borough_a)
    client.force_login(staff_a)
    response = client.get(f"/wards/{ward.code}/")
    assert response.status_code == 200
    assert "No team set up yet" in response.content.decode()
