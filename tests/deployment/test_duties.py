"""Recording duties and abstractions, one by one and from a roster CSV."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from config.errors import ConflictError, DomainError
from config.timeutils import LONDON, shift_bounds
from deployment import services
from deployment.duties import abstraction_record, duty_record
from deployment.models import Abstraction, AbstractionType, Duty
from deployment.roster import ROSTER_COLUMNS, roster_import
from tests.deployment.factories import raise_flex

pytestmark = pytest.mark.django_db
D = datetime.date
T = datetime.time


def test_the_seeded_abstraction_types():
    assert list(AbstractionType.objects.values_list("name", flat=True)) == [
        "Local aid",
        "Central aid",
        "CAD room",
        "Court",
        "Training",
        "Response cover",
        "Other",
    ]


def test_a_night_shift_crosses_midnight(staff_a, dwos_a):
    starts_at, ends_at = shift_bounds(D(2026, 3, 6), T(22), T(7))
    duty = duty_record(officer=dwos_a[0], starts_at=starts_at, ends_at=ends_at, by=staff_a)
    assert duty.hours == 9
    assert duty.ends_at.astimezone(LONDON).date() == D(2026, 3, 7)
    assert duty.home_ward == duty.worked_ward


def test_a_shift_across_the_clock_change_counts_real_hours(staff_a, dwos_a):
    starts_at, ends_at = shift_bounds(D(2026, 3, 28), T(22), T(7))  # clocks go forward 29 March
    duty = duty_record(officer=dwos_a[0], starts_at=starts_at, ends_at=ends_at, by=staff_a)
    assert duty.hours == 8


def test_overlapping_shifts_are_refused_including_across_midnight(staff_a, dwos_a):
    duty_record(
        officer=dwos_a[0],
        by=staff_a,
        **dict(
            zip(("starts_at", "ends_at"), shift_bounds(D(2026, 3, 6), T(22), T(7)), strict=True)
        ),
    )
    starts_at, ends_at = shift_bounds(D(2026, 3, 7), T(6), T(14))  # starts before the night ends
    with pytest.raises(ConflictError, match="already has a shift"):
        duty_record(officer=dwos_a[0], starts_at=starts_at, ends_at=ends_at, by=staff_a)
    starts_at, ends_at = shift_bounds(D(2026, 3, 7), T(7), T(15))  # back to back is fine
    duty_record(officer=dwos_a[0], starts_at=starts_at, ends_at=ends_at, by=staff_a)


def test_abstracting_a_dedicated_officer_needs_an_event_and_who_authorised(staff_a, dwos_a):
    starts_at, ends_at = shift_bounds(D(2026, 3, 6), T(8), T(16))
    central_aid = AbstractionType.objects.get(code="central-aid")
    with pytest.raises(DomainError, match="significant event") as exc:
        abstraction_record(
            officer=dwos_a[0],
            abstraction_type=central_aid,
            starts_at=starts_at,
            ends_at=ends_at,
            by=staff_a,
        )
    assert exc.value.field == "significant_event"
    with pytest.raises(DomainError, match="who authorised"):
        abstraction_record(
            officer=dwos_a[0],
            abstraction_type=central_aid,
            starts_at=starts_at,
            ends_at=ends_at,
            by=staff_a,
            significant_event="State visit",
        )
    abstraction = abstraction_record(
        officer=dwos_a[0],
        abstraction_type=central_aid,
        starts_at=starts_at,
        ends_at=ends_at,
        by=staff_a,
        significant_event="State visit",
        authorised_by_name="Supt Khan",
    )
    duty = duty_record(
        officer=dwos_a[0],
        starts_at=starts_at,
        ends_at=ends_at,
        by=staff_a,
        kind=Duty.Kind.ABSTRACTED,
        abstraction=abstraction,
    )
    assert duty.abstraction.recorded_by == staff_a


def test_read_only_roles_cannot_record(commander_a, hq, dwos_a):
    starts_at, ends_at = shift_bounds(D(2026, 3, 6), T(8), T(16))
    for user in (commander_a, hq):
        with pytest.raises(PermissionDenied):
            duty_record(officer=dwos_a[0], starts_at=starts_at, ends_at=ends_at, by=user)


def test_a_flexed_duty_must_match_its_approved_flex(
    sergeant_a, inspector_a, staff_a, ward_a_east, dwos_a, dwos_a_east, frozen_today
):
    flex = raise_flex(sergeant_a, ward_a_east, dwos_a[:1], start=D(2026, 3, 9), end=D(2026, 3, 15))
    starts_at, ends_at = shift_bounds(D(2026, 3, 10), T(18), T(2))
    with pytest.raises(DomainError, match="not approved"):
        duty_record(
            officer=dwos_a[0],
            starts_at=starts_at,
            ends_at=ends_at,
            by=staff_a,
            kind=Duty.Kind.FLEXED,
            worked_ward=ward_a_east,
            flex_request=flex,
        )
    services.flex_approve(flex=flex, by=inspector_a)
    duty = duty_record(
        officer=dwos_a[0],
        starts_at=starts_at,
        ends_at=ends_at,
        by=staff_a,
        kind=Duty.Kind.FLEXED,
        worked_ward=ward_a_east,
        flex_request=flex,
    )
    assert not duty.unauthorised_flex
    late = shift_bounds(D(2026, 3, 16), T(18), T(2))
    with pytest.raises(DomainError, match="outside flex"):
        duty_record(
            officer=dwos_a[0],
            starts_at=late[0],
            ends_at=late[1],
            by=staff_a,
            kind=Duty.Kind.FLEXED,
            worked_ward=ward_a_east,
            flex_request=flex,
        )
    # Recorded without a request, it stands as unauthorised flex for the monthly report.
    duty = duty_record(
        officer=dwos_a[0],
        starts_at=late[0],
        ends_at=late[1],
        by=staff_a,
        kind=Duty.Kind.FLEXED,
        worked_ward=ward_a_east,
    )
    assert duty.unauthorised_flex


ROSTER = ",".join(ROSTER_COLUMNS) + """
{a},2026-03-06,07:00,15:00,home,,,,,,Early
{a},2026-03-06,22:00,06:00,home,,,,,,Overlaps nothing: next night
{b},2026-03-06,08:00,16:00,abstracted,,,central-aid,Carnival,Supt Khan,
{b},2026-03-07,08:00,16:00,abstracted,,,parade,,,
NOBODY,2026-03-06,07:00,15:00,home,,,,,,
{a},30/02/2026,07:00,15:00,home,,,,,,
"""


def test_a_roster_with_bad_rows_imports_nothing_and_says_why(staff_a, dwos_a):
    text = ROSTER.format(a=dwos_a[0].shoulder_number, b=dwos_a[1].shoulder_number)
    result = roster_import(text=text, by=staff_a)
    assert result.imported == 0 and not result.committed
    assert [line for line, _ in result.rejected] == [5, 6, 7]
    messages = dict(result.rejected)
    assert "Column abstraction_type: must be one of" in messages[5]
    assert "Column shoulder_number: no officer 'NOBODY'" in messages[6]
    assert "Column date: 30/02/2026 is not a real date" in messages[7]
    assert Duty.objects.count() == 0 and Abstraction.objects.count() == 0


def test_a_roster_imports_only_the_valid_rows_when_asked(staff_a, dwos_a):
    text = ROSTER.format(a=dwos_a[0].shoulder_number, b=dwos_a[1].shoulder_number)
    result = roster_import(text=text, by=staff_a, valid_only=True)
    assert result.imported == 3 and result.committed
    assert len(result.rejected) == 3
    assert Duty.objects.count() == 3
    assert Abstraction.objects.get().significant_event == "Carnival"


def test_a_roster_cannot_name_officers_of_another_borough(staff_b, dwos_a):
    text = (
        ROSTER.splitlines()[0]
        + f"\n{dwos_a[0].shoulder_number},2026-03-06,07:00,15:00,home,,,,,,\n"
    )
    result = roster_import(text=text, by=staff_b)
    assert result.rejected == [
        (2, f"Column shoulder_number: no officer '{dwos_a[0].shoulder_number}' in your boroughs.")
    ]


def test_a_roster_without_the_needed_columns_is_refused(staff_a):
    with pytest.raises(DomainError, match="columns: date, end, shoulder_number, start"):
        roster_import(text="name,when\nx,y\n", by=staff_a)


def test_an_abstraction_longer_than_a_month_is_refused(staff_a, dwos_a):
    starts_at, _ = shift_bounds(D(2026, 3, 1), T(8), T(16))
    with pytest.raises(DomainError, match="at most 31 days"):
        abstraction_record(
            officer=dwos_a[0],
            abstraction_type=AbstractionType.objects.get(code="training"),
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(days=40),
            by=staff_a,
            significant_event="Course",
            authorised_by_name="Insp Hale",
        )
