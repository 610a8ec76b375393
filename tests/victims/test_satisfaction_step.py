"""The victim's satisfaction is recorded as a step of the offer (who and when, on its timeline),
once: it cannot be overwritten, by the service, the API, the page or two recordings at once."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from config.errors import ConflictError
from tests.conftest import api_client_for
from tests.pages import page_of, post_as
from tests.victims.conftest import offer_of, to_scheduled
from victims import services
from victims.models import OfferStatus, VisitOffer, VisitTransition

S = OfferStatus


def completed(offer, by, **extra):
    return services.visit_complete(
        offer=offer, by=by, needs_assessment_done=True, referral_made=False,
        crime_prevention_advice=True, **extra,
    )


@pytest.fixture
def visited(staff_a, crime_a, pc_a):
    return completed(to_scheduled(offer_of(crime_a), staff_a, pc_a), staff_a)


@pytest.mark.django_db
def test_it_is_a_step_with_who_and_when(sergeant_a, visited):
    offer = services.visit_record_satisfaction(offer=visited, by=sergeant_a, satisfaction=4)
    offer.refresh_from_db()
    assert (offer.satisfaction, offer.satisfaction_recorded_by) == (4, sergeant_a)
    assert offer.satisfaction_recorded_at is not None
    step = VisitTransition.objects.filter(offer=offer).last()
    assert (step.from_status, step.to_status, step.by, step.reason) == (
        S.COMPLETED, S.COMPLETED, sergeant_a, "Satisfaction recorded: 4 of 5."
    )
    assert step.at == offer.satisfaction_recorded_at


@pytest.mark.django_db
def test_it_cannot_be_overwritten(staff_a, sergeant_a, visited):
    services.visit_record_satisfaction(offer=visited, by=staff_a, satisfaction=2)
    recorded = f"already recorded \\(2 of 5\\) by {staff_a.display_name}"
    with pytest.raises(ConflictError, match=recorded) as no:
        services.visit_record_satisfaction(offer=visited, by=sergeant_a, satisfaction=5)
    assert no.value.code == "satisfaction_recorded"
    visited.refresh_from_db()
    assert (visited.satisfaction, visited.satisfaction_recorded_by) == (2, staff_a)
    recorded = VisitTransition.objects.filter(offer=visited, reason__startswith="Satisfaction")
    assert recorded.count() == 1


@pytest.mark.django_db
def test_recorded_with_the_visit_it_is_a_step_too_and_final(staff_a, crime_a, pc_a):
    offer = completed(to_scheduled(offer_of(crime_a), staff_a, pc_a), staff_a, satisfaction=5)
    offer.refresh_from_db()
    assert (offer.satisfaction, offer.satisfaction_recorded_by) == (5, staff_a)
    with pytest.raises(ConflictError):
        services.visit_record_satisfaction(offer=offer, by=staff_a, satisfaction=1)


@pytest.mark.django_db
def test_the_api_answers_a_second_recording_with_a_409(staff_a, visited):
    api = api_client_for(staff_a)
    url = f"/api/v1/visit-offers/{visited.pk}/satisfaction/"
    first = api.post(url, {"satisfaction": 3}, format="json")
    assert first.status_code == 200, first.content
    assert (first.json()["satisfaction"], first.json()["satisfaction_recorded_by"]) == (
        3, staff_a.display_name  # people by name, not by account
    )
    second = api.post(url, {"satisfaction": 5}, format="json")
    assert (second.status_code, second.json()["code"]) == (409, "satisfaction_recorded")
    assert VisitOffer.objects.get(pk=visited.pk).satisfaction == 3


@pytest.mark.django_db
def test_the_crime_page_shows_who_recorded_it_and_offers_no_second_form(
    client, staff_a, crime_a, visited
):
    services.visit_record_satisfaction(offer=visited, by=staff_a, satisfaction=4)
    content = page_of(client, staff_a, crime_a.get_absolute_url())
    assert f"4 of 5, recorded by {staff_a.display_name}" in content
    assert "Record satisfaction" not in content


@pytest.mark.django_db
def test_the_database_holds_the_answer_and_its_time_together(visited):
    with pytest.raises(IntegrityError, match="visit_satisfaction_recorded_when"):
        with transaction.atomic():
            VisitOffer.objects.filter(pk=visited.pk).update(satisfaction=3)


@pytest.mark.django_db(transaction=True)
def test_two_recordings_at_once_keep_the_first(staff_a, sergeant_a, crime_a, pc_a):
    offer = completed(to_scheduled(offer_of(crime_a), staff_a, pc_a), staff_a)
    barrier = threading.Barrier(2)
    outcomes = []

    def record(user, score):
        try:
            barrier.wait(timeout=10)
            services.visit_record_satisfaction(
                offer=VisitOffer.objects.get(pk=offer.pk), by=user, satisfaction=score
            )
            outcomes.append(("ok", score))
        except ConflictError as exc:
            outcomes.append((exc.code, score))
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(u, s))
               for u, s in ((staff_a, 1), (sergeant_a, 5))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    kept = next(score for outcome, score in outcomes if outcome == "ok")
    assert sorted(o for o, _ in outcomes) == ["ok", "satisfaction_recorded"]
    assert VisitOffer.objects.get(pk=offer.pk).satisfaction == kept


@pytest.mark.django_db
def test_the_page_refuses_a_second_answer_in_the_error_summary(client, staff_a, visited):
    services.visit_record_satisfaction(offer=visited, by=staff_a, satisfaction=4)
    response = post_as(client, staff_a, f"/victims/offers/{visited.pk}/satisfaction/",
                       {f"o{visited.pk}-satisfaction-satisfaction": "1"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert "already recorded (4 of 5)" in response.content.decode()
    assert VisitOffer.objects.get(pk=visited.pk).satisfaction == 4
