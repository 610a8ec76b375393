"""Bad input is a clear answer (404, a form error, a 400 listing rejected rows), never a 500."""

import pytest

from tests.victims.factories import URL, csv_of, row
from victims.models import Crime

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["staff_a", "admin_user"])
def test_a_ward_code_with_a_nul_is_not_found(client, cast, who, ward_a):
    client.force_login(cast(who))
    assert client.get("/victims/wards/%00/").status_code == 404


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_figures_for_an_absurd_date_say_so(client, staff_a, borough_a, day):
    client.force_login(staff_a)
    url = f"/victims/boroughs/{borough_a.code}/figures/?date_from={day}&date_to={day}"
    response = client.get(url)
    assert response.status_code == 200
    assert "between 1 January 2000 and 31 December 2099" in response.content.decode()


def _import(client_of, body):
    return client_of("staff_a").post(URL, body, content_type="text/csv")


def test_an_import_holding_nul_bytes_is_refused(client_of, ward_a):
    response = _import(client_of, csv_of(row(ward_a, name="Ida\x00Import")))
    assert response.status_code == 400
    assert "NUL" in str(response.json())
    assert not Crime.objects.exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"name": "N" * 121}, "longer than 120"),
        ({"ref": "R" * 65}, "longer than 64"),
    ],
)
def test_an_overlong_value_rejects_its_row(client_of, ward_a, change, message):
    response = _import(client_of, csv_of(row(ward_a, **change)))
    assert response.status_code == 400
    assert message in response.json()["rejected"][0]["message"]
    assert not Crime.objects.exists()


@pytest.mark.parametrize("when", ["9999-12-31T23:59", "2026-02-30T10:00"])
def test_an_impossible_report_time_rejects_its_row(client_of, ward_a, when):
    line = row(ward_a)
    line[12] = when
    response = _import(client_of, csv_of(line))
    assert response.status_code == 400
    assert "Reported at must be" in response.json()["rejected"][0]["message"]
