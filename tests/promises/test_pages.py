"""The staff pages: promises, the quick activity log, ward and borough delivery, priorities,
panel meetings, events and places. Every page: anonymous, each role, own and other borough."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from promises.models import Activity, EngagementEvent, PanelMeeting, Promise, WardPriority
from tests import factories as f
from tests.conftest import READERS_OF_A, ROLE_FIXTURES, write_status
from tests.promises.factories import (
    PromiseFactory,
    VisitPromiseFactory,
    WardPriorityFactory,
    earlier_this_month,
    promises_with_activity,
)
from wards.models import Place

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


@pytest.fixture
def promise_a(ward_a, staff_a):
    return PromiseFactory(ward=ward_a, owner_user=staff_a, title="Street briefing every month")


def read_status(who):
    return 200 if who in READERS_OF_A else 404


@pytest.mark.parametrize("who", ROLE_FIXTURES)
@pytest.mark.parametrize("page", ["promise", "ward_delivery", "borough_delivery"])
def test_borough_a_promise_pages_are_for_its_readers_only(client, cast, who, page, promise_a):
    url = {
        "promise": reverse("promises:promise", args=[promise_a.pk]),
        "ward_delivery": reverse("promises:ward_delivery", args=[promise_a.ward.code]),
        "borough_delivery": reverse("promises:borough_delivery", args=["E09000007"]),
    }[page]
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(cast(who))
    response = client.get(url)
    assert response.status_code == read_status(who)
    if response.status_code == 200:
        assert "Street briefing every month" in response.content.decode()


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_the_promise_list_shows_only_the_users_boroughs(client, cast, who, promise_a, ward_b):
    PromiseFactory(ward=ward_b, title="Westminster promise")
    client.force_login(cast(who))
    body = client.get(reverse("promises:promise_list")).content.decode()
    assert ("Street briefing every month" in body) == (who in READERS_OF_A)
    assert ("Westminster promise" in body) == (who in {"hq", "admin_user", "inspector_b"})


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_logging_activity_in_a_ward_of_borough_a(client, cast, who, ward_a, promise_a):
    url = reverse("promises:activity_log")
    started = timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(hours=2)
    data = {
        "ward_code": ward_a.code,
        "ward": ward_a.pk,
        "kind": "street_briefing",
        "location": "Queen's Crescent market",
        "starts_at": started.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "promises": [promise_a.pk],
    }
    assert client.post(url, data).status_code == 302
    assert not Activity.objects.exists()
    client.force_login(cast(who))
    response = client.post(url, data)
    expected = write_status(who, 302)
    assert response.status_code == expected
    if expected == 302:
        activity = Activity.objects.get()
        assert list(activity.promises.all()) == [promise_a]
        assert activity.duration_minutes == 45
        assert activity.recorded_by == cast(who)
    else:
        assert not Activity.objects.exists()


def test_the_activity_log_rejects_bad_input_with_a_clear_message(client, staff_a, ward_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("promises:activity_log"),
        {"ward_code": ward_a.code, "ward": ward_a.pk, "kind": "patrol", "starts_at": "nonsense"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "When it started must be a real date and time" in body
    assert "Enter how long it took" in body


def test_a_promise_of_another_ward_cannot_be_ticked(client, staff_a, ward_a, borough_a):
    other = PromiseFactory(ward=f.WardFactory(borough=borough_a))
    client.force_login(staff_a)
    response = client.post(
        reverse("promises:activity_log"),
        {
            "ward_code": ward_a.code,
            "ward": ward_a.pk,
            "kind": "patrol",
            "starts_at": "2025-01-10T10:00",
            "duration_minutes": "30",
            "promises": [other.pk],
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_visit_to_a_place_counts_towards_the_wards_visit_promise(client, staff_a, ward_a):
    school = f.PlaceFactory(ward=ward_a, name="Haverstock School")
    started = earlier_this_month(hours=1)
    visit = VisitPromiseFactory(ward=ward_a, start=TODAY().replace(day=1))
    client.force_login(staff_a)
    client.post(
        reverse("promises:activity_log"),
        {
            "ward_code": ward_a.code,
            "ward": ward_a.pk,
            "kind": "visit",
            "place": school.pk,
            "starts_at": started.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "30",
        },
    )
    assert list(Activity.objects.get().promises.all()) == [visit]


def test_staff_record_a_patrol_promise_that_crosses_midnight(client, staff_a, ward_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("promises:promise_create"),
        {
            "title": "Patrol the high street on Friday and Saturday nights",
            "ward": ward_a.pk,
            "kind": "patrol",
            "agreed_on": "2025-01-05",
            "start": "2025-01-06",
            "area": "Malden Road",
            "days": ["4", "5"],
            "window_start": "22:00",
            "window_end": "02:00",
            "target": "2",
            "period": "week",
        },
    )
    promise = Promise.objects.get()
    assert response.status_code == 302
    assert (promise.days, promise.crosses_midnight, promise.owner_user) == ([4, 5], True, staff_a)
    assert promise.borough == ward_a.borough


def test_a_patrol_promise_needs_days_and_a_window(client, staff_a, ward_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("promises:promise_create"),
        {
            "title": "Patrol",
            "ward": ward_a.pk,
            "kind": "patrol",
            "agreed_on": "2025-01-05",
            "start": "2025-01-06",
            "area": "Malden Road",
            "target": "2",
            "period": "week",
        },
    )
    assert response.status_code == 200
    assert "Choose the days of the week" in response.content.decode()
    assert not Promise.objects.exists()


@pytest.mark.parametrize("who", ["staff_a", "commander_a", "inspector_b"])
def test_only_editors_of_the_borough_add_priorities_meetings_events_and_places(
    client, cast, who, ward_a
):
    client.force_login(cast(who))
    start = timezone.localtime() + datetime.timedelta(days=3)
    posts = {
        "priority_create": {"issue": "Drug dealing in the park", "action": "<p>Patrols</p>"},
        "panel_meeting_create": {"date": "2025-01-05", "attendees": "14"},
        "event_create": {
            "title": "Street briefing",
            "kind": "street_briefing",
            "address": "Outside the library",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
        "place_create": {"name": "St Dominic's Priory", "kind": "place_of_worship"},
    }
    for name, data in posts.items():
        response = client.post(reverse(f"promises:{name}", args=[ward_a.code]), data)
        assert response.status_code == write_status(who, 302), name
    created = [
        WardPriority.objects.count(),
        PanelMeeting.objects.count(),
        EngagementEvent.objects.count(),
        Place.objects.count(),
    ]
    assert created == ([1, 1, 1, 1] if who == "staff_a" else [0, 0, 0, 0])


def test_a_priority_action_is_sanitised(client, staff_a, ward_a):
    client.force_login(staff_a)
    client.post(
        reverse("promises:priority_create", args=[ward_a.code]),
        {"issue": "ASB", "action": '<p onclick="x()">Patrols <script>alert(1)</script>daily</p>'},
    )
    priority = WardPriority.objects.get()
    assert priority.action == "<p>Patrols daily</p>"
    assert priority.action_date is not None


def test_a_ward_keeps_at_most_the_configured_number_of_open_priorities(
    client, staff_a, ward_a, settings
):
    settings.PROMISES_MAX_OPEN_PRIORITIES = 2
    old = WardPriorityFactory(ward=ward_a)
    WardPriorityFactory(ward=ward_a)
    client.force_login(staff_a)
    url = reverse("promises:priority_create", args=[ward_a.code])

    response = client.post(url, {"issue": "A third one"})
    assert response.status_code == 200
    assert "already has 2 open priorities" in response.content.decode()

    client.post(reverse("promises:priority_close", args=[old.pk]))
    assert client.post(url, {"issue": "A third one"}).status_code == 302
    # History kept: the closed priority is still there.
    assert WardPriority.objects.filter(ward=ward_a).count() == 3
    assert WardPriority.objects.filter(ward=ward_a).open().count() == 2


def test_the_ward_page_runs_a_fixed_number_of_queries(
    client, staff_a, ward_a, assert_fixed_queries
):
    school = f.PlaceFactory(ward=ward_a)
    f.PlaceFactory(ward=ward_a)  # a second school, not visited yet

    def add(n):
        for _ in range(n):
            promises_with_activity(ward_a, start=TODAY().replace(day=1), place=school)
            WardPriorityFactory(ward=ward_a)

    add(1)
    client.force_login(staff_a)
    url = reverse("promises:ward_delivery", args=[ward_a.code])
    # user, user's boroughs, ward, promises, linked activity, places, priorities, meetings,
    # events, the navigation's boroughs
    before, after = assert_fixed_queries(lambda: client.get(url), lambda: add(4), queries=10)
    assert len(before.context["deliveries"]) == 4
    assert len(after.context["deliveries"]) == 20
    kinds = {d.promise.kind for d in after.context["deliveries"]}
    assert kinds == set(Promise.Kind.values)


def test_the_borough_page_runs_a_fixed_number_of_queries(
    client, inspector_a, borough_a, assert_fixed_queries
):
    def add(n):
        for _ in range(n):
            ward = f.WardFactory(borough=borough_a)
            promises_with_activity(ward, start=TODAY().replace(day=1))

    add(1)
    client.force_login(inspector_a)
    url = reverse("promises:borough_delivery", args=[borough_a.code])
    # user, user's boroughs, borough, promises, linked activity, places, nav boroughs
    before, after = assert_fixed_queries(lambda: client.get(url), lambda: add(4), queries=7)
    assert len(before.context["deliveries"]) == 4
    assert len(after.context["deliveries"]) == 20
    kinds = {d.promise.kind for d in after.context["deliveries"]}
    assert kinds == set(Promise.Kind.values)


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_the_forms_open_for_editors_only(client, cast, who, ward_a):
    urls = [
        reverse("promises:promise_create"),
        reverse("promises:activity_log"),
        reverse("promises:activity_log") + f"?ward={ward_a.code}",
        reverse("promises:place_import"),
    ]
    for url in urls:
        assert client.get(url).status_code == 302, url  # anonymous: to the sign-in page
    client.force_login(cast(who))
    editor = who in {
        "staff_a",
        "sergeant_a",
        "inspector_a",
        "chief_inspector_a",
        "admin_user",
        "inspector_b",
    }
    for url in urls[:2] + urls[3:]:
        assert client.get(url).status_code == (200 if editor else 403), url
    # The ward step: another borough's ward is not found.
    assert client.get(urls[2]).status_code == write_status(who, 200)
