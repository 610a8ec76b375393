"""The Celery app: the one schedule, and a task run through a real worker over real Redis."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from config.celery import app
from config.tasks import clear_expired_sessions

ROOT = Path(__file__).resolve().parents[2]


def test_every_periodic_task_in_the_schedule_exists():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


def _session(key, expires):
    return Session.objects.create(session_key=key, session_data="e30=", expire_date=expires)


@pytest.mark.django_db
def test_clearing_sessions_eagerly_keeps_live_ones():
    now = timezone.now()
    _session("old" * 10, now - datetime.timedelta(minutes=1))
    _session("new" * 10, now + datetime.timedelta(hours=1))
    assert clear_expired_sessions.delay().get() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new" * 10]


@pytest.fixture
def real_worker(transactional_db):
    """A Celery worker process on the test database and the real Redis broker."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        CELERY_TASK_ALWAYS_EAGER="false",
        DATABASE_URL=_test_database_url(),
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    app.conf.task_always_eager = False
    try:
        _wait_for_worker()
        yield worker
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        worker.wait(timeout=30)


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _wait_for_worker(timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.inspect(timeout=1).ping():
            return
        time.sleep(0.5)
    raise AssertionError("The Celery worker did not start.")


def test_a_task_runs_through_a_real_worker(real_worker):
    now = timezone.now()
    _session("old" * 10, now - datetime.timedelta(minutes=1))
    _session("gone" * 8, now - datetime.timedelta(days=3))
    _session("new" * 10, now + datetime.timedelta(hours=1))
    result = clear_expired_sessions.apply_async()
    assert result.get(timeout=60) == 2
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new" * 10]
