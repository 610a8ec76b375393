"""factory_boy factories for the whole project. Codes are sequences so tests never collide."""

import datetime

import factory

from config.access import Role
from teams.models import Officer, Posting, Rank, Team, User
from wards.models import BCU, Borough, Place, Postcode, Ward, WardCluster


# A small square ward boundary around (lat, lng): enough for point-in-ward tests.
def square(lat: float, lng: float, half: float = 0.004) -> dict:
    ring = [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
    ]
    return {"type": "MultiPolygon", "coordinates": [[ring]]}


class BCUFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BCU
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Test BCU {n}")


class BoroughFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Borough
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E09{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Borough {n}")
    bcu = factory.SubFactory(BCUFactory)


class WardClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WardCluster

    borough = factory.SubFactory(BoroughFactory)
    name = factory.Sequence(lambda n: f"Cluster {n}")


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    code = factory.Sequence(lambda n: f"E05{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Ward {n}")
    borough = factory.SubFactory(BoroughFactory)
    centroid_lat = factory.Sequence(lambda n: round(51.40 + (n % 40) * 0.01, 6))
    centroid_lng = factory.Sequence(lambda n: round(-0.30 + (n % 40) * 0.01, 6))
    boundary = factory.LazyAttribute(lambda o: square(float(o.centroid_lat), float(o.centroid_lng)))
    bbox_south = factory.LazyAttribute(lambda o: float(o.centroid_lat) - 0.004)
    bbox_north = factory.LazyAttribute(lambda o: float(o.centroid_lat) + 0.004)
    bbox_west = factory.LazyAttribute(lambda o: float(o.centroid_lng) - 0.004)
    bbox_east = factory.LazyAttribute(lambda o: float(o.centroid_lng) + 0.004)


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Place {n}")
    kind = Place.Kind.SECONDARY_SCHOOL
    ward = factory.SubFactory(WardFactory)


class PostcodeFactory(factory.django.DjangoModelFactory):
    """A postcode at its ward's centroid (pass postcode=…; ward=None for the City of London)."""

    class Meta:
        model = Postcode

    ward = factory.SubFactory(WardFactory)
    lat = factory.LazyAttribute(lambda o: o.ward.centroid_lat if o.ward else "51.5150")
    lng = factory.LazyAttribute(lambda o: o.ward.centroid_lng if o.ward else "-0.0920")
    quality = 10


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    shoulder_number = factory.Sequence(lambda n: f"{1000 + n}TT")
    first_name = factory.Sequence(lambda n: f"Alex{n}")
    last_name = factory.Sequence(lambda n: f"Officer{n}")
    rank = Rank.PC
    borough = factory.SubFactory(BoroughFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    """A ward's neighbourhood team by default."""

    class Meta:
        model = Team

    kind = Team.Kind.WARD
    ward = factory.SubFactory(WardFactory)
    borough = factory.LazyAttribute(lambda o: o.ward.borough)
    name = factory.LazyAttribute(lambda o: f"{o.ward.name} SNT")
    email = factory.LazyAttribute(lambda o: f"{o.ward.code.lower()}@met.police.example")
    phone = "020 7230 1212"


class INPTFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    kind = Team.Kind.INPT
    ward = None
    cluster = factory.SubFactory(WardClusterFactory)
    borough = factory.LazyAttribute(lambda o: o.cluster.borough)
    name = factory.LazyAttribute(lambda o: f"{o.cluster.name} INPT")


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Posting

    officer = factory.SubFactory(OfficerFactory)
    team = factory.SubFactory(TeamFactory)
    role = Posting.Role.DEDICATED
    is_primary = True
    start_date = datetime.date(2025, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def boroughs(self, create, extracted, **kwargs):
        if create and extracted:
            self.boroughs.set(extracted)
        if create:
            self.save()


def post_to_team(user, team, *, role=Posting.Role.SUPERVISOR) -> Posting:
    """Give `user` an officer (a sergeant of the team's borough, unless they have one) posted
    to `team` from 2025: a ward team's own sergeant, who reads its messages."""
    if user.officer_id is None:
        user.officer = OfficerFactory(
            borough=team.borough, rank=Rank.SERGEANT, first_name=user.first_name or "Sam",
            last_name=user.last_name or "Sergeant",
        )  # fmt: skip
        user.save(update_fields=["officer"])
    return PostingFactory(officer=user.officer, team=team, role=role)
