"""Only public data goes out: names and ranks of the ward team who publish (never shoulder
numbers, accounts or emails, never those who opted out or have left), the team's public contact
details, its events and open priorities; nothing of victims, CAD or deployment."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory
from tests.policeuk.conftest import CENTRE_LAT, CENTRE_LNG
from tests.policeuk.test_contract import requests
from tests.victims.conftest import record_crime


@pytest.fixture
def private(published):
    """Private records in the same ward: a victim's crime, a CAD call, a duty, a user."""
    from demand.models import CadCall, DataImport
    from tests.reports.conftest import at, duty

    user = UserFactory(username="pc.okafor", email="ben.okafor@met.police.example",
                       boroughs=[published.ward.borough], officer=published.pc)
    crime = record_crime(user, ward=published.ward)
    duty(published.pc, published.ward, at(2026, 3, 2, 8), at(2026, 3, 2, 16), by=user)
    cad = CadCall.objects.create(
        reference="CAD-SECRET-4711", ward=published.ward, kind=CadCall.Kind.ASB,
        grade=CadCall.Grade.IMMEDIATE, received_at=timezone.now() - datetime.timedelta(hours=1),
        data_import=DataImport.objects.create(kind=DataImport.Kind.CAD, file_name="cad.csv",
                                              sha256="2" * 64),
    )
    return {"user": user, "crime": crime, "victim": crime.victims.first(), "cad": cad}


def everything_published(published) -> str:
    client = Client()
    bodies = []
    for path, query in requests(published).values():
        response = client.get("/api/" + path, query)
        assert response.status_code == 200
        bodies.append(response.content.decode())
    bodies.append(client.post("/api/crimes-street/all-crime",
                              {"poly": f"{CENTRE_LAT - 0.1},{CENTRE_LNG - 0.1}:"
                                       f"{CENTRE_LAT + 0.1},{CENTRE_LNG}:"
                                       f"{CENTRE_LAT - 0.1},{CENTRE_LNG + 0.1}"}).content.decode())
    return "\n".join(bodies)


def test_nothing_private_is_published(published, private):
    text = everything_published(published)
    for officer in (published.sergeant, published.pc, published.opted_out, published.left):
        assert officer.shoulder_number not in text
    assert "Asha Patel" in text and "Ben Okafor" in text  # the test can see names
    assert "Quiet" not in text  # opted out
    assert "Gone" not in text  # posting ended yesterday
    assert "Old surgery" not in text  # event over
    assert "Closed one" not in text  # priority closed
    assert "pc.okafor" not in text and "ben.okafor@" not in text
    victim = private["victim"]
    for value in (private["crime"].reference, victim.name, victim.phone, victim.address,
                  private["cad"].reference, "Sam Victim"):
        assert value and value not in text
