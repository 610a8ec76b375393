"""The independent recomputation (tests.reports.oracle) of the figures shown today: the borough
and ward pages' "Minimum cover today" panel, and the inspector's flex queue (how long each
request has waited, the ward-days approving it would leave below minimum cover, the reviews due
and how overdue they are) on the page and in the API, around the spring clock change.

`today` is London's date: at 23:30 UTC on 29 March 2026 it is already 30 March in London."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from deployment.models import FlexStatus
from teams.models import Rank
from tests import factories as f
from tests.conftest import api_client_for
from tests.reports import oracle as o
from tests.reports.conftest import flex
from tests.reports.winter import _m, record_abstraction

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
CHANGE_DAY = datetime.date(2026, 3, 29)  # 01:00 GMT → 02:00 BST: a 23-hour London day


@pytest.fixture
def spring(winter, team_a):
    """The winter cast, nobody moving, with a fourth PC in Haverstock (PC1, PC2, the mover, PC4
    and PCSO1). On the 23-hour 29 March: PC1 abstracted 00:00-04:30 BST (4.5 wall-clock hours,
    3.5 real: not taken), the mover 00:00-05:00 BST (4 real hours: taken). Camden's flex A
    (active, PC2 to Kilburn, 10 March-6 April, 22:00-02:00, review due 24 March, never
    reviewed) takes PC2 4 hours of most days: on the 29th, its tail from the 28th (00:00 to
    02:00 GMT, which the clocks skip: read as GMT, 2 real hours) and 22:00-24:00."""
    cast = winter
    cast["moved_on"] = datetime.date.max
    pc1, pc2, _pcso1, _pc3, _pcso2, mover, _unposted = cast["officers"]
    pc4 = f.OfficerFactory(rank=Rank.PC, borough=team_a.borough)
    f.PostingFactory(officer=pc4, team=team_a, start_date=datetime.date(2025, 1, 1))
    cast["pc4"] = pc4
    haverstock, kilburn, _belsize = cast["wards"][team_a.borough.pk]
    record_abstraction(cast, pc1, _m(2026, 3, 29, 0), _m(2026, 3, 29, 4, 30))
    record_abstraction(cast, mover, _m(2026, 3, 29, 0), _m(2026, 3, 29, 5))
    cast["flex_a"] = flex(team_a.borough, kilburn, [(pc2, haverstock)],
                          datetime.date(2026, 3, 10), datetime.date(2026, 4, 6), by=cast["by"],
                          daily_start=datetime.time(22), daily_end=datetime.time(2))
    return cast


def every_ward(cast):
    return [w for ws in cast["wards"].values() for w in ws]


def assert_cover_today_panels(user, cast, day) -> None:
    """Each borough page's counts and names, and each ward page's answer, are the oracle's."""
    client = Client()
    client.force_login(user)
    expected = o.cover_today([w.pk for w in every_ward(cast)], day)
    for borough in cast["boroughs"]:
        wards = cast["wards"][borough.pk]
        page = " ".join(client.get(borough.get_absolute_url()).content.decode().split())
        panel = page[page.index('id="cover-today"'):]
        for key in ("posted_strength", "cover"):
            names = sorted(w.name for w in wards if w.pk in expected[key])
            shown = f"<strong>{len(names)} of {len(wards)} ward{'s' * (len(wards) != 1)}</strong>"
            assert shown + (f": {', '.join(names)}" if names else "") in panel, (key, borough)
    for ward in every_ward(cast):
        page = " ".join(client.get(ward.get_absolute_url()).content.decode().split())
        panel = page[page.index('id="cover-today"'):page.index("</dl>", page.index(
            'id="cover-today"'))]
        answers = re.findall(r"(Yes, today|>No<)", panel)
        assert answers == ["Yes, today" if ward.pk in expected[key] else ">No<"
                           for key in ("posted_strength", "cover")], ward.name


def test_minimum_cover_today_on_the_clock_change_day(spring, commander_a,
                                                     time_machine, team_a):
    time_machine.move_to(datetime.datetime(2026, 3, 29, 12, tzinfo=UTC), tick=False)
    expected = o.cover_today([w.pk for w in every_ward(spring)], CHANGE_DAY)
    haverstock, kilburn, belsize = spring["wards"][team_a.borough.pk]
    # PC2 (4 real hours of flex A) and the mover (4 real hours) are taken; PC1's 3.5 are not.
    assert expected["cover"] & {haverstock.pk, kilburn.pk, belsize.pk} == {kilburn.pk, belsize.pk}
    assert_cover_today_panels(commander_a, spring, CHANGE_DAY)


moments = st.sampled_from([
    datetime.datetime(2026, 3, 29, 11, tzinfo=UTC),  # the spring change day
    datetime.datetime(2026, 3, 29, 23, 30, tzinfo=UTC),  # 30 March 00:30 BST
    datetime.datetime(2026, 10, 25, 12, tzinfo=UTC),  # the autumn change day (25 hours)
    datetime.datetime(2026, 12, 31, 23, 59, tzinfo=UTC),  # New Year's Eve
])
absences = st.lists(st.tuples(st.integers(0, 5), st.integers(-6 * 60, 26 * 60),
                              st.integers(30, 7 * 60)), max_size=6)


@seed(20260329)
@settings(max_examples=6, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(moment=moments, spec=absences)
def test_generated_cover_today(moment, spec, spring, commander_a, time_machine):
    """Abstractions of any length around London's midnight, of every posted officer, on the
    change days and the year's end: the panels are the oracle's."""
    from django.db import transaction

    day = moment.astimezone(o.LONDON).date()
    with transaction.atomic():
        officers = [*spring["officers"][:5], spring["pc4"]]
        free = {}
        for n, (who, offset, length) in enumerate(spec):
            start = max(o.london_midnight(day) + offset, free.get(who, 0))
            record_abstraction(spring, officers[who], start, start + length, n)
            free[who] = start + length
        time_machine.move_to(moment, tick=False)
        assert_cover_today_panels(commander_a, spring, day)
        transaction.set_rollback(True)


# -- the inspector's queue ----------------------------------------------------------------------

@pytest.fixture
def queue(spring, team_a, inspector_a):
    """Today is 30 March (23:30 UTC on the 29th). Pending: P1 (PC1 and PC4 to Kilburn, 30
    March-3 April, 08:00-16:00), submitted 27 March 00:30 GMT: waiting 3 days; it would leave
    Haverstock with the mover alone on each of its 5 days (PC2 held by flex A). P2 (PCSO1 to
    Belsize, 6-7 April, 18:00-02:00) submitted 00:10 BST today (23:10 UTC yesterday):
    submitted today; it takes Haverstock's only PCSO on 6 and 7 April, and on 8 April (after
    its last day) its tail (2 hours) and a court hearing 09:00-11:30 take 4.5 hours: 3
    ward-days."""
    pc1, _pc2, pcso1, *_rest = spring["officers"]
    haverstock, kilburn, belsize = spring["wards"][team_a.borough.pk]
    by = spring["by"]
    p1 = flex(team_a.borough, kilburn, [(pc1, haverstock), (spring["pc4"], haverstock)],
              datetime.date(2026, 3, 30), datetime.date(2026, 4, 3), by=by,
              status=FlexStatus.SUBMITTED,
              submitted_at=datetime.datetime(2026, 3, 27, 0, 30, tzinfo=UTC))
    p2 = flex(team_a.borough, belsize, [(pcso1, haverstock)], datetime.date(2026, 4, 6),
              datetime.date(2026, 4, 7), by=by, status=FlexStatus.SUBMITTED,
              daily_start=datetime.time(18), daily_end=datetime.time(2),
              submitted_at=datetime.datetime(2026, 3, 29, 23, 10, tzinfo=UTC))
    record_abstraction(spring, pcso1, _m(2026, 4, 8, 9), _m(2026, 4, 8, 11, 30), 1)
    return {"cast": spring, "pending": [p1, p2], "inspector": inspector_a}


def card_of(page: str, anchor: str) -> str:
    """The summary card that starts at `anchor`, up to the next card."""
    start = page.index(anchor)
    following = page.find('<div class="govuk-summary-card"', start + 1)
    return page[start:following if following > 0 else None]


NOW = datetime.datetime(2026, 3, 29, 23, 30, tzinfo=UTC)
TODAY = datetime.date(2026, 3, 30)


def test_the_queue_s_figures(queue, client, time_machine, team_a):
    time_machine.move_to(NOW, tick=False)
    cast, (p1, p2) = queue["cast"], queue["pending"]
    haverstock = cast["wards"][team_a.borough.pk][0]
    gaps = {p.pk: o.gaps_made(p) for p in (p1, p2)}
    # Literal answers, from the fixture's docstring.
    assert gaps[p1.pk] == {(haverstock.pk, TODAY + datetime.timedelta(days=n), 1, 1)
                           for n in range(5)}
    # On 6 April flex A still holds PC2: 3 PCs left, 4 on the 7th and 8th; no PCSO.
    assert gaps[p2.pk] == {(haverstock.pk, datetime.date(2026, 4, 6), 3, 0),
                           (haverstock.pk, datetime.date(2026, 4, 7), 4, 0),
                           (haverstock.pk, datetime.date(2026, 4, 8), 4, 0)}
    assert o.reviews_due(TODAY) == {cast["flex_a"].pk}
    client.force_login(queue["inspector"])
    page = " ".join(client.get(reverse("deployment:flex_queue")).content.decode().split())
    for p in (p1, p2):
        card = card_of(page, f'id="flex-{p.pk}"')
        waited = (TODAY - p.submitted_at.astimezone(o.LONDON).date()).days
        shown = f"Waiting {waited} day{'s' * (waited != 1)}" if waited else "Submitted today"
        assert shown in card, p.pk
        days = sorted(day for _w, day, _pcs, _pcsos in gaps[p.pk])
        pcs, pcsos = min(g[2] for g in gaps[p.pk]), min(g[3] for g in gaps[p.pk])
        assert (f"Haverstock below minimum dedicated cover on {len(days)} days between "
                f"{days[0]:%-d %b} and {days[-1]:%-d %b %Y} (at worst {pcs} PC"
                f"{'s' * (pcs != 1)} and {pcsos} PCSO{'s' * (pcsos != 1)})") in card, p.pk
    flex_a = cast["flex_a"]
    overdue = (TODAY - (flex_a.start_date + datetime.timedelta(days=14))).days
    review = card_of(page, f'id="review-{flex_a.pk}"')
    assert f"Review due 24 Mar 2026: {overdue} days overdue" in review


def test_the_queue_s_figures_in_the_api(queue, time_machine):
    time_machine.move_to(NOW, tick=False)
    api = api_client_for(queue["inspector"])
    for p in queue["pending"]:
        body = api.get(f"/api/v1/flex-requests/{p.pk}/").json()
        got = {(g["ward"], datetime.date.fromisoformat(g["day"]), g["pcs"], g["pcsos"])
               for g in body["cover_gaps"]}
        codes = {w.pk: w.code for w in every_ward(queue["cast"])}
        assert got == {(codes[w], day, pcs, pcsos) for w, day, pcs, pcsos in o.gaps_made(p)}
        assert body["days"] == (p.end_date - p.start_date).days + 1
    listed = api.get("/api/v1/flex-requests/?review_due=true").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {r["id"] for r in rows} == o.reviews_due(TODAY)
