"""queue_warnings: the conflicts and cover warnings of many pending requests at once, the same as
flex_conflicts and flex_cover_gaps give one request at a time, in a fixed number of queries."""

import datetime

import pytest
from django.db.models import Prefetch

from deployment import cover, selectors, services
from deployment.models import FlexOfficer, FlexRequest
from teams.models import Posting
from tests import factories as f
from tests.deployment.factories import ACCEPTED, court, raise_flex

pytestmark = pytest.mark.django_db
D = datetime.date


def pending(ids):
    members = FlexOfficer.objects.select_related("officer", "from_ward")
    return list(
        FlexRequest.objects.filter(pk__in=ids)
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("pk")
    )


@pytest.fixture
def requests(sergeant_a, inspector_a, chief_inspector_a, team_a, ward_a_east, dwos_a,
             dwos_a_east, frozen_today):
    """Pending requests with and without conflicts and cover gaps, over different dates."""
    approved = raise_flex(sergeant_a, ward_a_east, dwos_a[:1])
    services.flex_approve(flex=approved, by=inspector_a)
    court(dwos_a_east[0], chief_inspector_a, D(2026, 3, 12), cover_override_reason=ACCEPTED)
    # A PCSO joining ward_a mid-March covers the gap from then on.
    f.PostingFactory(officer=f.OfficerFactory(rank="pcso", borough=team_a.borough), team=team_a,
                     role=Posting.Role.DEDICATED, start_date=D(2026, 3, 18))
    return [
        raise_flex(sergeant_a, ward_a_east, dwos_a[:2], start=D(2026, 3, 20), end=D(2026, 3, 25)),
        raise_flex(sergeant_a, ward_a_east, [dwos_a[3]], start=D(2026, 3, 10), end=D(2026, 3, 24)),
        raise_flex(sergeant_a, team_a.ward, dwos_a_east[:1], start=D(2026, 3, 3),
                   end=D(2026, 3, 30)),
        raise_flex(sergeant_a, ward_a_east, dwos_a[1:2], start=D(2026, 4, 1), end=D(2026, 4, 5)),
    ]


def test_it_agrees_with_the_one_request_selectors(requests):
    flexes = pending([r.pk for r in requests])
    warnings = cover.queue_warnings(flexes)
    assert any(w.conflicts for w in warnings.values())
    assert any(w.gaps for w in warnings.values())
    assert any(not w.conflicts and not w.gaps for w in warnings.values())
    for flex in flexes:
        expected_conflicts = selectors.flex_conflicts(flex)
        got = warnings[flex.pk]
        assert [c.commitment.pk for c in got.conflicts] == [
            c.commitment.pk for c in expected_conflicts
        ]
        assert [c.message for c in got.conflicts] == [c.message for c in expected_conflicts]
        assert got.gaps == cover.flex_cover_gaps(flex)


def test_it_runs_two_queries_for_one_request_or_many(requests, django_assert_num_queries):
    one, many = pending([requests[0].pk]), pending([r.pk for r in requests])
    with django_assert_num_queries(2):
        cover.queue_warnings(one)
    with django_assert_num_queries(2):
        cover.queue_warnings(many)


def test_no_requests_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert cover.queue_warnings([]) == {}
