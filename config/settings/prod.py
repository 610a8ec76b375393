"""Production: nothing defaults to something unsafe. A missing SECRET_KEY, DATABASE_URL,
REDIS_URL or ALLOWED_HOSTS stops the process at start-up.

TLS is assumed (a proxy in front terminates it and sets X-Forwarded-Proto). A server reached over
plain http, such as `make run` on 127.0.0.1, says so with SECURE_SSL_REDIRECT=false and
SECURE_COOKIES=false; everything else stays as a deployment has it."""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DEBUG", "false")

from config.env import env_bool, env_int  # noqa: E402
from config.settings.base import *  # noqa: E402,F403
from config.settings.base import ALLOWED_HOSTS, BENCH_BARE_VIEW, DEBUG, SECRET_KEY  # noqa: E402

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be false in production.")
if BENCH_BARE_VIEW:
    raise ImproperlyConfigured("BENCH_BARE_VIEW is for `make bench` only, never in production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the host names the site is served on.")
_WEAK_PREFIXES = ("dev-", "test-", "django-insecure")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith(_WEAK_PREFIXES):
    raise ImproperlyConfigured("SECRET_KEY must be a long random value in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
