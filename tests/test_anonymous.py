"""Nobody reaches the system's records without signing in: every page of every app sends an
anonymous visitor to the sign-in page, and every API resource answers 401, whether read or
written. The pages and resources are read from the URL configuration, so a new one is covered
the day it is added (the public pages are listed here on purpose)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.api_urls import API_APPS, app_urls
from config.urls import PAGE_APPS

# Pages anyone may open: the public team pages and the finder.
PUBLIC = {"promises:find", "promises:public_team", "contact:send"}
# A value for each path converter, to build a URL without records behind it.
SAMPLE = {"str": "E05013660", "int": 1, "slug": "offer", "yyyy": 2026, "mm": 3}


def _page_urls():
    for resolver in get_resolver().url_patterns:
        if not isinstance(resolver, URLResolver) or resolver.app_name not in PAGE_APPS:
            continue
        for pattern in resolver.url_patterns:
            name = f"{resolver.namespace}:{pattern.name}"
            if isinstance(pattern, URLPattern) and name not in PUBLIC:
                converters = pattern.pattern.converters
                kwargs = {k: SAMPLE[_converter(c)] for k, c in converters.items()}
                yield pytest.param(reverse(name, kwargs=kwargs), id=name)


def _converter(converter) -> str:
    registered = {"StringConverter": "str", "IntConverter": "int", "SlugConverter": "slug",
                  "YearConverter": "yyyy", "MonthConverter": "mm"}
    return registered[type(converter).__name__]


def _api_lists():
    for include in app_urls:
        for prefix, _viewset, _basename in include.urlconf_module.router.registry:
            yield pytest.param(f"/api/v1/{prefix}/", id=prefix)


def test_every_app_with_pages_or_resources_is_covered():
    pages = {param.id.split(":")[0] for param in _page_urls()}
    assert pages == set(PAGE_APPS)
    resources = {param.id for param in _api_lists()}
    assert {"wards", "officers", "flex-requests", "promises", "crimes", "reports"} <= resources
    assert len(API_APPS) == len(app_urls)


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(_page_urls()))
def test_a_page_sends_an_anonymous_visitor_to_sign_in(client, url):
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(_api_lists()))
def test_an_api_resource_answers_401_to_an_anonymous_caller(api, url):
    for method in (api.get, api.post):
        response = method(url, {}, format="json")
        assert response.status_code == 401, (url, response.status_code)
        assert response.json()["code"] == "not_authenticated"
