"""Crimes with victims in borough_a (ward_a, staffed by a PC) and borough_b."""

import datetime
import itertools

import pytest
from django.utils import timezone

from config.timeutils import LONDON
from teams.models import Posting
from tests import factories as f
from victims import services
from victims.models import CrimeCategory
from victims.services import VictimInput

_refs = itertools.count(1)


def at(y, m, d, hh=10, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=LONDON)


def category(slug):
    return CrimeCategory.objects.get(slug=slug)


def victim(**kw) -> VictimInput:
    n = next(_refs)
    data = {
        "name": f"Sam Victim{n}",
        "phone": f"07700 900{n:03d}",
        "postcode": "NW3 2AB",
        "address": f"{n} Haverstock Hill",
    }
    data.update(kw)
    return VictimInput(**data)


def record_crime(by, *, ward, slug="bicycle-theft", victims=None, reported=None, **kw):
    reported = reported or timezone.now() - datetime.timedelta(hours=1)
    return services.crime_create(
        reference=kw.pop("reference", f"CR-{next(_refs):06d}-26"),
        category=category(slug),
        occurred_at=reported - datetime.timedelta(hours=2),
        reported_at=reported,
        ward=ward,
        victims=victims if victims is not None else [victim()],
        by=by,
        **kw,
    )


def offer_of(crime, i=0):
    return crime.victims.order_by("pk")[i].offer


@pytest.fixture
def pc_a(team_a):
    officer = f.OfficerFactory(borough=team_a.borough)
    f.PostingFactory(
        officer=officer,
        team=team_a,
        role=Posting.Role.DEDICATED,
        start_date=datetime.date(2020, 1, 1),
    )
    return officer


@pytest.fixture
def crime_a(staff_a, ward_a):
    return record_crime(staff_a, ward=ward_a)


@pytest.fixture
def crime_b(staff_b, ward_b):
    return record_crime(staff_b, ward=ward_b)


def window(days=1, hours=1):
    start = timezone.now() + datetime.timedelta(days=days)
    return start, start + datetime.timedelta(hours=hours)


def to_scheduled(offer, by, officer):
    """Offered, accepted and scheduled for a window that has passed (so it can be completed),
    after the crime was reported (a visit never comes before it)."""
    offer = services.offer_make(offer=offer, by=by, how="phone")
    offer = services.offer_respond(offer=offer, by=by, response="accepted")
    start = offer.victim.crime.reported_at + datetime.timedelta(minutes=5)
    end = min(start + datetime.timedelta(hours=1), timezone.now())
    return services.visit_schedule(
        offer=offer, by=by, officer=officer, window_start=start, window_end=end
    )
