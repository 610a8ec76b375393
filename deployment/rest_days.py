"""Rest days: an officer's rostered day off, recorded from the page (one day or a run of days),
the API, a roster's "rest" rows (deployment.roster) and read in the ward calendar. Each rule
lives here once:
- a rest day is a London date in the range duties may have (config.limits PLANNED); the clock
  changes make no difference to it (a date, not a period);
- it belongs to the borough the officer served in on that date, which must be one of the
  recorder's (teams.history.borough_recording, as duties);
- one per officer and date (the database's unique constraint has the last word);
- a duty recorded on the date makes it a rest day worked (rest_day_worked): never refused, as
  recalls happen, but shown and counted;
- recording and deleting are logged in the audit log, by whom (config.audit)."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import TruncDate

from config import audit
from config.errors import ConflictError, DomainError
from config.limits import PLANNED, check_dates
from config.timeutils import LONDON, dates_between
from config.transactions import decision
from deployment.duties import require_editor
from deployment.models import Duty, RestDay
from teams.history import borough_recording
from teams.services import lock_officers

# A run of rest days recorded at once is at most this long (a roster pattern: a few weeks).
MAX_REST_DAYS_AT_ONCE = 31


@dataclass(slots=True)
class RestDayDraft:
    """A rest day's values once checked, before it is saved (one, or a roster's COPY row)."""

    officer: object
    day: datetime.date
    borough_id: int
    recorded_by: object


def rest_day_worked(has_rest_day: bool, has_duty: bool) -> bool:
    """The rule of a cancelled rest day: a rest day on which a duty is also recorded."""
    return has_rest_day and has_duty


def with_worked(rest_days):
    """rest_day_worked in SQL: annotate `worked`, a duty of the officer starting on the rest
    day's London date (a night shift counts on the day it starts, as in the calendar)."""
    duty_that_day = Duty.objects.annotate(day=TruncDate("starts_at", tzinfo=LONDON)).filter(
        officer=OuterRef("officer"), day=OuterRef("day")
    )
    return rest_days.annotate(worked=Exists(duty_that_day))


def already_resting(officer, day) -> ConflictError:
    return ConflictError(
        f"{officer.full_name} already has a rest day recorded on {day:%d %B %Y}.",
        field="date",
        code="rest_day_recorded",
    )


def rest_day_checked(*, officer, day, by, later=None) -> RestDayDraft:
    """The rest day's values, unsaved, once every rule of recording it holds (DomainError
    otherwise). `later`: the officer's transfers after `day` when the caller loaded them."""
    check_dates(PLANNED, date=day)
    borough_id = borough_recording(officer, day, day, by=by, field="officer", later=later)
    return RestDayDraft(officer, day, borough_id, by)


def _days(first: datetime.date, last: datetime.date | None) -> list[datetime.date]:
    check_dates(PLANNED, date=first, last_date=last)
    last = last or first
    if last < first:
        raise DomainError("The last rest day must be on or after the first.", field="last_date")
    days = list(dates_between(first, last))
    if len(days) > MAX_REST_DAYS_AT_ONCE:
        raise DomainError(
            f"Record at most {MAX_REST_DAYS_AT_ONCE} rest days at once.", field="last_date"
        )
    return days


@decision
def rest_day_record(*, officer, first, by, last=None) -> list[RestDay]:
    """Record the officer's rest day on `first`, or on every date from `first` to `last`: all
    of them or none."""
    require_editor(by)
    days = _days(first, last)
    officer = lock_officers([officer.pk])[officer.pk]
    drafts = [rest_day_checked(officer=officer, day=day, by=by) for day in days]
    taken = set(
        RestDay.objects.filter(officer=officer, day__in=days).values_list("day", flat=True)
    )
    for draft in drafts:
        if draft.day in taken:
            raise already_resting(officer, draft.day)
    try:
        with transaction.atomic():
            saved = RestDay.objects.bulk_create(
                RestDay(officer=d.officer, day=d.day, borough_id=d.borough_id, recorded_by=by)
                for d in drafts
            )
    except IntegrityError:
        raise ConflictError(
            f"A rest day of {officer.full_name} on those dates was recorded a moment ago.",
            field="date",
            code="rest_day_recorded",
        ) from None
    audit_recorded(saved, by=by)
    return saved


def audit_recorded(rest_days, *, by) -> None:
    """Log each rest day recorded (a RestDay or a RestDayDraft), once it is kept: not for an
    attempt rolled back, nor for an all-or-nothing roster refused."""
    for rest_day in rest_days:
        _audit_once_committed("recorded", rest_day, by)


def _audit_once_committed(action, rest_day, by) -> None:
    transaction.on_commit(lambda: audit.rest_day_changed(action, rest_day, by=by))


@decision
def rest_day_delete(*, rest_day, by) -> None:
    """Delete a rest day recorded by mistake: only one of `by`'s boroughs (the callers fetched
    it in the user's scope already; one deleted a moment ago is not logged twice)."""
    require_editor(by)
    deleted, _ = RestDay.objects.for_user(by).filter(pk=rest_day.pk).delete()
    if deleted:
        _audit_once_committed("deleted", rest_day, by)
