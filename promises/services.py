"""Writes for promises, activity, priorities, panel meetings and events (places: wards.services).
Views, the API and commands all call these; a rule broken is a DomainError."""

from __future__ import annotations

import datetime

import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from config.access import EDITOR_ROLES, Role, borough_ids, has_role, is_constable, require_own
from config.errors import ConflictError, DomainError
from config.limits import PLANNED, RECORD, check_dates
from config.transactions import decision
from promises.models import Activity, EngagementEvent, PanelMeeting, Promise, WardPriority
from teams.authority import own_ward_ids
from teams.history import require_served_in
from teams.services import lock_named
from wards.models import Place, Ward

# The HTML a priority's action may hold (data.police.uk publishes it as HTML).
ACTION_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a"}
ACTION_ATTRIBUTES = {"a": {"href"}}


def sanitise_action(html: str) -> str:
    return nh3.clean(html or "", tags=ACTION_TAGS, attributes=ACTION_ATTRIBUTES).strip()


# The longest single activity a team logs (a day's event).
MAX_ACTIVITY = datetime.timedelta(hours=24)


def _full_clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from None


# Who logs what the team did: everyone who edits the borough's records, and constables (their
# own wards only).
ACTIVITY_LOGGER_ROLES = EDITOR_ROLES | {Role.CONSTABLE}


def _require_editor_of(user, borough_id, roles=EDITOR_ROLES) -> None:
    """Only an editing role of the borough writes its promises and their records (commanders and
    HQ read them), as in the other apps' services."""
    if not has_role(user, roles):
        raise PermissionDenied("Your role does not allow changes.")
    ids = borough_ids(user)
    if ids is not None and borough_id not in ids:
        raise PermissionDenied("Only the ward's own borough changes its records.")


def _ward_ids_of(promise: Promise) -> set[int]:
    if promise.ward_id:
        return {promise.ward_id}
    if promise.team.cluster_id:
        return set(
            Ward.objects.filter(cluster_id=promise.team.cluster_id).values_list("pk", flat=True)
        )
    return set(Ward.objects.filter(borough_id=promise.borough_id).values_list("pk", flat=True))


@decision
def promise_create(*, by, **fields) -> Promise:
    """A promise to a ward (or a cluster team's wards). Its borough is its ward's or team's."""
    check_dates(RECORD, agreed_on=fields.get("agreed_on"))
    check_dates(PLANNED, start=fields.get("start"), end=fields.get("end"))
    promise = Promise(created_by=by, **fields)
    if promise.ward_id and promise.team_id:
        raise DomainError(
            "A promise belongs to a ward or to a cluster team, not both.", field="team"
        )
    home = promise.ward if promise.ward_id else promise.team if promise.team_id else None
    if home is None:
        raise DomainError("Choose the ward the promise is made to.", field="ward")
    promise.borough_id = home.borough_id
    _require_editor_of(by, promise.borough_id)
    if promise.team_id and promise.team.ward_id:
        raise DomainError("A ward team's promise belongs to its ward.", field="team")
    if promise.place_id and promise.place.ward_id not in _ward_ids_of(promise):
        raise DomainError("The place must be in the promise's ward.", field="place")
    if promise.panel_meeting_id and promise.panel_meeting.ward.borough_id != promise.borough_id:
        raise DomainError("The panel meeting must be of the same borough.", field="panel_meeting")
    if promise.owner_officer_id:
        # Locked until saved: the owner's transfer, racing, finds the promise or is seen here.
        [promise.owner_officer] = lock_named(
            [promise.owner_officer], promise.borough_id, field="owner_officer"
        )
    if promise.owner_officer_id and promise.owner_officer.borough_id != promise.borough_id:
        raise DomainError(
            "The owner must be an officer of the ward's borough.", field="owner_officer"
        )
    if promise.kind != Promise.Kind.PATROL:
        promise.days, promise.window_start, promise.window_end = [], None, None
    if promise.kind == Promise.Kind.VISIT_ALL:
        promise.target = None
    _full_clean(promise)
    promise.save()
    return promise


@decision
def promise_end(*, promise: Promise, end: datetime.date, by, reason: str = "") -> Promise:
    """Promises are ended, never deleted: `end` is the last day, `reason` says why. An end can
    be brought forward, never pushed back or removed (that would reopen a promise)."""
    _require_editor_of(by, promise.borough_id)
    check_dates(PLANNED, end=end)
    if not (reason or "").strip():
        raise DomainError("Say why the promise is ending.", field="reason")
    promise = Promise.objects.select_for_update().get(pk=promise.pk)
    if end < promise.start:
        raise DomainError("The end must be on or after the start.", field="end")
    if promise.end is not None and end > promise.end:
        raise ConflictError(
            f"This promise already ends on {promise.end:%d %B %Y}: it can end earlier, not later.",
            field="end",
            code="already_ended",
        )
    promise.end, promise.end_reason = end, reason.strip()
    promise.save(update_fields=["end", "end_reason"])
    return promise


@transaction.atomic
def activity_log(
    *,
    ward: Ward,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    duration_minutes: int | None = None,
    by,
    place: Place | None = None,
    location: str = "",
    officers=(),
    promises=(),
    notes: str = "",
) -> Activity:
    """Record what the team did. It counts towards `promises` (each must be the ward's, or its
    cluster team's) and, for a visit to a place, towards every running "visit every place of
    this kind" promise of the ward."""
    _require_editor_of(by, ward.borough_id, ACTIVITY_LOGGER_ROLES)
    require_own(by, ward.pk in own_ward_ids(by) if is_constable(by) else True)
    check_dates(RECORD, starts_at=starts_at)
    ends_at = _activity_end(starts_at, ends_at, duration_minutes)
    check_dates(RECORD, ends_at=ends_at)
    _check_activity(ward, starts_at, ends_at, location=location, place=place, officers=officers)
    promises = list(promises)
    _check_promises_of(ward, promises)
    activity = Activity.objects.create(
        ward=ward,
        kind=kind,
        place=place,
        location=location,
        starts_at=starts_at,
        ends_at=ends_at,
        notes=notes,
        recorded_by=by,
    )
    activity.officers.set(officers)
    if place is not None:
        promises += list(_visit_promises_for(ward, place, starts_at))
    activity.promises.set({p.pk for p in promises})
    return activity


def _activity_end(starts_at, ends_at, duration_minutes):
    """The activity's end: given, or `duration_minutes` after it started."""
    if ends_at is not None:
        return ends_at
    if not duration_minutes or duration_minutes <= 0:
        raise DomainError("Enter how long it took, in minutes.", field="duration_minutes")
    return starts_at + datetime.timedelta(minutes=duration_minutes)


def _check_activity(ward, starts_at, ends_at, *, location, place, officers) -> None:
    if ends_at <= starts_at:
        raise DomainError("It must end after it starts.", field="ends_at")
    if ends_at - starts_at > MAX_ACTIVITY:
        raise DomainError("An activity lasts at most 24 hours.", field="ends_at")
    if len(location) > Activity._meta.get_field("location").max_length:
        raise DomainError("Keep the location to 200 characters or fewer.", field="location")
    if starts_at > timezone.now() + datetime.timedelta(hours=1):
        raise DomainError("Log what has happened, not what is planned.", field="starts_at")
    if place is not None and place.ward_id != ward.pk:
        raise DomainError("The place must be in the ward.", field="place")
    day = timezone.localtime(starts_at).date()
    for officer in officers:
        if officer.borough_id != ward.borough_id:
            raise DomainError(f"{officer.full_name} is not of {ward.borough}.", field="officers")
        require_served_in(officer, ward.borough, day, field="officers")


def _check_promises_of(ward, promises) -> None:
    """Each promise is the ward's, or its cluster team's."""
    for promise in promises:
        if promise.ward_id != ward.pk and not (
            promise.team_id
            and promise.team.cluster_id
            and promise.team.cluster_id == ward.cluster_id
        ):
            raise DomainError(f"“{promise}” is not a promise of {ward}.", field="promises")


def _visit_promises_for(ward, place, starts_at):
    day = timezone.localtime(starts_at).date()
    return (
        Promise.objects.of_ward(ward)
        .filter(kind=Promise.Kind.VISIT_ALL, place_kind=place.kind, start__lte=day)
        .exclude(end__lt=day)
    )


@decision
def priority_create(*, ward: Ward, issue: str, action: str = "", issue_date=None, by):
    """A new open priority; a ward keeps at most PROMISES_MAX_OPEN_PRIORITIES open."""
    _require_editor_of(by, ward.borough_id)
    check_dates(RECORD, issue_date=issue_date)
    Ward.objects.select_for_update().filter(pk=ward.pk).first()
    limit = settings.PROMISES_MAX_OPEN_PRIORITIES
    if WardPriority.objects.filter(ward=ward).open().count() >= limit:
        raise ConflictError(
            f"{ward} already has {limit} open priorities. Close one before adding another.",
            field="issue",
        )
    if not issue.strip():
        raise DomainError("Enter the issue.", field="issue")
    action = sanitise_action(action)
    now = timezone.now()
    if issue_date is not None and issue_date > now:
        # The public page publishes it as the day the panel agreed the priority.
        raise DomainError("The issue date must be today or in the past.", field="issue_date")
    return WardPriority.objects.create(
        ward=ward,
        issue=issue.strip(),
        action=action,
        issue_date=issue_date or now,
        action_date=now if action else None,
        created_by=by,
    )


def _lock_priority(priority: WardPriority) -> None:
    """Lock the row and re-read whether it is closed, so a close and an action (or two closes)
    racing each other see each other's write."""
    priority.closed_on = (
        WardPriority.objects.select_for_update()
        .values_list("closed_on", flat=True)
        .get(pk=priority.pk)
    )


@decision
def priority_record_action(*, priority: WardPriority, action: str, by) -> WardPriority:
    _require_editor_of(by, priority.ward.borough_id)
    _lock_priority(priority)
    if not priority.is_open:
        raise ConflictError("This priority is closed; its history is kept as it was.")
    action = sanitise_action(action)
    if not action:
        raise DomainError("Enter what was done.", field="action")
    priority.action, priority.action_date = action, timezone.now()
    priority.save(update_fields=["action", "action_date"])
    return priority


@decision
def priority_close(*, priority: WardPriority, by, on: datetime.date | None = None):
    _require_editor_of(by, priority.ward.borough_id)
    _lock_priority(priority)
    if not priority.is_open:
        raise ConflictError("This priority is already closed.")
    priority.closed_on = on or timezone.localdate()
    priority.save(update_fields=["closed_on"])
    return priority


@transaction.atomic
def panel_meeting_record(*, ward: Ward, date, attendees: int, minutes: str = "", priorities=(), by):
    _require_editor_of(by, ward.borough_id)
    check_dates(RECORD, date=date)
    for priority in priorities:
        if priority.ward_id != ward.pk:
            raise DomainError("Agreed priorities must be the ward's own.", field="priorities")
    meeting = PanelMeeting.objects.create(
        ward=ward, date=date, attendees=attendees, minutes=minutes, recorded_by=by
    )
    meeting.priorities.set(priorities)
    return meeting


def event_create(*, ward: Ward, by, **fields) -> EngagementEvent:
    _require_editor_of(by, ward.borough_id)
    check_dates(PLANNED, starts_at=fields.get("starts_at"), ends_at=fields.get("ends_at"))
    event = EngagementEvent(ward=ward, created_by=by, **fields)
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        raise DomainError("The event must end after it starts.", field="ends_at")
    _full_clean(event)
    event.save()
    return event
