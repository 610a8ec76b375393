"""The duty list: the user's boroughs' duties, filtered by a ward's name or code, sorted by
column and exported as CSV with the same filters, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from config.timeutils import shift_bounds
from deployment.duties import duty_record

pytestmark = pytest.mark.django_db
URL = "/duties/"
EARLY = (datetime.time(7), datetime.time(15))


def shift(officer, by, day):
    starts_at, ends_at = shift_bounds(day, *EARLY)
    return duty_record(officer=officer, starts_at=starts_at, ends_at=ends_at, by=by)


@pytest.fixture
def duties(staff_a, dwos_a, dwos_a_east):
    return [shift(dwos_a[0], staff_a, datetime.date(2026, 3, 6)),
            shift(dwos_a_east[0], staff_a, datetime.date(2026, 3, 7))]


def test_the_url_is_the_duty_list():
    assert reverse("deployment:duty_list") == URL


def test_a_wards_duties_by_its_name(client, staff_a, duties, dwos_a, dwos_a_east):
    client.force_login(staff_a)
    page = client.get(URL, {"ward": "haverstock"}).content.decode()
    assert dwos_a[0].full_name in page and dwos_a_east[0].full_name not in page
    assert "Fri 6 Mar 2026 07:00" in page
    assert "No ward called Nowhere in your boroughs" in client.get(
        URL, {"ward": "Nowhere"}).content.decode()


def test_an_outsider_sees_none_of_them(client, staff_b, duties, dwos_a):
    client.force_login(staff_b)
    assert dwos_a[0].full_name not in client.get(URL).content.decode()


def test_it_sorts_and_exports_with_its_filters(client, staff_a, duties):
    client.force_login(staff_a)
    response = client.get(URL, {"format": "csv", "sort": "-starts"})
    lines = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Officer,Starts,Ends,What,Where")
    assert [line.split(",")[1] for line in lines[1:]] == ["07/03/2026 07:00", "06/03/2026 07:00"]


def test_it_costs_a_fixed_number_of_queries(client, staff_a, duties, dwos_a,
                                            assert_fixed_queries):
    client.force_login(staff_a)

    def fetch():
        assert client.get(URL).status_code == 200

    def more():
        for n in range(5):
            shift(dwos_a[1], staff_a, datetime.date(2026, 3, 10 + n))

    # session, user, the user's boroughs, the count, the page of duties with their officers
    # and wards
    assert_fixed_queries(fetch, more, queries=5)
