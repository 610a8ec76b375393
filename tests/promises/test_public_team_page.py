"""The public team page's remaining parts: its promises in plain words, the next events (the
ones data.police.uk's API publishes), the ward on a map with a text alternative, only officers
who publish, and a cached copy that follows every change to what it shows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from promises.delivery import AT_RISK, MET, MISSED, ON_TRACK, Delivery
from promises.models import Promise
from promises.wording import in_plain_words
from tests import factories as f
from tests.promises.factories import (
    ActivityFactory,
    EngagementEventFactory,
    PatrolPromiseFactory,
    PromiseFactory,
    earlier_this_month,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 30)


def delivery(kind, done, target, status, period=Promise.Period.MONTH, title="Patrol the park."):
    promise = Promise(kind=kind, title=title, period=period, target=target)
    return Delivery(promise=promise, first=DAY, last=DAY, done=done, target=target, status=status)


@pytest.mark.parametrize(
    ("kind", "done", "target", "status", "period", "words"),
    [
        (Promise.Kind.PATROL, 3, 4, ON_TRACK, "month",
         "We promised: Patrol the park. This week we have done 3 of 4 patrols: on track."),
        (Promise.Kind.PATROL, 1, 1, MET, "month",
         "We promised: Patrol the park. This week we have done 1 of 1 patrol: done."),
        (Promise.Kind.VISIT_ALL, 2, 5, AT_RISK, "week",
         "We promised: Patrol the park. This month we have visited 2 of 5 places: behind, and "
         "we are working to catch up."),
        (Promise.Kind.ENGAGEMENT, 0, 2, MISSED, "week",
         "We promised: Patrol the park. This month we have done 0 of 2 events and meetings: "
         "not kept."),
        (Promise.Kind.CUSTOM, 4, 4, MET, "week",
         "We promised: Patrol the park. This week we have done 4 of 4 times: done."),
    ],
)  # fmt: skip
def test_a_promise_in_plain_words(kind, done, target, status, period, words):
    """A patrol promise runs by the week, visits and engagement by the month (whatever the
    record says), a custom promise by its own period."""
    assert in_plain_words(delivery(kind, done, target, status, period)) == words


def page(client, ward):
    return client.get(reverse("promises:public_team", args=[ward.code]))


def test_the_page_says_each_promise_and_its_delivery_in_words(client, ward_a, team_a):
    promise = PatrolPromiseFactory(
        ward=ward_a, title="Patrol Malden Road on Friday and Saturday nights",
        start=timezone.localdate() - datetime.timedelta(days=60),
    )  # fmt: skip
    body = page(client, ward_a).content.decode()
    expected = f"We promised: {promise.title}. This week we have done 0 of 2 patrols"
    assert expected in body


def test_the_next_events_are_the_ones_the_open_data_api_publishes(client, ward_a, team_a):
    soon = EngagementEventFactory(ward=ward_a, title="Coffee with a cop")
    later = EngagementEventFactory(
        ward=ward_a, title="Ward panel meeting",
        starts_at=soon.starts_at + datetime.timedelta(days=30),
        ends_at=soon.ends_at + datetime.timedelta(days=30),
    )  # fmt: skip
    EngagementEventFactory(
        ward=ward_a, title="Yesterday's surgery",
        starts_at=timezone.now() - datetime.timedelta(days=1, hours=2),
        ends_at=timezone.now() - datetime.timedelta(days=1, hours=1),
    )  # fmt: skip
    body = page(client, ward_a).content.decode()
    events = body[body.index('id="events"'):]
    assert events.index(soon.title) < events.index(later.title)
    assert "Yesterday's surgery" not in body
    published = client.get(f"/api/metropolitan/{ward_a.code}N/events").json()
    assert [e["title"] for e in published] == [soon.title, later.title]


def test_the_ward_is_on_a_map_with_a_text_alternative_and_no_code(client, ward_a, team_a):
    response = page(client, ward_a)
    body = response.content.decode()
    feature = response.context["map_areas"]["features"][0]
    assert feature["geometry"]["type"] == ward_a.boundary["type"] and "id" not in feature
    drawn = feature["geometry"]["coordinates"][0][0]
    held = ward_a.boundary["coordinates"][0][0]
    assert len(drawn) == len(held)
    for point, exact in zip(drawn, held, strict=True):
        assert all(abs(a - b) < 1e-6 for a, b in zip(point, exact, strict=True))
    assert 'aria-label="Map of Haverstock ward"' in body
    assert "Haverstock is a ward in Camden. The map shows its boundary." in body
    assert ward_a.code not in body.replace(f"/contact/{ward_a.code}/", "")
    assert "data-tile-url" not in body  # no tiles unless MAP_TILE_URL is set


def test_a_ward_without_a_boundary_says_so_and_draws_no_map(client, ward_a, team_a):
    ward_a.boundary = None
    ward_a.save(update_fields=["boundary"])
    body = page(client, ward_a).content.decode()
    assert "Its boundary is not available." in body and 'id="ward-map"' not in body


def test_tiles_only_where_a_tile_url_is_set(client, ward_a, team_a, settings):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in page(
        client, ward_a
    ).content.decode()


def test_an_officer_who_opted_out_is_not_published(client, ward_a, team_a):
    shown = f.OfficerFactory(first_name="Asha", last_name="Patel", borough=ward_a.borough)
    hidden = f.OfficerFactory(first_name="Jo", last_name="Quiet", borough=ward_a.borough,
                              publish=False)  # fmt: skip
    for officer in (shown, hidden):
        f.PostingFactory(officer=officer, team=team_a)
    body = page(client, ward_a).content.decode()
    assert "Asha Patel" in body and "Jo Quiet" not in body


def served_without_a_query(client, ward):
    with CaptureQueriesContext(connection) as queries:
        response = page(client, ward)
    return response, len(queries) == 0


def test_the_cached_page_follows_every_change_to_what_it_shows(client, ward_a, team_a, staff_a):
    """Kept (the next visitor runs no query) until a table it read is written to: then made
    afresh at once, not when a timer runs out."""
    promise = PromiseFactory(ward=ward_a, title="Hold two street briefings", target=2,
                             start=timezone.localdate().replace(day=1))  # fmt: skip
    first = page(client, ward_a)
    assert b"done 0 of 2" in first.content
    _, cached = served_without_a_query(client, ward_a)
    assert cached

    ActivityFactory(ward=ward_a, kind="street_briefing", promises=[promise],
                    starts_at=earlier_this_month(minutes=5),
                    recorded_by=staff_a)  # fmt: skip
    after_activity, cached = served_without_a_query(client, ward_a)
    assert not cached and b"done 1 of 2" in after_activity.content

    EngagementEventFactory(ward=ward_a, title="A new surgery")
    assert b"A new surgery" in page(client, ward_a).content

    officer = f.OfficerFactory(first_name="Newly", last_name="Posted", borough=ward_a.borough)
    f.PostingFactory(officer=officer, team=team_a)
    assert b"Newly Posted" in page(client, ward_a).content
    _, cached = served_without_a_query(client, ward_a)
    assert cached


def test_another_ward_s_change_leaves_the_page_cached_only_if_it_touches_no_table_read(
    client, ward_a, team_a, ward_b
):
    """Versions are per table, not per row: a change anywhere in a table the page read makes
    it afresh (correct, if sometimes more work); a table it never read does not."""
    page(client, ward_a)
    from demand.models import ReductionTarget  # a table the team page never reads

    assert ReductionTarget._meta.db_table
    from config import datacache

    datacache.bump(ReductionTarget._meta.db_table)
    _, cached = served_without_a_query(client, ward_a)
    assert cached
