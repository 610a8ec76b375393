"""The officer list sorts by its columns and exports the filtered list as CSV, within the user's
boroughs, with the applied filters shown as tags that remove them."""

import pytest
from django.urls import reverse

from teams import views
from teams.models import Rank
from tests import factories as f
from tests.listing import csv_rows as _csv

pytestmark = pytest.mark.django_db
LIST = reverse("teams:officer_list")


@pytest.fixture
def officers(borough_a, borough_b):
    made = [
        f.OfficerFactory(borough=borough_a, first_name="Priya", last_name="Shah",
                         shoulder_number="7016EA"),
        f.OfficerFactory(borough=borough_a, first_name="Tom", last_name="Adams",
                         shoulder_number="21EA", rank=Rank.SERGEANT),
        f.OfficerFactory(borough=borough_a, first_name="=HYPERLINK(\"http://x\")",
                         last_name="Mole", shoulder_number="99EA"),
    ]
    f.OfficerFactory(borough=borough_b, first_name="Westy", last_name="Outsider")
    return made


def _names(body: str, *names: str) -> list[int]:
    return [body.index(name) for name in names]


def test_the_list_sorts_by_name_both_ways_and_says_so(client, staff_a, officers):
    client.force_login(staff_a)
    body = client.get(LIST, {"sort": "name"}).content.decode()
    adams, mole, shah = _names(body, "Tom Adams", "Mole", "Priya Shah")
    assert adams < mole < shah
    assert 'aria-sort="ascending"' in body and "sort=-name" in body
    body = client.get(LIST, {"sort": "-name"}).content.decode()
    adams, mole, shah = _names(body, "Tom Adams", "Mole", "Priya Shah")
    assert shah < mole < adams
    assert 'aria-sort="descending"' in body


def test_only_the_offered_columns_sort(client, staff_a, officers):
    client.force_login(staff_a)
    response = client.get(LIST, {"sort": "user__password"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_csv_is_the_whole_filtered_list_of_the_users_boroughs_and_harmless(
    client, staff_a, officers, monkeypatch
):
    monkeypatch.setattr(views, "OFFICERS_PER_PAGE", 1)  # the export is not one page
    client.force_login(staff_a)
    rows = _csv(client.get(LIST, {"format": "csv", "sort": "shoulder_number"}))
    assert rows[0] == ["Rank", "Name", "Shoulder number", "Borough", "Current posting"]
    assert [r[2] for r in rows[1:]] == ["21EA", "7016EA", "99EA"]  # no Outsider: not theirs
    assert rows[3][1].startswith("'=HYPERLINK")
    rows = _csv(client.get(LIST, {"format": "csv", "rank": "sergeant"}))
    assert [r[1] for r in rows[1:]] == ["Tom Adams"]


def test_applied_filters_show_as_tags_that_remove_them(client, staff_a, officers):
    client.force_login(staff_a)
    body = client.get(LIST, {"rank": "sergeant", "q": "Adams"}).content.decode()
    assert "Selected filters" in body
    assert "Rank: Sergeant" in body and "Name or shoulder number: Adams" in body
    assert 'href="?q=Adams"' in body  # removing the rank keeps the name
    assert "format=csv" in body


def test_the_export_runs_a_fixed_number_of_queries(
    client, staff_a, borough_a, officers, assert_fixed_queries
):
    client.force_login(staff_a)

    def fetch():
        return _csv(client.get(LIST, {"format": "csv"}))

    def more():
        for _ in range(5):
            f.PostingFactory(officer=f.OfficerFactory(borough=borough_a))

    before, after = assert_fixed_queries(fetch, more, queries=QUERIES)
    assert len(after) == len(before) + 5


# The export's queries: session, user, the user's boroughs (scoping), the officers, their
# current postings (prefetched).
QUERIES = 5
