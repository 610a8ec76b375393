"""factory_boy factories for promises (kept beside the promises tests; the lead may move them into
tests/factories.py)."""

import datetime

import factory
from django.utils import timezone

from config.timeutils import LONDON
from promises.models import Activity, EngagementEvent, PanelMeeting, Promise, WardPriority
from tests import factories as f


def earlier_this_month(**delta) -> datetime.datetime:
    """`delta` ago (timedelta keywords), but not before midnight on the first of this London
    month: an activity "an hour ago" in the first hour of a month would otherwise fall in the
    month before, outside a promise that starts on the first and outside this period."""
    now = timezone.localtime()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return max(now - datetime.timedelta(**delta), month_start)


def at(day: datetime.date | str, hhmm: str = "12:00") -> datetime.datetime:
    """A London wall-clock instant: at("2025-01-31", "22:30")."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return datetime.datetime.combine(day, datetime.time.fromisoformat(hhmm), tzinfo=LONDON)


class PromiseFactory(factory.django.DjangoModelFactory):
    """An engagement promise (4 a month) to a ward, owned by a user."""

    class Meta:
        model = Promise

    ward = factory.SubFactory(f.WardFactory)
    borough = factory.LazyAttribute(lambda o: o.ward.borough)
    title = factory.Sequence(lambda n: f"Promise {n}")
    kind = Promise.Kind.ENGAGEMENT
    agreed_on = datetime.date(2024, 12, 1)
    start = datetime.date(2025, 1, 1)
    owner_user = factory.SubFactory(f.UserFactory)
    target = 4
    period = Promise.Period.MONTH


class PatrolPromiseFactory(PromiseFactory):
    """Two patrols a week, Friday and Saturday nights 22:00-02:00."""

    kind = Promise.Kind.PATROL
    area = "High Street and the station forecourt"
    days = [4, 5]
    window_start = datetime.time(22, 0)
    window_end = datetime.time(2, 0)
    target = 2
    period = Promise.Period.WEEK


class VisitPromiseFactory(PromiseFactory):
    kind = Promise.Kind.VISIT_ALL
    place_kind = "secondary_school"
    target = None


class CustomPromiseFactory(PromiseFactory):
    """Three of something a week (e.g. school gate visits at home time)."""

    kind = Promise.Kind.CUSTOM
    target = 3
    period = Promise.Period.WEEK


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    ward = factory.SubFactory(f.WardFactory)
    kind = Activity.Kind.PATROL
    starts_at = factory.LazyFunction(lambda: at("2025-01-10"))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))

    @factory.post_generation
    def promises(self, create, extracted, **kwargs):
        if create and extracted:
            self.promises.set(extracted)


class WardPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WardPriority

    ward = factory.SubFactory(f.WardFactory)
    issue = factory.Sequence(lambda n: f"Issue {n}: drug dealing near the estate")
    issue_date = factory.LazyFunction(lambda: at("2025-01-05"))


class PanelMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMeeting

    ward = factory.SubFactory(f.WardFactory)
    date = datetime.date(2025, 1, 5)
    attendees = 12


class EngagementEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementEvent

    ward = factory.SubFactory(f.WardFactory)
    title = factory.Sequence(lambda n: f"Street briefing {n}")
    kind = EngagementEvent.Kind.STREET_BRIEFING
    address = "Outside the library, Prince of Wales Road"
    starts_at = factory.LazyFunction(lambda: at("2099-01-10", "10:00"))
    ends_at = factory.LazyFunction(lambda: at("2099-01-10", "11:00"))
    contact = "haverstock.snt@met.police.example"


def promises_with_activity(ward, *, start: datetime.date, place=None) -> list[Promise]:
    """One running promise of each kind in `ward` from `start`, with several activities logged
    in the last hours: three visits to `place` that each count towards every promise, and a
    patrol that counts towards the patrol promise only. Real delivery data for query counts."""
    place = place or f.PlaceFactory(ward=ward)
    promises = [
        factory_class(ward=ward, start=start)
        for factory_class in (
            PromiseFactory,
            VisitPromiseFactory,
            PatrolPromiseFactory,
            CustomPromiseFactory,
        )
    ]
    for hours_ago in (1, 2, 3):
        ActivityFactory(
            ward=ward,
            kind=Activity.Kind.VISIT,
            place=place,
            starts_at=earlier_this_month(hours=hours_ago),
            promises=promises,
        )
    ActivityFactory(ward=ward, starts_at=earlier_this_month(hours=4), promises=[promises[2]])
    return promises
