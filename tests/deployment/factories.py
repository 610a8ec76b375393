"""Deployment records for tests, made through the services as a user would make them: staffed
wards, flex requests, duties and abstractions."""

import datetime

from config.timeutils import shift_bounds
from deployment import services
from deployment.duties import abstraction_record, duty_record
from deployment.models import AbstractionType, Duty
from teams.models import Posting, Rank
from tests import factories as f

D, T = datetime.date, datetime.time
UTC = datetime.UTC


NINTH, TWENTY_SECOND = D(2026, 3, 9), D(2026, 3, 22)


def raise_flex(by, to_ward, officers, start=NINTH, end=TWENTY_SECOND, submit=True):
    return services.flex_create(
        borough=officers[0].borough if officers else to_ward.borough,
        to_ward=to_ward,
        officers=officers,
        start_date=start,
        end_date=end,
        daily_start=datetime.time(18),
        daily_end=datetime.time(2),
        problem="Moped-enabled phone snatches around the station",
        expected_benefit="Arrests",
        by=by,
        submit=submit,
    )


def record(officer, by, day, start, end, **extra):
    starts_at, ends_at = shift_bounds(day, start, end)
    return duty_record(officer=officer, starts_at=starts_at, ends_at=ends_at, by=by, **extra)


# Planned abstractions that leave a ward below minimum cover need a Chief Inspector's reason:
# pass `by=chief_inspector, cover_override_reason=ACCEPTED`.
ACCEPTED = "The event needs every officer; the ward is covered by response."


def abstract(officer, by, day, type_code="central-aid", hours=(8, 16), **extra):
    return abstraction_record(
        officer=officer,
        abstraction_type=AbstractionType.objects.get(code=type_code),
        starts_at=datetime.datetime(2026, 3, day, hours[0], tzinfo=UTC),
        ends_at=datetime.datetime(2026, 3, day, hours[1], tzinfo=UTC),
        by=by,
        significant_event="Demonstration in Whitehall",
        authorised_by_name="Supt Khan",
        **extra,
    )


def court(officer, by, day, **extra):
    starts_at, ends_at = shift_bounds(day, T(8), T(16))
    return abstraction_record(
        officer=officer, abstraction_type=AbstractionType.objects.get(code="court"),
        starts_at=starts_at, ends_at=ends_at, by=by, significant_event="Murder trial witness",
        authorised_by_name="Supt Khan", **extra,
    )


def staff_ward(team, pcs=2, pcsos=1, start=datetime.date(2025, 1, 1)):
    officers = []
    for rank, n in ((Rank.PC, pcs), (Rank.PCSO, pcsos)):
        for _ in range(n):
            officer = f.OfficerFactory(rank=rank, borough=team.borough)
            f.PostingFactory(
                officer=officer, team=team, role=Posting.Role.DEDICATED, start_date=start
            )
            officers.append(officer)
    return officers


def record_flexed_duty(officer, ward, flex, by):
    """A day shift on 10 March 2026 worked in `ward` under `flex`."""
    starts_at, ends_at = shift_bounds(
        datetime.date(2026, 3, 10), datetime.time(8), datetime.time(16)
    )
    return duty_record(
        officer=officer, starts_at=starts_at, ends_at=ends_at, by=by, kind=Duty.Kind.FLEXED,
        worked_ward=ward, flex_request=flex,
    )
