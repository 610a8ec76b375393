"""The protocol's cover checks ask the figures' one definition of "cover below minimum on day
D" (deployment.cover.cover_below_minimum): an officer is away from their ward's cover on a day
only when a flex's window or an abstraction takes at least COVER_AWAY_HOURS of it. A flex
approval, a change at the review and a planned abstraction each answer for the days below
minimum they make (or make worse), and nothing else."""

import datetime

import pytest
from django.test import override_settings

from config.errors import ConflictError, DomainError
from deployment import cover, services
from deployment.models import Abstraction
from tests import factories as f
from tests.deployment.factories import ACCEPTED, abstract

pytestmark = pytest.mark.django_db
D, T = datetime.date, datetime.time


NINTH, TWENTY_SECOND = D(2026, 3, 9), D(2026, 3, 22)


def flex_of(by, to_ward, officers, daily_end, start=NINTH, end=TWENTY_SECOND):
    """A flex from 18:00 to `daily_end` each day."""
    return services.flex_create(
        borough=officers[0].borough, to_ward=to_ward, officers=officers, start_date=start,
        end_date=end, daily_start=T(18), daily_end=daily_end,
        problem="Moped-enabled phone snatches around the station", expected_benefit="Arrests",
        by=by, submit=True,
    )


@pytest.fixture
def another_inspector(borough_a):
    return f.UserFactory(username="inspector_a2", role="inspector", boroughs=[borough_a])


def test_an_abstraction_shorter_than_the_setting_leaves_cover_as_it_is(
    staff_a, dwos_a_east, frozen_today
):
    """ward_a_east is at its minimum (2 PCs, 1 PCSO). Three hours away is not away (the setting
    is 4); four hours is; with the setting at 2, three hours is too."""
    pc = dwos_a_east[0]
    assert abstract(pc, staff_a, 12, hours=(9, 12)).below_cover is False
    with pytest.raises(ConflictError, match="Highgate would have 1 dedicated PC") as refused:
        abstract(pc, staff_a, 13, hours=(9, 13))
    assert refused.value.code == "below_minimum_cover"
    with override_settings(COVER_AWAY_HOURS=2), pytest.raises(ConflictError):
        abstract(pc, staff_a, 14, hours=(9, 12))
    assert Abstraction.objects.count() == 1


def test_two_short_abstractions_on_one_day_add_up(staff_a, dwos_a_east, frozen_today):
    """Two hours in the morning and two in the afternoon: four hours of the day, away."""
    pc = dwos_a_east[0]
    abstract(pc, staff_a, 12, hours=(8, 10))
    with pytest.raises(ConflictError, match="below minimum dedicated cover"):
        abstract(pc, staff_a, 12, hours=(14, 16))


def test_a_flex_of_short_evenings_takes_no_one_from_cover(
    sergeant_a, inspector_a, ward_a, ward_a_east, dwos_a_east, frozen_today
):
    """Both of Highgate's PCs flexed 18:00-21:00: three hours a day, never away by the
    definition, so an Inspector approves it; 18:00-22:00 takes them."""
    short = flex_of(sergeant_a, ward_a, dwos_a_east[:2], T(21))
    assert cover.flex_cover_gaps(short) == []
    longer = flex_of(sergeant_a, ward_a, dwos_a_east[:2], T(22), start=D(2026, 4, 1),
                     end=D(2026, 4, 2))
    assert [g.day for g in cover.flex_cover_gaps(longer)] == [D(2026, 4, 1), D(2026, 4, 2)]
    assert services.flex_approve(flex=short, by=inspector_a).status == "approved"
    with pytest.raises(ConflictError) as refused:
        services.flex_approve(flex=longer, by=inspector_a)
    assert refused.value.code == "below_minimum_cover"


def test_a_change_lengthening_the_hours_is_checked_again(
    sergeant_a, inspector_a, chief_inspector_a, another_inspector, ward_a_east, dwos_a,
    frozen_today, time_machine,
):
    """Two of ward_a's three PCs flexed 18:00-21:00 (not away); at the review the meeting
    proposes 18:00-02:00, which takes both from ward_a's cover: only a Chief Inspector accepts
    that, recording why."""
    flex = flex_of(sergeant_a, ward_a_east, dwos_a[:2], T(21), start=D(2026, 3, 2))
    services.flex_approve(flex=flex, by=inspector_a)
    time_machine.move_to(datetime.datetime(2026, 3, 16, 9, 0), tick=False)
    services.flex_review(flex=flex, by=inspector_a, decision="change", reason="Later snatches",
                         change={"daily_end": T(2)})
    with pytest.raises(ConflictError, match="Haverstock would have 1 dedicated PC") as refused:
        services.flex_change_approve(flex=flex, by=another_inspector)
    assert refused.value.code == "below_minimum_cover"
    with pytest.raises(DomainError, match="Record why"):
        services.flex_change_approve(flex=flex, by=chief_inspector_a)
    services.flex_change_approve(flex=flex, by=chief_inspector_a, cover_override_reason=ACCEPTED)
    flex.refresh_from_db()
    assert flex.daily_end == T(2)


def test_an_officer_released_at_the_review_is_back_in_cover_the_next_day(
    sergeant_a, chief_inspector_a, another_inspector, ward_a, ward_a_east, dwos_a,
    frozen_today, time_machine,
):
    """Two of ward_a's PCs flexed (a Chief Inspector accepted ward_a short); the review
    releases one: a release takes no one, so any Inspector decides it, and from the next day
    ward_a is at its minimum again (the released officer's windows end with their last day)."""
    flex = flex_of(sergeant_a, ward_a_east, dwos_a[:2], T(2), start=D(2026, 3, 2))
    services.flex_approve(flex=flex, by=chief_inspector_a, cover_override_reason=ACCEPTED)
    time_machine.move_to(datetime.datetime(2026, 3, 16, 9, 0), tick=False)
    services.flex_review(flex=flex, by=chief_inspector_a, decision="change", reason="Quieter",
                         change={"officers": [dwos_a[1]]})
    services.flex_change_approve(flex=flex, by=another_inspector)
    short = cover.cover_below_minimum([ward_a.pk], D(2026, 3, 15), D(2026, 3, 22))
    assert [g.day for g in short] == [D(2026, 3, 15), D(2026, 3, 16)]
