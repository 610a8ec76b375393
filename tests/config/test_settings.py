"""Settings come from the environment, and production fails closed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool

ROOT = Path(__file__).resolve().parents[2]
GOOD_PROD = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "SECRET_KEY": "q8Zr-3vN_pL0wT6yK2mB9xC4hJ7dF1sG5aE_uR0iO3nV8cX2zQ6",
    "ALLOWED_HOSTS": "ops.example.police.uk",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5544/neighbourhood_ops",
    "REDIS_URL": "redis://127.0.0.1:6390/0",
}


def run_manage(env_overrides, *args):
    dropped = {*GOOD_PROD, "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # tests set it; deploys must not
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_manage(GOOD_PROD, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "change, message",
    [
        ({"SECRET_KEY": None}, "Set the SECRET_KEY"),
        ({"SECRET_KEY": "dev-only-not-secret"}, "SECRET_KEY must be a long random value"),
        ({"ALLOWED_HOSTS": ""}, "Set ALLOWED_HOSTS"),
        ({"DEBUG": "true"}, "DEBUG must be false"),
        ({"DEBUG": "maybe"}, "is not a boolean"),
        ({"DATABASE_URL": None}, "Set the DATABASE_URL"),
    ],
)
def test_production_refuses_to_start_without_safe_settings(change, message):
    env = {**GOOD_PROD, **{k: v for k, v in change.items() if v is not None}}
    for key, value in change.items():
        if value is None:
            env.pop(key)
    result = run_manage(env, "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_booleans_are_strict(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG") is False
    monkeypatch.setenv("FLAG", "treu")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG")


def test_time_zone_is_london(settings):
    assert settings.TIME_ZONE == "Europe/London" and settings.USE_TZ


def _load_test_settings(env: dict, code: str) -> subprocess.CompletedProcess:
    """`code` run after config.settings.test is loaded in a fresh process with `env` (over this
    process's environment, without its own test worker's)."""
    dropped = {"PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "TEST_REDIS_BASE_URL"}
    full = {k: v for k, v in os.environ.items() if k not in dropped}
    full.update(env, DJANGO_SETTINGS_MODULE="config.settings.test")
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings as s; import os; {code}"],
        cwd=ROOT, env=full, capture_output=True, text=True, timeout=120,
    )


def _test_settings_of(env: dict) -> list[str]:
    """REDIS_URL, cache prefix, Celery queue, spare Redis database, broker and the REDIS_URL a
    child process inherits, under config.settings.test with `env`."""
    result = _load_test_settings(env, (
        "print(s.REDIS_URL, s.CACHES['default']['KEY_PREFIX'], s.CELERY_TASK_DEFAULT_QUEUE, "
        "s.TEST_SPARE_REDIS_DB, s.CELERY_BROKER_URL, os.environ['REDIS_URL'])"
    ))
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_each_parallel_test_worker_has_its_own_redis_database_cache_and_queue():
    """`make test` runs pytest-xdist workers: each empties its own Redis database and takes its
    own Celery queue; a process a worker starts (a real Celery worker) inherits its environment
    and finds the same ones."""
    run = {"REDIS_URL": "redis://127.0.0.1:6390/1", "TEST_DB_NAME": "test_run"}
    alone = _test_settings_of(run)
    assert alone == [
        "redis://127.0.0.1:6390/1", "nops-test_run", "tests-test_run", "9",
        "redis://127.0.0.1:6390/1", "redis://127.0.0.1:6390/1",
    ]
    worker = _test_settings_of({**run, "PYTEST_XDIST_WORKER": "gw1"})
    assert worker == [
        "redis://127.0.0.1:6390/2", "nops-test_run_gw1", "tests-test_run_gw1", "10",
        "redis://127.0.0.1:6390/2", "redis://127.0.0.1:6390/2",
    ]
    child = _test_settings_of({
        **run, "PYTEST_XDIST_WORKER": "gw1", "REDIS_URL": worker[-1],
        "TEST_REDIS_BASE_URL": "redis://127.0.0.1:6390/1",
    })
    assert child == worker
    named = _test_settings_of({  # a process a test starts on a Redis database of its own
        **run, "PYTEST_XDIST_WORKER": "gw1", "REDIS_URL": "redis://127.0.0.1:6390/10",
        "TEST_REDIS_BASE_URL": "redis://127.0.0.1:6390/1",
    })
    assert named[0] == named[-1] == "redis://127.0.0.1:6390/10"
    too_many = _load_test_settings({**run, "PYTEST_XDIST_WORKER": "gw7"}, "s.REDIS_URL")
    assert "More test workers than Redis has databases" in too_many.stderr
