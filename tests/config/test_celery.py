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


def test_a_message_goes_back_to_the_queue_only_after_the_longest_a_live_worker_holds_it():
    """Redis redelivers an unacknowledged message after the visibility timeout: it must outlast
    every task's longest wait (retry back-off, countdown) plus its longest run."""
    from reports.services import stale_after

    app.loader.import_default_modules()
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility == settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    tasks = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert len(tasks) >= 10
    for name, task in tasks.items():
        run = task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        backoff = getattr(task, "retry_backoff", False)  # set only on tasks that retry
        # Celery's own default back-off cap is 600 s.
        wait = getattr(task, "retry_backoff_max", 600) if backoff else task.default_retry_delay
        assert wait + run < visibility, name
    # The countdowns tasks choose themselves: a report waiting for a dead worker's claim to go
    # stale, and the roll-up polling for the boroughs.
    for wait in (stale_after().total_seconds() + 30, settings.REPORT_ROLLUP_POLL_SECONDS):
        assert wait <= settings.CELERY_TASK_LONGEST_WAIT
        assert wait + settings.CELERY_TASK_TIME_LIMIT < visibility
