"""Deployment workflows under the SN Deployment Protocol. Pages, the API, the admin and Celery
tasks all call these; none re-implements a rule.

Every state change of a flex request locks its row, checks the state it found, records a
FlexTransition (who, when, from, to, why) and queues notifications after the commit."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.access import EDITOR_ROLES, Role, borough_ids, has_role
from config.errors import ConflictError, DomainError
from config.timeutils import day_bounds, london_midnight
from deployment import selectors
from deployment.models import (
    HOLDING_STATUSES,
    MAX_FLEX_DAYS,
    REVIEW_AFTER_DAYS,
    Commitment,
    FlexOfficer,
    FlexRequest,
    FlexStatus,
    FlexTransition,
)
from deployment.notifications import send_decided, send_review_due, send_submitted
from teams.services import lock_officers
from wards.models import Borough

# Who may decide a flex: an Inspector or above of the borough (never the person who asked).
DECIDER_ROLES = frozenset({Role.INSPECTOR, Role.CHIEF_INSPECTOR})
# Who may accept a ward going below minimum cover.
COVER_OVERRIDE_ROLES = frozenset({Role.CHIEF_INSPECTOR})
# Who may raise a flex request.
REQUESTER_ROLES = EDITOR_ROLES

ALLOWED = {
    FlexStatus.DRAFT: {FlexStatus.SUBMITTED, FlexStatus.WITHDRAWN},
    FlexStatus.SUBMITTED: {FlexStatus.APPROVED, FlexStatus.REJECTED, FlexStatus.WITHDRAWN},
    FlexStatus.APPROVED: {FlexStatus.ACTIVE, FlexStatus.WITHDRAWN},
    FlexStatus.ACTIVE: {FlexStatus.ACTIVE, FlexStatus.ENDED},
    FlexStatus.REJECTED: set(),
    FlexStatus.WITHDRAWN: set(),
    FlexStatus.ENDED: set(),
}


def _require(user, roles, message):
    if not has_role(user, roles):
        raise PermissionDenied(message)


def _notify(send, flex_id):
    """Write the email into the outbox in this transaction (config/mail.py): it goes if and only
    if the change commits, and once."""
    send(flex_id)


# --- raising and editing -------------------------------------------------------------------


def _validate_flex(*, borough, to_ward, officers, start_date, end_date, problem, benefit):
    if to_ward.borough_id != borough.pk:
        raise DomainError(
            f"Flexing is allowed within the borough only: choose a ward of {borough.name}.",
            field="to_ward",
        )
    if end_date < start_date:
        raise DomainError("The end date must be on or after the start date.", field="end_date")
    if (end_date - start_date).days + 1 > MAX_FLEX_DAYS:
        raise DomainError(
            f"A flex lasts at most {MAX_FLEX_DAYS} days (4 weeks) under the protocol; "
            f"this one lasts {(end_date - start_date).days + 1}.",
            field="end_date",
        )
    if not officers:
        raise DomainError("Name at least one officer to flex.", field="officers")
    for officer in officers:
        if officer.borough_id != borough.pk:
            raise DomainError(
                f"{officer.full_name} is an officer of {officer.borough}: flexing is allowed "
                "within the borough only.",
                field="officers",
            )
    if not problem.strip():
        raise DomainError("Name the problem the flex is against.", field="problem")
    if not benefit.strip():
        raise DomainError("Say what benefit is expected.", field="expected_benefit")


def _set_members(flex, officers):
    homes = selectors.home_wards([o.pk for o in officers], flex.start_date)
    for officer in officers:
        home = homes.get(officer.pk)
        if home is not None and home.pk == flex.to_ward_id:
            raise DomainError(
                f"{officer.full_name}'s home ward is {home.name}: flexing moves officers to "
                "another ward.",
                field="officers",
            )
    flex.members.all().delete()
    FlexOfficer.objects.bulk_create(
        [FlexOfficer(flex_request=flex, officer=o, from_ward=homes.get(o.pk)) for o in officers]
    )


@transaction.atomic
def flex_create(
    *,
    borough,
    to_ward,
    officers,
    start_date,
    end_date,
    daily_start,
    daily_end,
    problem,
    expected_benefit,
    by,
    submit=False,
) -> FlexRequest:
    _require(by, REQUESTER_ROLES, "Your role cannot raise flex requests.")
    _validate_flex(
        borough=borough,
        to_ward=to_ward,
        officers=officers,
        start_date=start_date,
        end_date=end_date,
        problem=problem,
        benefit=expected_benefit,
    )
    flex = FlexRequest.objects.create(
        borough=borough,
        to_ward=to_ward,
        start_date=start_date,
        end_date=end_date,
        daily_start=daily_start,
        daily_end=daily_end,
        problem=problem,
        expected_benefit=expected_benefit,
        requested_by=by,
    )
    _set_members(flex, officers)
    FlexTransition.objects.create(flex_request=flex, to_status=FlexStatus.DRAFT, by=by)
    if submit:
        flex = flex_submit(flex=flex, by=by)
    return flex


@transaction.atomic
def flex_update(*, flex, by, officers=None, **fields) -> FlexRequest:
    """Change a draft. Once submitted, a request is decided as it stands."""
    _require(by, REQUESTER_ROLES, "Your role cannot edit flex requests.")
    flex = _lock(flex)
    if flex.status != FlexStatus.DRAFT:
        raise ConflictError(
            f"Only a draft can be edited; this request is {flex.get_status_display().lower()}."
        )
    for name, value in fields.items():
        setattr(flex, name, value)
    if officers is None:
        officers = [m.officer for m in flex.members.select_related("officer")]
    members = officers
    _validate_flex(
        borough=flex.borough,
        to_ward=flex.to_ward,
        officers=members,
        start_date=flex.start_date,
        end_date=flex.end_date,
        problem=flex.problem,
        benefit=flex.expected_benefit,
    )
    flex.save()
    # Always: a new ward or first day changes each officer's home ward and whether it is the
    # destination.
    _set_members(flex, officers)
    return flex


# --- transitions ---------------------------------------------------------------------------


def _lock(flex) -> FlexRequest:
    return (
        FlexRequest.objects.select_for_update(of=("self",))
        .select_related("borough", "to_ward", "requested_by", "decided_by")
        .get(pk=flex.pk)
    )


def _transition(flex, to_status, *, by, reason="") -> FlexRequest:
    if to_status not in ALLOWED[flex.status]:
        if flex.status in (FlexStatus.APPROVED, FlexStatus.REJECTED) and to_status in (
            FlexStatus.APPROVED,
            FlexStatus.REJECTED,
        ):
            who = flex.decided_by or "someone"
            raise ConflictError(
                f"This request has already been decided: {flex.get_status_display().lower()} by "
                f"{who} at {timezone.localtime(flex.decided_at):%d %b %Y %H:%M}.",
                code="already_decided",
            )
        raise ConflictError(
            f"A {flex.get_status_display().lower()} request cannot become "
            f"{FlexStatus(to_status).label.lower()}.",
            code="invalid_transition",
        )
    FlexTransition.objects.create(
        flex_request=flex, from_status=flex.status, to_status=to_status, by=by, reason=reason
    )
    flex.status = to_status
    return flex


@transaction.atomic
def flex_submit(*, flex, by) -> FlexRequest:
    _require(by, REQUESTER_ROLES, "Your role cannot submit flex requests.")
    flex = _lock(flex)
    _transition(flex, FlexStatus.SUBMITTED, by=by)
    flex.submitted_at = timezone.now()
    flex.save(update_fields=["status", "submitted_at"])
    _notify(send_submitted, flex.pk)
    return flex


def _check_of_borough(flex, by):
    ids = borough_ids(by)
    if ids is not None and flex.borough_id not in ids:
        raise PermissionDenied("Only an Inspector of the request's borough can do this.")


def _check_decider(flex, by):
    _require(by, DECIDER_ROLES, "Only an Inspector or above of the borough decides flex requests.")
    _check_of_borough(flex, by)
    if flex.requested_by_id == by.pk:
        raise PermissionDenied("You raised this request: another Inspector must decide it.")


@transaction.atomic
def flex_approve(*, flex, by, reason="", cover_override_reason="") -> FlexRequest:
    _check_decider(flex, by)
    # One approval at a time per borough: two flexes that each leave a ward at its minimum
    # must not both pass the cover check and together leave it below.
    Borough.objects.select_for_update().filter(pk=flex.borough_id).exists()
    # Officers before the request, the order duty recording takes them in (no deadlock); and
    # so that a transfer of one of them runs wholly before or after (teams.services).
    lock_officers(flex.members.values_list("officer_id", flat=True))
    flex = _lock(flex)
    _transition(flex, FlexStatus.APPROVED, by=by, reason=reason)
    _check_today_or_later(flex)
    conflicts = selectors.flex_conflicts(flex)
    if conflicts:
        raise ConflictError(" ".join(c.message for c in conflicts), code="officer_committed")
    gaps = selectors.flex_cover_gaps(flex)
    if gaps:
        _accept_cover_gap(flex, by, gaps, cover_override_reason)
    flex.decided_by, flex.decided_at, flex.decision_reason = by, timezone.now(), reason
    flex.review_due = flex.start_date + datetime.timedelta(days=REVIEW_AFTER_DAYS)
    flex.save()
    _hold_officers(flex)
    if flex.start_date <= timezone.localdate():
        _transition(flex, FlexStatus.ACTIVE, by=by, reason="Started on approval.")
        flex.save(update_fields=["status"])
    _notify(send_decided, flex.pk)
    return flex


def _check_today_or_later(flex):
    if flex.end_date < timezone.localdate():
        raise ConflictError("This flex would already be over: it cannot be approved.")


def _accept_cover_gap(flex, by, gaps, cover_override_reason):
    first = gaps[0]
    summary = f"{first.message} ({len(gaps)} ward-day(s) below minimum in all.)"
    if not has_role(by, COVER_OVERRIDE_ROLES):
        raise ConflictError(
            f"Approving would leave a ward below minimum dedicated cover: {summary} "
            "Only a Chief Inspector can accept that, recording why.",
            code="below_minimum_cover",
        )
    if not cover_override_reason.strip():
        raise DomainError(
            f"{summary} Record why you accept the gap.",
            field="cover_override_reason",
            code="below_minimum_cover",
        )
    flex.cover_override_reason = cover_override_reason


def _hold_officers(flex):
    starts_at, ends_at = day_bounds(flex.start_date, flex.end_date)
    try:
        with transaction.atomic():
            Commitment.objects.bulk_create(
                [
                    Commitment(
                        officer_id=m.officer_id,
                        flex_request=flex,
                        starts_at=starts_at,
                        ends_at=ends_at,
                    )
                    for m in flex.members.all()
                ]
            )
    except IntegrityError:
        # A commitment made by a concurrent transaction since we looked.
        raise ConflictError(
            "An officer in this request was committed elsewhere a moment ago; reload and "
            "check conflicts.",
            code="officer_committed",
        ) from None


@transaction.atomic
def flex_reject(*, flex, by, reason) -> FlexRequest:
    _check_decider(flex, by)
    if not (reason or "").strip():
        raise DomainError("Give the reason for refusing.", field="reason")
    flex = _lock(flex)
    _transition(flex, FlexStatus.REJECTED, by=by, reason=reason)
    flex.decided_by, flex.decided_at, flex.decision_reason = by, timezone.now(), reason
    flex.save()
    _notify(send_decided, flex.pk)
    return flex


@transaction.atomic
def flex_withdraw(*, flex, by, reason="") -> FlexRequest:
    flex = _lock(flex)
    if flex.requested_by_id != by.pk:
        _require(by, DECIDER_ROLES, "Only the requester or an Inspector can withdraw a request.")
        _check_of_borough(flex, by)
    if flex.duties.exists():
        raise ConflictError(
            f"Duties are already recorded against flex #{flex.pk}, so it cannot be withdrawn. "
            "Once it has started, an Inspector can end it.",
            code="flex_has_duties",
        )
    _transition(flex, FlexStatus.WITHDRAWN, by=by, reason=reason)
    flex.save(update_fields=["status"])
    flex.commitments.all().delete()
    return flex


def _start_if_due(flex, by) -> None:
    """An approved flex whose first day has come is running, even before the daily job marks
    it so: start it now, so that it can be reviewed or ended today."""
    if flex.status == FlexStatus.APPROVED and flex.start_date <= timezone.localdate():
        _transition(flex, FlexStatus.ACTIVE, by=by, reason="Started: its first day had come.")
        flex.save(update_fields=["status"])


@transaction.atomic
def flex_end(*, flex, by, reason, on=None) -> FlexRequest:
    """End an active flex early (the officers return after `on`) or on its end date."""
    flex = _lock(flex)
    on = on or timezone.localdate()
    if by is not None:
        _require(by, DECIDER_ROLES, "Only an Inspector or above ends a flex.")
        _check_of_borough(flex, by)
    _start_if_due(flex, by)
    _transition(flex, FlexStatus.ENDED, by=by, reason=reason)
    if on < flex.start_date:
        raise DomainError("A flex cannot end before it started.", field="on")
    later = (
        flex.duties.filter(starts_at__gte=london_midnight(on + datetime.timedelta(days=1)))
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    if later is not None:
        raise DomainError(
            f"Duties are recorded under flex #{flex.pk} until "
            f"{timezone.localtime(later):%d %B %Y}: end it on that day or later.",
            field="on",
        )
    flex.ended_on = min(on, flex.end_date)
    flex.save(update_fields=["status", "ended_on"])
    _, new_end = day_bounds(flex.ended_on, flex.ended_on)
    flex.commitments.filter(ends_at__gt=new_end).update(ends_at=new_end)
    return flex


@transaction.atomic
def flex_review(*, flex, by, decision, reason="") -> FlexRequest:
    """The 14-day review at the borough's tasking meeting: continue or end."""
    _require(by, DECIDER_ROLES, "Only an Inspector or above reviews a flex.")
    if decision not in ("continue", "end"):
        raise DomainError("Choose continue or end.", field="decision")
    locked = _lock(flex)
    _check_of_borough(locked, by)
    _start_if_due(locked, by)
    if locked.status != FlexStatus.ACTIVE:
        raise ConflictError("Only an active flex is reviewed.", code="invalid_transition")
    locked.last_reviewed_at = timezone.now()
    locked.save(update_fields=["last_reviewed_at"])
    if decision == "end":
        return flex_end(flex=locked, by=by, reason=reason or "Ended at review.")
    _transition(locked, FlexStatus.ACTIVE, by=by, reason=reason or "Reviewed: continue.")
    return locked


# --- daily housekeeping (Celery beat) ------------------------------------------------------


def flex_daily_housekeeping(today=None) -> dict:
    """Start approved flexes whose first day has come, end active ones past their last day, and
    return the ids whose review reminder is due and now claimed (each is sent once)."""
    today = today or timezone.localdate()
    started = ended = 0
    for pk in FlexRequest.objects.filter(
        status=FlexStatus.APPROVED, start_date__lte=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            flex = _lock(FlexRequest(pk=pk))
            if flex.status == FlexStatus.APPROVED:
                _transition(flex, FlexStatus.ACTIVE, by=None, reason="Start date reached.")
                flex.save(update_fields=["status"])
                started += 1
    for flex in FlexRequest.objects.filter(status=FlexStatus.ACTIVE, end_date__lt=today):
        try:
            flex_end(flex=flex, by=None, reason="End date reached.", on=flex.end_date)
            ended += 1
        except ConflictError:
            pass  # ended by someone else meanwhile
    due = [
        pk
        for pk in FlexRequest.objects.filter(
            status=FlexStatus.ACTIVE,
            review_due__lte=today,
            last_reviewed_at__isnull=True,
            review_reminded_at__isnull=True,
        ).values_list("pk", flat=True)
        if _remind_of_review(pk)
    ]
    return {"started": started, "ended": ended, "reviews_due": due}


@transaction.atomic
def _remind_of_review(flex_id) -> bool:
    """Claim the reminder and write its email in one transaction: neither without the other."""
    if not claim_review_reminder(flex_id):
        return False
    _notify(send_review_due, flex_id)
    return True


def claim_review_reminder(flex_id) -> bool:
    """Claim the one review reminder of a flex with a conditional UPDATE: of two runs (or a
    retried task) only one gets True and sends it."""
    return bool(
        FlexRequest.objects.filter(pk=flex_id, review_reminded_at__isnull=True).update(
            review_reminded_at=timezone.now()
        )
    )


def holding(flex) -> bool:
    return flex.status in HOLDING_STATUSES


def cover_minimum_text() -> str:
    return (
        f"{settings.WARD_MIN_DEDICATED_PCS} dedicated PCs and "
        f"{settings.WARD_MIN_DEDICATED_PCSOS} dedicated PCSO"
    )
