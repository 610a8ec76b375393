"""Victims' personal data is removed a set time after the crime closes; the figures stay."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.victims.conftest import offer_of, record_crime, to_scheduled, victim
from victims import services, tasks
from victims.models import OfferStatus, Victim, VisitOffer, VisitTransition
from victims.selectors import borough_figures

pytestmark = pytest.mark.django_db

PERSONAL = ("name", "phone", "email", "preferred_times", "address", "postcode")


def figures(borough):
    f = borough_figures(VisitOffer.objects.filter(victim__crime__borough=borough)).total
    return (
        f.victims,
        f.offers_made,
        f.on_time,
        f.accepted,
        f.completed,
        f.completed_on_time,
        f.satisfaction,
        f.repeats,
    )


@pytest.fixture
def closed_crime(staff_a, ward_a, pc_a):
    record_crime(staff_a, ward=ward_a, victims=[victim(name="Pat Doe", phone="0799")])
    crime = record_crime(
        staff_a,
        ward=ward_a,
        victims=[
            victim(
                name="Pat Doe",
                phone="0799",
                email="pat@example.com",
                preferred_times="evenings",
                consents_to_referral=True,
            )
        ],
    )
    offer = to_scheduled(offer_of(crime), staff_a, pc_a)
    offer = services.visit_miss(offer=offer, by=staff_a, reason="Pat Doe was out")
    start = timezone.now() - datetime.timedelta(minutes=30)  # after the report, an hour ago
    offer = services.visit_reschedule(
        offer=offer,
        by=staff_a,
        officer=pc_a,
        window_start=start,
        window_end=start + datetime.timedelta(minutes=20),
        reason="Pat Doe rang back",
    )
    services.visit_complete(
        offer=offer,
        by=staff_a,
        needs_assessment_done=True,
        referral_made=True,
        crime_prevention_advice=True,
        satisfaction=5,
        at=start,
    )
    return services.crime_close(crime=crime, by=staff_a)


def test_personal_data_is_removed_after_the_retention_period(closed_crime, borough_a, settings):
    settings.VICTIM_DATA_RETENTION_DAYS = 30
    before = figures(borough_a)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert tasks.anonymise_victims.delay().get() == 1
    v = Victim.objects.get(crime=closed_crime)
    assert v.anonymised_at is not None
    assert {k: getattr(v, k) for k in PERSONAL} == {
        "name": "[removed]",
        "phone": "",
        "email": "",
        "preferred_times": "",
        "address": "",
        "postcode": "",
    }
    reasons = set(VisitTransition.objects.filter(offer__victim=v).values_list("reason", flat=True))
    assert not any("Pat" in r for r in reasons)
    assert "Pat" not in VisitOffer.objects.get(victim=v).reason
    assert figures(borough_a) == before
    assert v.is_repeat and v.offer.status == OfferStatus.COMPLETED


def test_nothing_is_removed_before_the_retention_period(closed_crime, settings):
    settings.VICTIM_DATA_RETENTION_DAYS = 30
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29)):
        assert services.victims_anonymise() == 0
    assert Victim.objects.get(crime=closed_crime).name == "Pat Doe"


def test_victims_of_open_crimes_are_kept(staff_a, ward_a, settings):
    settings.VICTIM_DATA_RETENTION_DAYS = 0
    crime = record_crime(staff_a, ward=ward_a, victims=[victim(name="Lee Open")])
    assert services.victims_anonymise() == 0
    assert crime.victims.get().name == "Lee Open"


def test_the_task_runs_every_night():
    from config.schedule import CELERY_BEAT_SCHEDULE

    assert CELERY_BEAT_SCHEDULE["anonymise-victims"]["task"] == "victims.tasks.anonymise_victims"


def test_the_monthly_report_section_counts_by_ward(
    closed_crime, borough_a, django_assert_num_queries
):
    from victims.selectors import monthly_section

    day = timezone.localdate()
    with django_assert_num_queries(1):
        section = monthly_section(borough_a, day - datetime.timedelta(days=7), day)
    assert section["borough"]["victims"] == 2
    assert section["borough"]["satisfaction"] == 5.0
    assert [w["label"] for w in section["wards"]] == ["Haverstock"]
    assert section["wards"][0]["repeat_victims"] == 1
