"""The daily task: each ward's sergeant hears which promises are at risk."""

import datetime

import pytest
from django.core import mail

from promises import notifications
from promises.tasks import promises_at_risk_daily
from teams.models import Posting, Rank
from tests import factories as f
from tests.promises.factories import PromiseFactory

pytestmark = pytest.mark.django_db

END_OF_JANUARY = datetime.date(2025, 1, 30)


@pytest.fixture
def at_risk_promise(ward_a, settings):
    settings.PROMISES_MAX_ACTIVITIES_PER_DAY = 1
    # 4 a month, none done, 2 days left on 30 January.
    return PromiseFactory(ward=ward_a, title="Four street briefings a month", target=4)


def test_the_supervising_sergeant_is_told(
    at_risk_promise, team_a, ward_a, sergeant_a, django_capture_on_commit_callbacks
):
    sergeant = f.OfficerFactory(rank=Rank.SERGEANT, borough=ward_a.borough)
    f.UserFactory(username="sgt_reed", email="reed@met.police.example", officer=sergeant)
    f.PostingFactory(officer=sergeant, team=team_a, role=Posting.Role.SUPERVISOR)
    sergeant_a.email = "borough.sergeant@met.police.example"
    sergeant_a.save()

    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_at_risk(END_OF_JANUARY) == 1
    (message,) = mail.outbox
    assert message.to == ["reed@met.police.example"]
    assert "Four street briefings a month: 0 of 4 done, 2 day(s) left" in message.body
    assert message.subject == "Haverstock: 1 promise(s) at risk"


def test_without_a_supervising_sergeant_the_boroughs_sergeants_are_told(
    at_risk_promise, sergeant_a, staff_a, django_capture_on_commit_callbacks
):
    sergeant_a.email = "borough.sergeant@met.police.example"
    sergeant_a.save()
    staff_a.email = "staff@met.police.example"
    staff_a.save()

    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_at_risk(END_OF_JANUARY)
    (message,) = mail.outbox
    assert message.to == ["borough.sergeant@met.police.example"]


def test_a_second_run_the_same_day_tells_nobody_again(
    at_risk_promise, sergeant_a, django_capture_on_commit_callbacks
):
    sergeant_a.email = "borough.sergeant@met.police.example"
    sergeant_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_at_risk(END_OF_JANUARY) == 1
        assert notifications.send_at_risk(END_OF_JANUARY) == 0
    assert len(mail.outbox) == 1


def test_nobody_is_told_about_promises_on_track(at_risk_promise, sergeant_a):
    sergeant_a.email = "borough.sergeant@met.police.example"
    sergeant_a.save()
    assert notifications.send_at_risk(datetime.date(2025, 1, 10)) == 0
    assert mail.outbox == []


def test_the_task_runs_for_today_and_is_on_the_beat_schedule(settings):
    assert promises_at_risk_daily.delay().get(timeout=10) == 0
    entry = settings.CELERY_BEAT_SCHEDULE["promises-at-risk-daily"]
    assert entry["task"] == "promises.tasks.promises_at_risk_daily"
