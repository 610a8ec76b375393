"""The admin leaks nothing across boroughs and grants nothing above one's own rights.

- Every model's list shows only the user's boroughs' records, and another borough's record is
  not found, for every registered model (found from the admin's registry).
- "View on site" (/admin/r/<content type>/<id>/) redirects only to a record the user may see.
- An administrator who is not a superuser sets no password (not even their own here), cannot
  change their own role or boroughs, and cannot manage a login with more rights (a superuser):
  only a superuser does."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from config.access import Role
from teams.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db


def staff_client(client, user):
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


def admin_url(obj, view):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])


def a_records(sample) -> list:
    """Borough A's records, one of every model the admin shows (wards, teams, officers…)."""
    return [
        record for name, record in sample.items()
        if type(record) in admin.site._registry and name not in ("abstraction_type",)
    ]


def test_every_admin_list_shows_only_the_users_boroughs(client, sample, staff_b):
    client = staff_client(client, staff_b)
    shown = set()
    for record in a_records(sample):
        shown.add(type(record))
        changelist = reverse(
            f"admin:{record._meta.app_label}_{record._meta.model_name}_changelist"
        )
        page = client.get(changelist)
        assert page.status_code == 200, changelist
        assert admin_url(record, "change") not in page.content.decode(), changelist
        change = client.get(admin_url(record, "change"))
        assert change.status_code == 302, admin_url(record, "change")  # "does not exist"
    assert len(shown) >= 12


def test_view_on_site_redirects_only_to_what_the_user_may_see(client, sample, staff_a, staff_b):
    with_pages = [r for r in sample.values() if hasattr(r, "get_absolute_url")]
    assert len(with_pages) >= 8
    for record in with_pages:
        content_type = ContentType.objects.get_for_model(record)
        url = reverse("admin:view_on_site", args=[content_type.pk, record.pk])
        assert staff_client(client, staff_b).get(url).status_code == 404, url
        own = staff_client(client, staff_a).get(url)
        assert own.status_code == 302 and own["Location"] == record.get_absolute_url(), url
    officer = sample["officer"]
    walk = reverse("admin:view_on_site",
                   args=[ContentType.objects.get_for_model(officer).pk, "1"])
    assert staff_client(client, staff_b).get(walk).status_code == 404


def test_view_on_site_needs_the_admin(client, sample, inspector_a):
    client.force_login(inspector_a)  # not is_staff
    officer = sample["officer"]
    url = reverse("admin:view_on_site",
                  args=[ContentType.objects.get_for_model(officer).pk, officer.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("admin:login"))


# -- logins --------------------------------------------------------------------------------

@pytest.fixture
def administrator(client, admin_user):
    """A London-wide administrator who is not a superuser."""
    assert not admin_user.is_superuser
    return staff_client(client, admin_user)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.test", "a-long-passphrase-9")


def test_an_administrator_sets_no_password(administrator, admin_user, superuser, staff_b):
    for user in (superuser, staff_b, admin_user):
        url = reverse("admin:auth_user_password_change", args=[user.pk])
        assert administrator.get(url).status_code == 403, user
        response = administrator.post(url, {"password1": "x-New-pass-123456",
                                            "password2": "x-New-pass-123456"})
        assert response.status_code == 403, user
        user.refresh_from_db()
        assert not user.check_password("x-New-pass-123456")


def test_an_administrator_adds_a_login_without_a_password(administrator, borough_b):
    add = administrator.get(reverse("admin:teams_user_add")).content.decode()
    assert 'name="password1"' not in add
    response = administrator.post(reverse("admin:teams_user_add"), {
        "username": "new.staff", "role": Role.STAFF, "boroughs": [borough_b.pk],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    new = User.objects.get(username="new.staff")
    assert not new.has_usable_password()
    assert list(new.boroughs.all()) == [borough_b]


def test_an_administrator_cannot_change_their_own_role_or_boroughs(administrator, admin_user,
                                                                   borough_a):
    response = administrator.post(admin_url(admin_user, "change"), {
        "username": admin_user.username, "role": Role.STAFF, "boroughs": [borough_a.pk],
        "is_active": "on", "is_staff": "on",
    })
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN and not admin_user.boroughs.exists()


def test_an_administrator_cannot_manage_a_superuser(administrator, superuser):
    response = administrator.post(admin_url(superuser, "change"), {
        "username": "root", "role": Role.STAFF, "is_active": "",
    })
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.is_superuser
    assert administrator.post(admin_url(superuser, "delete"), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=superuser.pk).exists()


def test_an_administrator_manages_a_login_with_fewer_rights(administrator, staff_b, borough_a,
                                                            borough_b):
    response = administrator.post(admin_url(staff_b, "change"), {
        "username": "staff_b", "role": Role.STAFF, "boroughs": [borough_a.pk, borough_b.pk],
        "is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(staff_b.boroughs.all()) == {borough_a, borough_b}


def test_a_superuser_sets_passwords(client, superuser, staff_b):
    client.force_login(superuser)
    url = reverse("admin:auth_user_password_change", args=[staff_b.pk])
    response = client.post(url, {"password1": "x-New-pass-123456",
                                 "password2": "x-New-pass-123456", "usable_password": "true"})
    assert response.status_code == 302
    staff_b.refresh_from_db()
    assert staff_b.check_password("x-New-pass-123456")


def test_a_transferred_officers_page_shows_only_the_users_postings(client, borough_a, team_a,
                                                                    team_b, staff_a):
    officer = f.OfficerFactory(borough=borough_a)
    f.PostingFactory(officer=officer, team=team_b, start_date="2024-01-01",
                     end_date="2024-12-31")  # served in B first (as a transfer leaves it)
    f.PostingFactory(officer=officer, team=team_a, start_date="2025-01-01")
    page = staff_client(client, staff_a).get(admin_url(officer, "change")).content.decode()
    assert team_a.name in page and team_b.name not in page
