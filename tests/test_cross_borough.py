"""An officer who transferred from borough B to borough A leaks nothing between them. A
borough records, for an officer, only the time the officer served in it (teams.history): A
cannot write into the days before the transfer through any record type or entry point (API,
page, roster import), and what A reads of the officer (their month, a flex request's wards,
conflicts and cover, the admin) never shows B's records.

The officer, Dana Cole (4242AW), was posted to Soho (B) and moved to Haverstock (A) on 25
November 2026. B recorded an abstraction and a duty for her before that."""

import datetime

import pytest
from django.urls import reverse

from config.timeutils import LONDON
from deployment import duties
from deployment.models import (
    Abstraction,
    AbstractionType,
    Commitment,
    Duty,
    FlexOfficer,
    FlexRequest,
    FlexStatus,
    RestDay,
)
from promises.models import Activity
from teams import services as teams
from tests import factories as f
from tests.conftest import api_client_for
from tests.pages import assert_error_summary, post_as
from tests.victims.conftest import offer_of, record_crime
from victims import services as victims
from wards.models import Ward

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)
MOVED = datetime.date(2026, 11, 25)  # her first day in A
BEFORE = datetime.date(2026, 11, 22)  # she served in B
AFTER = datetime.date(2026, 11, 26)  # she serves in A
B_EVENT = "Notting Hill Carnival aid"  # what only B's abstraction says


def at(day, hour) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(at(TODAY, 9), tick=False)


@pytest.fixture
def dana(borough_a, borough_b, team_a, team_b, staff_a, staff_b):
    officer = f.OfficerFactory(shoulder_number="4242AW", first_name="Dana", last_name="Cole",
                               borough=borough_b)
    f.PostingFactory(officer=officer, team=team_b, start_date=datetime.date(2025, 1, 1))
    court = AbstractionType.objects.get(code="court")
    duties.abstraction_record(
        officer=officer, abstraction_type=court, starts_at=at(datetime.date(2026, 11, 20), 10),
        ends_at=at(datetime.date(2026, 11, 20), 14), by=staff_b, significant_event=B_EVENT,
        authorised_by_name="Supt B",
    )
    duties.duty_record(officer=officer, starts_at=at(datetime.date(2026, 11, 21), 8),
                       ends_at=at(datetime.date(2026, 11, 21), 16), by=staff_b)
    teams.officer_transfer(officer=officer, to_borough=borough_a, effective_on=MOVED,
                           reason="Moved to Camden", by=staff_b)
    officer.refresh_from_db()
    teams.posting_create(officer=officer, team=team_a, role="dedicated", start_date=MOVED,
                         by=staff_a)
    return officer


def refused_as_not_served(response, field):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "not_served_here" and field in body, body
    assert "Westminster" not in str(body) and "Soho" not in str(body)  # B is not named


# -- writing: only the time she served in A ------------------------------------------------------

@pytest.mark.parametrize("day, ok", [(BEFORE, False), (AFTER, True)])
def test_a_duty_through_the_api(dana, client_of, day, ok):
    response = client_of("staff_a").post("/api/v1/duties/", {
        "officer": "4242AW", "date": day.isoformat(), "start": "08:00", "end": "16:00",
    }, format="json")
    if ok:
        assert response.status_code == 201
        assert response.json()["home_ward"] == "E05013660"
    else:
        refused_as_not_served(response, "officer")
        assert not Duty.objects.filter(officer=dana, starts_at__date=day).exists()


@pytest.mark.parametrize("day, ok", [(BEFORE, False), (AFTER, True)])
def test_an_abstraction_through_the_api(dana, borough_a, client_of, day, ok):
    response = client_of("staff_a").post("/api/v1/abstractions/", {
        "officer": "4242AW", "abstraction_type": "training",
        "starts_at": at(day, 9).isoformat(), "ends_at": at(day, 12).isoformat(),
        "significant_event": "Borough briefing", "authorised_by_name": "Supt A",
    }, format="json")
    if ok:
        assert response.status_code == 201
        assert response.json()["borough"] == borough_a.code
    else:
        refused_as_not_served(response, "starts_at")
        assert Abstraction.objects.filter(officer=dana).count() == 1  # B's own


def test_an_abstraction_across_her_transfer_is_refused(dana, client_of):
    response = client_of("staff_a").post("/api/v1/abstractions/", {
        "officer": "4242AW", "abstraction_type": "training",
        "starts_at": at(MOVED - datetime.timedelta(days=1), 9).isoformat(),
        "ends_at": at(MOVED, 12).isoformat(), "significant_event": "Briefing",
        "authorised_by_name": "Supt A",
    }, format="json")
    refused_as_not_served(response, "starts_at")


def test_the_duty_and_abstraction_pages(dana, client, staff_a):
    duty = post_as(client, staff_a, reverse("deployment:duty_new"), {
        "officer": dana.pk, "date": BEFORE.isoformat(), "start": "08:00", "end": "16:00",
        "kind": "home",
    })
    assert_error_summary(duty, "did not serve in your borough", field="id_officer")
    abstraction = post_as(client, staff_a, reverse("deployment:abstraction_new"), {
        "officer": dana.pk, "abstraction_type": AbstractionType.objects.get(code="training").pk,
        "start_date": BEFORE.isoformat(), "start": "09:00", "end_date": BEFORE.isoformat(),
        "end": "12:00", "significant_event": "Briefing", "authorised_by_name": "Supt A",
    })
    assert_error_summary(abstraction, "did not serve in your borough")
    assert Duty.objects.filter(officer=dana).count() == 1
    assert Abstraction.objects.filter(officer=dana).count() == 1


def test_the_roster_import(dana, client_of):
    body = (
        "shoulder_number,date,start,end,kind,abstraction_type,significant_event,authorised_by\n"
        f"4242AW,{BEFORE},08:00,16:00,home,,,\n"
        f"4242AW,{BEFORE + datetime.timedelta(days=1)},08:00,16:00,abstracted,training,"
        "Briefing,Supt A\n"
        f"4242AW,{AFTER},08:00,16:00,home,,,\n"
    )
    response = client_of("staff_a").generic(
        "POST", "/api/v1/duties/import/?valid_only=true", body, content_type="text/csv"
    )
    assert response.status_code == 201, response.json()
    assert [row["line"] for row in response.json()["rejected"]] == [2, 3]
    assert response.json()["imported"] == 1
    assert Abstraction.objects.filter(officer=dana).count() == 1


def test_a_flex_request_dated_before_her_transfer(dana, client_of, ward_a, borough_a):
    other = f.WardFactory(borough=borough_a, name="Kentish Town")
    body = {
        "to_ward": other.code, "officers": ["4242AW"], "daily_start": "08:00",
        "daily_end": "16:00", "problem": "Burglary series", "expected_benefit": "Fewer",
    }
    api = client_of("sergeant_a")
    before = api.post("/api/v1/flex-requests/", {
        **body, "start_date": BEFORE.isoformat(), "end_date": AFTER.isoformat()
    }, format="json")
    refused_as_not_served(before, "officers")
    after = api.post("/api/v1/flex-requests/", {
        **body, "start_date": TODAY.isoformat(), "end_date": TODAY.isoformat()
    }, format="json")
    assert after.status_code == 201
    assert after.json()["members"][0]["from_ward"] == ward_a.code


@pytest.mark.parametrize("day, ok", [(BEFORE, False), (AFTER, True)])
def test_a_visit_by_her(dana, staff_a, ward_a, day, ok):
    crime = record_crime(staff_a, ward=ward_a, reported=at(datetime.date(2026, 11, 19), 9))
    offer = offer_of(crime)
    victims.offer_make(offer=offer, by=staff_a, how="phone")
    victims.offer_respond(offer=offer, by=staff_a, response="accepted")
    schedule = api_client_for(staff_a).post(f"/api/v1/visit-offers/{offer.pk}/schedule/", {
        "officer": "4242AW", "window_start": at(day, 10).isoformat(),
        "window_end": at(day, 12).isoformat(),
    }, format="json")
    if ok:
        assert schedule.status_code == 200, schedule.json()
    else:
        refused_as_not_served(schedule, "officer")


@pytest.mark.parametrize("day, ok", [(BEFORE, False), (AFTER, True)])
def test_an_activity_with_her(dana, client_of, ward_a, day, ok):
    response = client_of("staff_a").post("/api/v1/activities/", {
        "ward": ward_a.code, "kind": "patrol", "starts_at": at(day, 10).isoformat(),
        "duration_minutes": 60, "officers": ["4242AW"],
    }, format="json")
    if ok:
        assert response.status_code == 201, response.json()
    else:
        refused_as_not_served(response, "officers")
        assert not Activity.objects.exists()


def test_b_keeps_recording_nothing_of_her_after_she_left(dana, client_of):
    """B no longer sees her at all: her later time is A's."""
    response = client_of("staff_b").post("/api/v1/duties/", {
        "officer": "4242AW", "date": AFTER.isoformat(), "start": "08:00", "end": "16:00",
    }, format="json")
    assert response.status_code == 400
    assert "officer" in response.json()


# -- reading: nothing of B through her ------------------------------------------------------------

def test_her_month_shows_a_only_what_a_recorded(dana, client, staff_a, staff_b):
    duties.abstraction_record(
        officer=dana, abstraction_type=AbstractionType.objects.get(code="training"),
        starts_at=at(AFTER, 9), ends_at=at(AFTER, 12), by=staff_a,
        significant_event="Camden briefing", authorised_by_name="Supt A",
    )
    url = reverse("deployment:officer_month", args=["4242AW", 2026, 11])
    client.force_login(staff_a)
    page = client.get(url).content.decode()
    assert "Training" in page  # A's own abstraction
    assert "Court" not in page and "Soho" not in page  # nothing of B's
    duties_of_a = api_client_for(staff_a).get("/api/v1/abstractions/?officer=4242AW").json()
    assert [a["significant_event"] for a in duties_of_a["results"]] == ["Camden briefing"]


def test_bs_ward_calendar_shows_none_of_as_records(dana, client, staff_a, staff_b, ward_b):
    duties.abstraction_record(
        officer=dana, abstraction_type=AbstractionType.objects.get(code="training"),
        starts_at=at(AFTER, 9), ends_at=at(AFTER, 12), by=staff_a,
        significant_event="Camden briefing", authorised_by_name="Supt A",
    )
    client.force_login(staff_b)
    page = client.get(reverse("deployment:ward_calendar", args=[ward_b.code, 2026, 11]))
    assert "Court" in page.content.decode()  # B's own, before she left
    assert "Training" not in page.content.decode()


@pytest.fixture
def legacy_flex(dana, borough_a, ward_a, ward_b, sergeant_a):
    """A request A raised before the rule held: dated before her transfer, from B's ward,
    with B's abstraction in its days."""
    flex = FlexRequest.objects.create(
        borough=borough_a, to_ward=f.WardFactory(borough=borough_a), start_date=BEFORE,
        end_date=AFTER, daily_start=datetime.time(8), daily_end=datetime.time(16),
        problem="Burglary", expected_benefit="Fewer", status=FlexStatus.SUBMITTED,
        requested_by=sergeant_a,
    )
    FlexOfficer.objects.create(flex_request=flex, officer=dana, from_ward=ward_b)
    Commitment.objects.filter(officer=dana).update(  # B's abstraction falls in its days
        starts_at=at(BEFORE, 10), ends_at=at(BEFORE, 14))
    return flex


def test_a_request_shows_none_of_bs_wards_conflicts_or_cover(legacy_flex, client, inspector_a,
                                                             ward_b):
    detail = api_client_for(inspector_a).get(f"/api/v1/flex-requests/{legacy_flex.pk}/").json()
    assert detail["members"][0]["from_ward"] is None
    assert detail["conflicts"] == []
    # Cover is checked for the wards she serves in A (the protocol checks every day), never B's.
    assert {g["ward"] for g in detail["cover_gaps"]} <= set(
        Ward.objects.filter(borough=legacy_flex.borough).values_list("code", flat=True)
    )
    assert ward_b.code not in str(detail) and B_EVENT not in str(detail)
    client.force_login(inspector_a)
    for url in (legacy_flex.get_absolute_url(), reverse("deployment:flex_queue")):
        page = client.get(url).content.decode()
        assert "Soho" not in page and "Court" not in page, url


def test_her_admin_page_shows_none_of_bs_postings(dana, client, staff_a, team_b, team_a):
    staff_a.is_staff = True
    staff_a.save()
    client.force_login(staff_a)
    page = client.get(reverse("admin:teams_officer_change", args=[dana.pk])).content.decode()
    assert team_a.name in page
    assert team_b.name not in page


@pytest.mark.parametrize("day, ok", [(BEFORE, False), (AFTER, True)])
def test_a_rest_day_through_the_api_and_the_roster(dana, client_of, day, ok):
    """A rest day belongs to the borough she served in on its date, as her duties do."""
    response = client_of("staff_a").post(
        "/api/v1/rest-days/", {"officer": "4242AW", "date": day.isoformat()}, format="json"
    )
    if ok:
        assert response.status_code == 201, response.json()
        assert response.json()[0]["borough"] == "E09000007"
    else:
        refused_as_not_served(response, "officer")
    roster = client_of("staff_a").generic(
        "POST", "/api/v1/duties/import/?valid_only=true",
        f"shoulder_number,date,start,end,kind\n4242AW,{day - datetime.timedelta(days=1)},,,rest\n",
        content_type="text/csv",
    )
    assert roster.json()["imported"] == int(ok), roster.json()
    assert RestDay.objects.filter(officer=dana).count() == 2 * int(ok)


# -- the borough she left keeps reading its own records of her ------------------------------------

def her_month(client, user, year, month):
    client.force_login(user)
    return client.get(reverse("deployment:officer_month", args=["4242AW", year, month]))


def test_b_reads_her_month_before_she_left_and_nothing_of_a(dana, client, staff_a, staff_b):
    """B's ward calendar and duty list still show what B recorded of her, and link to her month:
    B reads it there (its own records only), learns nothing of where she went, and is offered
    no recording for her (that is A's now)."""
    duties.abstraction_record(
        officer=dana, abstraction_type=AbstractionType.objects.get(code="training"),
        starts_at=at(AFTER, 9), ends_at=at(AFTER, 12), by=staff_a,
        significant_event="Camden briefing", authorised_by_name="Supt A",
    )
    client.force_login(staff_b)
    calendar = client.get(reverse("deployment:ward_calendar", args=["E05013806", 2026, 11]))
    month_url = reverse("deployment:officer_month", args=["4242AW", 2026, 11])
    assert month_url in calendar.content.decode()  # B's calendar links to her month
    page = client.get(month_url)
    assert page.status_code == 200
    content = page.content.decode()
    assert [d.starts_at for d in page.context["duties"]] == [at(datetime.date(2026, 11, 21), 8)]
    assert "Court" in content  # B's own abstraction
    assert "Training" not in content and "Camden" not in content  # nothing of A, not even A
    assert "Westminster · 4242AW" in content
    assert "Record a duty" not in content
    assert f'href="{dana.get_absolute_url()}"' not in content  # her page is A's: no dead link


def test_b_cannot_read_her_months_after_she_left(dana, client, staff_b):
    assert her_month(client, staff_b, 2026, 12).status_code == 404


def test_a_reads_her_month_as_her_borough_with_recording_offered(dana, client, staff_a):
    content = her_month(client, staff_a, 2026, 11).content.decode()
    assert "Camden · 4242AW" in content and "Record a duty" in content
    assert "Court" not in content


def test_a_borough_she_never_served_in_cannot_read_her(dana, client, borough_a2):
    outsider = f.UserFactory(boroughs=[borough_a2])
    assert her_month(client, outsider, 2026, 11).status_code == 404
