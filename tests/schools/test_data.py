"""The data a score reads: crime and ASB within the radius of a school (police.uk points), the
ward's IMD (the mean of its LSOAs'), and load_schools placing the DfE list's schools."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from demand.models import Category, DataImport, DataMonth, Deprivation, Lsoa, StreetCrime
from schools import surroundings
from schools.london import load_schools
from schools.models import School
from schools.recommendation import ward_deprivation
from tests import factories as f

pytestmark = pytest.mark.django_db
MONTH = datetime.date(2025, 1, 1)
LAT, LNG = 51.55, -0.15
METRE_LAT = 1 / 111_320


def point(data_import, slug, north_m=0.0, east_m=0.0, month=MONTH, ward=None):
    import math

    return StreetCrime.objects.create(
        month=month, category=Category.objects.get(slug=slug), ward=ward, lsoa_code="E01000001",
        lat=LAT + north_m * METRE_LAT,
        lng=LNG + east_m * METRE_LAT / math.cos(math.radians(LAT)), data_import=data_import,
    )  # fmt: skip


@override_settings(SCHOOL_RADIUS_M=500)
def test_crime_and_asb_within_the_radius_are_counted(hand_built, borough_a):
    ward = hand_built["w1"]
    near = School.objects.create(urn="400001", name="Near", kind="secondary", borough=borough_a,
                                 ward=ward, lat=LAT, lng=LNG)  # fmt: skip
    unplaced = School.objects.create(urn="400002", name="Unplaced", kind="secondary",
                                     borough=borough_a)  # fmt: skip
    done = DataImport.objects.create(kind=DataImport.Kind.POLICE_UK, file_name="x.csv",
                                     sha256="2" * 64, status=DataImport.Status.DONE)  # fmt: skip
    DataMonth.objects.create(month=MONTH, category=Category.objects.get(slug="burglary"), rows=5,
                             data_import=done)  # fmt: skip
    point(done, "burglary", north_m=100, ward=ward)
    point(done, "robbery", east_m=-480, ward=ward)  # inside, east-west scaled
    point(done, "anti-social-behaviour", north_m=-300, east_m=300, ward=ward)  # 424 m
    point(done, "burglary", north_m=520, ward=ward)  # outside
    point(done, "anti-social-behaviour", east_m=400, north_m=400, ward=ward)  # 566 m: outside
    point(done, "burglary", month=datetime.date(2023, 1, 1), ward=ward)  # before the 12 months
    surroundings.refresh()
    near.refresh_from_db()
    unplaced.refresh_from_db()
    assert (near.crime, near.asb) == (2, 1)
    assert near.around_months
    assert (unplaced.crime, unplaced.asb) == (None, None)


def test_with_no_police_uk_data_crime_around_is_missing(hand_built):
    surroundings.refresh()
    assert set(School.objects.values_list("crime", flat=True)) == {None}


def test_the_ward_deprivation_is_the_mean_of_its_lsoas(hand_built, borough_a):
    for code, score in (("E01990001", "30.000"), ("E01990002", "20.000")):
        lsoa = Lsoa.objects.create(vintage=2021, code=code, name=code, ward_code="E05990001",
                                   borough_code=borough_a.code)  # fmt: skip
        Deprivation.objects.create(lsoa=lsoa, edition=2025, imd_rank=1, imd_decile=1,
                                   imd_score=Decimal(score))  # fmt: skip
    assert ward_deprivation(borough_a) == {"E05990001": Decimal(25)}


def test_load_schools_places_each_school_and_keeps_imported_criteria(tmp_path, borough_a):
    ward = f.WardFactory(borough=borough_a, code="E05013660", centroid_lat=51.5448,
                         centroid_lng=-0.1532)  # fmt: skip
    f.PostcodeFactory(postcode="NW1 9LT", ward=ward)
    header = ("urn,school_name,borough_code,borough_name,establishment_type_group,gender,"
              "age_range,religious_denomination,admissions_policy,full_address,postcode,"
              "ks4_cohort_pupils,lat_pvhee,lng_pvhee,ward_code_bsc_pip\n")  # fmt: skip
    (tmp_path / "london_secondary_schools_ks4_2024.csv").write_text(
        header
        + "100049,Haverstock School,E09000007,Camden,Community school,,,,,,NW3 2BQ,1,"
          "51.5448,-0.1532,E05013660\n"
        + "100050,By Postcode,E09000007,Camden,Community special school,,,,,,NW1 9LT,1,,,\n"
        + "100051,Nowhere,E09000007,Camden,Free schools,,,,,,,1,,,\n"
        + "100003,City of London School,E09000001,City of London,Independent schools,,,,,,,1,,,\n"
    )  # fmt: skip
    (tmp_path / "london_secondary_schools_latlng_pvhee_subset.csv").write_text(
        "EstablishmentName,URN,Latitude,Longitude,diffn_att8\nHaverstock School,100049,51.5448,"
        "-0.1532,-7.4\n"
    )
    report = load_schools(tmp_path)
    assert (report.created, len(report.skipped)) == (3, 1)
    schools = {s.urn: s for s in School.objects.all()}
    assert (schools["100049"].placed, schools["100049"].ward, schools["100049"].attainment) == (
        "coordinates", ward, Decimal("-7.40")
    )
    assert (schools["100050"].placed, schools["100050"].ward, schools["100050"].kind) == (
        "postcode", ward, "special"
    )
    assert (schools["100051"].placed, schools["100051"].ward) == ("unplaced", None)
    School.objects.filter(urn="100049").update(victims=4)
    again = load_schools(tmp_path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert School.objects.get(urn="100049").victims == 4
