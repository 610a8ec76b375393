"""/api/v1/promises/, activities/, priorities/, panel-meetings/, events/: scoping, roles, the
delivery figures on each promise, bad input as 400 and fixed query counts."""

import datetime

import pytest
from django.utils import timezone

from promises.models import Activity, Promise, WardPriority
from tests import factories as f
from tests.conftest import READERS_OF_A, ROLE_FIXTURES, results
from tests.promises.factories import (
    ActivityFactory,
    EngagementEventFactory,
    PanelMeetingFactory,
    PromiseFactory,
    WardPriorityFactory,
    earlier_this_month,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = ["promises", "activities", "priorities", "panel-meetings", "events"]


@pytest.fixture
def records_a(ward_a, staff_a):
    promise = PromiseFactory(
        ward=ward_a, owner_user=staff_a, start=timezone.localdate().replace(day=1)
    )
    ActivityFactory(ward=ward_a, starts_at=timezone.now(), promises=[promise])
    WardPriorityFactory(ward=ward_a)
    PanelMeetingFactory(ward=ward_a)
    EngagementEventFactory(ward=ward_a)
    return promise


@pytest.mark.parametrize("who", ROLE_FIXTURES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_lists_show_only_the_callers_boroughs(client_of, who, endpoint, records_a):
    rows = results(client_of(who).get(f"/api/v1/{endpoint}/"))
    assert len(rows) == (1 if who in READERS_OF_A else 0)


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_a_promise_of_borough_a_is_404_to_outsiders(client_of, who, records_a):
    response = client_of(who).get(f"/api/v1/promises/{records_a.pk}/")
    assert response.status_code == (200 if who in READERS_OF_A else 404)


def test_each_promise_carries_its_delivery_this_period(client_of, records_a):
    (row,) = results(client_of("staff_a").get("/api/v1/promises/"))
    assert row["delivery"]["done"] == 1
    assert row["delivery"]["target"] == 4
    assert row["delivery"]["status"] in {"on_track", "at_risk"}
    assert row["period"] == "month"


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_creating_a_promise_in_borough_a(client_of, who, ward_a):
    response = client_of(who).post(
        "/api/v1/promises/",
        {
            "title": "Patrol Malden Road on Friday nights",
            "kind": "patrol",
            "ward": ward_a.code,
            "agreed_on": "2025-01-05",
            "start": "2025-01-06",
            "area": "Malden Road",
            "days": [4],
            "window_start": "22:00",
            "window_end": "02:00",
            "target": 1,
        },
        format="json",
    )
    # An outsider's ward is "does not exist" (400), a read-only role is refused (403).
    expected = 403 if who in {"commander_a", "hq"} else 400 if who == "inspector_b" else 201
    assert response.status_code == expected, response.content
    assert Promise.objects.count() == (1 if expected == 201 else 0)


def test_a_bad_promise_is_a_400_with_field_errors(client_of, ward_a):
    response = client_of("staff_a").post(
        "/api/v1/promises/",
        {
            "title": "Visit",
            "kind": "visit_all",
            "ward": ward_a.code,
            "agreed_on": "2025-01-05",
            "start": "2025-01-06",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "place_kind" in response.json()


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_logging_activity_through_the_api(client_of, who, ward_a, records_a):
    before = Activity.objects.count()
    response = client_of(who).post(
        "/api/v1/activities/",
        {
            "ward": ward_a.code,
            "kind": "street_briefing",
            "starts_at": earlier_this_month(hours=1).isoformat(),
            "duration_minutes": 30,
            "promises": [records_a.pk],
        },
        format="json",
    )
    expected = 403 if who in {"commander_a", "hq"} else 400 if who == "inspector_b" else 201
    assert response.status_code == expected, response.content
    assert Activity.objects.count() == before + (1 if expected == 201 else 0)


def test_priorities_are_closed_never_deleted(client_of, ward_a):
    priority = WardPriorityFactory(ward=ward_a)
    client = client_of("staff_a")
    assert client.delete(f"/api/v1/priorities/{priority.pk}/").status_code == 405
    response = client.post(f"/api/v1/priorities/{priority.pk}/close/")
    assert response.status_code == 200
    assert response.json()["is_open"] is False
    assert client.post(f"/api/v1/priorities/{priority.pk}/close/").status_code == 409
    assert WardPriority.objects.filter(pk=priority.pk).exists()


def test_priority_limit_and_sanitising_through_the_api(client_of, ward_a, settings):
    settings.PROMISES_MAX_OPEN_PRIORITIES = 1
    client = client_of("staff_a")
    response = client.post(
        "/api/v1/priorities/",
        {"ward": ward_a.code, "issue": "ASB", "action": "<script>x</script><b>Patrols</b>"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["action"] == "<b>Patrols</b>"
    response = client.post(
        "/api/v1/priorities/", {"ward": ward_a.code, "issue": "Another"}, format="json"
    )
    assert response.status_code == 409


def test_an_event_must_end_after_it_starts(client_of, ward_a):
    response = client_of("staff_a").post(
        "/api/v1/events/",
        {
            "ward": ward_a.code,
            "title": "Briefing",
            "kind": "street_briefing",
            "address": "Here",
            "starts_at": "2030-01-01T10:00:00Z",
            "ends_at": "2030-01-01T09:00:00Z",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "ends_at" in response.json()


def test_the_promise_list_runs_a_fixed_number_of_queries(client_of, ward_a, assert_fixed_queries):
    f.PlaceFactory(ward=ward_a)
    start = timezone.localdate().replace(day=1)

    def add(n):
        for _ in range(n):
            promise = PromiseFactory(ward=ward_a, start=start)
            ActivityFactory(ward=ward_a, starts_at=timezone.now(), promises=[promise])

    add(2)
    client = client_of("staff_a")
    # token (with the user's boroughs), count, page, linked activity
    before, after = assert_fixed_queries(
        lambda: client.get("/api/v1/promises/"), lambda: add(5), queries=4
    )
    assert len(results(after)) == 7


def test_the_activity_list_runs_a_fixed_number_of_queries(client_of, ward_a, assert_fixed_queries):
    promise = PromiseFactory(ward=ward_a)

    def add(n):
        for _ in range(n):
            activity = ActivityFactory(ward=ward_a, promises=[promise])
            activity.officers.set([f.OfficerFactory(borough=ward_a.borough)])

    add(2)
    client = client_of("staff_a")
    # token (with the user's boroughs), count, page, officers, promises
    before, after = assert_fixed_queries(
        lambda: client.get("/api/v1/activities/"), lambda: add(5), queries=5
    )
    assert len(results(after)) == 7


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_ending_a_promise(client_of, who, records_a):
    response = client_of(who).post(
        f"/api/v1/promises/{records_a.pk}/end/", {"end": "2030-01-31", "reason": "Replaced"},
        format="json",
    )
    expected = 200 if who in READERS_OF_A - {"commander_a", "hq"} else 403
    expected = 404 if who == "inspector_b" else expected
    assert response.status_code == expected
    records_a.refresh_from_db()
    assert (records_a.end == datetime.date(2030, 1, 31)) == (expected == 200)


def test_a_promise_cannot_end_before_it_starts(client_of, records_a):
    response = client_of("staff_a").post(
        f"/api/v1/promises/{records_a.pk}/end/", {"end": "1999-01-01", "reason": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "end" in response.json()


def test_ending_a_promise_through_the_api_records_why(client_of, records_a):
    response = client_of("staff_a").post(
        f"/api/v1/promises/{records_a.pk}/end/",
        {"end": "2030-01-31", "reason": "Replaced by a patrol promise"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["end_reason"] == "Replaced by a patrol promise"
    records_a.refresh_from_db()
    assert records_a.end_reason == "Replaced by a patrol promise"


def test_ending_a_promise_needs_a_reason_and_cannot_reopen_it(client_of, records_a):
    url = f"/api/v1/promises/{records_a.pk}/end/"
    api = client_of("staff_a")
    missing = api.post(url, {"end": "2030-01-31"}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    ended = api.post(url, {"end": "2030-01-31", "reason": "Replaced"}, format="json")
    assert ended.status_code == 200
    later = api.post(url, {"end": "2099-01-31", "reason": "Back on"}, format="json")
    assert later.status_code == 409
    assert later.json()["code"] == "already_ended"
    earlier = api.post(url, {"end": "2029-12-31", "reason": "Sooner"}, format="json")
    assert earlier.status_code == 200
    records_a.refresh_from_db()
    assert (records_a.end, records_a.end_reason) == (datetime.date(2029, 12, 31), "Sooner")


def test_an_activity_location_longer_than_200_characters_is_a_400(client_of, ward_a):
    response = client_of("staff_a").post(
        "/api/v1/activities/",
        {"ward": ward_a.code, "kind": "street_briefing", "starts_at": "2025-01-10T10:00:00Z",
         "duration_minutes": 30, "location": "x" * 201},
        format="json",
    )
    assert response.status_code == 400
    assert "location" in response.json()
