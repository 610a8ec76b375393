"""The monthly report's promises section: per ward, promises met and missed, places never
visited."""

import pytest

from promises.reports import ward_promise_summary
from tests import factories as f
from tests.promises.factories import (
    ActivityFactory,
    PatrolPromiseFactory,
    PromiseFactory,
    VisitPromiseFactory,
    at,
)

pytestmark = pytest.mark.django_db


def test_a_month_of_promises_met_missed_and_places_never_visited(ward_a):
    abbey, brook = (
        f.PlaceFactory(ward=ward_a, name="Abbey"),
        f.PlaceFactory(ward=ward_a, name="Brook"),
    )
    briefings = PromiseFactory(ward=ward_a, title="Briefings", target=1)
    visits = VisitPromiseFactory(ward=ward_a, title="Visit schools")
    patrol = PatrolPromiseFactory(ward=ward_a, title="Weekend patrols", target=1, days=[5])
    ActivityFactory(ward=ward_a, starts_at=at("2025-02-10"), promises=[briefings])
    ActivityFactory(ward=ward_a, starts_at=at("2025-02-11"), place=abbey, promises=[visits])
    # Saturdays in February 2025: 1, 8, 15, 22. Week ending Sunday 23 has no patrol.
    for saturday in ("2025-02-01", "2025-02-08", "2025-02-15"):
        ActivityFactory(ward=ward_a, starts_at=at(saturday, "23:00"), promises=[patrol])

    summary = ward_promise_summary([ward_a], 2025, 2)[ward_a.pk]

    assert summary.met == ["Briefings"]
    assert sorted(summary.missed) == ["Visit schools", "Weekend patrols"]
    assert summary.never_visited == [brook.name]
