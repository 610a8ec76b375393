"""Delivery of promises, worked out on hand-built weeks and months (Europe/London)."""

import datetime

import pytest

from promises.delivery import AT_RISK, MET, MISSED, ON_TRACK, deliveries, patrol_window_day
from tests import factories as f
from tests.promises.factories import (
    ActivityFactory,
    PatrolPromiseFactory,
    PromiseFactory,
    VisitPromiseFactory,
    at,
)

pytestmark = pytest.mark.django_db

D = datetime.date.fromisoformat


def one(promise, on):
    (delivery,) = deliveries([promise], on=D(on))
    return delivery


def log(promise, day, hhmm="12:00", **kwargs):
    return ActivityFactory(ward=promise.ward, starts_at=at(day, hhmm), promises=[promise], **kwargs)


# --- patrol windows -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "when, counts_on",
    [
        ("2025-01-31 22:00", "2025-01-31"),  # Friday, the window opens
        ("2025-01-31 23:59", "2025-01-31"),
        ("2025-02-01 01:00", "2025-01-31"),  # Saturday 01:00 is Friday night's window
        ("2025-02-01 02:00", None),  # the window has closed
        ("2025-01-31 21:59", None),  # not yet open
        ("2025-01-30 23:00", None),  # Thursday is not a promised day
        ("2025-01-31 01:00", None),  # Friday 01:00 belongs to Thursday night: not promised
    ],
)
def test_a_patrol_counts_only_inside_a_promised_window_across_midnight(when, counts_on):
    promise = PatrolPromiseFactory.build(days=[4])  # Friday 22:00-02:00
    day, hhmm = when.split()
    expected = D(counts_on) if counts_on else None
    assert patrol_window_day(promise, at(day, hhmm)) == expected


def test_a_daytime_window_includes_its_start_and_excludes_its_end():
    promise = PatrolPromiseFactory.build(
        days=[0], window_start=datetime.time(9), window_end=datetime.time(17)
    )
    assert patrol_window_day(promise, at("2025-01-06", "09:00")) == D("2025-01-06")
    assert patrol_window_day(promise, at("2025-01-06", "16:59")) == D("2025-01-06")
    assert patrol_window_day(promise, at("2025-01-06", "17:00")) is None


def test_a_sunday_night_patrol_after_midnight_counts_in_the_week_of_the_sunday():
    promise = PatrolPromiseFactory(days=[6], target=1)  # Sunday 22:00-02:00
    log(promise, "2025-01-13", "01:00")  # Monday 01:00, next week

    assert one(promise, "2025-01-12").done == 1  # the week Mon 6 - Sun 12 January
    assert one(promise, "2025-01-13").done == 0  # the week from Monday 13 January


def test_patrols_outside_the_window_do_not_count_towards_the_week():
    promise = PatrolPromiseFactory()  # Fri and Sat 22:00-02:00, 2 a week
    log(promise, "2025-01-31", "22:30")
    log(promise, "2025-02-01", "14:00")  # Saturday afternoon: outside the window
    log(promise, "2025-02-02", "01:30")  # Sunday 01:30: Saturday night's window

    delivery = one(promise, "2025-02-02")
    assert (delivery.first, delivery.last) == (D("2025-01-27"), D("2025-02-02"))
    assert (delivery.done, delivery.target, delivery.status) == (2, 2, MET)


def test_activity_not_linked_to_the_promise_does_not_count():
    promise = PatrolPromiseFactory()
    ActivityFactory(ward=promise.ward, starts_at=at("2025-01-31", "23:00"))

    assert one(promise, "2025-01-31").done == 0


# --- months of different lengths, promises starting mid-month -------------------------------


@pytest.mark.parametrize(
    "start, expected_target",
    [
        ("2025-01-16", 6),  # 16 of January's 31 days: 10 x 16/31 = 5.2, rounded up
        ("2025-02-15", 5),  # 14 of February's 28 days: exactly half
        ("2028-02-15", 6),  # 15 of a leap February's 29 days: 5.2
        ("2025-04-16", 5),  # 15 of April's 30 days
        ("2025-03-01", 10),  # the whole month
    ],
)
def test_a_promise_starting_mid_month_has_its_target_cut_pro_rata(start, expected_target):
    promise = PromiseFactory(kind="custom", target=10, period="month", start=D(start))

    delivery = one(promise, start)
    assert delivery.first == D(start)
    assert delivery.target == expected_target


def test_a_promise_ending_mid_month_is_judged_on_its_own_days():
    promise = PromiseFactory(target=4, start=D("2025-01-01"), end=D("2025-02-14"))
    log(promise, "2025-02-03")
    log(promise, "2025-02-20")  # after the end: does not count

    delivery = one(promise, "2025-02-20")
    assert (delivery.first, delivery.last, delivery.target) == (
        D("2025-02-01"),
        D("2025-02-14"),
        2,
    )
    assert (delivery.done, delivery.status) == (1, MISSED)


def test_a_promise_not_running_in_the_period_has_no_delivery():
    ended = PromiseFactory(start=D("2024-01-01"), end=D("2024-12-31"))
    future = PromiseFactory(start=D("2025-03-01"))

    assert deliveries([ended, future], on=D("2025-02-10")) == []


def test_the_last_day_of_each_month_counts_in_that_month():
    promise = PromiseFactory(target=1)
    log(promise, "2025-02-28", "23:30")  # London time: still February

    assert one(promise, "2025-02-28").done == 1
    assert one(promise, "2025-03-01").done == 0


def test_a_month_is_london_time_across_the_clock_change():
    promise = PromiseFactory(target=1)
    log(promise, "2025-03-31", "00:30")  # BST: 23:30 UTC on 30 March

    assert one(promise, "2025-03-31").done == 1
    assert one(promise, "2025-04-01").done == 0


# --- status ---------------------------------------------------------------------------------


def test_an_engagement_promise_is_at_risk_when_what_remains_exceeds_the_days_left(settings):
    settings.PROMISES_MAX_ACTIVITIES_PER_DAY = 1
    promise = PromiseFactory(target=4)  # 4 a month
    log(promise, "2025-01-10")

    assert one(promise, "2025-01-29").status == ON_TRACK  # 3 left, 3 days (29, 30, 31)
    assert one(promise, "2025-01-30").status == AT_RISK  # 3 left, 2 days
    assert one(promise, "2025-02-01").status == ON_TRACK  # a new month
    january = deliveries([promise], on=D("2025-01-31"))[0]
    assert (january.remaining, january.days_left) == (3, 1)


def test_a_promise_is_missed_once_its_period_is_over_and_met_whatever_the_day(settings):
    promise = PromiseFactory(target=4, start=D("2025-01-01"), end=D("2025-01-16"))  # target 3
    log(promise, "2025-01-05")
    log(promise, "2025-01-06")
    assert one(promise, "2025-01-20").status == MISSED
    log(promise, "2025-01-07")
    assert one(promise, "2025-01-20").status == MET
    assert one(promise, "2025-01-08").status == MET


def test_a_patrol_promise_counts_the_promised_windows_left_not_the_days(settings):
    settings.PROMISES_MAX_PATROLS_PER_WINDOW = 1
    promise = PatrolPromiseFactory(target=2)  # Fri and Sat nights

    assert one(promise, "2025-01-27").status == ON_TRACK  # Monday: 2 windows left
    assert one(promise, "2025-01-31").status == ON_TRACK  # Friday: 2 windows left
    assert one(promise, "2025-02-01").status == AT_RISK  # Saturday: 1 window left, 2 to do
    log(promise, "2025-02-01", "23:00")
    assert one(promise, "2025-02-01").status == ON_TRACK


# --- visit every place of a kind -------------------------------------------------------------


def test_a_visit_promise_lists_the_places_not_visited_this_month():
    ward = f.WardFactory()
    abbey, brook, canal = (
        f.PlaceFactory(ward=ward, name=name) for name in ("Abbey School", "Brook", "Canal")
    )
    f.PlaceFactory(ward=ward, kind="place_of_worship", name="St Mary's")
    f.PlaceFactory(name="A school in another ward")
    promise = VisitPromiseFactory(ward=ward)
    log(promise, "2025-01-03", place=abbey)
    log(promise, "2025-01-20", place=abbey)  # twice: still one place
    log(promise, "2025-01-21", place=canal)
    log(promise, "2024-12-20", place=brook)  # last month

    delivery = one(promise, "2025-01-22")
    assert (delivery.done, delivery.target) == (2, 3)
    assert delivery.unvisited == [brook]
    assert delivery.status == ON_TRACK
    february = one(promise, "2025-02-01")  # a new month: every school to visit again
    assert [p.name for p in february.unvisited] == ["Abbey School", "Brook", "Canal"]


def test_a_cluster_teams_visit_promise_covers_every_ward_of_the_cluster():
    cluster = f.WardClusterFactory()
    north, south = (f.WardFactory(borough=cluster.borough, cluster=cluster) for _ in range(2))
    school_n = f.PlaceFactory(ward=north)
    school_s = f.PlaceFactory(ward=south)
    inpt = f.INPTFactory(cluster=cluster)
    promise = VisitPromiseFactory(ward=None, team=inpt, borough=cluster.borough)
    ActivityFactory(ward=north, place=school_n, starts_at=at("2025-01-03"), promises=[promise])

    delivery = one(promise, "2025-01-10")
    assert (delivery.done, delivery.target, delivery.unvisited) == (1, 2, [school_s])


# --- many promises at once -------------------------------------------------------------------


def test_delivery_for_many_promises_runs_a_fixed_number_of_queries(assert_fixed_queries):
    ward = f.WardFactory()
    f.PlaceFactory(ward=ward)

    def add(n):
        for _ in range(n):
            promise = PromiseFactory(ward=ward)
            visit = VisitPromiseFactory(ward=ward)
            patrol = PatrolPromiseFactory(ward=ward)
            for p in (promise, visit, patrol):
                log(p, "2025-01-10", "23:00")

    add(2)
    from promises.models import Promise

    def fetch():
        return deliveries(Promise.objects.select_related("team"), on=D("2025-01-15"))

    # 1 the promises, 2 their linked activities, 3 the places of visit promises
    before, after = assert_fixed_queries(fetch, lambda: add(5), queries=3)
    assert (len(before), len(after)) == (6, 21)
    worst_first = [d.status for d in after]
    order = {MISSED: 0, AT_RISK: 1, ON_TRACK: 2, MET: 3}
    assert worst_first == sorted(worst_first, key=order.get)


def test_a_visit_logged_in_a_cluster_ward_counts_for_the_cluster_teams_promise(staff_a, borough_a):
    """activity_log links a visit to every running "visit every place" promise that covers the
    ward: the ward's own and its cluster team's."""
    from django.utils import timezone

    from promises import services

    cluster = f.WardClusterFactory(borough=borough_a)  # the recorder's borough
    north = f.WardFactory(borough=cluster.borough, cluster=cluster)
    elsewhere = f.WardFactory(borough=cluster.borough)
    school = f.PlaceFactory(ward=north, kind="secondary_school")
    other_school = f.PlaceFactory(ward=elsewhere, kind="secondary_school")
    inpt = f.INPTFactory(cluster=cluster)
    cluster_promise = VisitPromiseFactory(ward=None, team=inpt, borough=cluster.borough,
                                          place_kind="secondary_school")
    own = VisitPromiseFactory(ward=north, place_kind="secondary_school")
    when = timezone.now() - datetime.timedelta(hours=2)

    visit = services.activity_log(ward=north, kind="visit", starts_at=when, duration_minutes=30,
                                  by=staff_a, place=school)
    assert set(visit.promises.all()) == {cluster_promise, own}
    outside = services.activity_log(ward=elsewhere, kind="visit", starts_at=when,
                                    duration_minutes=30, by=staff_a, place=other_school)
    assert list(outside.promises.all()) == []


def test_an_activity_lasts_at_most_a_day(staff_a, ward_a):
    from django.utils import timezone

    from config.errors import DomainError
    from promises import services
    from promises.models import Activity

    when = timezone.now() - datetime.timedelta(days=3)
    with pytest.raises(DomainError, match="at most 24 hours"):
        services.activity_log(ward=ward_a, kind="street_briefing", starts_at=when,
                              ends_at=when + datetime.timedelta(hours=25), by=staff_a)
    assert not Activity.objects.exists()


def test_a_place_outside_london_is_refused_on_its_field(staff_a, ward_a):
    from decimal import Decimal

    from config.errors import DomainError
    from wards import services

    with pytest.raises(DomainError, match="latitude is outside London") as refused:
        services.place_create(ward=ward_a, by=staff_a, name="Far", kind="college",
                              lat=Decimal("40.0"), lng=Decimal("-0.1"))
    assert refused.value.field == "lat"
