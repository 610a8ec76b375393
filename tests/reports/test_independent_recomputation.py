"""An independent recomputation of the report's figures across the year's end and the spring
clock change, for two boroughs and an officer who moved from one to the other mid-month, with
recorded rest days, an empty ward and a ward with no team: each figure is worked out here from
the raw rows (duties, abstractions, postings) by the words of reports.definitions, minute by
minute in plain Python (sets of minutes, nothing shared with the application's SQL), and
compared with every surface that shows it: the borough reports (stored figures, page, JSON,
both CSV files, PDF), the roll-up, and the performance framework (`/api/v1/performance/` for a
ward, a borough, the BCU and London, and the ward's and borough's performance pages).

Rest days: the definitions count duties and abstractions, never rest days. A duty recorded on a
rest day (a rest day worked) counts like any other duty, and a rest day takes nobody from cover
(cover counts the officers posted, less those taken by a flex or an abstraction): a month's
figures are the same with or without its rest days."""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from config.timeutils import LONDON
from deployment.models import Abstraction, AbstractionType, Duty, RestDay
from reports import services
from reports.figures import borough_figures
from reports.models import MonthlyReport
from teams.models import Officer, OfficerTransfer, Posting, Rank
from tests import factories as f
from tests.conftest import api_client_for
from tests.reports.surfaces import assert_every_surface_agrees

pytestmark = pytest.mark.django_db

DECEMBER, JANUARY = datetime.date(2025, 12, 1), datetime.date(2026, 1, 1)
MONTHS = (DECEMBER, JANUARY)
# The spring clock change: 29 March 2026, 01:00 GMT -> 02:00 BST (a 23-hour London day).
SPRING = (datetime.date(2026, 3, 1), datetime.date(2026, 4, 1))
MOVED_ON = datetime.date(2025, 12, 15)  # the mover's first day in Islington
POSTED_FROM = datetime.date(2025, 1, 1)
FIELDS = (
    "rostered_minutes", "home_ward_minutes", "abstracted_minutes", "abstracted_in_duty_minutes",
    "abstracted_outside_duty_minutes", "flexed_out_minutes", "flexed_in_minutes",
    "authorised_flex_minutes", "unauthorised_flex_minutes",
    "posted_strength_below_minimum_days", "cover_below_minimum_days",
)


def epoch_minute(moment: datetime.datetime) -> int:
    return int(moment.timestamp()) // 60


def at_minute(minute: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(minute * 60, tz=datetime.UTC)


def london_midnight(day: datetime.date) -> int:
    return epoch_minute(datetime.datetime.combine(day, datetime.time(0), tzinfo=LONDON))


def minutes_of_days(first: datetime.date, after: datetime.date) -> set[int]:
    return set(range(london_midnight(first), london_midnight(after)))


def next_month(month: datetime.date) -> datetime.date:
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def days_of(month: datetime.date):
    day = month
    while day < next_month(month):
        yield day
        day += datetime.timedelta(days=1)


def rate(part: int, whole: int) -> str | None:
    """part / whole in per cent, rounded once, half up, to 0.01: written apart from the
    application's own rounding."""
    if not whole:
        return None
    return str((Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP))


# -- the cast ---------------------------------------------------------------------------------

@pytest.fixture
def winter(borough_a, borough_a2, team_a, ward_a, staff_a, hq):
    """Camden: Haverstock (ward_a: PC1, PC2, PCSO1, and the mover until 14 December),
    Kilburn (a team, nobody posted), Belsize (no team).
    Islington: Highbury (PC3, PCSO2, and the mover from 15 December), Barnsbury (no team)."""
    kilburn = f.TeamFactory(ward=f.WardFactory(borough=borough_a, name="Kilburn")).ward
    belsize = f.WardFactory(borough=borough_a, name="Belsize")
    team_x = f.TeamFactory(ward=f.WardFactory(borough=borough_a2, name="Highbury"))
    barnsbury = f.WardFactory(borough=borough_a2, name="Barnsbury")

    def posted(team, rank, *, borough, start=POSTED_FROM, end=None):
        officer = f.OfficerFactory(rank=rank, borough=borough)
        f.PostingFactory(officer=officer, team=team, start_date=start, end_date=end)
        return officer

    pc1 = posted(team_a, Rank.PC, borough=borough_a)
    pc2 = posted(team_a, Rank.PC, borough=borough_a)
    pcso1 = posted(team_a, Rank.PCSO, borough=borough_a)
    pc3 = posted(team_x, Rank.PC, borough=borough_a2)
    pcso2 = posted(team_x, Rank.PCSO, borough=borough_a2)
    mover = posted(team_a, Rank.PC, borough=borough_a)
    unposted = f.OfficerFactory(rank=Rank.PC, borough=borough_a2)
    return {
        "by": staff_a,
        "hq": hq,
        "boroughs": [borough_a, borough_a2],
        "officers": [pc1, pc2, pcso1, pc3, pcso2, mover, unposted],
        "wards": {borough_a.pk: [ward_a, kilburn, belsize],
                  borough_a2.pk: [team_x.ward, barnsbury]},
        "team_x": team_x,
        "types": list(AbstractionType.objects.filter(active=True).order_by("pk")),
    }


def move(cast, day: datetime.date) -> None:
    """The mover's transfer to Islington, first day `day`, as teams.services leaves it: the
    Haverstock posting ended the day before, a Highbury posting from `day`."""
    a, a2 = cast["boroughs"]
    mover = cast["officers"][5]
    Posting.objects.filter(officer=mover).update(end_date=day - datetime.timedelta(days=1))
    f.PostingFactory(officer=mover, team=cast["team_x"], start_date=day)
    OfficerTransfer.objects.create(
        officer=mover, status=OfficerTransfer.Status.DONE, from_borough=a, to_borough=a2,
        effective_on=day, reason="Promotion board", transferred_by=cast["hq"],
    )
    Officer.objects.filter(pk=mover.pk).update(borough=a2)
    cast["moved_on"] = day


def served(cast, officer: Officer, day: datetime.date) -> tuple:
    """(borough, home ward or None) of the officer on `day`, from the cast's own record."""
    a, a2 = cast["boroughs"]
    pc1, pc2, pcso1, _pc3, _pcso2, mover, unposted = cast["officers"]
    if officer == unposted:
        return a2, None
    if officer in (pc1, pc2, pcso1) or officer == mover and day < cast["moved_on"]:
        return a, cast["wards"][a.pk][0]
    return a2, cast["wards"][a2.pk][0]


def london_date(minute: int) -> datetime.date:
    return at_minute(minute).astimezone(LONDON).date()


# -- writing the records ----------------------------------------------------------------------

def record_duty(cast, officer, start, end, *, flexed_to=None, abstraction=None):
    borough, home = served(cast, officer, london_date(start))
    worked = flexed_to(borough) if flexed_to else home
    kind = Duty.Kind.FLEXED if worked != home else (
        Duty.Kind.ABSTRACTED if abstraction else Duty.Kind.HOME)
    return Duty.objects.create(
        officer=officer, home_ward=home, worked_ward=worked, kind=kind,
        starts_at=at_minute(start), ends_at=at_minute(end), recorded_by=cast["by"],
        abstraction=abstraction if kind == Duty.Kind.ABSTRACTED else None,
    )


def record_abstraction(cast, officer, start, end, n=0):
    borough, _ = served(cast, officer, london_date(start))
    return Abstraction.objects.create(
        officer=officer, borough=borough, abstraction_type=cast["types"][n % len(cast["types"])],
        starts_at=at_minute(start), ends_at=at_minute(end), significant_event="Event",
        authorised_by_name="Supt", recorded_by=cast["by"],
    )


def record_rest_day(cast, officer, day):
    borough, _ = served(cast, officer, day)
    RestDay.objects.get_or_create(officer=officer, day=day,
                                  defaults={"borough": borough, "recorded_by": cast["by"]})


# -- the oracle: the definitions, over the raw rows -------------------------------------------

def oracle(cast, month) -> dict:
    """{ward id: {field: value}} and {borough id: no-ward row} for `month`, from the tables."""
    span = minutes_of_days(month, next_month(month))
    abstracted, worked = defaultdict(set), defaultdict(set)
    for a in Abstraction.objects.all():
        abstracted[a.officer_id] |= set(range(epoch_minute(a.starts_at), epoch_minute(a.ends_at)))
    duties = list(Duty.objects.all())
    for d in duties:
        worked[d.officer_id] |= set(range(epoch_minute(d.starts_at), epoch_minute(d.ends_at)))
    wards = {w.pk: defaultdict(int) for ws in cast["wards"].values() for w in ws}
    no_ward = {b.pk: 0 for b in cast["boroughs"]}
    for d in duties:
        inside = set(range(epoch_minute(d.starts_at), epoch_minute(d.ends_at))) & span
        away = inside & abstracted[d.officer_id]
        row = wards[d.home_ward_id]
        row["rostered_minutes"] += len(inside)
        row["abstracted_in_duty_minutes"] += len(away)
        if d.worked_ward_id != d.home_ward_id:
            row["flexed_out_minutes"] += len(inside - away)
            wards[d.worked_ward_id]["flexed_in_minutes"] += len(inside - away)
    for a in Abstraction.objects.all():
        own = set(range(epoch_minute(a.starts_at), epoch_minute(a.ends_at))) & span
        outside = len(own - worked[a.officer_id])
        home = _primary_ward_on(a.officer_id, a.starts_at.astimezone(LONDON).date(), a.borough_id)
        if home is None:
            no_ward[a.borough_id] += outside
        else:
            wards[home]["abstracted_outside_duty_minutes"] += outside
    for row in wards.values():
        row["abstracted_minutes"] = (row["abstracted_in_duty_minutes"]
                                     + row["abstracted_outside_duty_minutes"])
        row["home_ward_minutes"] = (row["rostered_minutes"] - row["abstracted_in_duty_minutes"]
                                    - row["flexed_out_minutes"])
        row["unauthorised_flex_minutes"] = row["flexed_out_minutes"]  # no flex was authorised
        row["authorised_flex_minutes"] = 0
    _cover(month, abstracted, wards)
    return {"wards": wards, "no_ward": no_ward}


def _primary_ward_on(officer_id, day, borough_id):
    posting = Posting.objects.filter(
        officer_id=officer_id, is_primary=True, start_date__lte=day,
        team__ward__borough_id=borough_id,
    ).exclude(end_date__lt=day).select_related("team").first()
    return posting.team.ward_id if posting else None


def _cover(month, abstracted, wards) -> None:
    """Per London day: the dedicated PCs and PCSOs posted (from the postings), and those of them
    not taken for 4 hours or more of the day's real minutes, against 2 PCs + 1 PCSO."""
    postings = list(Posting.objects.filter(role=Posting.Role.DEDICATED)
                    .select_related("officer", "team"))
    for day in days_of(month):
        span = minutes_of_days(day, day + datetime.timedelta(days=1))
        for ward_id, row in wards.items():
            posted = [p.officer for p in postings if p.team.ward_id == ward_id
                      and p.start_date <= day and (p.end_date is None or p.end_date >= day)]
            present = [o for o in posted if len(abstracted[o.pk] & span) < 4 * 60]
            for name, people in (("posted_strength", posted), ("cover", present)):
                pcs = sum(o.rank == Rank.PC for o in people)
                pcsos = sum(o.rank == Rank.PCSO for o in people)
                row[f"{name}_below_minimum_days"] += pcs < 2 or pcsos < 1


def expected_rows(cast, expected, borough) -> dict:
    """{ward name: the oracle's row} for the borough's wards, and its total."""
    rows = {w.name: {k: expected["wards"][w.pk][k] for k in FIELDS}
            for w in cast["wards"][borough.pk]}
    total = {k: sum(r[k] for r in rows.values()) for k in FIELDS}
    total["abstracted_outside_duty_minutes"] += expected["no_ward"][borough.pk]
    total["abstracted_minutes"] += expected["no_ward"][borough.pk]
    return rows, total


# -- comparing with every surface -------------------------------------------------------------

def produce(borough, month):
    report, _ = services.report_request(borough=borough, month=month)
    report = services.report_produce(report.pk)
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.READY, report.error
    return report


def assert_report_is_the_oracle(cast, borough, month, report, expected) -> None:
    rows, total = expected_rows(cast, expected, borough)
    figures = report.figures
    assert {r["ward"]: {k: r[k] for k in FIELDS} for r in figures["wards"]} == rows
    assert {k: figures["total"][k] for k in FIELDS} == total
    assert figures["no_ward"]["abstracted_outside_duty_minutes"] == expected["no_ward"][
        borough.pk]
    for r in figures["wards"]:
        assert r["abstraction_rate"] == rate(r["abstracted_in_duty_minutes"],
                                             r["rostered_minutes"])
    assert figures["total"]["abstraction_rate"] == rate(total["abstracted_in_duty_minutes"],
                                                        total["rostered_minutes"])


def _assert_trend(cast, borough, report, found) -> None:
    """The trend's points of the months already recomputed equal those months' own totals."""
    points = {p["month"]: p for p in report.figures["trend"]}
    for month, expected in found.items():
        _rows, total = expected_rows(cast, expected, borough)
        point = points[f"{month:%Y-%m}"]
        assert (point["rostered_minutes"], point["abstracted_in_duty_minutes"]) == (
            total["rostered_minutes"], total["abstracted_in_duty_minutes"]), month


def assert_rollup_is_the_oracle(cast, month, rollup, expected) -> None:
    summed = defaultdict(int)
    for borough in cast["boroughs"]:
        _rows, total = expected_rows(cast, expected, borough)
        row = next(r for r in rollup.figures["boroughs"] if r["borough"] == borough.name)
        assert {k: row[k] for k in FIELDS} == total, borough.name
        for k in FIELDS:
            summed[k] += total[k]
    assert {k: rollup.figures["total"][k] for k in FIELDS} == dict(summed)
    assert rollup.figures["total"]["abstraction_rate"] == rate(
        summed["abstracted_in_duty_minutes"], summed["rostered_minutes"])


def measures(user, month, **area) -> dict:
    query = "&".join(f"{k}={v}" for k, v in {**area, "month": f"{month:%Y-%m}"}.items())
    response = api_client_for(user).get(f"/api/v1/performance/?{query}")
    assert response.status_code == 200, response.content
    return {m["measure"]: m for m in response.json()["measures"]}


def assert_performance_is_the_oracle(cast, month, expected, commander, hq) -> None:
    """The abstraction and cover measures of a ward, each borough, the BCU and London."""
    days = len(list(days_of(month)))
    areas = []
    for borough in cast["boroughs"]:
        for ward in cast["wards"][borough.pk]:
            areas.append(({"ward": ward.code}, [expected["wards"][ward.pk]], days))
        _rows, total = expected_rows(cast, expected, borough)
        areas.append(({"borough": borough.code}, [total],
                      days * len(cast["wards"][borough.pk])))
    every = [expected_rows(cast, expected, b)[1] for b in cast["boroughs"]]
    ward_days = days * sum(len(ws) for ws in cast["wards"].values())
    areas.append(({"bcu": cast["boroughs"][0].bcu.code}, every, ward_days))
    for area, rows, ward_days in areas:
        got = measures(commander, month, **area)
        _assert_measures(got, rows, ward_days, area)
        if "bcu" not in area:
            _assert_page(commander, month, area, rows, ward_days)
    _assert_measures(measures(hq, month), every, ward_days, "London")


def _assert_measures(got, rows, ward_days, area) -> None:
    part = sum(r["abstracted_in_duty_minutes"] for r in rows)
    whole = sum(r["rostered_minutes"] for r in rows)
    below = sum(r["cover_below_minimum_days"] for r in rows)
    assert got["abstraction"]["counts"] == {"abstracted_minutes": part, "duty_minutes": whole}, (
        area)
    assert got["abstraction"]["rated_value"] == rate(part, whole), area
    assert got["cover"]["counts"] == {"days": below, "ward_days": ward_days}, area
    assert got["cover"]["rated_value"] == rate(below, ward_days), area
    assert got["cover"]["value"] == f"{below} of {ward_days} ward-days", area


def _assert_page(user, month, area, rows, ward_days) -> None:
    """The ward's or borough's performance page shows the same two measures."""
    (level, code), = area.items()
    client = Client()
    client.force_login(user)
    url = reverse(f"reports:performance_{level}", args=[code]) + f"?month={month:%Y-%m}"
    page = " ".join(client.get(url).content.decode().split())
    cells = {m: page[page.index(f'data-measure="{m}"'):].split("</tr>")[0]
             for m in ("abstraction", "cover")}
    part = sum(r["abstracted_in_duty_minutes"] for r in rows)
    whole = sum(r["rostered_minutes"] for r in rows)
    below = sum(r["cover_below_minimum_days"] for r in rows)
    shown = rate(part, whole)
    assert (f"{shown} <span" in cells["abstraction"]) if shown else (
        "<td class=\"govuk-table__cell\">-" in cells["abstraction"]), area
    assert f"{below} of {ward_days} ward-days" in cells["cover"], area
    assert f"{rate(below, ward_days)}%" in cells["cover"], area


def assert_every_figure(cast, commander, hq, *, surfaces=True, months=MONTHS) -> dict:
    """Every report of the two months against the oracle; returns the oracle's figures."""
    found = {}
    for month in months:
        expected = oracle(cast, month)
        found[month] = expected
        for borough in cast["boroughs"]:
            report = produce(borough, month)
            assert_report_is_the_oracle(cast, borough, month, report, expected)
            _assert_trend(cast, borough, report, found)
            if surfaces:
                assert_every_surface_agrees(Client(), hq, report)
        rollup = produce(None, month)
        assert_rollup_is_the_oracle(cast, month, rollup, expected)
        if surfaces:
            assert_every_surface_agrees(Client(), hq, rollup)
        assert_performance_is_the_oracle(cast, month, expected, commander, hq)
    return found


# -- a hand-built winter, with literal answers ------------------------------------------------

def _m(y, mo, d, hh, mm=0) -> int:
    return epoch_minute(datetime.datetime(y, mo, d, hh, mm, tzinfo=LONDON))


def test_a_hand_built_winter(winter, commander_a, hq, borough_a, borough_a2):
    """The mover's night from 14 to 15 December starts in Camden: all 480 minutes are Camden's.
    On 20 December (a rest day, worked) the mover does 08:00-16:00 in Highbury: 480. New Year's
    Eve 22:00 → 1 January 06:00 in Highbury: 120 in December, 360 in January. On 10 December
    the mover is abstracted 10:00-14:00 with no duty (Camden's, for Haverstock, outside any
    duty: 240). PC1: 8 December 08:00-16:00 flexed to Kilburn, court 09:00-11:00 inside it (120
    abstracted, 360 flexed); 20 December 09:00-13:00 abstracted with no duty (4 hours: away from
    cover on the 20th, with the mover gone Haverstock has 1 PC: below cover that day).
    PC2: a rest day on 2 January, not worked.

    Posted strength: Haverstock never below (PC1, PC2, PCSO1); Highbury 1 PC + PCSO2 until the
    mover arrives on the 15th: 14 days in December, 0 in January; Kilburn and Belsize (nobody
    posted) every day; Barnsbury every day.
    Cover: Haverstock below on 20 December only; otherwise as posted strength."""
    pc1, pc2, _pcso1, _pc3, _pcso2, mover, _unposted = winter["officers"]
    move(winter, MOVED_ON)
    kilburn = winter["wards"][borough_a.pk][1]
    record_duty(winter, mover, _m(2025, 12, 14, 22), _m(2025, 12, 15, 6))
    record_rest_day(winter, mover, datetime.date(2025, 12, 20))
    record_duty(winter, mover, _m(2025, 12, 20, 8), _m(2025, 12, 20, 16))
    record_duty(winter, mover, _m(2025, 12, 31, 22), _m(2026, 1, 1, 6))
    record_abstraction(winter, mover, _m(2025, 12, 10, 10), _m(2025, 12, 10, 14))
    court = record_abstraction(winter, pc1, _m(2025, 12, 8, 9), _m(2025, 12, 8, 11), n=1)
    record_duty(winter, pc1, _m(2025, 12, 8, 8), _m(2025, 12, 8, 16),
                flexed_to=lambda _b: kilburn, abstraction=court)
    record_abstraction(winter, pc1, _m(2025, 12, 20, 9), _m(2025, 12, 20, 13), n=2)
    record_rest_day(winter, pc2, datetime.date(2026, 1, 2))

    found = assert_every_figure(winter, commander_a, hq)
    december, january = found[DECEMBER]["wards"], found[JANUARY]["wards"]
    haverstock, _kilburn, belsize = (w.pk for w in winter["wards"][borough_a.pk])
    highbury, barnsbury = (w.pk for w in winter["wards"][borough_a2.pk])
    assert {k: december[haverstock][k] for k in FIELDS} == {
        "rostered_minutes": 960, "home_ward_minutes": 480, "abstracted_minutes": 600,
        "abstracted_in_duty_minutes": 120, "abstracted_outside_duty_minutes": 480,
        "flexed_out_minutes": 360, "flexed_in_minutes": 0, "authorised_flex_minutes": 0,
        "unauthorised_flex_minutes": 360, "posted_strength_below_minimum_days": 0,
        "cover_below_minimum_days": 1,
    }
    assert december[kilburn.pk]["flexed_in_minutes"] == 360
    assert december[belsize]["posted_strength_below_minimum_days"] == 31
    assert december[highbury]["rostered_minutes"] == 600
    assert december[highbury]["posted_strength_below_minimum_days"] == 14
    assert december[barnsbury]["cover_below_minimum_days"] == 31
    assert january[highbury]["rostered_minutes"] == 360
    assert january[highbury]["posted_strength_below_minimum_days"] == 0
    assert january[haverstock]["rostered_minutes"] == 0


def test_rest_days_change_no_figure(winter, borough_a):
    """The same month with and without its rest days (worked or not): the same figures."""
    pc1, *_rest, mover, _unposted = winter["officers"]
    move(winter, MOVED_ON)
    record_duty(winter, mover, _m(2025, 12, 3, 8), _m(2025, 12, 3, 18))
    record_duty(winter, pc1, _m(2025, 12, 4, 22), _m(2025, 12, 5, 7))
    before = borough_figures(borough_a, DECEMBER)
    for day in (3, 4, 5, 6):
        for officer in (pc1, mover):
            record_rest_day(winter, officer, datetime.date(2025, 12, day))
    after = borough_figures(borough_a, DECEMBER)
    assert [{k: r[k] for k in FIELDS} for r in after["wards"]] == [
        {k: r[k] for k in FIELDS} for r in before["wards"]]
    assert before["total"]["rostered_minutes"] == 600 + 540


# -- generated winters ------------------------------------------------------------------------

item = st.tuples(
    st.integers(0, 36 * 60),  # the gap before it, minutes
    st.integers(30, 14 * 60),  # the duty's (or the lone abstraction's) length
    st.sampled_from(["home", "flexed", "abstraction", "abstracted duty"]),
    st.integers(0, 2),  # the ward worked, when flexed (another ward of its borough)
    st.integers(-120, 14 * 60),  # where its abstraction starts, from the duty's start
    st.integers(15, 8 * 60),  # the abstraction's length
    st.booleans(),  # a rest day recorded on the day it starts
)
winter_spec = st.tuples(
    st.lists(st.tuples(st.integers(0, 36 * 24 * 60), st.lists(item, max_size=10)),
             min_size=7, max_size=7),
    st.integers(1, 50),  # the mover's first day in Islington, from 1 December
)


def build(cast, spec, months=MONTHS) -> None:
    """Each officer's records in sequence from 3 days before the first month (so none overlaps
    another); the officer posted nowhere has abstractions only."""
    sequences, moved = spec
    move(cast, months[0] + datetime.timedelta(days=moved))
    begin = london_midnight(months[0] - datetime.timedelta(days=3))
    for officer, (first, items) in zip(cast["officers"], sequences, strict=True):
        moment = free = begin + first  # free: when its last abstraction ended
        for n, (gap, length, kind, worked, offset, a_length, rests) in enumerate(items):
            start = moment + gap
            if rests:
                record_rest_day(cast, officer, london_date(start))
            if kind == "abstraction" or served(cast, officer, london_date(start))[1] is None:
                record_abstraction(cast, officer, start, start + length, n)
                moment = free = start + length
                continue
            abstraction = None
            moment = start + length
            if kind == "abstracted duty":
                a_start = max(start + offset, free)  # it may begin before the duty
                abstraction = record_abstraction(cast, officer, a_start, a_start + a_length, n)
                moment = free = max(moment, a_start + a_length)
            record_duty(cast, officer, start, start + length, abstraction=abstraction,
                        flexed_to=_elsewhere(cast, worked) if kind == "flexed" else None)


def _elsewhere(cast, worked):
    """Another ward of the duty's borough (never its home ward, the first)."""
    def ward(borough):
        others = cast["wards"][borough.pk][1:]
        return others[worked % len(others)]
    return ward


@seed(20251231)
@settings(max_examples=5, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=winter_spec)
def test_generated_winters(spec, winter, commander_a, hq):
    with transaction.atomic():
        build(winter, spec)
        assert_every_figure(winter, commander_a, hq, surfaces=False)
        transaction.set_rollback(True)


@seed(20260329)
@settings(max_examples=3, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=winter_spec)
def test_generated_springs_across_the_clock_change(spec, winter, commander_a, hq):
    """The same cast in March and April 2026: duties and abstractions across 29 March."""
    with transaction.atomic():
        build(winter, spec, SPRING)
        assert_every_figure(winter, commander_a, hq, surfaces=False, months=SPRING)
        transaction.set_rollback(True)


@seed(20260101)
@settings(max_examples=2, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=winter_spec)
def test_generated_winters_on_every_surface(spec, winter, commander_a, hq):
    with transaction.atomic():
        build(winter, spec)
        assert_every_figure(winter, commander_a, hq)
        transaction.set_rollback(True)
