"""Promises' services check the role and borough of whoever writes, as the other apps' services
do, so no entry point (page, API, command, task) can write for someone the pages would refuse."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from promises import services
from promises.models import Activity, EngagementEvent, PanelMeeting, Promise, WardPriority
from tests.promises.factories import PromiseFactory, WardPriorityFactory

pytestmark = pytest.mark.django_db


def writes(ward, by):
    """Each write of promises.services, for `by` in `ward`."""
    now = timezone.now()
    promise = PromiseFactory(ward=ward)
    priority = WardPriorityFactory(ward=ward)
    return {
        "promise_create": lambda: services.promise_create(
            by=by, owner_user=by, ward=ward, title="Weekly street briefing", kind="custom",
            target=4,
            agreed_on=datetime.date(2026, 3, 1), start=datetime.date(2026, 3, 1)),
        "promise_end": lambda: services.promise_end(
            promise=promise, end=promise.start, by=by, reason="Done"),
        "activity_log": lambda: services.activity_log(
            ward=ward, kind="street_briefing", starts_at=now - datetime.timedelta(hours=2),
            duration_minutes=30, by=by),
        "priority_create": lambda: services.priority_create(ward=ward, issue="Drugs", by=by),
        "priority_record_action": lambda: services.priority_record_action(
            priority=priority, action="Patrolled", by=by),
        "priority_close": lambda: services.priority_close(priority=priority, by=by),
        "panel_meeting_record": lambda: services.panel_meeting_record(
            ward=ward, date=datetime.date(2026, 3, 1), attendees=12, by=by),
        "event_create": lambda: services.event_create(
            ward=ward, by=by, title="Cuppa with a copper", kind="contact_point", address="Library",
            starts_at=now, ends_at=now + datetime.timedelta(hours=1)),
    }


@pytest.mark.parametrize("who", ["commander_a", "hq", "inspector_b"])
def test_roles_that_may_not_write_in_the_ward_are_refused_by_the_service(cast, ward_a, who):
    for name, write in writes(ward_a, cast(who)).items():
        with pytest.raises(PermissionDenied):
            write()
            pytest.fail(f"{name} let {who} write")
    assert not Activity.objects.exists() and not PanelMeeting.objects.exists()
    assert not EngagementEvent.objects.exists()
    assert Promise.objects.count() == 1 and WardPriority.objects.count() == 1


def test_an_editor_of_the_ward_may_do_each_write(staff_a, ward_a):
    for name, write in writes(ward_a, staff_a).items():
        assert write() is not None, name
