"""Recording a crime: routing, the ward found from the location, offers owed to every victim
and repeat victims flagged."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from config.errors import ConflictError, DomainError
from tests import factories as f
from tests.victims.conftest import at, category, record_crime, victim
from victims import services
from victims.models import CrimeCategory, OfferStatus, Route, VisitTransition

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "slug, route",
    [
        ("bicycle-theft", Route.WARD),
        ("criminal-damage-arson", Route.WARD),
        ("anti-social-behaviour", Route.WARD),
        ("burglary", Route.WARD),
        ("hate-crime", Route.CID),
        ("domestic-abuse", Route.CID),
        ("sexual-offences", Route.CID),
        ("serious-violence", Route.CID),
    ],
)
def test_crime_is_routed_by_its_category(staff_a, ward_a, slug, route):
    crime = record_crime(staff_a, ward=ward_a, slug=slug)
    assert crime.routed_to == route


def test_the_routing_table_is_data(staff_a, ward_a):
    CrimeCategory.objects.filter(slug="burglary").update(routes_to=Route.CID)
    assert record_crime(staff_a, ward=ward_a, slug="burglary").routed_to == Route.CID


def test_cid_crimes_are_still_owed_a_visit_offer(staff_a, ward_a):
    crime = record_crime(staff_a, ward=ward_a, slug="domestic-abuse")
    assert crime.victims.get().offer.status == OfferStatus.DUE


def test_every_victim_gets_an_offer_due_by_their_deadline(staff_a, ward_a):
    reported = at(2026, 4, 2, 9)
    crime = record_crime(
        staff_a,
        ward=ward_a,
        reported=reported,
        victims=[victim(enhanced_rights=True, enhanced_reason="vulnerable"), victim()],
    )
    due = [v.offer.due_date for v in crime.victims.order_by("pk")]
    assert due == [datetime.date(2026, 4, 7), datetime.date(2026, 4, 8)]
    first = VisitTransition.objects.filter(offer__victim__crime=crime).first()
    assert (first.from_status, first.to_status, first.by) == ("", OfferStatus.DUE, staff_a)


def test_the_ward_is_found_from_the_location(staff_a, ward_a):
    lat, lng = float(ward_a.centroid_lat), float(ward_a.centroid_lng)
    crime = record_crime(staff_a, ward=None, lat=lat, lng=lng)
    assert (crime.ward, crime.borough) == (ward_a, ward_a.borough)


def test_a_location_in_no_ward_is_refused(staff_a, borough_a):
    with pytest.raises(DomainError, match="No London ward"):
        record_crime(staff_a, ward=None, lat=51.0, lng=1.0)


def test_a_crime_without_a_ward_goes_to_cid(staff_a, borough_a):
    crime = record_crime(staff_a, ward=None, borough=borough_a)
    assert crime.routed_to == Route.CID


def test_staff_record_crimes_of_their_own_borough_only(staff_a, ward_b):
    with pytest.raises(DomainError, match="your own borough"):
        record_crime(staff_a, ward=ward_b)


@pytest.mark.parametrize("who", ["commander_a", "hq", "admin_user"])
def test_roles_without_a_working_need_cannot_record_victims(cast, ward_a, who):
    with pytest.raises((PermissionDenied, DomainError)):
        record_crime(cast(who), ward=ward_a)


def test_a_reference_is_recorded_once(staff_a, ward_a):
    record_crime(staff_a, ward=ward_a, reference="CR-1")
    with pytest.raises(ConflictError, match="That crime reference is already in use"):
        record_crime(staff_a, ward=ward_a, reference="CR-1")


def test_enhanced_rights_need_a_reason(staff_a, ward_a):
    with pytest.raises(DomainError, match="enhanced rights"):
        record_crime(staff_a, ward=ward_a, victims=[victim(enhanced_rights=True)])


def test_a_crime_needs_a_victim(staff_a, ward_a):
    with pytest.raises(DomainError, match="at least one victim"):
        record_crime(staff_a, ward=ward_a, victims=[])


def test_same_person_within_a_year_is_a_repeat_victim(staff_a, ward_a):
    first = record_crime(staff_a, ward=ward_a, victims=[victim(name="Ann Lee", phone="0771")])
    again = record_crime(
        staff_a, ward=ward_a, victims=[victim(name="ann lee", phone="0771", address="Elsewhere")]
    )
    v = again.victims.get()
    assert v.is_repeat
    assert list(services.earlier_crimes(v, staff_a)) == [first]
    assert not first.victims.get().is_repeat


def test_earlier_crimes_in_another_borough_mark_a_repeat_but_are_not_shown(
    staff_a, staff_b, ward_a, ward_b
):
    """Repeat victimisation is found London-wide; the earlier crime itself stays with its
    borough: staff of another borough learn only that there is one."""
    record_crime(staff_b, ward=ward_b, victims=[victim(name="Kim Doe", phone="0779")])
    again = record_crime(staff_a, ward=ward_a, victims=[victim(name="Kim Doe", phone="0779")])
    v = again.victims.get()
    assert v.is_repeat
    assert list(services.earlier_crimes(v, staff_a)) == []
    assert len(services.earlier_crimes(v, staff_b)) == 1


def test_same_address_is_a_repeat_even_for_another_person(staff_a, ward_a):
    record_crime(staff_a, ward=ward_a, victims=[victim(address="1 High St", postcode="NW1 1AA")])
    again = record_crime(
        staff_a, ward=ward_a, victims=[victim(address="1 high st", postcode="nw1 1aa")]
    )
    assert again.victims.get().is_repeat


def test_a_crime_more_than_a_year_ago_is_not_a_repeat(staff_a, ward_a):
    record_crime(
        staff_a, ward=ward_a, reported=at(2025, 1, 5), victims=[victim(name="Bo", phone="1")]
    )
    again = record_crime(
        staff_a, ward=ward_a, reported=at(2026, 3, 2), victims=[victim(name="Bo", phone="1")]
    )
    assert not again.victims.get().is_repeat


def test_same_name_with_other_contact_is_not_a_repeat(staff_a, ward_a):
    record_crime(staff_a, ward=ward_a, victims=[victim(name="Jo", phone="1")])
    again = record_crime(staff_a, ward=ward_a, victims=[victim(name="Jo", phone="2")])
    assert not again.victims.get().is_repeat


def test_repeats_are_found_across_boroughs(staff_a, ward_a, ward_b, borough_b):
    other = f.UserFactory(role="staff", boroughs=[borough_b])
    record_crime(other, ward=ward_b, victims=[victim(name="Kim", phone="9")])
    again = record_crime(staff_a, ward=ward_a, victims=[victim(name="Kim", phone="9")])
    assert again.victims.get().is_repeat


def test_closing_a_crime_twice_is_refused(staff_a, crime_a):
    services.crime_close(crime=crime_a, by=staff_a)
    with pytest.raises(ConflictError, match="already closed"):
        services.crime_close(crime=crime_a, by=staff_a)


def test_category_reference_data_is_seeded():
    assert category("violent-crime").name == "Violence and sexual offences"
    assert CrimeCategory.objects.count() == 18


def _staff(user):
    user.is_staff = True
    user.save()
    return user


def test_admins_edit_the_routing_table_in_the_admin(client, admin_user):
    cat = category("robbery")
    client.force_login(_staff(admin_user))
    response = client.post(
        f"/admin/victims/crimecategory/{cat.pk}/change/",
        {"slug": cat.slug, "name": cat.name, "routes_to": "cid"},
    )
    assert response.status_code == 302
    cat.refresh_from_db()
    assert cat.routes_to == Route.CID


def test_others_only_view_the_routing_table(client, inspector_a):
    cat = category("robbery")
    client.force_login(_staff(inspector_a))
    client.post(
        f"/admin/victims/crimecategory/{cat.pk}/change/",
        {"slug": cat.slug, "name": cat.name, "routes_to": "cid"},
    )
    cat.refresh_from_db()
    assert cat.routes_to == Route.WARD


def test_a_victims_email_must_be_an_email_address_whatever_the_way_in(staff_a, ward_a):
    """The rule is in the service, so the CSV import obeys it as the form and the API do."""
    from victims.services import VictimError

    with pytest.raises(VictimError, match="right format") as refused:
        record_crime(staff_a, ward=ward_a,
                     victims=[victim(email="not an email", preferred_contact="email")])
    assert refused.value.victim_field == "email"
    from victims.models import Crime

    assert not Crime.objects.exists()
