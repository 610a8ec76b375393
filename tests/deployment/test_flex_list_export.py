"""The flex request list sorts by its columns and exports the filtered list as CSV, within the
user's boroughs, with the applied filters shown as tags that remove them."""

import datetime

import pytest
from django.urls import reverse

from deployment import views
from deployment.models import FlexRequest
from teams.models import Role
from tests import factories as f
from tests.deployment.factories import raise_flex, staff_ward
from tests.listing import csv_rows, sorted_both_ways

pytestmark = pytest.mark.django_db
LIST = reverse("deployment:flex_list")
D = datetime.date


@pytest.fixture
def flexes(sergeant_a, ward_a, ward_a_east, dwos_a, dwos_a_east, borough_b, ward_b,
           frozen_today):
    """Three of borough_a's requests (to Highgate, to ward_a, a draft) and one of borough_b's."""
    to_east = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 16),
                         end=D(2026, 3, 22))
    to_a = raise_flex(sergeant_a, ward_a, dwos_a_east[:1], start=D(2026, 3, 9),
                      end=D(2026, 3, 15))
    draft = raise_flex(sergeant_a, ward_a_east, dwos_a[1:2], start=D(2026, 3, 23),
                       end=D(2026, 3, 29), submit=False)
    FlexRequest.objects.filter(pk=draft.pk).update(problem='=HYPERLINK("http://x")')
    sergeant_b = f.UserFactory(role=Role.SERGEANT, boroughs=[borough_b])
    elsewhere = staff_ward(f.TeamFactory(ward=f.WardFactory(borough=borough_b)), pcs=1, pcsos=0)
    raise_flex(sergeant_b, ward_b, elsewhere)
    return to_east, to_a, draft


def _pks(rows):
    return [int(r[0]) for r in rows[1:]]


SORT_KEYS = {
    "number": lambda flex: flex.pk,
    "ward": lambda flex: flex.to_ward.name,
    "dates": lambda flex: flex.start_date,
    "status": lambda flex: flex.status,
    "requested": lambda flex: flex.created_at,
}


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_each_column_sorts_both_ways(client, staff_a, flexes, sort):
    client.force_login(staff_a)
    ascending, descending = sorted_both_ways(
        FlexRequest.objects.filter(pk__in=[flex.pk for flex in flexes]).select_related("to_ward"),
        SORT_KEYS[sort],
    )
    rows = csv_rows(client.get(LIST, {"format": "csv", "sort": sort}))
    assert _pks(rows) == [flex.pk for flex in ascending]
    rows = csv_rows(client.get(LIST, {"format": "csv", "sort": f"-{sort}"}))
    assert _pks(rows) == [flex.pk for flex in descending]


def test_the_page_links_each_sort_and_says_how_it_is_sorted(client, staff_a, flexes):
    client.force_login(staff_a)
    body = client.get(LIST, {"sort": "dates"}).content.decode()
    assert 'aria-sort="ascending"' in body and "sort=-dates" in body
    assert "sort=ward" in body and "sort=status" in body
    assert body.index(f"#{flexes[1].pk}<") < body.index(f"#{flexes[0].pk}<")


def test_only_the_offered_columns_sort(client, staff_a, flexes):
    client.force_login(staff_a)
    response = client.get(LIST, {"sort": "requested_by__password"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_csv_is_the_whole_filtered_list_of_the_users_boroughs_and_harmless(
    client, staff_a, flexes, monkeypatch
):
    monkeypatch.setattr(views, "FLEXES_PER_PAGE", 1)  # the export is not one page
    client.force_login(staff_a)
    rows = csv_rows(client.get(LIST, {"format": "csv", "sort": "number"}))
    assert rows[0] == list(views.FLEX_CSV_HEADER)
    assert _pks(rows) == [flex.pk for flex in flexes]  # not borough_b's request
    draft = rows[3]
    assert draft[1] == flexes[2].borough.name and draft[2] == "Highgate"
    assert draft[3:5] == ["2026-03-23", "2026-03-29"]
    assert draft[6] == "Draft" and draft[7] == flexes[2].requested_by.display_name
    assert draft[9] == '\'=HYPERLINK("http://x")'
    rows = csv_rows(client.get(LIST, {"format": "csv", "status": "draft"}))
    assert _pks(rows) == [flexes[2].pk]


def test_an_outsider_exports_nothing_of_another_borough(client, staff_b, flexes):
    client.force_login(staff_b)
    # Another borough's code is answered as one that does not exist: a form error, no rows.
    code = flexes[0].borough.code
    response = client.get(LIST, {"format": "csv", "borough": code})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f"No borough with the ONS code {code} in your boroughs" in page
    assert not any(f"#{flex.pk} " in page for flex in flexes)


def test_applied_filters_show_as_tags_that_remove_them(client, staff_a, flexes):
    client.force_login(staff_a)
    body = client.get(LIST, {"status": "draft", "ward": "E05013661"}).content.decode()
    assert "Selected filters" in body
    assert "Status: Draft" in body and "Ward (to or from): Highgate (Camden)" in body
    assert 'href="?ward=E05013661"' in body  # removing the status keeps the ward
    assert "format=csv" in body


def test_the_page_and_the_export_run_a_fixed_number_of_queries(
    client, staff_a, sergeant_a, ward_a_east, team_a, flexes, assert_fixed_queries
):
    client.force_login(staff_a)

    def more():
        for _ in range(3):
            raise_flex(sergeant_a, ward_a_east, staff_ward(team_a, pcs=1, pcsos=0))

    before, after = assert_fixed_queries(
        lambda: csv_rows(client.get(LIST, {"format": "csv"})), more, queries=CSV_QUERIES
    )
    assert len(after) == len(before) + 3
    assert_fixed_queries(lambda: client.get(LIST), more, queries=PAGE_QUERIES)


# The export: the user, the user's boroughs (scoping), the filter form's boroughs and wards by
# name, the requests, their officers (prefetched).
CSV_QUERIES = 6
# The page: as the export, plus the count for the pagination and the boroughs the page's menu
# offers (base template).
PAGE_QUERIES = 8
