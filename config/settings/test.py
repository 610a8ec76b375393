"""Tests: the same real PostgreSQL and Redis as development, a separate Redis database."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5544/neighbourhood_ops")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6390/1")

# `make test` runs the suite in parallel (pytest-xdist: workers gw0, gw1, …). Each worker has its
# own test database (pytest-django adds "_gw<n>" to its name), and here its own Redis database
# (the tests empty theirs: FLUSHDB), cache prefix and Celery queue. A process a test starts (a
# real Celery worker) inherits PYTEST_XDIST_WORKER, the run's first REDIS_URL and the worker's
# own: it keeps the worker's, as it keeps one a test names for it.
TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_index = int(TEST_WORKER[2:]) if TEST_WORKER.startswith("gw") else 0
_base_redis = os.environ.setdefault("TEST_REDIS_BASE_URL", os.environ["REDIS_URL"])
_base_db = int(_base_redis.rsplit("/", 1)[1] or 0)
if os.environ["REDIS_URL"] == _base_redis:
    os.environ["REDIS_URL"] = f"{_base_redis.rsplit('/', 1)[0]}/{_base_db + _index}"
# A Redis database no test uses, for the restore test to empty (tests/config/test_backup.py).
TEST_SPARE_REDIS_DB = 9 + _index
if max(_base_db + _index, TEST_SPARE_REDIS_DB) > 15:
    raise RuntimeError("More test workers than Redis has databases (16): run fewer (-n).")
_RUN = os.environ.get("TEST_DB_NAME", "test_neighbourhood_ops") + (
    f"_{TEST_WORKER}" if TEST_WORKER else ""
)

from config.env import env_bool  # noqa: E402
from config.settings.base import *  # noqa: E402,F403
from config.settings.base import REDIS_URL  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# In memory, except in a real worker a test starts against its own mail server.
EMAIL_BACKEND = os.environ.get(
    "TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
CACHES = {
    "default": {
        "BACKEND": "config.rediscache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "nops-" + _RUN,
    }
}
# Tasks run eagerly in tests, except in the worker a test starts for real (it sets this false).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_TASK_EAGER_PROPAGATES = True

# Several test runs may share one server: each may name its own test database.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DB_NAME", "test_neighbourhood_ops")}  # noqa: F405
# A runaway query (say, one planned before a fresh table had statistics) fails after a minute,
# and tests/conftest.py shows its SQL, instead of hanging the run.
DATABASES["default"]["OPTIONS"] = {"options": "-c statement_timeout=60s"}  # noqa: F405

# Each test run (by TEST_DB_NAME, and worker) has its own queue, so the real worker a test starts
# only takes that run's tasks even when several runs share one Redis.
CELERY_TASK_DEFAULT_QUEUE = "tests-" + _RUN
REPORT_ROLLUP_POLL_SECONDS = 1
