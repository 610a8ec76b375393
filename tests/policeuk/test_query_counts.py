"""Each endpoint reads a fixed number of queries however many rows it returns (pinned on a cold
cache, before and after more rows are added); once cached, none."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from policeuk.models import SeniorOfficer
from tests import factories as f
from tests.policeuk.conftest import MONTH, street_crime
from tests.policeuk.test_contract import requests
from tests.promises import factories as pf

# Queries per endpoint on a cold cache, each one named.
COLD = {
    "forces": 0,
    "force": 0,
    "force-people": 1,  # senior officers
    "neighbourhoods": 1,  # wards
    "neighbourhood": 2,  # the ward (with borough and team); its population
    "boundary": 1,  # the ward
    "people": 2,  # the ward; current postings with officers
    "events": 2,  # the ward; events
    "priorities": 2,  # the ward; open priorities
    "locate": 1,  # wards whose box holds the point
    "categories": 1,  # categories
    "dates": 1,  # months with data
    "street": 2,  # the latest month (none given); crimes (all-crime: no category to look up)
    "at-location": 2,  # the latest month; crimes at the point
    "no-location": 2,  # the latest month; crimes without a point
    "outcomes": 1,  # rows with the persistent id
}
# Once cached: none, the whole answer comes from the cache ahead of the view
# (config/publiccache.py).
WARM = dict.fromkeys(COLD, 0)


def counts(published) -> dict[str, int]:
    client, found = Client(), {}
    for name, (path, query) in requests(published).items():
        query = {k: v for k, v in query.items() if k != "date"}  # the latest month is looked up
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/" + path, query).status_code == 200
        found[name] = len(queries)
    return found


def more_rows(published):
    SeniorOfficer.objects.create(name="Another", rank="Commander")
    today = timezone.localdate()
    for n in range(3):
        officer = f.OfficerFactory(borough=published.ward.borough)
        f.PostingFactory(officer=officer, team=published.team,
                         start_date=today - datetime.timedelta(1))
        pf.EngagementEventFactory(ward=published.ward)
        pf.WardPriorityFactory(ward=published.ward)
        street_crime(published.crimes["burglary"].data_import, "burglary", crime_id=f"{n}" * 64,
                     ward=published.ward, month=MONTH)


@pytest.mark.django_db
def test_queries_do_not_grow_with_rows(published):
    SeniorOfficer.objects.create(name="Mark Rowley", rank="Commissioner")
    assert counts(published) == COLD
    assert counts(published) == WARM
    more_rows(published)
    cache.clear()
    assert counts(published) == COLD
