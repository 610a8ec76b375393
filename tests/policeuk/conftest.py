"""A ward with a team, people, events, priorities and a month of street-level crime, as the public
API publishes them; and the private records that must never appear in it."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from demand.models import Category, DataImport, DataMonth, StreetCrime
from teams.models import Rank
from tests import factories as f
from tests.promises import factories as pf

# The ward's square: 0.004° either side of its centre.
CENTRE_LAT, CENTRE_LNG = 51.5400, -0.1400
MONTH = datetime.date(2024, 3, 1)
BURGLARY_ID = "a" * 64
ROBBERY_ID = "b" * 64
HIDDEN_ID = "c" * 64


@dataclass
class Published:
    ward: object
    team: object
    sergeant: object
    pc: object
    opted_out: object
    left: object
    event: object
    past_event: object
    priority: object
    closed_priority: object
    crimes: dict

    @property
    def neighbourhood(self) -> str:
        return self.ward.code + "N"


def street_crime(data_import, category, *, crime_id="", lat=CENTRE_LAT, lng=CENTRE_LNG,
                 month=MONTH, location="On or near Camden Road", outcome="", ward):
    return StreetCrime.objects.create(
        month=month, category=Category.objects.get(slug=category), ward=ward, crime_id=crime_id,
        lsoa_code="E01000001", lat=lat, lng=lng, location=location, outcome=outcome,
        data_import=data_import,
    )


def crimes_of(ward) -> dict:
    data_import = DataImport.objects.create(
        kind=DataImport.Kind.POLICE_UK, file_name="2024-03.csv", sha256="1" * 64,
        status=DataImport.Status.DONE,
    )
    crimes = {
        "burglary": street_crime(data_import, "burglary", crime_id=BURGLARY_ID,
                                 outcome="Under investigation", ward=ward),
        "asb_1": street_crime(data_import, "anti-social-behaviour", ward=ward),
        "asb_2": street_crime(data_import, "anti-social-behaviour", ward=ward),
        # 1.2 miles north: outside the mile of the centre
        "far": street_crime(data_import, "robbery", crime_id=ROBBERY_ID, lat=CENTRE_LAT + 0.0175,
                            outcome="Unable to prosecute suspect", ward=ward),
        "unlocated": street_crime(data_import, "burglary", crime_id=HIDDEN_ID, lat=None, lng=None,
                                  location="", outcome="Under investigation", ward=ward),
        "earlier": street_crime(data_import, "burglary", crime_id="d" * 64,
                                month=datetime.date(2024, 2, 1), ward=ward),
    }
    for month in (datetime.date(2024, 2, 1), MONTH):
        for slug in ("burglary", "anti-social-behaviour", "robbery"):
            DataMonth.objects.create(month=month, category=Category.objects.get(slug=slug),
                                     rows=1, data_import=data_import)
    return crimes


@pytest.fixture
def published(db):
    ward = f.WardFactory(name="Camden Town", centroid_lat=CENTRE_LAT, centroid_lng=CENTRE_LNG)
    team = f.TeamFactory(ward=ward, borough=ward.borough, email="camdentown.snt@met.police.uk",
                         phone="020 7946 0000")
    today = timezone.localdate()

    def posted(rank, first, last, *, publish=True, end=None, number):
        officer = f.OfficerFactory(borough=ward.borough, rank=rank, first_name=first,
                                   last_name=last, publish=publish, shoulder_number=number)
        f.PostingFactory(officer=officer, team=team, start_date=today - datetime.timedelta(90),
                         end_date=end)
        return officer

    now = timezone.now()
    return Published(
        ward=ward,
        team=team,
        sergeant=posted(Rank.SERGEANT, "Asha", "Patel", number="1234AB"),
        pc=posted(Rank.PC, "Ben", "Okafor", number="2345AB"),
        opted_out=posted(Rank.PCSO, "Cara", "Quiet", publish=False, number="3456AB"),
        left=posted(Rank.PC, "Dan", "Gone", end=today - datetime.timedelta(1), number="4567AB"),
        event=pf.EngagementEventFactory(
            ward=ward, title="Street briefing", address="Camden High Street",
            starts_at=now + datetime.timedelta(days=3),
            ends_at=now + datetime.timedelta(days=3, hours=1), contact="",
        ),
        past_event=pf.EngagementEventFactory(
            ward=ward, title="Old surgery", starts_at=now - datetime.timedelta(days=9),
            ends_at=now - datetime.timedelta(days=9) + datetime.timedelta(hours=1),
        ),
        priority=pf.WardPriorityFactory(ward=ward, issue="Bike theft <near> the station",
                                        action="", action_date=None),
        closed_priority=pf.WardPriorityFactory(ward=ward, issue="Closed one",
                                               closed_on=today),
        crimes=crimes_of(ward),
    )
