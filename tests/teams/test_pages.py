"""The officer and posting pages: who may see and change what, that the forms write through the
services, and that bad input comes back in a GOV.UK error summary with nothing written."""

import datetime

import pytest
from django.urls import reverse

from teams.models import Posting, Rank
from tests import factories as f
from tests.conftest import EDITORS_OF_A, READERS_OF_A, ROLE_FIXTURES
from tests.pages import assert_error_summary, post_as

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 1, 1)


def get_as(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.fixture
def officer_a(borough_a):
    return f.OfficerFactory(
        shoulder_number="7016EA", first_name="Priya", last_name="Shah", borough=borough_a
    )


@pytest.fixture
def posting_a(officer_a, team_a, staff_a):
    return f.PostingFactory(officer=officer_a, team=team_a, start_date=START, created_by=staff_a)


@pytest.fixture
def officer_list_page(db):
    return reverse("teams:officer_list")


@pytest.fixture
def officer_page(officer_a):
    return reverse("teams:officer", args=[officer_a.shoulder_number])


@pytest.fixture
def move_page(officer_a):
    return reverse("teams:officer_move", args=[officer_a.shoulder_number])


@pytest.fixture
def end_page(posting_a):
    return reverse("teams:posting_end", args=[posting_a.pk])


@pytest.fixture
def post_page(team_a):
    return reverse("teams:ward_post", args=[team_a.ward.code])


@pytest.fixture
def inpt_a(borough_a):
    return f.INPTFactory(cluster=f.WardClusterFactory(name="Camden North", borough=borough_a))


@pytest.fixture
def team_page(inpt_a):
    return reverse("teams:team", args=[inpt_a.pk])


READ_PAGES = ["officer_list_page", "officer_page", "team_page"]
EDIT_PAGES = ["move_page", "end_page", "post_page"]


@pytest.mark.parametrize("url_fixture", ["officer_page", "team_page"])
@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_borough_a_records_open_to_its_readers_and_hide_from_outsiders(
    client, cast, request, url_fixture, who
):
    response = get_as(client, cast(who), request.getfixturevalue(url_fixture))
    assert response.status_code == (200 if who in READERS_OF_A else 404)


@pytest.mark.parametrize("url_fixture", EDIT_PAGES)
@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_edit_forms_open_to_editors_forbid_read_only_roles_and_hide_from_outsiders(
    client, cast, request, url_fixture, who
):
    response = get_as(client, cast(who), request.getfixturevalue(url_fixture))
    expected = 200 if who in EDITORS_OF_A else 403 if who in READERS_OF_A else 404
    assert response.status_code == expected


@pytest.mark.parametrize("who", ["commander_a", "hq"])
def test_read_only_roles_cannot_post_an_officer(client, cast, post_page, officer_a, who):
    response = post_as(
        client,
        cast(who),
        post_page,
        {
            "officer": officer_a.pk,
            "role": "dedicated",
            "is_primary": "on",
            "start_date": "2025-06-01",
        },
    )
    assert response.status_code == 403
    assert b"You cannot do this" in response.content
    assert not Posting.objects.exists()


class TestOfficerList:
    @pytest.mark.parametrize("who", ROLE_FIXTURES)
    def test_it_lists_only_officers_of_the_users_boroughs(
        self, client, cast, officer_a, borough_b, who
    ):
        f.OfficerFactory(last_name="Westminsterman", borough=borough_b)
        response = get_as(client, cast(who), reverse("teams:officer_list"))
        assert response.status_code == 200
        assert (b"Shah" in response.content) == (who in READERS_OF_A)
        sees_b = who in {"hq", "admin_user", "inspector_b"}
        assert (b"Westminsterman" in response.content) == sees_b

    def test_it_shows_rank_title_shoulder_number_borough_and_current_posting(
        self, client, staff_a, posting_a
    ):
        content = get_as(client, staff_a, reverse("teams:officer_list")).content.decode()
        assert "7016EA" in content
        assert "Camden" in content
        assert f"{posting_a.team.name} (dedicated ward officer)" in content

    def test_it_filters_with_the_shared_officer_filterset(
        self, client, staff_a, officer_a, borough_a
    ):
        f.OfficerFactory(rank=Rank.PCSO, last_name="Jones", borough=borough_a)
        url = reverse("teams:officer_list")
        by_name = get_as(client, staff_a, url + "?q=shah").context["page"].object_list
        by_rank = get_as(client, staff_a, url + "?rank=pcso").context["page"].object_list
        assert [o.last_name for o in by_name] == ["Shah"]
        assert [o.last_name for o in by_rank] == ["Jones"]

    def test_it_offers_only_the_users_boroughs_in_the_borough_filter(
        self, client, commander_a, borough_b, officer_list_page
    ):
        response = get_as(client, commander_a, officer_list_page)
        choices = dict(response.context["filter_form"].fields["borough"].widget.choices)
        assert set(choices) == {"", "E09000007", "E09000019"}

    def test_it_pages_by_fifty(self, client, staff_a, borough_a, officer_list_page):
        f.OfficerFactory.create_batch(51, borough=borough_a)
        first = get_as(client, staff_a, officer_list_page)
        second = client.get(officer_list_page + "?page=2")
        assert len(first.context["page"].object_list) == 50
        assert len(second.context["page"].object_list) == 1
        assert b"govuk-pagination" in first.content

    @pytest.mark.parametrize("n", [3, 10])
    def test_it_runs_a_fixed_number_of_queries(
        self, client, staff_a, team_a, borough_b, officer_list_page, django_assert_num_queries, n
    ):
        from teams.models import OfficerTransfer

        for officer in f.OfficerFactory.create_batch(n, borough=team_a.borough):
            f.PostingFactory(officer=officer, team=team_a)
            OfficerTransfer.objects.create(
                officer=officer, from_borough=team_a.borough, to_borough=borough_b,
                effective_on=datetime.date(2027, 1, 4), reason="Promotion",
                transferred_by=staff_a,
            )
        client.force_login(staff_a)
        # user, user's boroughs (scope), boroughs for the filter, count, page of officers, their
        # current postings, planned transfers, navigation boroughs
        with django_assert_num_queries(8):
            response = client.get(officer_list_page)
        assert len(response.context["page"].object_list) == n
        assert len(response.context["planned_transfers"]) == n


class TestOfficerPage:
    def test_it_runs_a_fixed_number_of_queries(
        self, client, staff_a, posting_a, officer_a, officer_page, assert_fixed_queries
    ):
        client.force_login(staff_a)

        def more_history():
            for year in (2021, 2022):
                f.PostingFactory(
                    officer=officer_a,
                    team=f.TeamFactory(ward=f.WardFactory(borough=officer_a.borough)),
                    start_date=datetime.date(year, 1, 1), end_date=datetime.date(year, 12, 31),
                    created_by=staff_a, ended_by=staff_a,
                )

        # user, user's boroughs (scope), officer with borough and BCU, postings (with teams,
        # wards and who recorded them), transfers, navigation boroughs
        before, after = assert_fixed_queries(
            lambda: client.get(officer_page), more_history, queries=6
        )
        assert len(after.context["postings"]) == len(before.context["postings"]) + 2

    def test_it_shows_the_posting_history_newest_first_with_who_recorded_it(
        self, client, staff_a, posting_a, officer_a, officer_page
    ):
        older = f.PostingFactory(
            officer=officer_a,
            team=f.TeamFactory(ward=f.WardFactory(name="Belsize", borough=officer_a.borough)),
            start_date=datetime.date(2023, 1, 1),
            end_date=datetime.date(2024, 12, 31),
            end_reason="Moved to Haverstock",
            ended_by=staff_a,
        )
        response = get_as(client, staff_a, officer_page)
        assert list(response.context["postings"]) == [posting_a, older]
        assert b"Moved to Haverstock" in response.content
        assert b"Sam Stafford" in response.content and b"staff_a" not in response.content

    @pytest.mark.parametrize("who", sorted(READERS_OF_A))
    def test_only_editors_see_the_move_and_end_actions(
        self, client, cast, posting_a, officer_page, who
    ):
        response = get_as(client, cast(who), officer_page)
        end_url = reverse("teams:posting_end", args=[posting_a.pk]).encode()
        assert (end_url in response.content) == (who in EDITORS_OF_A)
        assert (b"Move to another team" in response.content) == (who in EDITORS_OF_A)


class TestPostAnOfficer:
    def form(self, officer, **overrides):
        data = {
            "officer": officer.pk,
            "role": "dedicated",
            "is_primary": "on",
            "start_date": "2025-06-01",
        }
        return {**data, **overrides}

    def test_a_valid_post_creates_the_posting_and_returns_to_the_ward(
        self, client, staff_a, team_a, officer_a, post_page
    ):
        response = post_as(client, staff_a, post_page, self.form(officer_a))
        assert response.status_code == 302
        assert response["Location"] == team_a.ward.get_absolute_url()
        posting = Posting.objects.get()
        assert (posting.officer, posting.team, posting.role) == (officer_a, team_a, "dedicated")
        assert posting.created_by == staff_a
        assert posting.start_date == datetime.date(2025, 6, 1)

    def test_an_officer_with_a_primary_posting_is_refused_in_the_error_summary(
        self, client, staff_a, officer_a, post_page, borough_a
    ):
        other_team = f.TeamFactory(ward=f.WardFactory(borough=borough_a))
        f.PostingFactory(officer=officer_a, team=other_team, start_date=START)
        response = post_as(client, staff_a, post_page, self.form(officer_a))
        assert_error_summary(response, "Priya Shah already has a primary posting over those dates")
        assert b'href="#id_start_date"' in response.content
        assert Posting.objects.count() == 1

    def test_missing_fields_are_listed_in_the_error_summary(self, client, staff_a, post_page):
        response = post_as(client, staff_a, post_page, {})
        assert_error_summary(response, "Choose the officer to post")
        assert_error_summary(response, "Enter the date the posting starts")
        assert b'href="#id_role_0"' in response.content
        assert not Posting.objects.exists()

    def test_the_wrong_rank_for_the_role_is_refused_on_the_role_field(
        self, client, staff_a, officer_a, post_page
    ):
        response = post_as(client, staff_a, post_page, self.form(officer_a, role="supervisor"))
        assert_error_summary(response, "A supervising sergeant must be one of: Sergeant.")
        assert b"govuk-form-group--error" in response.content
        assert not Posting.objects.exists()

    def test_only_active_officers_of_the_wards_borough_are_offered(
        self, client, staff_a, officer_a, post_page, borough_b, borough_a
    ):
        outsider = f.OfficerFactory(last_name="Elsewhere", borough=borough_b)
        f.OfficerFactory(last_name="Retired", borough=borough_a, active=False)
        response = get_as(client, staff_a, post_page)
        offered = list(response.context["form"].fields["officer"].queryset)
        assert offered == [officer_a]
        refused = client.post(post_page, self.form(outsider))
        assert_error_summary(refused, "Choose an active officer of this borough")
        assert not Posting.objects.exists()


class TestMoveAnOfficer:
    @pytest.fixture
    def new_team(self, borough_a):
        return f.TeamFactory(ward=f.WardFactory(name="Kilburn", borough=borough_a))

    def test_a_move_ends_the_current_posting_the_day_before_and_starts_the_new_one(
        self, client, staff_a, posting_a, officer_a, new_team, move_page
    ):
        response = post_as(
            client,
            staff_a,
            move_page,
            {
                "team": new_team.pk,
                "role": "dedicated",
                "start_date": "2025-06-01",
                "reason": "Demand",
            },
        )
        assert response.status_code == 302
        posting_a.refresh_from_db()
        assert posting_a.end_date == datetime.date(2025, 5, 31)
        assert posting_a.end_reason == "Demand"
        assert Posting.objects.get(team=new_team).officer == officer_a

    def test_a_move_on_the_day_the_current_posting_began_is_refused(
        self, client, staff_a, posting_a, new_team, move_page
    ):
        response = post_as(
            client,
            staff_a,
            move_page,
            {
                "team": new_team.pk,
                "role": "dedicated",
                "start_date": "2025-01-01",
            },
        )
        assert_error_summary(response, "The move must start after the current posting began")
        posting_a.refresh_from_db()
        assert posting_a.end_date is None
        assert Posting.objects.count() == 1

    def test_teams_of_other_boroughs_are_not_offered(
        self, client, staff_a, team_b, move_page, posting_a
    ):
        response = post_as(
            client,
            staff_a,
            move_page,
            {
                "team": team_b.pk,
                "role": "dedicated",
                "start_date": "2025-06-01",
            },
        )
        assert_error_summary(response, "Select a valid choice")
        assert Posting.objects.count() == 1


class TestEndAPosting:
    def test_a_valid_end_records_the_date_reason_and_who(
        self, client, inspector_a, posting_a, end_page
    ):
        response = post_as(
            client, inspector_a, end_page, {"end_date": "2025-06-30", "reason": "Retired"}
        )
        assert response.status_code == 302
        posting_a.refresh_from_db()
        assert (posting_a.end_date, posting_a.end_reason) == (datetime.date(2025, 6, 30), "Retired")
        assert posting_a.ended_by == inspector_a

    def test_an_end_before_the_start_is_refused_in_the_error_summary(
        self, client, staff_a, posting_a, end_page
    ):
        response = post_as(client, staff_a, end_page, {"end_date": "2024-12-01", "reason": "Oops"})
        assert_error_summary(response, "it cannot end before that")
        assert b'href="#id_end_date"' in response.content
        posting_a.refresh_from_db()
        assert posting_a.end_date is None

    def test_missing_fields_are_listed_in_the_error_summary(
        self, client, staff_a, posting_a, end_page
    ):
        response = post_as(client, staff_a, end_page, {"end_date": "not a date"})
        assert_error_summary(response, "Last day of the posting must be a real date")
        assert_error_summary(response, "Enter why the posting ends")
        posting_a.refresh_from_db()
        assert posting_a.end_date is None


class TestTeamPage:
    def test_it_shows_the_inpt_its_lead_inspector_and_its_wards(
        self, client, staff_a, inpt_a, team_page, borough_a
    ):
        f.WardFactory(name="Highgate", borough=borough_a, cluster=inpt_a.cluster)
        lead = f.OfficerFactory(rank=Rank.INSPECTOR, last_name="Boateng", borough=borough_a)
        f.PostingFactory(officer=lead, team=inpt_a, role=Posting.Role.LEAD)
        response = get_as(client, staff_a, team_page)
        assert b"Boateng" in response.content
        assert b"Highgate" in response.content
        assert [p.officer for p in response.context["leads"]] == [lead]

    def test_a_ward_teams_page_is_its_ward_page(self, client, staff_a, team_a):
        response = get_as(client, staff_a, reverse("teams:team", args=[team_a.pk]))
        assert response.status_code == 302
        assert response["Location"] == team_a.ward.get_absolute_url()
