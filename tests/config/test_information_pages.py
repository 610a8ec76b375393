"""The accessibility statement, privacy notice and cookies page: open to everyone, linked from
every page's footer, their figures taken from the settings that decide them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = {
    "accessibility": "Accessibility statement for Neighbourhood Ops",
    "privacy": "Privacy notice",
    "cookies": "Cookies",
}


@pytest.mark.parametrize("page", PAGES)
def test_each_page_opens_without_signing_in(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 200
    assert f">{PAGES[page]}</h1>" in response.content.decode()


@pytest.mark.parametrize("url", ["/find/", "/accounts/login/"])
def test_the_footer_links_all_three(client, url):
    body = client.get(url).content.decode()
    for page in PAGES:
        assert f'href="{reverse(page)}"' in body


def test_the_cookies_page_names_the_cookies_the_service_sets(client, settings):
    settings.SESSION_COOKIE_NAME = "neighbourhood_session"
    settings.SESSION_COOKIE_AGE = 4 * 3600
    body = client.get(reverse("cookies")).content.decode()
    assert "neighbourhood_session" in body and "after 4 hours" in body
    assert settings.CSRF_COOKIE_NAME in body


def test_the_privacy_notice_states_the_victim_data_retention_in_force(client, settings):
    settings.VICTIM_DATA_RETENTION_DAYS = 200
    body = client.get(reverse("privacy")).content.decode()
    assert "removed 200 days after the crime is closed" in body
