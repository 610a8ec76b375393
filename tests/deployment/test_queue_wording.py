"""What the inspector reads is plain English: a cover gap says how many officers the ward would
have and the minimum, without "PC(s)" or "ward-day(s)"; and a flex shorter than the protocol's
review period never shows a review due, on its page or in the queue."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deployment.cover import CoverGap, WardRef, gaps_summary
from deployment.models import FlexRequest
from tests.reports.conftest import flex

pytestmark = pytest.mark.django_db


def gap(ward, day, pcs, pcsos):
    return CoverGap(WardRef(ward.pk, ward.code, ward.name, ward.borough_id), day, pcs, pcsos)


def test_a_cover_gap_reads_in_plain_english(ward_a, settings):
    day = datetime.date(2026, 3, 9)
    text = gaps_summary([gap(ward_a, day, 1, 0)])
    assert text == (
        "Haverstock would have 1 dedicated PC and no PCSO on Monday 9 March 2026. The minimum "
        "is 2 PCs and 1 PCSO. That is the only day below minimum."
    )
    many = gaps_summary([gap(ward_a, day + datetime.timedelta(days=n), 2, 0) for n in range(21)])
    assert many.endswith("That is the first of 21 days below minimum across the wards.")
    assert "(s)" not in text + many


def test_a_7_day_flex_never_shows_its_14_day_review(client, inspector_a, borough_a, ward_a,
                                                    staff_a):
    today = timezone.localdate()
    week = flex(borough_a, ward_a, [], today - datetime.timedelta(days=20),
                today - datetime.timedelta(days=14), by=staff_a)
    month = flex(borough_a, ward_a, [], today - datetime.timedelta(days=20),
                 today + datetime.timedelta(days=5), by=staff_a)
    assert set(FlexRequest.objects.reaching_review()) == {month}
    assert (week.runs_to_review, month.runs_to_review) == (False, True)  # the same rule
    client.force_login(inspector_a)
    assert "14-day review" not in client.get(week.get_absolute_url()).content.decode()
    assert "14-day review" in client.get(month.get_absolute_url()).content.decode()
    queue = client.get(reverse("deployment:flex_queue")).content.decode()
    assert f'id="review-{month.pk}"' in queue and f'id="review-{week.pk}"' not in queue
