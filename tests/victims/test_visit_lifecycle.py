"""The visit offer's lifecycle: each step recorded (who, when, from, to, why), each refusal."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from config.errors import ConflictError, DomainError
from tests import factories as f
from tests.victims.conftest import offer_of, record_crime, to_scheduled, victim, window
from victims import services
from victims.models import OfferStatus, VisitOffer, VisitTransition

pytestmark = pytest.mark.django_db
S = OfferStatus


def steps(offer):
    return list(VisitTransition.objects.filter(offer=offer).values_list("from_status", "to_status"))


def test_offer_made_records_when_how_and_by_whom(staff_a, crime_a):
    offer = services.offer_make(offer=offer_of(crime_a), by=staff_a, how="phone")
    offer.refresh_from_db()
    assert (offer.status, offer.offered_how, offer.offered_by, offer.attempts) == (
        S.OFFERED,
        "phone",
        staff_a,
        1,
    )
    assert offer.offered_at is not None and offer.made_on_time
    assert steps(offer) == [("", S.DUE), (S.DUE, S.OFFERED)]


def test_further_attempts_count_but_keep_the_first_offer_time(staff_a, crime_a):
    offer = services.offer_make(offer=offer_of(crime_a), by=staff_a, how="phone")
    first = offer.offered_at
    offer = services.offer_make(offer=offer, by=staff_a, how="text")
    assert (offer.attempts, offer.offered_at, offer.offered_how) == (2, first, "phone")


def test_an_offer_needs_a_way_it_was_made(staff_a, crime_a):
    with pytest.raises(DomainError, match="how"):
        services.offer_make(offer=offer_of(crime_a), by=staff_a, how="pigeon")


@pytest.mark.parametrize("response", [S.ACCEPTED, S.DECLINED])
def test_victim_accepts_or_declines(staff_a, crime_a, response):
    offer = services.offer_make(offer=offer_of(crime_a), by=staff_a, how="phone")
    offer = services.offer_respond(offer=offer, by=staff_a, response=response)
    assert offer.status == response and offer.responded_at
    assert steps(offer)[-1] == (S.OFFERED, response)


def test_no_reply_only_after_the_set_number_of_attempts(staff_a, crime_a, settings):
    settings.VICTIM_OFFER_NO_REPLY_ATTEMPTS = 3
    offer = offer_of(crime_a)
    for _ in range(2):
        offer = services.offer_make(offer=offer, by=staff_a, how="phone")
    with pytest.raises(ConflictError, match="3 times") as refused:
        services.offer_respond(offer=offer, by=staff_a, response=S.NO_REPLY)
    assert refused.value.code == "too_few_attempts"
    offer = services.offer_make(offer=offer, by=staff_a, how="letter")
    assert services.offer_respond(offer=offer, by=staff_a, response=S.NO_REPLY).status == (
        S.NO_REPLY
    )


def test_a_response_before_any_offer_is_refused(staff_a, crime_a):
    with pytest.raises(ConflictError, match="offer due cannot become accepted"):
        services.offer_respond(offer=offer_of(crime_a), by=staff_a, response=S.ACCEPTED)


def test_an_unknown_response_is_refused(staff_a, crime_a):
    with pytest.raises(DomainError, match="accepted, declined or no_reply"):
        services.offer_respond(offer=offer_of(crime_a), by=staff_a, response="maybe")


def test_a_declined_offer_is_final(staff_a, crime_a):
    offer = services.offer_make(offer=offer_of(crime_a), by=staff_a, how="phone")
    offer = services.offer_respond(offer=offer, by=staff_a, response=S.DECLINED)
    with pytest.raises(ConflictError, match="already declined") as refused:
        services.offer_respond(offer=offer, by=staff_a, response=S.ACCEPTED)
    assert refused.value.code == "already_declined"


def test_accepted_visit_is_scheduled_with_an_officer_of_the_ward_team(staff_a, crime_a, pc_a):
    offer = to_scheduled(offer_of(crime_a), staff_a, pc_a)
    offer.refresh_from_db()
    assert (offer.status, offer.officer) == (S.SCHEDULED, pc_a)
    assert offer.window_start < offer.window_end


def test_an_officer_outside_the_ward_team_is_refused(staff_a, crime_a, borough_a):
    stranger = f.OfficerFactory(borough=borough_a)
    offer = services.offer_make(offer=offer_of(crime_a), by=staff_a, how="phone")
    offer = services.offer_respond(offer=offer, by=staff_a, response=S.ACCEPTED)
    start, end = window()
    with pytest.raises(DomainError, match="not in Haverstock's team"):
        services.visit_schedule(
            offer=offer, by=staff_a, officer=stranger, window_start=start, window_end=end
        )


def test_cid_visits_may_be_made_by_any_officer_of_the_borough(staff_a, ward_a, borough_a):
    crime = record_crime(staff_a, ward=ward_a, slug="domestic-abuse")
    detective = f.OfficerFactory(borough=borough_a, is_detective=True)
    assert to_scheduled(offer_of(crime), staff_a, detective).status == S.SCHEDULED


def test_an_officer_of_another_borough_is_refused(staff_a, ward_a, borough_b):
    crime = record_crime(staff_a, ward=ward_a, slug="domestic-abuse")
    with pytest.raises(DomainError, match="not an officer of Camden"):
        to_scheduled(offer_of(crime), staff_a, f.OfficerFactory(borough=borough_b))


def test_a_window_must_end_after_it_starts(staff_a, crime_a, pc_a):
    offer = services.offer_make(offer=offer_of(crime_a), by=staff_a, how="phone")
    offer = services.offer_respond(offer=offer, by=staff_a, response=S.ACCEPTED)
    start, _ = window()
    with pytest.raises(DomainError, match="end after it starts"):
        services.visit_schedule(
            offer=offer, by=staff_a, officer=pc_a, window_start=start, window_end=start
        )


def test_scheduling_before_acceptance_is_refused(staff_a, crime_a, pc_a):
    offer = services.offer_make(offer=offer_of(crime_a), by=staff_a, how="phone")
    start, end = window()
    with pytest.raises(ConflictError, match="offered cannot become visit scheduled"):
        services.visit_schedule(
            offer=offer, by=staff_a, officer=pc_a, window_start=start, window_end=end
        )


def test_a_completed_visit_records_what_was_done(staff_a, ward_a, pc_a):
    crime = record_crime(staff_a, ward=ward_a, victims=[victim(consents_to_referral=True)])
    offer = to_scheduled(offer_of(crime), staff_a, pc_a)
    done_at = offer.window_start + datetime.timedelta(minutes=30)
    offer = services.visit_complete(
        offer=offer,
        by=staff_a,
        needs_assessment_done=True,
        referral_made=True,
        crime_prevention_advice=True,
        at=done_at,
    )
    offer = services.visit_record_satisfaction(offer=offer, by=staff_a, satisfaction=4)
    offer.refresh_from_db()
    assert (offer.status, offer.completed_at, offer.satisfaction) == (S.COMPLETED, done_at, 4)
    assert offer.needs_assessment_done and offer.referral_made and offer.crime_prevention_advice
    # The visit, then the victim's satisfaction as a step of its own.
    assert steps(offer)[-2:] == [(S.SCHEDULED, S.COMPLETED), (S.COMPLETED, S.COMPLETED)]


def test_a_referral_needs_the_victims_consent(staff_a, crime_a, pc_a):
    offer = to_scheduled(offer_of(crime_a), staff_a, pc_a)
    with pytest.raises(DomainError, match="not consented"):
        services.visit_complete(
            offer=offer,
            by=staff_a,
            needs_assessment_done=True,
            referral_made=True,
            crime_prevention_advice=False,
            at=offer.window_end,
        )
    assert VisitOffer.objects.get(pk=offer.pk).status == S.SCHEDULED


def test_satisfaction_is_from_1_to_5(staff_a, crime_a, pc_a):
    offer = to_scheduled(offer_of(crime_a), staff_a, pc_a)
    with pytest.raises(DomainError, match="1 to 5"):
        services.visit_complete(
            offer=offer,
            by=staff_a,
            needs_assessment_done=True,
            referral_made=False,
            crime_prevention_advice=False,
            satisfaction=6,
            at=offer.window_end,
        )


def test_satisfaction_is_asked_only_after_a_completed_visit(staff_a, crime_a, pc_a):
    offer = to_scheduled(offer_of(crime_a), staff_a, pc_a)
    with pytest.raises(ConflictError, match="after a completed visit"):
        services.visit_record_satisfaction(offer=offer, by=staff_a, satisfaction=5)


def test_a_missed_visit_is_rescheduled_with_a_reason(staff_a, crime_a, pc_a):
    offer = to_scheduled(offer_of(crime_a), staff_a, pc_a)
    offer = services.visit_miss(offer=offer, by=staff_a, reason="Nobody home")
    start, end = window(days=3)
    with pytest.raises(DomainError, match="why the visit is rescheduled"):
        services.visit_reschedule(
            offer=offer, by=staff_a, officer=pc_a, window_start=start, window_end=end, reason=""
        )
    offer = services.visit_reschedule(
        offer=offer,
        by=staff_a,
        officer=pc_a,
        window_start=start,
        window_end=end,
        reason="Victim asked for Saturday",
    )
    assert (offer.status, offer.window_start, offer.reschedules) == (S.SCHEDULED, start, 1)
    assert steps(offer)[-2:] == [(S.SCHEDULED, S.MISSED), (S.MISSED, S.SCHEDULED)]


def test_rescheduling_an_unscheduled_visit_is_refused(staff_a, crime_a, pc_a):
    start, end = window()
    with pytest.raises(ConflictError, match="Only a scheduled or missed"):
        services.visit_reschedule(
            offer=offer_of(crime_a),
            by=staff_a,
            officer=pc_a,
            window_start=start,
            window_end=end,
            reason="x",
        )


def test_a_visit_is_cancelled_with_a_reason(staff_a, crime_a, pc_a):
    offer = to_scheduled(offer_of(crime_a), staff_a, pc_a)
    with pytest.raises(DomainError, match="reason"):
        services.visit_cancel(offer=offer, by=staff_a, reason=" ")
    offer = services.visit_cancel(offer=offer, by=staff_a, reason="Victim moved away")
    assert (offer.status, offer.reason) == (S.CANCELLED, "Victim moved away")
    last = VisitTransition.objects.filter(offer=offer).last()
    assert (last.by, last.reason) == (staff_a, "Victim moved away")


def test_a_completed_visit_cannot_be_missed_or_cancelled(staff_a, crime_a, pc_a):
    offer = to_scheduled(offer_of(crime_a), staff_a, pc_a)
    offer = services.visit_complete(
        offer=offer,
        by=staff_a,
        needs_assessment_done=True,
        referral_made=False,
        crime_prevention_advice=False,
        at=offer.window_end,
    )
    with pytest.raises(ConflictError, match="already visit completed"):
        services.visit_miss(offer=offer, by=staff_a, reason="x")
    with pytest.raises(ConflictError, match="already visit completed"):
        services.visit_cancel(offer=offer, by=staff_a, reason="x")


@pytest.mark.parametrize("who", ["commander_a", "hq", "admin_user", "inspector_b"])
def test_only_borough_staff_act_on_offers(cast, crime_a, who):
    with pytest.raises(PermissionDenied):
        services.offer_make(offer=offer_of(crime_a), by=cast(who), how="phone")


@pytest.mark.parametrize("who", ["staff_a", "sergeant_a", "inspector_a", "chief_inspector_a"])
def test_each_working_role_of_the_borough_may_act(cast, crime_a, who):
    assert services.offer_make(offer=offer_of(crime_a), by=cast(who), how="phone").attempts == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_accepting_at_once_record_one_transition(staff_a, sergeant_a, ward_a):
    crime = record_crime(staff_a, ward=ward_a)
    offer = services.offer_make(offer=offer_of(crime), by=staff_a, how="phone")
    outcomes = []
    barrier = threading.Barrier(2)

    def accept(user):
        barrier.wait()
        try:
            services.offer_respond(offer=offer, by=user, response=S.ACCEPTED)
            outcomes.append("ok")
        except ConflictError as e:
            outcomes.append(e.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(u,)) for u in (staff_a, sergeant_a)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already_accepted", "ok"]
    assert VisitTransition.objects.filter(offer=offer, to_status=S.ACCEPTED).count() == 1


def test_an_offer_cannot_be_dated_before_the_crime_was_reported(staff_a, crime_a):
    offer = offer_of(crime_a)
    with pytest.raises(DomainError, match="before the crime was reported") as refused:
        services.offer_make(offer=offer, by=staff_a, how="phone",
                            at=crime_a.reported_at - datetime.timedelta(minutes=1))
    assert refused.value.field == "at"
    offer.refresh_from_db()
    assert (offer.status, offer.offered_at) == (S.DUE, None)


def test_a_visit_cannot_be_completed_in_the_future(staff_a, crime_a, pc_a):
    from django.utils import timezone

    offer = to_scheduled(offer_of(crime_a), staff_a, pc_a)
    with pytest.raises(DomainError, match="in the future") as refused:
        services.visit_complete(offer=offer, by=staff_a, needs_assessment_done=True,
                                referral_made=False, crime_prevention_advice=False,
                                at=timezone.now() + datetime.timedelta(hours=1))
    assert refused.value.field == "at"
    offer.refresh_from_db()
    assert (offer.status, offer.completed_at) == (S.SCHEDULED, None)


def test_an_inactive_officer_cannot_be_given_a_visit(staff_a, crime_a, pc_a, client_of):
    offer = services.offer_respond(
        offer=services.offer_make(offer=offer_of(crime_a), by=staff_a, how="phone"),
        by=staff_a, response="accepted",
    )
    pc_a.active = False
    pc_a.save()
    start, end = window()
    response = client_of("staff_a").post(
        f"/api/v1/visit-offers/{offer.pk}/schedule/",
        {"officer": pc_a.shoulder_number, "window_start": start.isoformat(),
         "window_end": end.isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert "not an active officer" in str(response.json())
    offer.refresh_from_db()
    assert offer.status == S.ACCEPTED


def test_nothing_changes_once_the_victims_details_are_removed(staff_a, crime_a):
    from django.utils import timezone

    from victims.selectors import work_list

    offer = offer_of(crime_a)
    offer.victim.__class__.objects.filter(pk=offer.victim_id).update(anonymised_at=timezone.now())
    with pytest.raises(ConflictError, match="details were removed") as refused:
        services.visit_cancel(offer=offer, by=staff_a, reason="Pat Doe moved to 3 Elm St")
    assert refused.value.code == "anonymised"
    assert VisitTransition.objects.filter(offer=offer).count() == 1  # only "recorded"
    # An offer never made can no longer be made: it leaves the work list.
    assert work_list(VisitOffer.objects.all()).offers_due == []
