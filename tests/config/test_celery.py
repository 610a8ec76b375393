"""The Celery app: the one schedule, and a task run through a real worker over real Redis."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from config.celery import app
from config.tasks import clear_expired_sessions


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


def test_a_task_runs_through_a_real_worker(real_worker):
    now = timezone.now()
    _session("old" * 10, now - datetime.timedelta(minutes=1))
    _session("gone" * 8, now - datetime.timedelta(days=3))
    _session("new" * 10, now + datetime.timedelta(hours=1))
    result = clear_expired_sessions.apply_async()
    assert result.get(timeout=60) == 2
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new" * 10]
