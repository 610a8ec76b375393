"""Each role's home page shows that person's work, with counts, most urgent first, and each
role's menu holds what they may open (config.panels, config.menu). Query counts pinned per role:
more rows do not mean more queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from config import menu
from deployment.models import FlexStatus
from tests import factories as f
from tests.promises import factories as pf
from tests.reports.conftest import abstraction, at, duty, flex
from tests.victims.conftest import offer_of, record_crime

pytestmark = pytest.mark.django_db


def _now():
    return timezone.localtime().replace(second=0, microsecond=0)  # duties are in whole minutes


def home_of(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def menu_of(user) -> list[str]:
    boroughs = list(user.boroughs.all())
    return [text for _href, text in menu.entries(user, boroughs)]


def _submitted(borough, ward, by, n):
    today = timezone.localdate()
    return [
        flex(borough, ward, [], today + datetime.timedelta(days=3 + i),
             today + datetime.timedelta(days=10 + i), by=by, status=FlexStatus.SUBMITTED,
             submitted_at=timezone.now() - datetime.timedelta(days=n - i))
        for i in range(n)
    ]


# -- what each role sees first ------------------------------------------------------------------

def test_an_inspector_sees_what_waits_for_their_decision(client, inspector_a, borough_a, ward_a,
                                                         staff_a, borough_b, ward_b):
    oldest, _newer = _submitted(borough_a, ward_a, staff_a, 2)
    _submitted(borough_b, ward_b, staff_a, 1)  # another borough's: not theirs
    today = timezone.localdate()
    # Running for 20 days, reached its review day 6 days ago, never reviewed.
    flex(borough_a, ward_a, [], today - datetime.timedelta(days=20),
         today + datetime.timedelta(days=5), by=staff_a)
    # A 7-day flex that ended before its 14-day review day: no review is due.
    flex(borough_a, ward_a, [], today - datetime.timedelta(days=20),
         today - datetime.timedelta(days=14), by=staff_a)
    page = home_of(client, inspector_a)
    assert "<strong>2</strong> flex requests to decide" in page
    assert "<strong>1</strong> 14-day review due" in page
    assert page.index(f"#{oldest.pk} to") < page.index("Your boroughs")  # most urgent first
    assert "Decisions" in menu_of(inspector_a) and "Grip and Pace" in menu_of(inspector_a)


def test_a_sergeant_has_the_log_one_tap_away_their_flexes_and_promises_at_risk(
    client, sergeant_a, borough_a, ward_a
):
    today = timezone.localdate()
    mine = flex(borough_a, ward_a, [], today + datetime.timedelta(days=2),
                today + datetime.timedelta(days=9), by=sergeant_a, status=FlexStatus.DRAFT)
    # Twelve patrols a week, none done, the week nearly over: at risk or missed.
    promise = pf.PromiseFactory(ward=ward_a, owner_user=sergeant_a, title="Patrol the estate",
                                target=50, start=today - datetime.timedelta(days=30))
    page = home_of(client, sergeant_a)
    assert page.index("Log an activity") < page.index("Your flex requests (1)")
    assert f"#{mine.pk} to {ward_a.name}" in page
    assert "Promises at risk (1)" in page and promise.title in page
    assert "Grip and Pace" not in menu_of(sergeant_a)
    assert "Log activity" in menu_of(sergeant_a)


def test_staff_see_overdue_offers_their_recording_and_the_ways_to_record(
    client, staff_a, borough_a, ward_a
):
    crime = record_crime(staff_a, ward=ward_a)
    offer = offer_of(crime)
    offer.due_date = timezone.localdate() - datetime.timedelta(days=2)
    offer.save(update_fields=["due_date"])
    officer = f.OfficerFactory(borough=borough_a)
    now = _now()
    duty(officer, ward_a, now - datetime.timedelta(hours=8), now, by=staff_a)
    page = home_of(client, staff_a)
    assert "Overdue victim offers (1)" in page and crime.reference in page
    assert "you recorded <strong>1</strong> duty and <strong>0</strong> abstractions" in page
    for text in ("Record duty", "Record abstraction", "Upload roster"):
        assert text in page and text in menu_of(staff_a)
    assert "Record rest days" in page
    assert page.index("Overdue victim offers") < page.index("Your recording")


@pytest.mark.parametrize("who", ["chief_inspector_a", "commander_a", "hq"])
def test_the_senior_team_has_grip_and_pace_and_the_latest_reports(client, cast, borough_a,
                                                                  borough_b, who):
    user = cast(who)
    page = home_of(client, user)
    assert reverse("reports:grip_and_pace", args=[borough_a.code]) in page
    assert (reverse("reports:grip_and_pace", args=[borough_b.code]) in page) == (who == "hq")
    assert "Latest reports" in page and "Grip and Pace" in menu_of(user)


def test_api_docs_are_in_the_footer_not_the_menu(client, staff_a):
    page = home_of(client, staff_a)
    assert "API docs" not in menu_of(staff_a)
    assert page.count("/api/v1/docs/") == 1
    assert page.index("/api/v1/docs/") > page.index('<footer class="govuk-footer">')


def test_a_single_boroughs_grip_and_pace_is_one_tap_from_the_menu(client, inspector_a,
                                                                   borough_a):
    boroughs = list(inspector_a.boroughs.all())
    hrefs = dict((text, href) for href, text in menu.entries(inspector_a, boroughs))
    assert hrefs["Grip and Pace"] == reverse("reports:grip_and_pace", args=[borough_a.code])


# -- the constable ------------------------------------------------------------------------------

def test_a_constable_sees_their_own_work_only(client, constable_a, borough_a, ward_a, staff_a):
    now = _now()
    duty(constable_a.officer, ward_a, now + datetime.timedelta(hours=2),
         now + datetime.timedelta(hours=10), by=staff_a)
    page = home_of(client, constable_a)
    assert "Log an activity" in page and "Your next duties" in page
    assert "Your boroughs" not in page
    assert menu_of(constable_a) == [
        "Log activity", "Your duties", "Your ward's promises", "Messages"
    ]


# -- query counts, per role ---------------------------------------------------------------------

def _more_work(borough, ward, staff, sergeant):
    """More of everything every home panel reads."""
    _submitted(borough, ward, staff, 3)
    today = timezone.localdate()
    flex(borough, ward, [], today, today + datetime.timedelta(days=7), by=sergeant,
         status=FlexStatus.DRAFT)
    officer = f.OfficerFactory(borough=borough)
    now = _now()
    for hours in (30, 20, 10):
        duty(officer, ward, now - datetime.timedelta(hours=hours),
             now - datetime.timedelta(hours=hours - 8), by=staff)
    abstraction(officer, "court", at(2026, 3, 3, 9), at(2026, 3, 3, 12), by=staff)
    pf.PromiseFactory(ward=ward, owner_user=staff, target=40,
                      start=today - datetime.timedelta(days=30))
    for _ in range(2):
        offer = offer_of(record_crime(staff, ward=ward))
        offer.due_date = today - datetime.timedelta(days=3)
        offer.save(update_fields=["due_date"])


# Per role: the session's user and their boroughs (2; HQ sees all: 1), the menu's boroughs (1;
# none for a constable), then each of the role's panels' own.
HOME_QUERIES = {
    # decisions: the counts and the oldest waiting (2); teams.boroughs: boroughs, cover (2)
    "inspector_a": 3 + 2 + 2,
    # own flexes (1); promises at risk: promises, their activities (2) (no officer linked: no
    # own wards); teams.boroughs (2)
    "sergeant_a": 3 + 1 + 2 + 2,
    # overdue offers: count, rows (2); recording: duties, abstractions (2); imports (1);
    # teams.boroughs (2)
    "staff_a": 3 + 2 + 2 + 1 + 2,
    # Grip and Pace's boroughs and the latest reports (2); teams.boroughs (2)
    "commander_a": 3 + 2 + 2,
    "hq": 2 + 2 + 2,
    # the linked officer (1); own duties (1); promises at risk: own wards, promises, activities
    # (3); their team's open messages: rows, count (2); the menu's own ward (1)
    "constable_a": 2 + 1 + 1 + 3 + 2 + 1,
}


@pytest.mark.parametrize("who", sorted(HOME_QUERIES))
def test_each_role_home_runs_a_fixed_number_of_queries(client, cast, borough_a, ward_a, team_a,
                                                       staff_a, sergeant_a,
                                                       assert_fixed_queries, who):
    user = cast(who)
    client.force_login(user)
    _more_work(borough_a, ward_a, staff_a, sergeant_a)  # every panel has rows to show
    before, after = assert_fixed_queries(
        lambda: client.get(reverse("home")),
        lambda: _more_work(borough_a, ward_a, staff_a, sergeant_a),
        queries=HOME_QUERIES[who],
    )
    assert before.status_code == after.status_code == 200
