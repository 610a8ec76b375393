"""The promise list sorts by its columns and exports the filtered list as CSV, within the
user's boroughs, with the applied filters shown as tags that remove them."""

import datetime

import pytest
from django.urls import reverse

from config.listing import neutralise
from promises import views
from promises.delivery import STATUS_LABELS
from promises.models import Promise
from tests import factories as f
from tests.listing import csv_rows, sorted_both_ways
from tests.promises.factories import CustomPromiseFactory, PatrolPromiseFactory, PromiseFactory

pytestmark = pytest.mark.django_db
LIST = reverse("promises:promise_list")
D = datetime.date


@pytest.fixture
def promises(ward_a, borough_a2, ward_b):
    """Three promises of borough_a and borough_a2 (commander_a's), and one of borough_b."""
    made = [
        PatrolPromiseFactory(ward=ward_a, title="Station forecourt patrols", start=D(2025, 3, 1)),
        PromiseFactory(ward=f.WardFactory(borough=borough_a2), title="Meet the traders",
                       start=D(2025, 1, 1)),
        CustomPromiseFactory(ward=ward_a, title='=HYPERLINK("http://x")', start=D(2025, 2, 1)),
    ]
    PromiseFactory(ward=ward_b, title="Soho outsider")
    return made


SORT_KEYS = {
    "title": lambda p: p.title,
    "borough": lambda p: p.borough.name,
    "kind": lambda p: p.kind,
    "runs": lambda p: p.start,
}


def _titles(rows):
    return [r[0] for r in rows[1:]]


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_each_column_sorts_both_ways(client, commander_a, promises, sort):
    client.force_login(commander_a)
    ascending, descending = sorted_both_ways(
        Promise.objects.filter(pk__in=[p.pk for p in promises]).select_related("borough"),
        SORT_KEYS[sort],
    )
    rows = csv_rows(client.get(LIST, {"format": "csv", "sort": sort}))
    assert _titles(rows) == [neutralise(p.title) for p in ascending]
    rows = csv_rows(client.get(LIST, {"format": "csv", "sort": f"-{sort}"}))
    assert _titles(rows) == [neutralise(p.title) for p in descending]


def test_the_page_links_each_sort_and_says_how_it_is_sorted(client, staff_a, promises):
    client.force_login(staff_a)
    body = client.get(LIST, {"sort": "-runs"}).content.decode()
    assert 'aria-sort="descending"' in body and "sort=runs" in body
    assert "sort=title" in body and "sort=kind" in body and "sort=borough" in body
    assert body.index("Station forecourt patrols") < body.index("=HYPERLINK")


def test_only_the_offered_columns_sort(client, staff_a, promises):
    client.force_login(staff_a)
    response = client.get(LIST, {"sort": "owner_user__password"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_csv_is_the_whole_filtered_list_of_the_users_boroughs_and_harmless(
    client, staff_a, ward_a, promises, monkeypatch
):
    monkeypatch.setattr(views, "PROMISES_PER_PAGE", 1)  # the export is not one page
    client.force_login(staff_a)
    rows = csv_rows(client.get(LIST, {"format": "csv", "sort": "runs"}))
    assert rows[0] == list(views.PROMISE_CSV_HEADER)
    # staff_a's borough only: neither borough_a2's nor borough_b's promise
    assert _titles(rows) == ['\'=HYPERLINK("http://x")', "Station forecourt patrols"]
    patrol = rows[2]
    assert patrol[1:6] == [ward_a.borough.name, "Haverstock", "Patrol", "2025-03-01", ""]
    assert patrol[6:8] == ["0", "2"]  # running this week, nothing done yet
    assert patrol[8] in STATUS_LABELS.values()
    rows = csv_rows(client.get(LIST, {"format": "csv", "kind": "custom"}))
    assert _titles(rows) == ['\'=HYPERLINK("http://x")']


def test_an_outsider_exports_nothing_of_another_borough(client, staff_b, ward_a, promises):
    client.force_login(staff_b)
    # Another borough's code is answered as one that does not exist: a form error, no rows.
    response = client.get(LIST, {"format": "csv", "borough": ward_a.borough.code})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f"No borough with the ONS code {ward_a.borough.code} in your boroughs" in page
    assert not any(p.title in page for p in promises)


def test_applied_filters_show_as_tags_that_remove_them(client, staff_a, promises):
    client.force_login(staff_a)
    body = client.get(LIST, {"kind": "patrol", "running_on": "2025-06-01"}).content.decode()
    assert "Selected filters" in body
    assert "Kind: Patrol" in body and "Running on: 2025-06-01" in body
    assert 'href="?running_on=2025-06-01"' in body  # removing the kind keeps the date
    assert "format=csv" in body


def test_the_page_and_the_export_run_a_fixed_number_of_queries(
    client, staff_a, ward_a, promises, assert_fixed_queries
):
    client.force_login(staff_a)

    def more():
        for _ in range(3):
            PatrolPromiseFactory(ward=ward_a)

    before, after = assert_fixed_queries(
        lambda: csv_rows(client.get(LIST, {"format": "csv"})), more, queries=CSV_QUERIES
    )
    assert len(after) == len(before) + 3
    assert_fixed_queries(lambda: client.get(LIST), more, queries=PAGE_QUERIES)


# The export: the user, the user's boroughs (scoping), the promises, their linked activities
# (promises.delivery; visit promises would add one for their places).
CSV_QUERIES = 4
# The page: as the export, plus the count for the pagination, the boroughs of the page's menu
# (base template) and those of its "delivery at a glance" links.
PAGE_QUERIES = 7
