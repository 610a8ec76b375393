"""The error pages are GOV.UK pages and never leak what they hide."""

import pytest
from django.test import RequestFactory

from config import views


@pytest.mark.django_db
def test_the_404_page_is_a_govuk_page(client, staff_a):
    client.force_login(staff_a)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"govuk-template" in response.content


def test_the_500_page_renders_without_the_database_or_a_session():
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"Sign out" not in response.content


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_a_govuk_page_with_a_way_back(sergeant_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(sergeant_a)
    response = client.post("/flex/new/", {"problem": "x"})
    assert response.status_code == 403
    content = response.content.decode()
    assert "govuk-template" in content and "The form could not be sent" in content
    assert 'href="/flex/new/">Go back to the form' in content
    assert "CSRF" not in content  # Django's reason is for the log, not the reader


@pytest.mark.django_db
def test_a_link_to_a_post_only_address_gets_a_govuk_405_page(client, sergeant_a):
    client.force_login(sergeant_a)
    response = client.get("/accounts/logout/")
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    content = response.content.decode()
    assert "govuk-template" in content and "This page cannot be opened from a link" in content
    assert 'href="/">Go to your home page' in content
    # The API keeps its own JSON answer.
    assert client.delete("/api/v1/boroughs/").json()["code"] == "method_not_allowed"
