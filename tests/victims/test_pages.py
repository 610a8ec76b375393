"""Victims' pages: work lists, a crime's page and its forms, figures, the view log. Anonymous,
each role, own borough and another."""

import datetime

import pytest
from django.utils import timezone

from tests.pages import signed_in
from tests.victims.conftest import offer_of, record_crime, to_scheduled, victim
from tests.victims.factories import ALL, WORKERS_OF_A, crime_form
from victims import services
from victims.models import OfferStatus, VictimViewLog

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ALL)
def test_crime_page_names_victims_only_to_borough_workers(client, cast, crime_a, who):
    response = signed_in(client, cast(who)).get(crime_a.get_absolute_url())
    if who == "inspector_b":
        assert response.status_code == 404
        return
    assert response.status_code == 200
    name = crime_a.victims.get().name
    logged = VictimViewLog.objects.filter(user__username=who, where="crime page").count()
    if who in WORKERS_OF_A:
        assert name in response.text and "Record an offer attempt" in response.text
        assert logged == 1
    else:
        assert name not in response.text and "Record an offer attempt" not in response.text
        assert logged == 0


@pytest.mark.parametrize("who", ALL)
def test_ward_work_list_by_role(client, cast, crime_a, who):
    response = signed_in(client, cast(who)).get("/victims/wards/E05013660/")
    if who == "inspector_b":
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert crime_a.reference in response.text
    assert (crime_a.victims.get().name in response.text) == (who in WORKERS_OF_A)


def test_work_list_puts_overdue_first_and_highlights_repeats(client, staff_a, ward_a, pc_a):
    now = timezone.now()
    fresh = record_crime(
        staff_a, ward=ward_a, reported=now, victims=[victim(name="Fresh", phone="1")]
    )
    old = record_crime(staff_a, ward=ward_a, reported=now - datetime.timedelta(days=10))
    repeat = record_crime(staff_a, ward=ward_a, victims=[victim(name="Fresh", phone="1")])
    today = record_crime(staff_a, ward=ward_a)
    offer = to_scheduled(offer_of(today), staff_a, pc_a)
    start = timezone.localtime()  # a window today, after the report
    services.visit_reschedule(
        offer=offer,
        by=staff_a,
        officer=pc_a,
        window_start=start,
        window_end=start + datetime.timedelta(hours=1),
        reason="Sooner",
    )
    cid = record_crime(staff_a, ward=ward_a, slug="domestic-abuse")
    text = signed_in(client, staff_a).get("/victims/wards/E05013660/").text
    due = text.split("Visits to schedule")[0]
    assert due.index(old.reference) < due.index(fresh.reference)
    assert "Overdue" in due and "A repeat within London" in due
    assert repeat.reference in due and cid.reference not in text
    visits_today = text.split("Visits today", 1)[1].split("Visits later this week")[0]
    assert today.reference in visits_today
    cid_text = client.get("/victims/cid/E09000007/").text
    assert cid.reference in cid_text and fresh.reference not in cid_text


def test_work_list_runs_fixed_queries(client, staff_a, ward_a, pc_a, assert_fixed_queries):
    signed_in(client, staff_a)
    record_crime(staff_a, ward=ward_a)

    def more():
        for _ in range(3):
            crime = record_crime(staff_a, ward=ward_a, victims=[victim(), victim()])
            to_scheduled(offer_of(crime), staff_a, pc_a)

    # user, borough ids, ward, the 4 lists, the view log insert (in a savepoint: 3),
    # the nav's boroughs.
    before, after = assert_fixed_queries(
        lambda: client.get("/victims/wards/E05013660/"), more, queries=9
    )
    assert before.status_code == after.status_code == 200


def test_the_whole_journey_through_the_forms(client, staff_a, ward_a, pc_a):
    signed_in(client, staff_a)
    response = client.post("/victims/crimes/new/", crime_form(ward_a, [{
        "name": "Pia Page", "phone": "0770", "preferred_contact": "phone",
        "consents_to_referral": "on",
    }]))  # fmt: skip
    assert response.status_code == 302, response.content
    crime = ward_a.crimes.get()
    offer = offer_of(crime)
    base = f"/victims/offers/{offer.pk}"
    p = f"o{offer.pk}"
    assert client.post(f"{base}/offer/", {f"{p}-offer-how": "phone"}).status_code == 302
    assert client.post(f"{base}/respond/", {f"{p}-respond-response": "accepted"}).status_code == 302
    start = timezone.localtime() - datetime.timedelta(hours=1)
    end = start + datetime.timedelta(hours=3)
    assert client.post(f"{base}/schedule/", {
        f"{p}-schedule-officer": pc_a.pk,
        f"{p}-schedule-window_start": start.strftime("%Y-%m-%dT%H:%M"),
        f"{p}-schedule-window_end": end.strftime("%Y-%m-%dT%H:%M"),
    }).status_code == 302  # fmt: skip
    response = client.post(f"{base}/complete/", {
        f"{p}-complete-needs_assessment_done": "on", f"{p}-complete-referral_made": "on",
        f"{p}-complete-satisfaction": "5",
    })  # fmt: skip
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.status, offer.satisfaction, offer.referral_made) == (
        OfferStatus.COMPLETED,
        5,
        True,
    )


def test_a_refused_step_shows_the_error_summary(client, staff_a, crime_a):
    offer = offer_of(crime_a)
    response = signed_in(client, staff_a).post(
        f"/victims/offers/{offer.pk}/cancel/", {f"o{offer.pk}-cancel-reason": "x"}
    )
    assert response.status_code == 400
    assert (
        "There is a problem" in response.text and "cannot become visit cancelled" in response.text
    )


def test_bad_crime_form_shows_errors(client, staff_a, ward_a):
    response = signed_in(client, staff_a).post("/victims/crimes/new/", {"reference": ""})
    assert response.status_code == 400 and "There is a problem" in response.text


@pytest.mark.parametrize("who", ["commander_a", "hq", "admin_user"])
def test_roles_without_a_working_need_cannot_act(client, cast, crime_a, who):
    offer = offer_of(crime_a)
    response = signed_in(client, cast(who)).post(
        f"/victims/offers/{offer.pk}/offer/", {f"o{offer.pk}-offer-how": "phone"}
    )
    assert response.status_code == 403
    assert signed_in(client, cast(who)).get("/victims/crimes/new/").status_code == 403


def test_outsiders_get_404_on_actions(client, inspector_b, crime_a):
    offer = offer_of(crime_a)
    response = signed_in(client, inspector_b).post(f"/victims/offers/{offer.pk}/offer/", {})
    assert response.status_code == 404


def test_repeat_victims_page_shows_earlier_crimes(client, staff_a, ward_a):
    first = record_crime(staff_a, ward=ward_a, victims=[victim(name="Ray", phone="5")])
    again = record_crime(staff_a, ward=ward_a, victims=[victim(name="Ray", phone="5")])
    text = signed_in(client, staff_a).get(again.get_absolute_url()).text
    assert "Earlier crimes" in text and first.reference in text


@pytest.mark.parametrize("who, code", [("inspector_a", 200), ("commander_a", 200), ("hq", 200),
                                       ("inspector_b", 404)])  # fmt: skip
def test_figures_by_role(client, cast, staff_a, ward_a, pc_a, who, code):
    crime = record_crime(staff_a, ward=ward_a)
    to_scheduled(offer_of(crime), staff_a, pc_a)
    record_crime(staff_a, ward=ward_a)
    response = signed_in(client, cast(who)).get("/victims/boroughs/E09000007/figures/")
    assert response.status_code == code
    if code == 200:
        assert "Haverstock" in response.text and "50%" in response.text  # offer rate 1 of 2
        assert crime.victims.get().name not in response.text


def test_figures_count(staff_a, ward_a, pc_a):
    from victims.models import VisitOffer
    from victims.selectors import borough_figures

    a = record_crime(staff_a, ward=ward_a, victims=[victim(consents_to_referral=True), victim()])
    offer = to_scheduled(offer_of(a), staff_a, pc_a)
    services.visit_complete(
        offer=offer, by=staff_a, needs_assessment_done=True, referral_made=False,
        crime_prevention_advice=False, satisfaction=4, at=offer.window_start,
    )  # fmt: skip
    declined = services.offer_make(offer=offer_of(a, 1), by=staff_a, how="phone")
    services.offer_respond(offer=declined, by=staff_a, response="declined")
    record_crime(staff_a, ward=ward_a)
    f = borough_figures(VisitOffer.objects.all()).total
    assert (f.victims, f.offers_made, f.on_time, f.accepted, f.completed) == (3, 2, 2, 1, 1)
    assert (f.offer_rate, f.acceptance_rate, f.completed_on_time_rate, f.satisfaction) == (
        67,
        50,
        100,
        4.0,
    )


def test_figures_run_fixed_queries(client, hq, staff_a, ward_a, assert_fixed_queries):
    signed_in(client, hq)
    record_crime(staff_a, ward=ward_a)

    def more():
        for _ in range(4):
            record_crime(staff_a, ward=ward_a)

    # user, the borough, one aggregate by ward and month, the nav: the same whatever the crimes.
    before, after = assert_fixed_queries(
        lambda: client.get("/victims/boroughs/E09000007/figures/"), more, queries=4
    )
    assert before.context["figures"].total.victims == 1
    assert after.context["figures"].total.victims == 5


@pytest.mark.parametrize("who, code", [("hq", 200), ("admin_user", 200), ("commander_a", 403),
                                       ("staff_a", 403), ("inspector_a", 403)])  # fmt: skip
def test_the_view_log_is_for_hq(client, cast, staff_a, crime_a, who, code):
    signed_in(client, staff_a).get(crime_a.get_absolute_url())
    client.logout()
    response = signed_in(client, cast(who)).get("/victims/view-log/")
    assert response.status_code == code
    if code == 200:
        assert "staff_a" in response.text and crime_a.reference in response.text


@pytest.mark.parametrize("who", ALL)
def test_index_lists_own_boroughs_and_their_wards(client, cast, crime_a, crime_b, who):
    response = signed_in(client, cast(who)).get("/victims/")
    assert response.status_code == 200
    assert ("Haverstock" in response.text) == (who != "inspector_b")
    assert ("Soho" in response.text) == (who in ("hq", "admin_user", "inspector_b"))
    assert ("Record a crime" in response.text) == (who in WORKERS_OF_A | {"inspector_b"})


def test_work_list_views_are_logged(client, staff_a, crime_a):
    signed_in(client, staff_a).get("/victims/wards/E05013660/")
    log = VictimViewLog.objects.get()
    assert (log.user, log.victim, log.where) == (staff_a, crime_a.victims.get(), "work list")


# --- the work list sorted and exported ------------------------------------------------------


def _due_section(text):
    return text.split("Visits to schedule")[0]


def test_work_list_sorts_by_a_column_both_ways(client, staff_a, ward_a):
    now = timezone.now()
    old = record_crime(staff_a, ward=ward_a, reported=now - datetime.timedelta(days=10))
    fresh = record_crime(staff_a, ward=ward_a, reported=now)
    signed_in(client, staff_a)
    working = _due_section(client.get("/victims/wards/E05013660/").text)
    assert working.index(old.reference) < working.index(fresh.reference)
    latest_first = client.get("/victims/wards/E05013660/?sort=-deadline").text
    assert _due_section(latest_first).index(fresh.reference) < _due_section(
        latest_first
    ).index(old.reference)
    assert 'aria-sort="descending"' in latest_first
    # The heading links the other way round.
    assert 'href="?sort=deadline"' in latest_first


@pytest.mark.parametrize("sort", ["victim", "victim__name", "password", "-", "deadline;drop"])
def test_work_list_refuses_an_unknown_sort_with_an_error_summary(client, staff_a, crime_a, sort):
    response = signed_in(client, staff_a).get("/victims/wards/E05013660/", {"sort": sort})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "Sort by one of the columns Crime, Type, Deadline, Visit" in response.text
    assert crime_a.reference in response.text


def _csv(response):
    import csv
    import io

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_work_list_csv_has_every_section_and_names_only_for_workers(
    client, staff_a, commander_a, ward_a, pc_a
):
    due = record_crime(staff_a, ward=ward_a, victims=[victim(name="=HYPERLINK(1)", phone="1")])
    visit = record_crime(staff_a, ward=ward_a)
    offer = to_scheduled(offer_of(visit), staff_a, pc_a)
    start = timezone.localtime()
    services.visit_reschedule(
        offer=offer, by=staff_a, officer=pc_a, window_start=start,
        window_end=start + datetime.timedelta(hours=1), reason="Sooner",
    )  # fmt: skip
    rows = _csv(signed_in(client, staff_a).get("/victims/wards/E05013660/?format=csv"))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["Section", "Crime", "Type", "Ward", "Victim"]
    by_ref = {r[1]: r for r in body}
    assert by_ref[due.reference][0] == "Offers due"
    # A cell a spreadsheet would run as a formula is kept as text.
    assert by_ref[due.reference][4] == "'=HYPERLINK(1)"
    assert by_ref[visit.reference][0] == "Visits today"
    assert by_ref[visit.reference][11] == f"{pc_a.rank_title} {pc_a.full_name}"
    assert VictimViewLog.objects.filter(user=staff_a, where="work list").count() == len(body)
    # A commander reads the list but never the victims' names, and nothing is logged for them.
    rows = _csv(signed_in(client, commander_a).get("/victims/wards/E05013660/?format=csv"))
    names = {r[4] for r in rows[1:]}
    assert "'=HYPERLINK(1)" not in names and all(n.startswith("Victim ") for n in names)
    assert not VictimViewLog.objects.filter(user=commander_a).exists()


def test_work_list_csv_follows_the_sort(client, staff_a, ward_a):
    now = timezone.now()
    old = record_crime(staff_a, ward=ward_a, reported=now - datetime.timedelta(days=10))
    fresh = record_crime(staff_a, ward=ward_a, reported=now)
    signed_in(client, staff_a)
    response = client.get("/victims/wards/E05013660/?sort=-deadline&format=csv")
    refs = [r[1] for r in _csv(response)[1:]]
    assert refs.index(fresh.reference) < refs.index(old.reference)


def test_work_list_csv_is_scoped(client, inspector_b, crime_a):
    response = signed_in(client, inspector_b).get("/victims/wards/E05013660/?format=csv")
    assert response.status_code == 404
    response = client.get("/victims/cid/E09000007/?format=csv")
    assert response.status_code == 404
