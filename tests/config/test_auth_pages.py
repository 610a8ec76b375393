"""Signing in and out, changing a password, and the lock after too many wrong passwords."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_the_sign_in_page_is_a_govuk_form(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-frontend.min.css" in content
    assert 'class="govuk-input' in content
    assert "Neighbourhood Ops" in content
    assert "Contains OS data © Crown copyright and database right 2022." in content


def test_signing_in_goes_to_the_home_page(client, staff_a):
    response = sign_in(client, "staff_a")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_signing_in_returns_to_the_page_asked_for(client, staff_a, ward_a):
    url = ward_a.get_absolute_url()
    response = client.post(
        f"{LOGIN}?next={url}", {"username": "staff_a", "password": PASSWORD, "next": url}
    )
    assert response["Location"] == url


def test_a_wrong_password_is_shown_in_the_error_summary(client, staff_a):
    response = sign_in(client, "staff_a", "wrong")
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Please enter a correct username and password" in response.content


def test_signing_out_is_a_post_that_ends_the_session(client, staff_a):
    client.force_login(staff_a)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_pages_offer_a_sign_out_form_to_signed_in_users(client, staff_a):
    client.force_login(staff_a)
    content = client.get(reverse("home")).content.decode()
    assert 'action="/accounts/logout/"' in content
    assert "Sign out" in content


def test_changing_the_password(client, staff_a):
    client.force_login(staff_a)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-longer-new-pass-phrase",
            "new_password2": "a-longer-new-pass-phrase",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    staff_a.refresh_from_db()
    assert staff_a.check_password("a-longer-new-pass-phrase")
    assert b"Password changed" in client.get(reverse("password_change_done")).content


def test_a_wrong_old_password_is_shown_in_the_error_summary(client, staff_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "a-longer-new-pass-phrase",
            "new_password2": "a-longer-new-pass-phrase",
        },
    )
    assert b"govuk-error-summary" in response.content
    assert b'href="#id_old_password"' in response.content
    staff_a.refresh_from_db()
    assert staff_a.check_password(PASSWORD)


def test_the_password_change_page_needs_sign_in(client):
    response = client.get(reverse("password_change"))
    assert response["Location"].startswith(LOGIN)


def test_too_many_wrong_passwords_lock_the_account_with_a_govuk_page(client, staff_a):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "staff_a", "wrong").status_code == 200
    locked = sign_in(client, "staff_a", "wrong")
    assert locked.status_code in (403, 429)
    assert b"Your account is locked" in locked.content
    assert b"govuk-template" in locked.content
    # Even the right password is refused while locked.
    again = sign_in(client, "staff_a")
    assert again.status_code in (403, 429)
    assert b"Your account is locked" in again.content


def test_the_lock_is_per_username(client, staff_a, sergeant_a):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "staff_a", "wrong")
    assert sign_in(client, "sergeant_a").status_code == 302
