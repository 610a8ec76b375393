"""The monthly report's promises section: per ward, promises met and missed, places never
visited."""

import datetime

import pytest

from promises.delivery import MET, deliveries
from promises.models import Promise
from promises.reports import ward_promise_summary
from tests import factories as f
from tests.promises.factories import (
    ActivityFactory,
    CustomPromiseFactory,
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


def _month_built(wards):
    """March 2025 (five Sundays: 2, 9, 16, 23, 30; week one starts in February): in each ward a
    monthly engagement promise, a weekly custom count, a patrol promise and a visit promise,
    with activities spread so that some weeks are met and some not."""
    for i, ward in enumerate(wards):
        abbey = f.PlaceFactory(ward=ward, kind="secondary_school", name=f"Abbey {i}")
        f.PlaceFactory(ward=ward, kind="secondary_school", name=f"Brook {i}")
        # The third ward's meetings fall short of their target.
        monthly = PromiseFactory(ward=ward, title=f"Meetings {i}", target=4 if i == 2 else 2)
        weekly = CustomPromiseFactory(ward=ward, title=f"Leaflets {i}", target=1)
        patrol = PatrolPromiseFactory(ward=ward, title=f"Nights {i}", target=1, days=[4])
        visits = VisitPromiseFactory(ward=ward, title=f"Schools {i}")
        for day in ("2025-03-04", "2025-03-18"):
            ActivityFactory(ward=ward, starts_at=at(day), promises=[monthly])
        # Leaflets every week of the first ward's month, February's last days included;
        # the second ward misses the week ending Sunday 23.
        for day in ("2025-02-27", "2025-03-05", "2025-03-12", "2025-03-19", "2025-03-26"):
            if i == 0 or day != "2025-03-19":
                ActivityFactory(ward=ward, starts_at=at(day), promises=[weekly])
        # Friday windows 22:00-02:00: Saturday 01:00 counts for Friday.
        for friday in ("2025-02-28", "2025-03-07", "2025-03-14", "2025-03-21", "2025-03-28"):
            saturday = datetime.date.fromisoformat(friday) + datetime.timedelta(days=1)
            ActivityFactory(ward=ward, starts_at=at(saturday, "01:00"), promises=[patrol])
        ActivityFactory(ward=ward, starts_at=at("2025-03-10"), place=abbey, promises=[visits])


def _judged_one_period_at_a_time(wards) -> dict[str, bool]:
    """The separate computation: each promise judged alone, once per period (the month's last
    day for a monthly promise, each Sunday of the month for a weekly one)."""
    sundays = [datetime.date(2025, 3, d) for d in (2, 9, 16, 23, 30)]
    met = {}
    for promise in Promise.objects.filter(ward__in=wards).select_related("team"):
        weekly = promise.effective_period() == Promise.Period.WEEK
        days = sundays if weekly else [datetime.date(2025, 3, 31)]
        met[promise.title] = all(
            d.status == MET for day in days for d in deliveries([promise], on=day)
        )
    return met


def test_every_week_of_the_month_is_judged_in_one_set_of_queries(
    ward_a, django_assert_num_queries
):
    """Promises, their activities over the month and its weeks, the places of visit promises:
    3 queries, the same for one ward as for three, and the outcome that of judging each
    promise period by period on its own."""
    one = [ward_a]
    three = [ward_a, f.WardFactory(borough=ward_a.borough), f.WardFactory(borough=ward_a.borough)]
    _month_built(three)
    for wards in (one, three):
        with django_assert_num_queries(3):
            summary = ward_promise_summary(wards, 2025, 3)
        got = {t: True for s in summary.values() for t in s.met}
        got |= {t: False for s in summary.values() for t in s.missed}
        assert got == _judged_one_period_at_a_time(wards)
    first, second, third = (summary[w.pk] for w in three)
    assert sorted(first.met) == ["Leaflets 0", "Meetings 0", "Nights 0"]
    assert first.missed == ["Schools 0"] and first.never_visited == ["Brook 0"]
    assert sorted(second.missed) == ["Leaflets 1", "Schools 1"]
    assert sorted(third.missed) == ["Leaflets 2", "Meetings 2", "Schools 2"]


def test_a_month_without_promises_costs_one_query(ward_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert ward_promise_summary([ward_a], 2025, 3) == {}
