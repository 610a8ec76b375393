"""The public pages: no login, nothing personal beyond officers' names and ranks.

Decided: shoulder numbers are NOT public (they identify an officer on duty records); user
accounts, emails of staff, activity notes and who logged what never appear."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from promises.models import Promise
from teams.models import Posting, Rank
from tests import factories as f
from tests.promises.factories import (
    ActivityFactory,
    EngagementEventFactory,
    PromiseFactory,
    WardPriorityFactory,
    earlier_this_month,
    promises_with_activity,
)

pytestmark = pytest.mark.django_db


def month_start():
    return timezone.localdate().replace(day=1)


@pytest.fixture
def public_team(team_a, ward_a, staff_a):
    staff_a.email = "staff.private@met.police.example"
    staff_a.save()
    pc = f.OfficerFactory(
        first_name="Priya", last_name="Shah", shoulder_number="7016EA", borough=ward_a.borough
    )
    sgt = f.OfficerFactory(
        first_name="Tom",
        last_name="Reed",
        shoulder_number="21EA",
        rank=Rank.SERGEANT,
        borough=ward_a.borough,
    )
    f.PostingFactory(officer=pc, team=team_a)
    f.PostingFactory(officer=sgt, team=team_a, role=Posting.Role.SUPERVISOR)
    promise = PromiseFactory(
        ward=ward_a,
        owner_user=staff_a,
        title="Hold a street briefing every month",
        start=month_start(),
        target=2,
    )
    ActivityFactory(
        ward=ward_a,
        kind="street_briefing",
        starts_at=earlier_this_month(minutes=5),
        promises=[promise],
        notes="Spoke to the victim at 12 Malden Road about her burglary",
        recorded_by=staff_a,
    )
    ActivityFactory.create(ward=ward_a).officers.set([pc])
    WardPriorityFactory(ward=ward_a, issue="Drug dealing on the estate", action="<p>Patrols</p>")
    WardPriorityFactory(ward=ward_a, issue="An old closed priority", closed_on=month_start())
    EngagementEventFactory(ward=ward_a, title="Coffee with a cop")
    EngagementEventFactory(
        ward=ward_a,
        title="Last year's fete",
        starts_at=timezone.now() - datetime.timedelta(days=400),
        ends_at=timezone.now() - datetime.timedelta(days=400, hours=-1),
    )
    return team_a


def test_the_team_page_shows_the_public_picture_without_login(client, public_team):
    response = client.get(reverse("promises:public_team", args=[public_team.ward.code]))
    body = response.content.decode()

    assert response.status_code == 200
    assert "Haverstock neighbourhood team" in body
    assert "Sergeant Tom Reed" in body and "PC Priya Shah" in body
    assert body.index("Tom Reed") < body.index("Priya Shah")  # most senior first
    assert public_team.email in body and public_team.phone in body
    assert "Drug dealing on the estate" in body and "<p>Patrols</p>" in body
    assert "Hold a street briefing every month" in body
    assert "1 of 2" in body
    assert "Coffee with a cop" in body


def test_the_team_page_shows_nothing_that_is_not_public(client, public_team, staff_a):
    body = client.get(reverse("promises:public_team", args=[public_team.ward.code])).content
    body = body.decode()

    assert "7016EA" not in body and "21EA" not in body  # shoulder numbers
    assert "staff.private@met.police.example" not in body  # staff users' emails
    assert "staff_a" not in body  # user accounts (who logged or owns what)
    assert "Malden Road" not in body and "victim" not in body  # activity notes
    assert "An old closed priority" not in body  # current priorities only
    assert "Last year's fete" not in body  # upcoming events only
    assert "Sign out" not in body


def test_a_signed_in_visitor_sees_the_same_public_page_and_nothing_of_their_session(
    client, public_team, staff_a
):
    client.force_login(staff_a)
    response = client.get(reverse("promises:public_team", args=[public_team.ward.code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sign out" not in body and "staff_a" not in body


def test_the_team_page_is_cacheable(client, public_team, settings):
    url = reverse("promises:public_team", args=[public_team.ward.code])
    response = client.get(url)
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert f"max-age={settings.PROMISES_PUBLIC_CACHE_SECONDS}" in cache_control
    assert "Set-Cookie" not in response.headers
    # One shared copy for every anonymous visitor.
    assert "Cookie" not in response.get("Vary", "")


def test_the_team_page_runs_a_fixed_number_of_queries(client, ward_a, team_a, assert_fixed_queries):
    from django.core.cache import cache

    school = f.PlaceFactory(ward=ward_a)
    f.PlaceFactory(ward=ward_a)  # a second school, not visited yet

    def add(n):
        for _ in range(n):
            f.PostingFactory(officer=f.OfficerFactory(borough=ward_a.borough), team=team_a)
            promises_with_activity(ward_a, start=month_start(), place=school)
            WardPriorityFactory(ward=ward_a)
            EngagementEventFactory(ward=ward_a)

    add(1)
    url = reverse("promises:public_team", args=[ward_a.code])

    def fetch():
        cache.clear()  # the page is cached: measure the work behind it
        return client.get(url)

    # ward with borough, team and cluster; postings with officers; promises; linked activity;
    # places of visit promises; priorities; events
    before, after = assert_fixed_queries(fetch, lambda: add(4), queries=7)
    assert len(before.context["deliveries"]) == 4
    assert len(after.context["deliveries"]) == 20
    assert {d.promise.kind for d in after.context["deliveries"]} == set(Promise.Kind.values)
    # Cached: the second request runs no query at all.
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == 0


def test_an_unknown_ward_is_not_found(client, db):
    assert client.get(reverse("promises:public_team", args=["E05999999"])).status_code == 404


def test_the_team_page_offers_tap_to_call_and_no_internal_codes(client, public_team):
    public_team.phone = "020 7123 4567"
    public_team.save()
    body = client.get(reverse("promises:public_team", args=[public_team.ward.code])).content
    body = body.decode()
    assert 'href="tel:+442071234567"' in body
    assert 'href="tel:999"' in body
    code = public_team.ward.code
    for own_address in ("promises:public_team", "contact:send"):
        body = body.replace(reverse(own_address, args=[code]), "")
    assert code not in body  # the ONS code only in the team's own addresses (page, contact form)
    assert "data.police.uk neighbourhood" not in body


def test_a_date_at_the_end_of_the_calendar_is_never_published(client, public_team, ward_a):
    end_of_time = datetime.datetime(9999, 12, 31, 12, tzinfo=datetime.UTC)
    WardPriorityFactory(ward=ward_a, issue="Dated at the end of time", issue_date=end_of_time)
    EngagementEventFactory(
        ward=ward_a,
        title="Runs for ever",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        ends_at=end_of_time,
    )
    body = client.get(reverse("promises:public_team", args=[ward_a.code])).content.decode()
    assert "Dated at the end of time" in body and "Runs for ever" in body
    assert "9999" not in body
    assert "to no end date" in body


def test_an_event_over_several_days_shows_the_day_it_ends(client, public_team, ward_a):
    starts = timezone.now() + datetime.timedelta(days=1)
    EngagementEventFactory(
        ward=ward_a,
        title="Weekend fair",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(days=2),
    )
    body = client.get(reverse("promises:public_team", args=[ward_a.code])).content.decode()
    ends = timezone.localtime(starts + datetime.timedelta(days=2))
    assert f"{ends:%A} {ends.day} {ends:%B %Y}" in body


def test_a_priority_cannot_be_dated_in_the_future(client_of, ward_a):
    response = client_of("staff_a").post(
        "/api/v1/priorities/",
        {"ward": ward_a.code, "issue": "ASB", "issue_date": "9999-12-31T12:00:00Z"},
        format="json",
    )
    assert response.status_code == 400
    assert "issue_date" in response.json(), response.json()
