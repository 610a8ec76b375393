"""Force-wide identifiers (a shoulder number, a crime reference, a place's source reference)
stay unique across London, so one used in another borough is refused: with "already in use"
only, never whose or where, on every entry point (API, page, import, admin), and each attempt
is logged (config.audit). The repeat-victim flag is London-wide too: computed only for the
victims of a crime being recorded, said as "a repeat within London" without pointing at the
other crime, and every check is logged."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from teams.models import Officer
from tests.victims.conftest import record_crime, victim
from tests.victims.factories import URL as CRIME_IMPORT_URL
from tests.victims.factories import csv_of, row
from victims.models import Crime, Victim
from wards.models import Place

pytestmark = pytest.mark.django_db
AUDIT = "neighbourhood_ops.audit"


@pytest.fixture
def a_records(sample):
    """What borough A holds, and the words that would give it away."""
    sample["place"].source_ref = "DFE-100001"
    sample["place"].save()
    return {
        "shoulder number": sample["officer"].shoulder_number,
        "crime reference": sample["crime"].reference,
        "source reference": "DFE-100001",
        "giveaways": [sample["borough"].name, sample["ward"].name, sample["place"].name,
                      sample["officer"].last_name, f"/crimes/{sample['crime'].pk}/"],
    }


def says_only_in_use(text: str, what: str, a_records) -> None:
    assert f"That {what} is already in use." in text, text
    for giveaway in a_records["giveaways"]:
        assert giveaway not in text, giveaway


def logged(caplog, value, user) -> bool:
    return any(
        r.name == AUDIT and value in r.getMessage() and user.username in r.getMessage()
        for r in caplog.records
    )


# -- shoulder numbers ----------------------------------------------------------------------------

def test_a_shoulder_number_of_another_borough_through_the_api(client_of, staff_b, borough_b,
                                                              a_records, caplog):
    number = a_records["shoulder number"]
    with caplog.at_level(logging.INFO, logger=AUDIT):
        response = client_of("staff_b").post("/api/v1/officers/", {
            "shoulder_number": number, "first_name": "Kim", "last_name": "New", "rank": "pc",
            "borough": borough_b.code,
        }, format="json")
    assert response.status_code == 400
    says_only_in_use(str(response.json()["shoulder_number"]), "shoulder number", a_records)
    assert logged(caplog, number, staff_b)
    assert Officer.objects.filter(shoulder_number=number).count() == 1


def test_a_shoulder_number_of_another_borough_in_the_admin(client, staff_b, borough_b, a_records,
                                                           caplog):
    staff_b.is_staff = True
    staff_b.save()
    client.force_login(staff_b)
    number = a_records["shoulder number"]
    with caplog.at_level(logging.INFO, logger=AUDIT):
        response = client.post(reverse("admin:teams_officer_add"), {
            "shoulder_number": number, "first_name": "Kim", "last_name": "New", "rank": "pc",
            "borough": borough_b.pk, "active": "on",
            "postings-TOTAL_FORMS": "0", "postings-INITIAL_FORMS": "0",
        })
    assert response.status_code == 200
    says_only_in_use(response.content.decode(), "shoulder number", a_records)
    assert logged(caplog, number, staff_b)


def test_an_officers_own_shoulder_number_is_not_in_use(client_of, sample):
    officer = sample["officer"]
    response = client_of("staff_a").patch(
        f"/api/v1/officers/{officer.shoulder_number}/",
        {"shoulder_number": officer.shoulder_number, "first_name": "Renamed"}, format="json",
    )
    assert response.status_code == 200


# -- crime references -----------------------------------------------------------------------------

def test_a_crime_reference_of_another_borough_through_the_api(client_of, staff_b, ward_b,
                                                              a_records, caplog):
    reference = a_records["crime reference"]
    with caplog.at_level(logging.INFO, logger=AUDIT):
        response = client_of("staff_b").post("/api/v1/crimes/", {
            "reference": reference, "category": "burglary",
            "occurred_at": "2026-03-02T10:00", "reported_at": "2026-03-02T11:00",
            "ward": ward_b.code, "victims": [{"name": "Sam", "phone": "07700 900000"}],
        }, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_reference"
    says_only_in_use(str(response.json()), "crime reference", a_records)
    assert logged(caplog, reference, staff_b)
    assert Crime.objects.filter(reference=reference).count() == 1


def test_a_crime_reference_of_another_borough_in_an_import(client_of, staff_b, ward_b,
                                                           a_records, caplog):
    reference = a_records["crime reference"]
    with caplog.at_level(logging.INFO, logger=AUDIT):
        response = client_of("staff_b").generic(
            "POST", CRIME_IMPORT_URL, csv_of(row(ward_b, ref=reference)), content_type="text/csv"
        )
    assert response.status_code == 400
    [rejected] = response.json()["rejected"]
    says_only_in_use(rejected["message"], "crime reference", a_records)
    assert logged(caplog, reference, staff_b)


def test_a_crime_reference_of_another_borough_on_the_page(client, staff_b, ward_b, a_records,
                                                          caplog):
    client.force_login(staff_b)
    reference = a_records["crime reference"]
    with caplog.at_level(logging.INFO, logger=AUDIT):
        response = client.post(reverse("victims:crime_new"), {
            "reference": reference, "category": Crime.objects.get().category_id,
            "occurred_at": "2026-03-02T10:00", "reported_at": "2026-03-02T11:00",
            "ward": ward_b.pk, "victims-TOTAL_FORMS": "1", "victims-INITIAL_FORMS": "0",
            "victims-0-name": "Sam Page", "victims-0-phone": "07700 900001",
            "victims-0-preferred_contact": "phone",
        })
    says_only_in_use(response.content.decode(), "crime reference", a_records)
    assert logged(caplog, reference, staff_b)


# -- place references ---------------------------------------------------------------------------

def test_a_place_reference_of_another_borough_in_the_import(client, staff_b, ward_b, a_records,
                                                            caplog):
    client.force_login(staff_b)
    text = ("name,kind,ward_code,source_ref\n"
            f"St Anne's,place_of_worship,{ward_b.code},{a_records['source reference']}\n")
    upload = SimpleUploadedFile("places.csv", text.encode(), content_type="text/csv")
    with caplog.at_level(logging.INFO, logger=AUDIT):
        response = client.post(reverse("promises:place_import"), {"file": upload})
    says_only_in_use(response.content.decode(), "source reference", a_records)
    assert logged(caplog, a_records["source reference"], staff_b)
    assert Place.objects.filter(source_ref=a_records["source reference"]).count() == 1


def test_a_place_reference_of_another_borough_through_the_api(client_of, staff_b, ward_b,
                                                              a_records, caplog):
    with caplog.at_level(logging.INFO, logger=AUDIT):
        response = client_of("staff_b").post("/api/v1/places/", {
            "name": "St Anne's", "kind": "place_of_worship", "ward": ward_b.code,
            "source_ref": a_records["source reference"],
        }, format="json")
    assert response.status_code in (400, 409)
    says_only_in_use(str(response.json()), "source reference", a_records)
    assert logged(caplog, a_records["source reference"], staff_b)


# -- repeat victims --------------------------------------------------------------------------------

def test_a_repeat_victim_is_flagged_london_wide_without_pointing_at_the_other_crime(
    client, staff_a, staff_b, ward_a, ward_b, caplog
):
    person = {"name": "Robin Repeat", "phone": "07700 900999", "address": "1 High St",
              "postcode": "NW1 1AA"}
    earlier = record_crime(staff_a, ward=ward_a, victims=[victim(**person)])
    with caplog.at_level(logging.INFO, logger=AUDIT):
        later = record_crime(staff_b, ward=ward_b, victims=[victim(**person), victim()])
    flags = list(Victim.objects.filter(crime=later).order_by("pk").values_list("is_repeat",
                                                                                flat=True))
    assert flags == [True, False]
    checks = [r.getMessage() for r in caplog.records if r.name == AUDIT]
    assert len([c for c in checks if later.reference in c]) == 2  # one per victim
    assert "a repeat within London" in checks[-2] and "no repeat" in checks[-1]
    client.force_login(staff_b)
    page = client.get(later.get_absolute_url()).content.decode()
    assert "A repeat within London" in page
    assert earlier.reference not in page
    assert earlier.get_absolute_url() not in page and ward_a.borough.name not in page
    api = client.get(f"/api/v1/crimes/{later.pk}/").content.decode()
    assert earlier.reference not in api


def test_no_list_or_filter_searches_for_repeats_elsewhere(client_of, staff_a, ward_a, staff_b):
    """The flag can only be read off one's own borough's victims: nothing filters by it."""
    record_crime(staff_a, ward=ward_a, victims=[victim(name="Robin Repeat", phone="07700 1")])
    for url in ("/api/v1/crimes/", "/api/v1/visit-offers/"):
        response = client_of("staff_b").get(url, {"name": "Robin Repeat", "is_repeat": "true",
                                                 "phone": "07700 1"})
        assert response.status_code == 200
        assert response.json()["count"] == 0
