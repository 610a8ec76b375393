"""The demo's past flexes lie inside the roster it seeds, whatever day it is seeded on: on the
first days of a month, a flex of 40 days ago would start before the first of last month, when
the seeded duties begin, and have no shifts to flex (it failed on 1 December)."""

import datetime
from types import SimpleNamespace

from deployment.demo.flexes import FLEX_PLAN, S, _inside_the_roster


def demo_on(today: datetime.date) -> SimpleNamespace:
    first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    return SimpleNamespace(today=today, first=first)


def test_every_worked_flex_starts_inside_the_roster_on_every_day_of_a_leap_year():
    day = datetime.date(2028, 1, 1)
    while day.year == 2028:
        demo = demo_on(day)
        for spec in FLEX_PLAN:
            moved = _inside_the_roster(demo, spec)
            start = day + datetime.timedelta(days=moved.start)
            if spec.status in (S.ACTIVE, S.ENDED):
                assert demo.first <= start, (day, spec)
                # as long as planned, and raised before it started
                assert moved.days == spec.days and moved.raised < moved.start
            else:
                assert moved == spec
        day += datetime.timedelta(days=1)


def test_a_flex_already_inside_the_roster_is_left_where_it_is():
    demo = demo_on(datetime.date(2026, 12, 20))
    ended = next(s for s in FLEX_PLAN if s.status == S.ENDED and s.start == -30)
    assert _inside_the_roster(demo, ended) == ended
    early = next(s for s in FLEX_PLAN if s.status == S.ENDED and s.start == -40)
    assert _inside_the_roster(demo_on(datetime.date(2026, 12, 1)), early).start == -30
