"""Who is told what, and only once the decision has committed."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from deployment import services
from tests.deployment.factories import raise_flex

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_emails(sergeant_a, inspector_a, chief_inspector_a, inspector_b):
    for user in (sergeant_a, inspector_a, chief_inspector_a, inspector_b):
        user.email = f"{user.username}@met.police.example"
        user.save()


def test_submission_tells_the_boroughs_inspectors_after_commit(
    sergeant_a, ward_a_east, dwos_a, frozen_today, with_emails, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    assert len(mail.outbox) == 0  # nothing sent before the transaction commits
    # One notification (the others move the cached pages' data versions on, config.datacache).
    callbacks = [c for c in callbacks if not hasattr(c, "table")]
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == [
        "chief_inspector_a@met.police.example",
        "inspector_a@met.police.example",
    ]
    assert "waits for a decision" in mail.outbox[0].subject


def test_a_refused_decision_is_not_announced(
    sergeant_a,
    inspector_a,
    ward_a_east,
    dwos_a,
    frozen_today,
    with_emails,
    django_capture_on_commit_callbacks,
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(PermissionDenied):
            services.flex_approve(flex=flex, by=sergeant_a)
    assert callbacks == []


def test_the_requester_hears_the_decision(
    sergeant_a,
    inspector_a,
    ward_a_east,
    dwos_a,
    dwos_a_east,
    frozen_today,
    with_emails,
    django_capture_on_commit_callbacks,
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.flex_reject(flex=flex, by=inspector_a, reason="Not intelligence-led")
    assert mail.outbox[0].to == ["sergeant_a@met.police.example"]
    assert "refused" in mail.outbox[0].subject
    assert "Not intelligence-led" in mail.outbox[0].body


def test_the_review_reminder_goes_to_the_deciding_inspector(
    sergeant_a,
    inspector_a,
    ward_a_east,
    dwos_a,
    dwos_a_east,
    frozen_today,
    with_emails,
    django_capture_on_commit_callbacks,
    time_machine,
):
    from deployment.tasks import flex_daily

    flex = raise_flex(
        sergeant_a,
        ward_a_east,
        dwos_a[:1],
        start=datetime.date(2026, 3, 2),
        end=datetime.date(2026, 3, 25),
    )
    services.flex_approve(flex=flex, by=inspector_a)
    mail.outbox.clear()
    time_machine.move_to(datetime.datetime(2026, 3, 16, 0, 5), tick=False)
    with django_capture_on_commit_callbacks(execute=True):  # sent once the reminder commits
        flex_daily.delay()
    assert [m.to for m in mail.outbox] == [["inspector_a@met.police.example"]]
    assert "14-day review due" in mail.outbox[0].subject
