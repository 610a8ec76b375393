"""A closed month's report is stable and every surface says the same thing: the figures depend
only on the records dated in the month, as they stood at its end, whatever day the report is
made; a month not over is "to date" on every surface; the roll-up is the sum of the borough
versions it names."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from bench.reports import borough_checked, same_figures
from deployment.models import FlexStatus, FlexTransition
from reports import services
from reports.figures import borough_figures
from reports.measures import COUNT_FIELDS, MINUTE_FIELDS
from reports.models import MonthlyReport
from teams.models import Rank
from tests import factories as f
from tests.promises.factories import ActivityFactory, VisitPromiseFactory
from tests.reports.conftest import MARCH, abstraction, at, dedicated, duty, flex
from tests.reports.surfaces import (
    api_figures,
    assert_every_surface_agrees,
    csv_rows,
    pdf_text,
)
from tests.victims.conftest import offer_of, record_crime
from victims import services as victims

UTC = datetime.UTC


def produce(borough, month=MARCH):
    report, _ = services.report_request(borough=borough, month=month)
    return services.report_produce(report.pk)


def test_every_surface_shows_the_same_minutes(client, hq, march):
    report = produce(march.borough)
    report.refresh_from_db()
    assert_every_surface_agrees(client, hq, report)


def test_records_dated_after_the_month_leave_it_unchanged(march):
    """Made on 2 April and again on 1 December, with, in between: duties, an abstraction and a
    flex dated in April, a refusal decided in April, a late review of the review that fell due
    in March, and an approved March flex withdrawn in April."""
    on_2_april = datetime.datetime(2026, 4, 2, 9, 0, tzinfo=UTC)
    before = borough_figures(march.borough, MARCH, now=on_2_april)
    by, ward_a, ward_east = march.recorder, march.ward_a, march.ward_east

    duty(march.pc3, ward_east, at(2026, 4, 1, 0), at(2026, 4, 1, 8), by=by)  # April's start
    duty(march.pc1, ward_a, at(2026, 4, 2, 8), at(2026, 4, 2, 16), by=by)
    abstraction(march.pc2, "court", at(2026, 4, 3, 9), at(2026, 4, 3, 17), by=by)
    flex(march.borough, ward_east, [(march.pc2, ward_a)], datetime.date(2026, 4, 6),
         datetime.date(2026, 4, 20), by=by, problem="April's")
    flex(march.borough, ward_east, [(march.pc1, ward_a)], datetime.date(2026, 3, 20),
         datetime.date(2026, 3, 25), by=by, status=FlexStatus.REJECTED,
         decision_reason="Too late", decided_at=at(2026, 4, 2, 10))
    car_crime = march.borough.flex_requests.get(problem="Car crime")  # review due 15 March
    car_crime.last_reviewed_at, car_crime.status = at(2026, 4, 3, 10), FlexStatus.ACTIVE
    car_crime.save()
    for from_status, reason in (("approved", "Started: its first day had come."),
                                ("active", "Reviewed late.")):
        FlexTransition.objects.create(flex_request=car_crime, from_status=from_status,
                                      to_status="active", reason=reason)
    burglary = march.borough.flex_requests.get(problem="Burglary series", status="active")
    FlexTransition.objects.create(flex_request=burglary, from_status=burglary.status,
                                  to_status=FlexStatus.WITHDRAWN, reason="After the month")
    burglary.status = FlexStatus.WITHDRAWN
    burglary.save()

    after = borough_figures(march.borough, MARCH, now=on_2_april)
    assert after == before
    months_later = datetime.datetime(2026, 12, 1, tzinfo=UTC)
    assert borough_figures(march.borough, MARCH, now=months_later) == before
    assert [r["reviewed_on"] for r in after["flex"]["overdue_reviews"]] == [None]
    assert after["flex"]["authorised"]["requests"] == 2
    # bench/same_figures.sql, hand-written from the definitions, counts the same
    assert borough_checked(after) == same_figures(MARCH)[march.borough.code]


def test_a_report_of_a_month_not_over_is_to_date_on_every_surface(
    client, hq, march, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 15, 12, 0, tzinfo=UTC))
    report = produce(march.borough)
    report.refresh_from_db()
    assert report.figures["to_date"] and report.is_partial
    assert report.figures["as_at"] == "2026-03-15T12:00:00+00:00"
    client.force_login(hq)
    listing = client.get(reverse("reports:list")).content.decode()
    assert "To date" in listing
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Camden, March 2026 (to date)" in page and "To date: made before March ended" in page
    body = api_figures(hq, report)
    assert (body["to_date"], body["period"], body["figures"]["to_date"]) == (
        True, "to date", True
    )
    listed = api_client_rows(hq)
    assert [(r["id"], r["to_date"], r["period"]) for r in listed] == [
        (report.pk, True, "to date")
    ]
    when = "to date, as at 2026-03-15 12:00"
    assert {r["Period"] for r in csv_rows(client, hq, report)} == {when}
    assert {r["Period"] for r in csv_rows(client, hq, report, "reports:wards_csv")} == {when}
    response = client.get(reverse("reports:csv", args=[report.pk]))
    assert "-2026-03-v1-to-date.csv" in response["Content-Disposition"]
    assert "(to date)" in pdf_text(client, hq, report)
    assert_every_surface_agrees(client, hq, report)


def api_client_rows(user):
    from tests.conftest import api_client_for

    return api_client_for(user).get("/api/v1/reports/").json()["results"]


@pytest.fixture
def two_boroughs(march, borough_a2, staff_a):
    """Camden (the hand-built March) and Islington: one PC's 8-hour day and a 2-hour court
    hearing inside it."""
    team = f.TeamFactory(ward=f.WardFactory(borough=borough_a2, name="Barnsbury"))
    pc = dedicated(team, Rank.PC)
    duty(pc, team.ward, at(2026, 3, 3, 8), at(2026, 3, 3, 16), by=staff_a)
    abstraction(pc, "court", at(2026, 3, 3, 10), at(2026, 3, 3, 12), by=staff_a)
    return march.borough, borough_a2


def test_hq_asks_for_the_rollup_and_it_is_the_sum_of_the_versions_it_names(
    client, hq, commander_a, two_boroughs, django_capture_on_commit_callbacks
):
    camden, islington = two_boroughs
    camden_v1 = produce(camden)
    client.force_login(commander_a)
    refused = client.post(reverse("reports:generate"), {"borough": "all", "month": "2026-03"})
    assert refused.status_code == 403
    client.force_login(hq)
    listing = client.get(reverse("reports:list")).content.decode()
    assert "All boroughs: the Met-wide roll-up" in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:generate"),
                                {"borough": "all", "month": "2026-03"})
    rollup = MonthlyReport.objects.get(borough__isnull=True)
    assert response.url == rollup.get_absolute_url()
    rollup.refresh_from_db()
    assert rollup.status == MonthlyReport.Status.READY
    islington_v1 = MonthlyReport.objects.get(borough=islington)  # produced for the roll-up
    sources = {(s["borough"], s["id"], s["version"]) for s in rollup.figures["sources"]}
    assert sources == {(camden.code, camden_v1.pk, 1), (islington.code, islington_v1.pk, 1)}
    assert rollup.source["versions"] == rollup.figures["sources"]
    parts = [camden_v1, islington_v1]
    for part in parts:
        part.refresh_from_db()
    for field in MINUTE_FIELDS + COUNT_FIELDS:
        assert rollup.figures["total"][field] == sum(p.figures["total"][field] for p in parts)
    assert rollup.figures["total"]["abstracted_minutes"] == 450 + 120
    assert rollup.figures["total"]["abstraction_rate"] == "18.10"  # 570 / 3150 = 18.095...%
    page = client.get(rollup.get_absolute_url()).content.decode()
    assert f"{camden.code} version 1" in page and f"{islington.code} version 1" in page
    assert_every_surface_agrees(client, hq, rollup)


def test_victims_and_promises_are_counted_as_they_stood_at_the_month_end(march, time_machine):
    """March: three victims in Haverstock; two offers made and accepted; one visit completed on
    11 March (satisfaction 4), one on 2 April (satisfaction 1); the third offer made in April.
    A promise to visit every secondary school: the one school known in March visited on 12
    March; a second school added on 5 April. Made on 1 April and again after the
    victims' details are removed, March shows 3 victims, 2 offers made, 2 accepted, 1 visit
    completed with satisfaction 4.0, and the promise met with no school unvisited."""
    by, ward, officer = march.recorder, march.ward_a, march.pc1
    time_machine.move_to(at(2026, 3, 10, 10))
    crimes = [record_crime(by, ward=ward) for _ in range(3)]
    for crime in crimes[:2]:
        offer = victims.offer_make(offer=offer_of(crime), by=by, how="phone")
        victims.offer_respond(offer=offer, by=by, response="accepted")
    for crime, day in ((crimes[0], 11), (crimes[1], 31)):
        victims.visit_schedule(offer=offer_of(crime), by=by, officer=officer,
                               window_start=at(2026, 3, day, 9),
                               window_end=at(2026, 3, day, 10))
    school = f.PlaceFactory(ward=ward, kind="secondary_school", name="Haverstock School")
    promise = VisitPromiseFactory(ward=ward, owner_user=by, agreed_on=MARCH, start=MARCH)
    time_machine.move_to(at(2026, 3, 12, 12))
    ActivityFactory(ward=ward, kind="visit", place=school, starts_at=at(2026, 3, 12, 10),
                    promises=[promise])
    victims.visit_complete(offer=offer_of(crimes[0]), by=by, needs_assessment_done=True,
                           referral_made=False, crime_prevention_advice=True, satisfaction=4)

    time_machine.move_to(at(2026, 4, 1, 9))
    before = borough_figures(march.borough, MARCH)
    time_machine.move_to(at(2026, 4, 2, 12))
    victims.visit_complete(offer=offer_of(crimes[1]), by=by, needs_assessment_done=True,
                           referral_made=False, crime_prevention_advice=True, satisfaction=1)
    victims.offer_make(offer=offer_of(crimes[2]), by=by, how="phone")
    time_machine.move_to(at(2026, 4, 5, 12))
    f.PlaceFactory(ward=ward, kind="secondary_school", name="New Academy")
    for crime in crimes:
        victims.crime_close(crime=crime, by=by)
    removed = at(2026, 4, 5, 12) + datetime.timedelta(days=settings.VICTIM_DATA_RETENTION_DAYS + 1)
    time_machine.move_to(removed)
    assert victims.victims_anonymise() == 3

    after = borough_figures(march.borough, MARCH)
    assert after == before
    section = after["victims"]["borough"]
    assert (section["victims"], section["offers_made"], section["accepted"],
            section["visits_completed"], section["satisfaction"]) == (3, 2, 2, 1, 4.0)
    assert [w["victims"] for w in after["victims"]["wards"]] == [3]
    # bench/same_figures.sql, hand-written from the definitions, counts the same victims figures
    hand = same_figures(MARCH)[march.borough.code]
    assert hand["victims"]["victims"] == 3 and hand["victims"]["satisfaction"] == 4.0
    assert borough_checked(after) == hand
    assert after["promises"] == [{"ward": ward.name, "ward_code": ward.code,
                                  "met": [promise.title], "missed": [], "never_visited": []}]


def test_the_hand_sql_counts_the_victims_section_as_the_report_does(march, time_machine):
    """March, Haverstock: five victims, the last reported at 23:30 on 31 March (BST), and one at
    00:30 on 1 April (BST; still 31 March in UTC) not counted. Two offers made on 10 March,
    accepted and visited: one completed in its window (satisfaction 5), one after it
    (satisfaction 4: a mean of 4.5, half up); one offer made late, on 25 March, and declined;
    two never made. The report and bench/same_figures.sql agree, and say so."""
    by, ward, officer = march.recorder, march.ward_a, march.pc1
    time_machine.move_to(at(2026, 3, 10, 10))
    crimes = [record_crime(by, ward=ward) for _ in range(3)]
    for crime, day in ((crimes[0], 11), (crimes[1], 12)):
        offer = victims.offer_make(offer=offer_of(crime), by=by, how="phone")
        victims.offer_respond(offer=offer, by=by, response="accepted")
        victims.visit_schedule(offer=offer_of(crime), by=by, officer=officer,
                               window_start=at(2026, 3, day, 9), window_end=at(2026, 3, day, 10))
    time_machine.move_to(at(2026, 3, 12, 12))
    for crime, done, score in ((crimes[0], at(2026, 3, 11, 9, 30), 5),
                               (crimes[1], at(2026, 3, 12, 11), 4)):
        victims.visit_complete(offer=offer_of(crime), by=by, needs_assessment_done=True,
                               referral_made=False, crime_prevention_advice=True,
                               satisfaction=score, at=done)
    time_machine.move_to(at(2026, 3, 25, 12))
    late = victims.offer_make(offer=offer_of(crimes[2]), by=by, how="phone")
    victims.offer_respond(offer=late, by=by, response="declined")
    time_machine.move_to(datetime.datetime(2026, 4, 1, 9, tzinfo=UTC))
    london_night = datetime.datetime(2026, 3, 31, 22, 30, tzinfo=UTC)  # 23:30 BST, 31 March
    record_crime(by, ward=ward, reported=london_night)
    record_crime(by, ward=ward, reported=london_night + datetime.timedelta(minutes=5))
    record_crime(by, ward=ward, reported=london_night + datetime.timedelta(hours=1))  # 1 April

    figures = borough_figures(march.borough, MARCH)
    hand = same_figures(MARCH)[march.borough.code]
    assert hand["victims"] == {
        "victims": 5, "offers_made": 3, "offers_on_time": 2, "accepted": 2,
        "visits_completed": 2, "visits_completed_on_time": 1, "repeat_victims": 0,
        "satisfaction": 4.5,
    }
    assert borough_checked(figures) == hand
