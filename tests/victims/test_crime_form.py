"""The new-crime page with several victims, closing a crime from its page, and a duplicate crime
reference (including two people saving the same one at once)."""

import pytest

from config.errors import ConflictError
from tests.pages import signed_in
from tests.victims.conftest import record_crime, victim
from tests.victims.factories import ALL, WORKERS_OF_A, crime_form
from victims import services
from victims.models import Crime, Victim, VisitOffer

pytestmark = pytest.mark.django_db
NEW = "/victims/crimes/new/"
PIA = {"name": "Pia Page", "phone": "0770"}
RAJ = {"name": "Raj Page", "email": "raj@example.com", "preferred_contact": "email"}


def test_the_page_offers_extra_victims_without_javascript(client, staff_a):
    text = signed_in(client, staff_a).get(NEW).text
    assert 'name="victims-TOTAL_FORMS" value="4"' in text
    assert all(f'id="victim-{n}"' in text for n in range(1, 5))
    assert text.count("Add another victim") == 3


def test_several_victims_each_owed_an_offer(client, staff_a, ward_a):
    response = signed_in(client, staff_a).post(NEW, crime_form(ward_a, [PIA, RAJ]))
    assert response.status_code == 302, response.content
    crime = Crime.objects.get(reference="CR-PAGE-1")
    assert [v.name for v in crime.victims.order_by("pk")] == ["Pia Page", "Raj Page"]
    assert VisitOffer.objects.filter(victim__crime=crime).count() == 2


def test_blank_extra_victims_are_ignored(client, staff_a, ward_a):
    response = signed_in(client, staff_a).post(NEW, crime_form(ward_a, [PIA, {}, RAJ]))
    assert response.status_code == 302
    assert Victim.objects.filter(crime__reference="CR-PAGE-1").count() == 2


def test_the_first_victim_is_required(client, staff_a, ward_a):
    response = signed_in(client, staff_a).post(NEW, crime_form(ward_a, []))
    assert response.status_code == 400
    assert "Victim 1, Name: Enter the victim&#x27;s name" in response.text
    assert not Crime.objects.exists()


def test_a_bad_victim_field_names_the_victim_and_creates_nothing(client, staff_a, ward_a):
    bad = {**RAJ, "email": "not-an-email"}
    response = signed_in(client, staff_a).post(NEW, crime_form(ward_a, [PIA, bad]))
    assert response.status_code == 400
    summary = response.text.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert 'href="#id_victims-1-email"' in summary
    assert "Victim 2, Email: Enter a valid email address." in summary
    assert not Crime.objects.exists() and not Victim.objects.exists()


def test_a_victim_refused_by_the_rules_names_the_victim_and_creates_nothing(
    client, staff_a, ward_a
):
    # Victim 2 is blank, so the third form is the second victim given to the service.
    no_email = {"name": "Raj Page", "preferred_contact": "email"}
    response = signed_in(client, staff_a).post(NEW, crime_form(ward_a, [PIA, {}, no_email]))
    assert response.status_code == 400
    summary = response.text.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert 'href="#id_victims-2-email"' in summary
    assert "Victim 3, Email: The victim prefers email: give their email address." in summary
    assert not Crime.objects.exists() and not Victim.objects.exists()


def test_the_service_says_which_victim_is_wrong(staff_a, ward_a):
    with pytest.raises(services.VictimError) as refused:
        record_crime(staff_a, ward=ward_a, victims=[victim(), victim(phone="")])
    assert (refused.value.index, refused.value.victim_field, refused.value.field) == (
        1,
        "phone",
        "victims",
    )
    assert not Crime.objects.exists()


# --- a duplicate reference ------------------------------------------------------------------


def _summary_of(response):
    return response.text.split("govuk-error-summary__list")[1].split("</ul>")[0]


def test_a_duplicate_reference_is_shown_in_the_error_summary(client, staff_a, ward_a):
    record_crime(staff_a, ward=ward_a, reference="CR-PAGE-1")
    response = signed_in(client, staff_a).post(NEW, crime_form(ward_a, [PIA]))
    assert response.status_code == 400
    summary = _summary_of(response)
    assert 'href="#id_reference"' in summary
    assert "That crime reference is already in use" in summary
    assert Crime.objects.count() == 1


@pytest.fixture
def saved_at_the_same_time(monkeypatch, staff_a, ward_a):
    """The other person's crime is saved after this request checked the reference was free."""
    record_crime(staff_a, ward=ward_a, reference="CR-PAGE-1")
    monkeypatch.setattr(services, "_reference_taken", lambda reference: False)


def test_a_reference_saved_at_the_same_time_is_a_conflict(saved_at_the_same_time, staff_a, ward_a):
    with pytest.raises(ConflictError, match="That crime reference is already in use"):
        record_crime(staff_a, ward=ward_a, reference="CR-PAGE-1")
    assert Crime.objects.count() == 1 and Victim.objects.count() == 1


def test_a_reference_saved_at_the_same_time_shows_on_the_page(
    saved_at_the_same_time, client, staff_a, ward_a
):
    response = signed_in(client, staff_a).post(NEW, crime_form(ward_a, [PIA]))
    assert response.status_code == 400
    assert "That crime reference is already in use" in _summary_of(response)
    assert Crime.objects.count() == 1


def test_a_reference_saved_at_the_same_time_is_a_409_in_the_api(
    saved_at_the_same_time, client_of, ward_a
):
    body = {
        "reference": "CR-PAGE-1",
        "category": "burglary",
        "occurred_at": "2026-03-02T09:00:00Z",
        "reported_at": "2026-03-02T10:00:00Z",
        "ward": ward_a.code,
        "victims": [{"name": "Ann Api", "phone": "0770"}],
    }
    response = client_of("staff_a").post("/api/v1/crimes/", body, format="json")
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "duplicate_reference"
    assert "already in use" in response.json()["detail"]


# --- closing a crime from its page ----------------------------------------------------------


def _close(client, crime, confirm=True):
    return client.post(
        f"/victims/crimes/{crime.pk}/close/", {"close-confirm": "on"} if confirm else {}
    )


def test_anonymous_cannot_close_a_crime(client, crime_a):
    response = _close(client, crime_a)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    crime_a.refresh_from_db()
    assert crime_a.closed_at is None


@pytest.mark.parametrize("who", ALL)
def test_who_may_close_a_crime_from_its_page(client, cast, crime_a, who):
    signed_in(client, cast(who))
    shown = "Close this crime" in client.get(crime_a.get_absolute_url()).text
    response = _close(client, crime_a)
    crime_a.refresh_from_db()
    if who in WORKERS_OF_A:
        assert shown and response.status_code == 302
        assert crime_a.closed_at is not None
    else:
        assert not shown
        assert response.status_code == (404 if who == "inspector_b" else 403)
        assert crime_a.closed_at is None


def test_closing_needs_confirmation(client, staff_a, crime_a):
    response = _close(signed_in(client, staff_a), crime_a, confirm=False)
    assert response.status_code == 400
    assert "Confirm that the crime is to be closed" in _summary_of(response)
    crime_a.refresh_from_db()
    assert crime_a.closed_at is None


def test_a_closed_crime_offers_no_close_and_refuses_a_second(client, staff_a, crime_a):
    signed_in(client, staff_a)
    assert _close(client, crime_a).status_code == 302
    page = client.get(crime_a.get_absolute_url()).text
    assert f"Crime {crime_a.reference} is closed." in page
    assert 'data-action="close"' not in page
    response = _close(client, crime_a)
    assert response.status_code == 400
    assert "This crime is already closed." in _summary_of(response)


def test_the_crime_is_placed_by_its_postcode_not_a_typed_latitude(client, staff_a, ward_a):
    from tests import factories as f
    from wards.models import Postcode

    f.PostcodeFactory(postcode="NW3 2QG", ward=ward_a)
    client.force_login(staff_a)
    page = client.get("/victims/crimes/new/").content.decode()
    assert "Latitude" not in page and "Longitude" not in page
    assert 'name="postcode"' in page
    data = {**crime_form(ward_a, [{"name": "Ida Marsh", "phone": "07700 900001"}]),
            "ward": "", "postcode": "nw32qg"}
    response = client.post("/victims/crimes/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    crime = Crime.objects.get()
    assert crime.ward == ward_a
    postcode = Postcode.objects.get()
    assert (crime.lat, crime.lng) == (postcode.lat, postcode.lng)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("NW3", "Enter the full postcode"), ("ZZ9 9ZZ", "We cannot find the postcode ZZ9 9ZZ"),
     ("W1D 3QF", "W1D 3QF is not in a ward of your boroughs")],
)
def test_a_postcode_that_cannot_place_the_crime_says_why(client, staff_a, ward_a, ward_b,
                                                         typed, message):
    from tests import factories as f

    f.PostcodeFactory(postcode="NW3 2QG", ward=ward_a)
    f.PostcodeFactory(postcode="W1D 3QF", ward=ward_b)
    client.force_login(staff_a)
    data = {**crime_form(ward_a, [{"name": "Ida Marsh", "phone": "07700 900001"}]),
            "ward": "", "postcode": typed}
    page = client.post("/victims/crimes/new/", data).content.decode()
    assert message in page
