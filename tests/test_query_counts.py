"""Every page and every API read makes a pinned number of queries on its first view (the cache
empty), so a change that adds a query to a page, or an N+1, fails here.

The reads come from the URL patterns (pages that answer GET) and the staff API's schema (its GET
operations); the test fails when one is not pinned below, so a new page or API read needs its
count the day it is added. Each is read by the first member of the cast whom the role matrix lets
read it (anonymous for public pages), addressing borough A's sample records. The public
data.police.uk API has its counts pinned in tests/policeuk/test_query_counts.py; the feature
tests pin, besides, that the lists' counts do not grow with their rows."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.conftest import api_client_for
from tests.endpoints import every_endpoint, fill_path, schema_operations, url_for
from tests.policeuk.test_query_counts import COLD as PUBLIC_API
from tests.test_role_matrix import OPERATIONS, PAGES, allowed

pytestmark = pytest.mark.django_db

# The cast members tried in turn: the first one a page's rule lets read it reads it.
READERS = ["inspector_a", "chief_inspector_a", "staff_a", "sergeant_a", "commander_a", "hq",
           "admin_user"]

# {URL name: queries} for the pages' GET, on an empty cache.
PAGE_QUERIES = {
    'home': 8,
    'login': 0,
    'password_change': 3,
    'password_change_done': 3,
    'accessibility': 0,
    'privacy': 0,
    'cookies': 0,
    'wards:bcu': 6,
    'wards:borough': 21,
    'wards:ward': 21,
    'teams:officer_list': 9,
    'teams:officer': 7,
    'teams:officer_move': 6,
    'teams:officer_transfer': 6,
    'teams:transfer_cancel': 6,
    'teams:ward_post': 6,
    'teams:posting_end': 5,
    'teams:team': 4,
    'deployment:flex_list': 9,
    'deployment:flex_new': 13,
    'deployment:flex_queue': 5,
    'deployment:flex': 8,
    'deployment:flex_edit': 5,
    'deployment:ward_calendar': 11,
    'deployment:officer_month': 8,
    'deployment:duty_new': 8,
    'deployment:roster_import': 3,
    'deployment:roster_template': 4,
    'deployment:abstraction_new': 6,
    'deployment:rest_day_new': 5,
    'deployment:rest_day_delete': 5,
    'deployment:abstractions_below_cover': 5,
    'reports:list': 7,
    'reports:failures': 4,
    'reports:detail': 15,
    'reports:status': 4,
    'reports:csv': 4,
    'reports:wards_csv': 4,
    'reports:pdf': 13,
    'reports:grip_and_pace': 13,
    'promises:promise_list': 8,
    'promises:promise_create': 9,
    'promises:promise': 8,
    'promises:promise_end': 5,
    'promises:activity_log': 5,
    'promises:ward_delivery': 10,
    'promises:priority_create': 5,
    'promises:panel_meeting_create': 7,
    'promises:event_create': 5,
    'promises:place_create': 5,
    'promises:borough_delivery': 7,
    'promises:priority_action': 5,
    'promises:place_import': 3,
    'promises:find': 0,
    'promises:public_team': 6,
    'victims:index': 7,
    'victims:ward_work_list': 10,
    'victims:cid_work_list': 9,
    'victims:figures': 6,
    'victims:crime_new': 7,  # + the user's wards for the map that places the crime
    'victims:crime': 8,
    'victims:view_log': 5,
    'demand:index': 25,
    'demand:table_csv': 13,
    'demand:ward': 27,
    'demand:imports': 10,
    'demand:import': 5,
    'demand:themes': 10,
    'demand:theme_new': 5,
    'demand:theme_edit': 8,
    'demand:target_new': 4,
    'demand:target_edit': 6,
    'contact:send': 1,
    'contact:inbox': 6,
    'contact:message': 8,
    'planning:profile': 11,
    'planning:profile_csv': 6,
    'supervision:recommendation': 19,
    'supervision:proposal_csv': 16,
    'import_status': 6,
    'deployment:duty_list': 6,
    'reports:performance_csv': 13,
    'reports:performance_london': 16,
    'reports:performance_bcu': 17,
    'reports:performance_borough': 17,
    'reports:performance_ward': 16,
    'reports:performance_ward_summary': 18,
    'reports:performance_bands': 4,
    'reports:performance_confidence': 3,
    'victims:crime_list': 8,
    'supervision:proposal_pdf': 16,
    'schools:import': 3,
    'schools:schools': 11,
}

# {API path: queries} for the staff API's GET operations, on an empty cache.
API_QUERIES = {
    '/api/v1/abstraction-types/': 3,
    '/api/v1/abstraction-types/{code}/': 2,
    '/api/v1/abstractions/': 3,
    '/api/v1/abstractions/{id}/': 2,
    '/api/v1/rest-days/': 3,
    '/api/v1/rest-days/{id}/': 2,
    '/api/v1/activities/': 5,
    '/api/v1/activities/{id}/': 4,
    '/api/v1/bcus/': 4,
    '/api/v1/bcus/{code}/': 3,
    '/api/v1/boroughs/': 3,
    '/api/v1/boroughs/{code}/': 2,
    '/api/v1/clusters/': 4,
    '/api/v1/clusters/{id}/': 3,
    '/api/v1/crimes/': 4,
    '/api/v1/crimes/{id}/': 6,
    '/api/v1/demand/imports/': 3,
    '/api/v1/demand/imports/{id}/': 2,
    '/api/v1/demand/map/': 10,
    '/api/v1/demand/points/': 8,  # the ward resolved by name or code among the user's (wards.names)
    '/api/v1/demand/profile/': 4,
    '/api/v1/demand/wards/': 9,
    '/api/v1/duties/': 3,
    '/api/v1/duties/{id}/': 2,
    '/api/v1/events/': 3,
    '/api/v1/events/{id}/': 2,
    '/api/v1/flex-requests/': 4,
    '/api/v1/flex-requests/{id}/': 5,
    '/api/v1/officers/': 3,
    '/api/v1/officers/{shoulder_number}/': 2,
    '/api/v1/panel-meetings/': 5,
    '/api/v1/panel-meetings/{id}/': 4,
    '/api/v1/places/': 3,
    '/api/v1/places/{id}/': 2,
    '/api/v1/postings/': 3,
    '/api/v1/postings/{id}/': 2,
    '/api/v1/priorities/': 3,
    '/api/v1/priorities/{id}/': 2,
    '/api/v1/promises/': 4,
    '/api/v1/promises/{id}/': 3,
    '/api/v1/reports/': 3,
    '/api/v1/reports/{id}/': 11,
    '/api/v1/reports/{id}/csv/': 3,
    '/api/v1/reports/{id}/pdf/': 12,
    '/api/v1/reports/{id}/status/': 2,
    '/api/v1/reports/{id}/wards-csv/': 3,
    '/api/v1/supervision/recommendation/': 14,
    '/api/v1/teams/': 3,
    '/api/v1/teams/{id}/': 2,
    '/api/v1/visit-offers/': 3,
    '/api/v1/visit-offers/{id}/': 5,
    '/api/v1/wards/': 3,
    '/api/v1/wards/{code}/': 2,
    '/api/v1/imports/{id}/': 2,
    '/api/v1/performance/': 11,
    '/api/v1/reports/{id}/performance-csv/': 12,
    '/api/v1/safer-schools/': 7,
}


# The reads that need a query to answer 200, filled from the sample.
QUERY = {
    "planning:profile_csv": "ward={ward}&month_from=2026-10&month_to=2026-10",
    "/api/v1/demand/profile/": "ward={ward}&month_from=2026-10&month_to=2026-10",
    "/api/v1/demand/points/": "ward={ward}",
    "/api/v1/supervision/recommendation/": "borough={borough}",
    "/api/v1/performance/": "borough={borough}&month=2026-10",
    "/api/v1/safer-schools/": "borough={borough}",
}
# Reads that do not answer 200 on the sample records, and why.
STATUS = {
    "teams:transfer_cancel": 404,  # the sample officer has no transfer to cancel
    "teams:team": 302,  # a team's page is its ward's
    "deployment:flex_edit": 302,  # the sample flex is submitted: only a draft is edited
}


def reader(rule, cast):
    """(who, user) for the first member of the cast who may read under `rule`."""
    if rule.public:
        return "anonymous", None
    for who in READERS:
        user = cast(who)
        if allowed(rule, who, user):
            return who, user
    raise AssertionError(f"no member of the cast may read under {rule}")


def page_reads() -> list:
    return [e for e in every_endpoint(admin=False)
            if not e.is_api and "GET" in PAGES[e.name]]


def api_reads() -> list[str]:
    return sorted({path for path, method, _op, _ in schema_operations() if method == "get"})


def with_query(key: str, url: str, sample) -> str:
    if key not in QUERY:
        return url
    return url + "?" + QUERY[key].format(ward=sample["ward"].code,
                                         borough=sample["borough"].code)


def first_view(get, url) -> tuple[int, int]:
    """(status, queries) of a GET on an empty cache: the first view, as after a change."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = get(url)
    return response.status_code, len(captured)


def test_every_page_and_api_read_is_pinned():
    pages = {e.name for e in page_reads()}
    assert pages - set(PAGE_QUERIES) == set(), "pages whose queries are not pinned"
    assert set(PAGE_QUERIES) - pages == set(), "pins of pages that no longer exist"
    reads = set(api_reads())
    assert reads - set(API_QUERIES) == set(), "API reads whose queries are not pinned"
    assert set(API_QUERIES) - reads == set(), "pins of API reads that no longer exist"
    public = {e.name for e in every_endpoint(admin=False) if e.name.startswith("policeuk:")}
    pinned = {f"policeuk:{name}" for name in PUBLIC_API} | {"policeuk:schema"}
    assert public - pinned == set(), "public API reads whose queries are not pinned"


def test_each_page_makes_its_pinned_number_of_queries(client, sample, cast, settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "100000/min")
    wrong = []
    for endpoint in page_reads():
        who, user = reader(PAGES[endpoint.name]["GET"], cast)
        client.logout()
        if user is not None:
            client.force_login(user)
        url = with_query(endpoint.name, url_for(endpoint, sample), sample)
        status, queries = first_view(client.get, url)
        expected = (STATUS.get(endpoint.name, 200), PAGE_QUERIES[endpoint.name])
        if (status, queries) != expected:
            wrong.append(f"{endpoint.name} (GET {url} as {who}): {status} in {queries} queries, "
                         f"pinned {expected[0]} in {expected[1]}")
    assert not wrong, "\n".join(wrong)


def test_each_api_read_makes_its_pinned_number_of_queries(sample, cast):
    wrong = []
    for path in api_reads():
        who, user = reader(OPERATIONS[(path, "get")], cast)
        get = (APIClient() if user is None else api_client_for(user)).get
        url = with_query(path, fill_path(path, sample), sample)
        status, queries = first_view(get, url)
        if (status, queries) != (200, API_QUERIES[path]):
            wrong.append(f"GET {url} as {who}: {status} in {queries} queries, "
                         f"pinned 200 in {API_QUERIES[path]}")
    assert not wrong, "\n".join(wrong)
