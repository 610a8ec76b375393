"""Static files as production serves them: collected by the production storage (hashed names,
brotli and gzip copies), served by WhiteNoise compressed and cached for a year."""

import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory

from config.settings import base
from config.static import StaticFilesMiddleware

ONE_YEAR = "max-age=31536000, public, immutable"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic into a temporary folder with the production storage. Only the project's own
    static folder (GOV.UK Frontend's CSS and images, our CSS and JS): the apps' (admin,
    API docs) go through the same storage and would only make this slower."""
    from django.test.utils import override_settings

    root = tmp_path_factory.mktemp("static")
    with override_settings(
        STATIC_ROOT=root,
        STORAGES=base.STORAGES,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
        manifest = json.loads((root / "staticfiles.json").read_text())["paths"]
        yield root, manifest, StaticFilesMiddleware(lambda request: HttpResponse(status=404))


def get(middleware, path, encoding="br, gzip"):
    request = RequestFactory().get(path, HTTP_ACCEPT_ENCODING=encoding)
    return middleware(request)


def test_production_uses_the_compressed_manifest_storage():
    assert base.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert "config.static.StaticFilesMiddleware" in settings.MIDDLEWARE


def test_collected_files_have_hashed_names_and_compressed_copies(collected):
    root, manifest, _ = collected
    css = manifest["css/app.css"]
    assert css.startswith("css/app.") and css != "css/app.css"
    for suffix in (".br", ".gz"):
        assert (root / (css + suffix)).stat().st_size < (root / css).stat().st_size


def test_a_hashed_file_is_served_compressed_and_cached_for_a_year(collected):
    _, manifest, middleware = collected
    path = f"{settings.STATIC_URL}{manifest['vendor/govuk/govuk-frontend.min.css']}"
    response = get(middleware, path)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert response["Cache-Control"] == ONE_YEAR
    assert get(middleware, path, encoding="gzip")["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in get(middleware, path, encoding="")


def test_stylesheet_images_are_hashed_and_cached_for_a_year(collected):
    """The MoJ stylesheet points at the hashed image files, which browsers then keep. (There are
    no font files: pages use the system font, tests/config/test_brand.py.)"""
    root, manifest, middleware = collected
    css = (root / manifest["vendor/moj/moj-frontend.min.css"]).read_text()
    source = (settings.BASE_DIR / "static/vendor/moj/moj-frontend.min.css").read_text()
    images = [f"vendor/moj/{url}" for url in re.findall(r"url\((assets/images/[^)]+)\)", source)]
    assert images
    for image in images:
        hashed = manifest[image]
        assert hashed.rsplit("/", 1)[1] in css
        response = get(middleware, f"{settings.STATIC_URL}{hashed}")
        assert response.status_code == 200
        assert response["Cache-Control"] == ONE_YEAR


def test_an_unhashed_name_is_not_cached_for_long(collected):
    _, _, middleware = collected
    response = get(middleware, f"{settings.STATIC_URL}css/app.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


def test_pages_link_the_hashed_names(collected):
    _, manifest, _ = collected
    from django.test.utils import override_settings

    with override_settings(STATIC_ROOT=collected[0], STORAGES=base.STORAGES):
        html = Template("{% load static %}{% static 'css/app.css' %}").render(Context())
    assert html == f"{settings.STATIC_URL}{manifest['css/app.css']}"
