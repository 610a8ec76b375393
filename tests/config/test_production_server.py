"""`make run` serves as production does: the production settings with the environment
scripts/run.sh gives them (plain http on 127.0.0.1), behind gunicorn, static files through
WhiteNoise. No answer ever shows a traceback, the URL patterns or a setting."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import include, path

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
# What scripts/run.sh exports in its default (prod) mode, with a throwaway key.
RUN_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "DEBUG": "false",
    "SECRET_KEY": "Jx7-qLm2_Vt9rN4bW8zK1cY6pH3sD5fG0aE_uR2iO7nT4cX9zQ1vB",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
}
LEAKS = re.compile(
    r"Traceback|urlpatterns|URLconf|DEBUG = True|django\.core|File \"|SECRET_KEY|Request Method",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def production_server(django_db_setup, tmp_path_factory):
    """gunicorn with the production settings, on the test database, after collectstatic (once
    for this module; each test commits its own rows with transactional_db)."""
    tmp_path = tmp_path_factory.mktemp("production")
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        RUN_ENV,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=300,
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=10)
                break
            except OSError:  # refused while it starts, or slow on a busy machine
                if server.poll() is not None:
                    raise AssertionError(server.stdout.read().decode()) from None
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, data=None, headers=None):
    """(status, headers, body) without following redirects or raising on errors."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        response = opener.open(request, timeout=20)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, response.headers, response.read().decode(errors="replace")


def test_make_run_serves_like_production_without_tls(production_server, transactional_db):
    base = production_server

    status, headers, body = fetch(base + "/accounts/login/")
    assert status == 200  # not redirected to https
    cookie = headers["Set-Cookie"]
    assert "csrftoken=" in cookie and "Secure" not in cookie  # plain http on 127.0.0.1
    assert "Content-Security-Policy" in headers
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', body).group(1)
    assert fetch(base + stylesheet)[0] == 200  # hashed name: collectstatic and WhiteNoise

    status, _, body = fetch(base + "/no-such-page/")
    assert status == 404 and "Page not found" in body
    assert not LEAKS.search(body) and "accounts/login" not in body

    status, headers, body = fetch(base + "/api/v1/no-such-thing/")
    assert status == 404 and headers["Content-Type"] == "application/json"
    assert not LEAKS.search(body)

    status, _, body = fetch(base + "/find/", headers={"Host": "evil.example"})
    assert status == 400 and not LEAKS.search(body)  # a Host outside ALLOWED_HOSTS


def test_make_run_signs_in_over_plain_http(production_server, transactional_db, staff_a, settings):
    # Production's password hasher (the tests' settings use a fast one production refuses).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    staff_a.set_password(PASSWORD)
    staff_a.save()
    base = production_server
    status, headers, body = fetch(base + "/accounts/login/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    cookie = headers["Set-Cookie"].split(";")[0]
    form = f"username=staff_a&password={PASSWORD}&csrfmiddlewaretoken={csrf}".encode()
    status, headers, _ = fetch(
        base + "/accounts/login/", data=form,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 302 and headers["Location"] == "/"
    session = [c for c in headers.get_all("Set-Cookie") if c.startswith("sessionid=")][0]
    assert "HttpOnly" in session and "Secure" not in session


# -- errors inside a view: the handlers Django calls with DEBUG off --------------------------

def _explode(request):
    raise RuntimeError("secret detail: password=hunter2")


# This module is the URLconf of the test below: the error handlers are config.urls' own.
from config.urls import handler400, handler403, handler404, handler500  # noqa: E402,F401

urlpatterns = [
    path("boom/", _explode),
    path("api/v1/boom/", _explode),
    path("", include("config.urls")),
]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("url", ["/boom/", "/api/v1/boom/"])
def test_an_error_in_a_view_shows_nothing_of_it(client, url):
    client.raise_request_exception = False
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 500
    assert "hunter2" not in body and "RuntimeError" not in body and not LEAKS.search(body)
    if url.startswith("/api/"):
        assert response.json() == {
            "detail": "Sorry, there is a problem with the service.", "code": "server_error"
        }
    else:
        assert "Sorry, there is a problem with the service" in body
