"""Bad input is a clear answer (404, a form error, a 400 or a rejected row), never a 500; a
priority's state is re-read under a lock before it changes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.errors import ConflictError
from promises import services
from promises.models import PanelMeeting, WardPriority
from promises.places_import import import_places
from tests.conftest import api_client_for
from tests.promises.factories import WardPriorityFactory
from wards.models import Place

pytestmark = pytest.mark.django_db


def test_a_public_team_page_with_a_nul_in_its_code_is_not_found(client, ward_a):
    assert client.get("/neighbourhoods/%00/").status_code == 404


# A NUL anywhere in the query is refused before any view reads it (config/guards.py).
@pytest.mark.parametrize("who", ["staff_a", "admin_user"])
def test_a_ward_code_with_a_nul_is_refused_on_the_activity_log(client, cast, who, ward_a):
    client.force_login(cast(who))
    assert client.get(reverse("promises:activity_log") + "?ward=%00").status_code == 400


def test_a_ward_code_with_a_nul_is_refused_on_the_new_promise_form(client, staff_a, ward_a):
    client.force_login(staff_a)
    response = client.get(reverse("promises:promise_create") + "?ward=%00")
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content


@pytest.mark.parametrize("value", ["NaN", "sNaN", "-Infinity"])
def test_a_place_whose_coordinate_is_not_a_finite_number_is_rejected(staff_a, ward_a, value):
    report = import_places(f"name,kind,lat,lng\nA,college,{value},{value}\n", user=staff_a)
    assert report.rejected == [(2, f"lat “{value}” is not a number.")]
    assert not Place.objects.exists()


def test_a_places_file_holding_nul_bytes_is_rejected_on_the_page(client, staff_a, ward_a):
    client.force_login(staff_a)
    text = f"name,kind,ward_code\nA\x00b,college,{ward_a.code}\n"
    upload = SimpleUploadedFile("places.csv", text.encode(), "text/csv")
    response = client.post(reverse("promises:place_import"), {"file": upload})
    assert response.status_code == 200
    assert "NUL bytes" in response.content.decode()
    assert not Place.objects.exists()


def test_an_absurd_number_of_attendees_is_a_form_error(client, staff_a, ward_a):
    client.force_login(staff_a)
    url = reverse("promises:panel_meeting_create", args=[ward_a.code])
    response = client.post(url, {"date": "2026-03-02", "attendees": "99999999999"})
    assert response.status_code in (200, 400)
    assert "attendees" in response.context["form"].errors
    assert not PanelMeeting.objects.exists()


def test_an_absurd_promise_target_is_a_form_error(client, staff_a, ward_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("promises:promise_create"),
        {
            "title": "Engage",
            "kind": "engagement",
            "ward": ward_a.pk,
            "agreed_on": "2026-03-01",
            "start": "2026-03-01",
            "target": "99999999999",
            "period": "month",
        },
    )
    assert "target" in response.context["form"].errors


@pytest.mark.parametrize(
    "url, body, field",
    [
        (
            "/api/v1/promises/",
            {"title": "t", "kind": "engagement", "agreed_on": "2026-01-01",
             "start": "2026-01-01", "target": 99999999999},
            "target",
        ),
        (
            "/api/v1/activities/",
            {"kind": "patrol", "starts_at": "2026-01-01T10:00", "duration_minutes": 99999999999},
            "duration_minutes",
        ),
    ],
)  # fmt: skip
def test_absurd_numbers_in_the_api_are_field_errors(staff_a, ward_a, url, body, field):
    response = api_client_for(staff_a).post(url, {**body, "ward": ward_a.code}, format="json")
    assert response.status_code == 400
    assert field in str(response.json())


def test_a_priority_closed_meanwhile_cannot_be_closed_again(staff_a, ward_a):
    priority = WardPriorityFactory(ward=ward_a)
    stale = WardPriority.objects.get(pk=priority.pk)
    services.priority_close(priority=priority, by=staff_a)
    with pytest.raises(ConflictError):
        services.priority_close(priority=stale, by=staff_a)


def test_an_action_on_a_priority_closed_meanwhile_is_refused(staff_a, ward_a):
    priority = WardPriorityFactory(ward=ward_a, action="")
    stale = WardPriority.objects.get(pk=priority.pk)
    services.priority_close(priority=priority, by=staff_a)
    with pytest.raises(ConflictError):
        services.priority_record_action(priority=stale, action="Patrolled", by=staff_a)
    assert WardPriority.objects.get(pk=priority.pk).action == ""
