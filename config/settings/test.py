"""Tests: the same real PostgreSQL and Redis as development, a separate Redis database."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5544/neighbourhood_ops")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6390/1")

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
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "nops-" + os.environ.get("TEST_DB_NAME", "test"),
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

# Each test run (by TEST_DB_NAME) has its own queue, so the real worker a test starts only takes
# that run's tasks even when several runs share one Redis.
CELERY_TASK_DEFAULT_QUEUE = "tests-" + os.environ.get("TEST_DB_NAME", "test_neighbourhood_ops")
REPORT_ROLLUP_POLL_SECONDS = 1
