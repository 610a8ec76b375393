"""The Django admin keeps the same borough scoping and read-only roles as every page: a user sees
their boroughs' records, commanders and HQ only read, and postings go through the services."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teams.models import Posting, Rank
from tests import factories as f

pytestmark = pytest.mark.django_db


def admin_client(client, user):
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


@pytest.fixture
def officer_a(borough_a):
    return f.OfficerFactory(shoulder_number="7016CN", last_name="Ahmed", borough=borough_a)


@pytest.fixture
def officer_b(borough_b):
    return f.OfficerFactory(shoulder_number="4242AW", last_name="Bennett", borough=borough_b)


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def test_only_staff_users_reach_the_admin(client, inspector_a):
    client.force_login(inspector_a)  # not is_staff

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_of_a_borough_see_only_that_boroughs_officers(client, staff_a, officer_a, officer_b):
    response = admin_client(client, staff_a).get(reverse("admin:teams_officer_changelist"))

    assert response.status_code == 200
    assert "7016CN" in response.text
    assert "4242AW" not in response.text


def test_another_boroughs_officer_is_not_shown_to_an_outsider(client, staff_a, officer_b):
    response = admin_client(client, staff_a).get(change_url(officer_b), follow=True)

    assert response.redirect_chain[0] == (reverse("admin:index"), 302)
    assert "4242AW" not in response.text
    assert "Bennett" not in response.text


def test_a_bcu_is_shown_to_users_of_its_boroughs_only(client, staff_a, borough_b):
    response = admin_client(client, staff_a).get(reverse("admin:wards_bcu_changelist"))

    assert "Central North" in response.text
    assert "Central West" not in response.text


def test_a_commander_sees_the_admin_read_only(client, commander_a, officer_a):
    client = admin_client(client, commander_a)

    view = client.get(change_url(officer_a))
    change = client.post(change_url(officer_a), {"first_name": "Changed"})
    add = client.get(reverse("admin:teams_officer_add"))

    assert view.status_code == 200
    assert view.context["has_change_permission"] is False
    assert 'name="_save"' not in view.text
    assert change.status_code == 403
    assert add.status_code == 403
    officer_a.refresh_from_db()
    assert officer_a.first_name != "Changed"


def test_an_editor_may_change_their_boroughs_officer(client, staff_a, officer_a, borough_a):
    data = {
        "shoulder_number": "7016CN",
        "first_name": "Changed",
        "last_name": "Ahmed",
        "rank": Rank.PC,
        "borough": borough_a.pk,
        "active": "on",
        "postings-TOTAL_FORMS": "0",
        "postings-INITIAL_FORMS": "0",
    }

    response = admin_client(client, staff_a).post(change_url(officer_a), data)

    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.first_name == "Changed"


def test_form_choices_offer_only_the_users_boroughs(client, staff_a, borough_a, borough_b):
    response = admin_client(client, staff_a).get(reverse("admin:teams_officer_add"))

    choices = list(response.context["adminform"].form.fields["borough"].queryset)
    assert choices == [borough_a]


def test_a_ward_shows_no_boundary_and_its_ons_fields_are_read_only(client, staff_a, ward_a):
    response = admin_client(client, staff_a).get(change_url(ward_a))

    form = response.context["adminform"].form
    assert "boundary" not in form.fields
    assert list(form.fields) == ["cluster"]
    assert "MultiPolygon" not in response.text


def posting_data(officer, team, role=Posting.Role.DEDICATED):
    return {
        "officer": officer.pk,
        "team": team.pk,
        "role": role,
        "is_primary": "on",
        "start_date": "2026-01-05",
        "end_date": "",
    }


def test_adding_a_posting_goes_through_the_posting_service(client, inspector_a, officer_a, team_a):
    client = admin_client(client, inspector_a)

    response = client.post(reverse("admin:teams_posting_add"), posting_data(officer_a, team_a))

    assert response.status_code == 302
    posting = Posting.objects.get(officer=officer_a)
    assert (posting.team, posting.created_by) == (team_a, inspector_a)
    assert posting.start_date == datetime.date(2026, 1, 5)


def test_a_posting_the_rules_forbid_is_a_form_error(client, inspector_a, borough_a, team_a):
    pcso = f.OfficerFactory(rank=Rank.PCSO, borough=borough_a)
    client = admin_client(client, inspector_a)

    response = client.post(
        reverse("admin:teams_posting_add"),
        posting_data(pcso, team_a, role=Posting.Role.SUPERVISOR),
    )

    assert response.status_code == 200
    assert "A supervising sergeant must be one of: Sergeant." in response.text
    assert not Posting.objects.exists()


def test_a_second_primary_posting_is_a_form_error(
    client, inspector_a, officer_a, team_a, borough_a
):
    f.PostingFactory(officer=officer_a, team=team_a, start_date=datetime.date(2025, 1, 1))
    other_team = f.TeamFactory(ward=f.WardFactory(borough=borough_a))
    client = admin_client(client, inspector_a)

    response = client.post(reverse("admin:teams_posting_add"), posting_data(officer_a, other_team))

    assert response.status_code == 200
    assert "already has a primary posting" in response.text
    assert Posting.objects.count() == 1


def test_postings_are_history_and_cannot_be_deleted(client, admin_user, officer_a, team_a):
    posting = f.PostingFactory(officer=officer_a, team=team_a)
    client = admin_client(client, admin_user)

    response = client.post(
        reverse("admin:teams_posting_delete", args=[posting.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Posting.objects.filter(pk=posting.pk).exists()


def test_ending_a_posting_in_the_admin_records_who_ended_it(
    client, inspector_a, officer_a, team_a
):
    posting = f.PostingFactory(officer=officer_a, team=team_a, start_date=datetime.date(2025, 1, 1))
    client = admin_client(client, inspector_a)

    response = client.post(
        change_url(posting), {"end_date": "2025-06-30", "end_reason": "Moved to response"}
    )

    assert response.status_code == 302
    posting.refresh_from_db()
    assert (posting.end_date, posting.ended_by) == (datetime.date(2025, 6, 30), inspector_a)


def test_only_london_admins_manage_logins(client, staff_a, admin_user):
    staff_view = admin_client(client, staff_a).get(reverse("admin:teams_user_changelist"))
    client.logout()
    admin_view = admin_client(client, admin_user).get(reverse("admin:teams_user_changelist"))

    assert staff_view.status_code == 403
    assert admin_view.status_code == 200
    assert "staff_a" in admin_view.text


def test_a_london_admin_cannot_make_anyone_a_superuser(client, admin_user, staff_a):
    response = admin_client(client, admin_user).get(change_url(staff_a))

    fields = response.context["adminform"].form.fields
    assert "is_superuser" not in fields
    assert {"role", "boroughs", "officer"} <= set(fields)


def test_the_officer_changelist_runs_a_fixed_number_of_queries(
    client, staff_a, borough_a, django_assert_num_queries
):
    client = admin_client(client, staff_a)
    url = reverse("admin:teams_officer_changelist")
    f.OfficerFactory.create_batch(3, borough=borough_a)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    f.OfficerFactory.create_batch(7, borough=borough_a)

    with django_assert_num_queries(len(three)):
        response = client.get(url)

    assert response.context["cl"].result_count == 10


def test_an_editor_moves_a_ward_into_one_of_their_boroughs_clusters(
    client, staff_a, ward_a, borough_a
):
    cluster = f.WardClusterFactory(borough=borough_a, name="Camden West")

    response = admin_client(client, staff_a).post(change_url(ward_a), {"cluster": cluster.pk})

    assert response.status_code == 302
    ward_a.refresh_from_db()
    assert ward_a.cluster == cluster


def test_a_cluster_cannot_move_to_another_borough_in_the_admin(
    client, admin_user, borough_a, borough_a2
):
    cluster = f.WardClusterFactory(borough=borough_a, name="Camden West")

    response = admin_client(client, admin_user).post(
        change_url(cluster), {"name": "Camden West", "borough": borough_a2.pk, "notes": ""}
    )

    assert response.status_code == 200
    assert "A cluster cannot move to another borough." in response.content.decode()
    cluster.refresh_from_db()
    assert cluster.borough == borough_a


def test_an_officers_borough_is_read_only_in_the_admin(
    client, admin_user, officer_a, borough_a, borough_a2
):
    """A change of borough is a transfer (it ends postings), never an edit: the admin shows the
    borough and ignores a posted one, while the other fields still save."""
    admin = admin_client(client, admin_user)
    page = admin.get(change_url(officer_a)).content.decode()
    assert 'name="borough"' not in page
    data = {
        "shoulder_number": "7016CN", "first_name": officer_a.first_name, "last_name": "Ahmed-Lee",
        "rank": officer_a.rank, "active": "on", "borough": borough_a2.pk,
        "postings-TOTAL_FORMS": "0", "postings-INITIAL_FORMS": "0",
        "postings-MIN_NUM_FORMS": "0", "postings-MAX_NUM_FORMS": "1000",
    }
    response = admin.post(change_url(officer_a), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    officer_a.refresh_from_db()
    assert (officer_a.last_name, officer_a.borough) == ("Ahmed-Lee", borough_a)


READ_ONLY_IN_THE_ADMIN = [
    "deployment.Duty", "deployment.RestDay", "deployment.Abstraction", "deployment.FlexRequest",
    "promises.Promise", "promises.Activity", "promises.WardPriority", "promises.PanelMeeting",
    "promises.EngagementEvent", "schools.School", "schools.AllocationDecision",
    "schools.Allocation", "supervision.SupervisionDecision", "supervision.SupervisionGroup",
    "supervision.Consultation", "demand.DataImport",
]  # fmt: skip


@pytest.mark.parametrize("label", READ_ONLY_IN_THE_ADMIN)
def test_rows_written_by_their_services_are_read_only_by_the_one_rule(admin_user, rf, label):
    """config.admin.ReadOnlyAdminMixin, once: even a London administrator adds, changes and
    deletes none of them in the admin (a flex request's changelist keeps its actions)."""
    from django.apps import apps
    from django.contrib import admin

    from config.admin import ReadOnlyAdminMixin

    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    request = rf.get("/admin/")
    request.user = admin_user
    admin_user.is_staff = True
    row = model()

    assert isinstance(model_admin, ReadOnlyAdminMixin)
    assert model_admin.has_view_permission(request, row)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, row)
    assert not model_admin.has_delete_permission(request, row)
