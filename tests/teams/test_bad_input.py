"""Bad input to the posting pages and API is a clear refusal, never a server error."""

import datetime

import pytest
from django.utils import timezone

from teams.models import Posting
from tests import factories as f
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db
D = datetime.date


TODAY = timezone.localdate()
LAST_DAY = TODAY + datetime.timedelta(days=30)
LATER = (TODAY + datetime.timedelta(days=60)).isoformat()


@pytest.fixture
def moved(team_a, borough_a):
    """An officer whose posting ends in 30 days, already posted elsewhere from the day after."""
    officer = f.OfficerFactory(borough=borough_a)
    first = f.PostingFactory(
        officer=officer, team=team_a, start_date=D(2025, 1, 1), end_date=LAST_DAY
    )
    other_team = f.TeamFactory(ward=f.WardFactory(borough=borough_a))
    f.PostingFactory(
        officer=officer, team=other_team, start_date=LAST_DAY + datetime.timedelta(days=1)
    )
    return first


def test_ending_a_posting_into_the_next_one_is_a_form_error(client, staff_a, moved):
    client.force_login(staff_a)
    response = client.post(
        f"/postings/{moved.pk}/end/", {"end_date": LATER, "reason": "Typo"}
    )
    assert response.status_code == 200
    assert "already has a primary posting over those dates" in response.content.decode()
    moved.refresh_from_db()
    assert moved.end_date == LAST_DAY


def test_ending_a_posting_into_the_next_one_is_a_409(staff_a, moved):
    response = api_client_for(staff_a).post(
        f"/api/v1/postings/{moved.pk}/end/",
        {"end_date": LATER, "reason": "Typo"},
        format="json",
    )
    assert response.status_code == 409
    assert "already has a primary posting" in response.json()["detail"]
    assert Posting.objects.get(pk=moved.pk).end_date == LAST_DAY
