"""Recording where officers' time went: abstractions and duties, one at a time (pages, the API,
and each row of a roster: deployment.roster).

An abstraction takes an officer from their ward, so it answers to the protocol as a flex does:
- any officer of a ward team is abstracted only for a significant event, named, and with who
  authorised it;
- a planned abstraction (recorded before it starts) that would leave a ward below minimum cover
  on any day it touches is refused, unless a Chief Inspector of the borough records why they
  accept it (by rank and borough: deployment.workflow.accepted_gap);
- one recorded after the fact is never refused (refusing would only hide it): it is flagged
  and escalated to the borough's Chief Inspectors, by email and on their list."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from config.access import EDITOR_ROLES, has_role
from config.errors import ConflictError, DomainError
from config.limits import PLANNED, check_dates
from config.timeutils import LONDON, check_whole_minutes, day_bounds, elapsed
from config.transactions import decision
from deployment import cover, protocol, selectors
from deployment.locks import lock_officer_in_borough
from deployment.models import (
    MAX_ABSTRACTION_DAYS,
    MAX_SHIFT_HOURS,
    Abstraction,
    Commitment,
    Duty,
    FlexRequest,
)
from deployment.notifications import send_abstraction_below_cover
from deployment.workflow import accepted_gap
from teams.history import borough_recording
from teams.models import Posting, Team
from teams.services import lock_officers


def require_editor(by):
    if not has_role(by, EDITOR_ROLES):
        raise PermissionDenied("Your role cannot record duties or abstractions.")


def _check_lengths(model, **values) -> None:
    """Text longer than its column is a clear refusal, not a database error (a roster cell can
    hold anything)."""
    for name, value in values.items():
        limit = model._meta.get_field(name).max_length
        if limit and len(value or "") > limit:
            label = model._meta.get_field(name).verbose_name.capitalize()
            raise DomainError(f"{label} is at most {limit} characters.", field=name)


def in_a_ward_team(officer, starts_at, ends_at) -> bool:
    """Whether the officer is posted to a ward's team (in any role) on a day the period
    touches."""
    first, last = starts_at.astimezone(LONDON).date(), ends_at.astimezone(LONDON).date()
    return (
        Posting.objects.filter(officer=officer, team__kind=Team.Kind.WARD, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .exists()
    )


@decision
def abstraction_record(
    *,
    officer,
    abstraction_type,
    starts_at,
    ends_at,
    by,
    significant_event="",
    authorised_by_name="",
    notes="",
    cover_override_reason="",
) -> Abstraction:
    require_editor(by)
    check_dates(PLANNED, starts_at=starts_at, ends_at=ends_at)
    # The borough's cover lock, then the officer (deployment.locks): one cover decision at a
    # time per borough, in the order flex approvals take them.
    officer = lock_officer_in_borough(officer)
    _check_lengths(
        Abstraction, significant_event=significant_event, authorised_by_name=authorised_by_name
    )
    _check_abstraction_period(starts_at, ends_at, abstraction_type)
    borough_id = borough_recording(
        officer, *_london_days(starts_at, ends_at), by=by, field="starts_at"
    )
    if in_a_ward_team(officer, starts_at, ends_at):
        _check_ward_team_abstraction(officer, significant_event, authorised_by_name)
    conflicts = selectors.commitment_conflicts([officer.pk], starts_at, ends_at)
    if conflicts:
        raise ConflictError(conflicts[0].message, field="starts_at", code="officer_committed")
    abstraction = Abstraction(
        officer=officer,
        borough_id=borough_id,
        abstraction_type=abstraction_type,
        starts_at=starts_at,
        ends_at=ends_at,
        significant_event=significant_event,
        authorised_by_name=authorised_by_name,
        notes=notes,
        recorded_by=by,
    )
    _answer_for_cover(abstraction, by=by, cover_override_reason=cover_override_reason)
    abstraction.save()
    _hold_for(abstraction)
    if abstraction.below_cover:
        send_abstraction_below_cover(abstraction.pk)
    return abstraction


def _answer_for_cover(abstraction, *, by, cover_override_reason) -> None:
    """Planned and leaving a ward below minimum cover: refused unless a Chief Inspector of the
    borough accepts it with a reason. Recorded after it started: flagged, never refused."""
    gaps = cover.abstraction_cover_gaps(
        abstraction.officer_id, abstraction.starts_at, abstraction.ends_at
    )
    if not gaps:
        return
    if abstraction.starts_at <= timezone.now():
        abstraction.below_cover = True
        abstraction.cover_gaps = cover.gaps_summary(gaps)
        return
    abstraction.cover_override_reason = accepted_gap(
        gaps, by=by, borough_id=abstraction.borough_id,
        cover_override_reason=cover_override_reason,
    )
    abstraction.cover_override_by = by


def _london_days(starts_at, ends_at) -> tuple[datetime.date, datetime.date]:
    """The first and last London day a period touches (one ending at midnight ends the day
    before)."""
    last = (ends_at - datetime.timedelta(microseconds=1)).astimezone(LONDON).date()
    return starts_at.astimezone(LONDON).date(), last


def _check_abstraction_period(starts_at, ends_at, abstraction_type) -> None:
    check_whole_minutes(starts_at=starts_at, ends_at=ends_at)
    if ends_at > starts_at and elapsed(starts_at, ends_at).days >= MAX_ABSTRACTION_DAYS:
        raise DomainError(
            f"An abstraction lasts at most {MAX_ABSTRACTION_DAYS} days; for longer, change the "
            "officer's posting.",
            field="ends_at",
        )
    if ends_at <= starts_at:
        raise DomainError("The abstraction must end after it starts.", field="ends_at")
    if not abstraction_type.active:
        raise DomainError(f"{abstraction_type} is no longer in use.", field="abstraction_type")


def _check_ward_team_abstraction(officer, significant_event, authorised_by_name) -> None:
    """The protocol abstracts a ward team's officer (dedicated or not) only for a significant
    event on the borough, and someone must have authorised it."""
    if not significant_event.strip():
        raise DomainError(
            f"{officer.full_name} is an officer of a ward team: the protocol allows an "
            "abstraction only for a significant event on the borough. Name it.",
            field="significant_event",
        )
    if not authorised_by_name.strip():
        raise DomainError(
            "Record who authorised abstracting an officer of a ward team.",
            field="authorised_by_name",
        )


def _hold_for(abstraction) -> None:
    """The abstraction's commitment: the database refuses it if it overlaps another."""
    try:
        with transaction.atomic():
            Commitment.objects.create(
                officer=abstraction.officer,
                abstraction=abstraction,
                starts_at=abstraction.starts_at,
                ends_at=abstraction.ends_at,
            )
    except IntegrityError:
        raise ConflictError(
            f"{abstraction.officer.full_name} was committed elsewhere over that time a moment ago.",
            field="starts_at",
            code="officer_committed",
        ) from None


def _flex_covering(officer, ward, starts_at, ends_at, flex):
    """Check `flex` is an approved flex of `officer` to `ward` covering the shift (as it stands in
    the database now, not as the caller last saw it). The row stays locked until the duty is
    saved, so a withdrawal or early end waits for it and then sees it (services.flex_withdraw)."""
    flex = FlexRequest.objects.select_for_update(of=("self",)).get(pk=flex.pk)
    if not protocol.is_authorised(flex.status):
        raise DomainError(
            f"Flex #{flex.pk} is {flex.get_status_display().lower()}, not approved.",
            field="flex_request",
        )
    if flex.to_ward_id != ward.pk:
        raise DomainError(f"Flex #{flex.pk} is to {flex.to_ward}, not {ward}.", field="worked_ward")
    if not flex.members.filter(officer=officer).exists():
        raise DomainError(
            f"{officer.full_name} is not named in flex #{flex.pk}.", field="flex_request"
        )
    last = flex.ended_on or flex.end_date
    flex_start, flex_end = day_bounds(flex.start_date, last)
    if starts_at < flex_start or starts_at >= flex_end:
        raise DomainError(
            f"The shift falls outside flex #{flex.pk} "
            f"({flex.start_date:%d %b %Y} to {last:%d %b %Y}).",
            field="flex_request",
        )


@decision
def duty_record(
    *,
    officer,
    starts_at,
    ends_at,
    by,
    kind=Duty.Kind.HOME,
    worked_ward=None,
    flex_request=None,
    abstraction=None,
    notes="",
) -> Duty:
    require_editor(by)
    check_dates(PLANNED, starts_at=starts_at, ends_at=ends_at)
    officer = lock_officers([officer.pk])[officer.pk]
    duty = duty_checked(
        officer=officer, starts_at=starts_at, ends_at=ends_at, by=by, kind=kind,
        worked_ward=worked_ward, flex_request=flex_request, abstraction=abstraction,
        notes=notes, lookups=OneDuty(),
    ).as_duty()  # fmt: skip
    _save_duty(duty)
    return duty


@dataclass(slots=True)
class DutyDraft:
    """A duty's values once checked, before it is saved: a Duty to save one at a time, or a row
    for a roster's COPY (a model instance costs more to build than the checks of its row)."""

    officer: object
    home_ward: object
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    kind: str
    worked_ward: object
    notes: str
    recorded_by: object
    flex_request: object = None
    abstraction: object = None

    def as_duty(self) -> Duty:
        return Duty(**{name: getattr(self, name) for name in self.__slots__})


class OneDuty:
    """What checking a duty looks up, for one duty: from the database, as it is asked."""

    def transfers_after(self, officer, day):
        return None  # teams.history asks the database

    def home_ward(self, officer, day):
        return selectors.home_wards([officer.pk], day).get(officer.pk)


def duty_checked(
    *, officer, starts_at, ends_at, by, kind, worked_ward, flex_request, abstraction, notes, lookups
) -> DutyDraft:
    """The duty's values, unsaved, once every rule of recording it holds (DomainError
    otherwise), for a locked `officer`. `lookups` answers the officer's transfers and home
    ward: one at a time (OneDuty) or from what a roster loaded at once (deployment.roster)."""
    check_dates(PLANNED, starts_at=starts_at, ends_at=ends_at)
    _check_lengths(Duty, notes=notes)
    _check_shift(starts_at, ends_at)
    day = starts_at.astimezone(LONDON).date()
    borough_id = borough_recording(
        officer, day, day, by=by, field="officer", later=lookups.transfers_after(officer, day)
    )
    home = _home_ward(officer, day, lookups)
    if home.borough_id != borough_id:
        raise DomainError(
            f"{officer.full_name}'s posting on {day:%d %b %Y} is not in the borough they served "
            "in then: correct the postings first.",
            field="officer",
        )
    duty = DutyDraft(officer, home, starts_at, ends_at, kind, home, notes, by)
    if kind == Duty.Kind.FLEXED:
        _as_flexed(duty, worked_ward, flex_request)
    elif kind == Duty.Kind.ABSTRACTED:
        _as_abstracted(duty, abstraction)
    return duty


def _check_shift(starts_at, ends_at) -> None:
    check_whole_minutes(starts_at=starts_at, ends_at=ends_at)
    if ends_at <= starts_at:
        raise DomainError("The shift must end after it starts.", field="ends_at")
    if elapsed(starts_at, ends_at) > datetime.timedelta(hours=MAX_SHIFT_HOURS):
        raise DomainError(f"A shift lasts at most {MAX_SHIFT_HOURS} hours.", field="ends_at")


def _home_ward(officer, on, lookups):
    """The ward the officer is posted to on the shift's day: the duty belongs to it."""
    home = lookups.home_ward(officer, on)
    if home is None:
        raise DomainError(
            f"{officer.full_name} has no ward posting on {on:%d %b %Y}: post them to a ward first.",
            field="officer",
        )
    return home


def _as_flexed(duty, worked_ward, flex_request) -> None:
    """A shift worked in another ward of the borough, under an approved flex or without one."""
    home = duty.home_ward
    if worked_ward is None or worked_ward.pk == home.pk:
        raise DomainError("Say which other ward the officer was flexed to.", field="worked_ward")
    if worked_ward.borough_id != home.borough_id:
        raise DomainError("Flexing is allowed within the borough only.", field="worked_ward")
    if flex_request is not None:
        _flex_covering(duty.officer, worked_ward, duty.starts_at, duty.ends_at, flex_request)
    duty.worked_ward, duty.flex_request = worked_ward, flex_request


def _as_abstracted(duty, abstraction) -> None:
    if abstraction is None or abstraction.officer_id != duty.officer.pk:
        raise DomainError("Link the officer's abstraction.", field="abstraction")
    if abstraction.borough_id != duty.home_ward.borough_id:
        raise DomainError(
            "Link an abstraction recorded in the borough of the shift.", field="abstraction"
        )
    if not (abstraction.starts_at < duty.ends_at and abstraction.ends_at > duty.starts_at):
        raise DomainError("The abstraction does not cover this shift.", field="abstraction")
    duty.abstraction = abstraction


def overlapping_shift(duty) -> ConflictError:
    return ConflictError(
        f"{duty.officer.full_name} already has a shift "
        f"overlapping {duty.starts_at:%d %b %Y %H:%M}.",
        field="starts_at",
        code="overlapping_shift",
    )


def _save_duty(duty) -> None:
    """Save; the database refuses a shift overlapping another of the officer's."""
    try:
        with transaction.atomic():
            duty.save()
    except IntegrityError as exc:
        if "duty_no_overlap_per_officer" in str(exc):
            raise overlapping_shift(duty) from None
        raise ConflictError("That duty conflicts with existing records.") from None
