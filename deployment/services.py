"""Flex request workflows under the SN Deployment Protocol. Pages, the API, the admin and Celery
tasks all call these; none re-implements a rule. (Duties and abstractions: deployment.duties;
rosters: deployment.roster.)

Every state change of a flex request locks its row, checks the state it found, records a
FlexTransition (who, when, from, to, why) and queues notifications after the commit.

`next_actions(flex, user, today)` says what may happen next to a request, who may do it and, when
this user may not, why: the pages, the API and the inspector's queue show exactly that, and the
services refuse with the same reasons (deployment.flex_permissions)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.access import Role, has_role
from config.errors import ConflictError, DomainError
from config.limits import PLANNED, check_dates
from config.timeutils import day_bounds, london_midnight
from deployment import cover, protocol, selectors
from deployment import flex_permissions as perms
from deployment.flex_permissions import (
    COVER_OVERRIDE_ROLES,
    DECIDER_ROLES,
    REQUESTER_ROLES,
)
from deployment.models import (
    Commitment,
    FlexOfficer,
    FlexRequest,
    FlexStatus,
    FlexTransition,
)
from deployment.notifications import send_decided, send_submitted
from teams.history import require_served_in
from teams.services import lock_officers
from wards.models import Borough

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


def _refuse(refusal: str | None) -> None:
    if refusal:
        raise PermissionDenied(refusal)


def _notify(send, flex_id):
    """Write the email into the outbox in this transaction (config/mail.py): it goes if and only
    if the change commits, and once."""
    send(flex_id)


# --- raising and editing -------------------------------------------------------------------


def _validate_flex(*, borough, to_ward, officers, start_date, end_date, problem, benefit):
    check_dates(PLANNED, start_date=start_date, end_date=end_date)
    if to_ward.borough_id != borough.pk:
        raise DomainError(
            f"Flexing is allowed within the borough only: choose a ward of {borough.name}.",
            field="to_ward",
        )
    if end_date < start_date:
        raise DomainError("The end date must be on or after the start date.", field="end_date")
    if (end_date - start_date).days + 1 > protocol.MAX_FLEX_DAYS:
        raise DomainError(
            f"A flex lasts at most {protocol.MAX_FLEX_DAYS} days "
            f"({protocol.MAX_FLEX_DAYS // 7} weeks) under the protocol; "
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
        require_served_in(officer, borough, start_date, end_date, field="officers")
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
    _refuse(perms.refusal_to_raise(by, "raise"))
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
    _refuse(perms.refusal_to_raise(by, "edit"))
    flex = lock(flex)
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


def lock(flex) -> FlexRequest:
    """The request, locked for this transaction, with what its messages name joined in."""
    return (
        FlexRequest.objects.select_for_update(of=("self",))
        .select_related("borough", "to_ward", "requested_by", "decided_by")
        .get(pk=flex.pk)
    )


def transition(flex, to_status, *, by, reason="") -> FlexRequest:
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
    _refuse(perms.refusal_to_raise(by, "submit"))
    flex = lock(flex)
    transition(flex, FlexStatus.SUBMITTED, by=by)
    flex.submitted_at = timezone.now()
    flex.save(update_fields=["status", "submitted_at"])
    _notify(send_submitted, flex.pk)
    return flex


def _check_of_borough(flex, by):
    _refuse(perms.refusal_of_borough(flex, by))


def _check_decider(flex, by):
    _refuse(perms.refusal_to_decide(flex, by))


@transaction.atomic
def flex_approve(*, flex, by, reason="", cover_override_reason="") -> FlexRequest:
    _check_decider(flex, by)
    # One approval at a time per borough: two flexes that each leave a ward at its minimum
    # must not both pass the cover check and together leave it below.
    Borough.objects.select_for_update().filter(pk=flex.borough_id).exists()
    # Officers before the request, the order duty recording takes them in (no deadlock); and
    # so that a transfer of one of them runs wholly before or after (teams.services).
    lock_officers(flex.members.values_list("officer_id", flat=True))
    flex = lock(flex)
    transition(flex, FlexStatus.APPROVED, by=by, reason=reason)
    _check_today_or_later(flex)
    conflicts = selectors.flex_conflicts(flex)
    if conflicts:
        raise ConflictError(" ".join(c.message for c in conflicts), code="officer_committed")
    gaps = cover.flex_cover_gaps(flex)
    if gaps:
        _accept_cover_gap(flex, by, gaps, cover_override_reason)
    flex.decided_by, flex.decided_at, flex.decision_reason = by, timezone.now(), reason
    flex.review_due = protocol.review_day(flex.start_date)
    flex.save()
    _hold_officers(flex)
    if flex.start_date <= timezone.localdate():
        transition(flex, FlexStatus.ACTIVE, by=by, reason="Started on approval.")
        flex.save(update_fields=["status"])
    _notify(send_decided, flex.pk)
    return flex


def _check_today_or_later(flex):
    if over := perms.refusal_over(flex, timezone.localdate()):
        raise ConflictError(over)


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
    flex = lock(flex)
    transition(flex, FlexStatus.REJECTED, by=by, reason=reason)
    flex.decided_by, flex.decided_at, flex.decision_reason = by, timezone.now(), reason
    flex.save()
    _notify(send_decided, flex.pk)
    return flex


@transaction.atomic
def flex_withdraw(*, flex, by, reason="") -> FlexRequest:
    flex = lock(flex)
    _refuse(perms.refusal_to_withdraw(flex, by))
    if has_duties := perms.refusal_has_duties(flex):
        raise ConflictError(has_duties, code="flex_has_duties")
    transition(flex, FlexStatus.WITHDRAWN, by=by, reason=reason)
    flex.save(update_fields=["status"])
    flex.commitments.all().delete()
    return flex


def _start_if_due(flex, by) -> None:
    """An approved flex whose first day has come is running, even before the daily job marks
    it so: start it now, so that it can be reviewed or ended today."""
    if flex.status == FlexStatus.APPROVED and flex.start_date <= timezone.localdate():
        transition(flex, FlexStatus.ACTIVE, by=by, reason="Started: its first day had come.")
        flex.save(update_fields=["status"])


@transaction.atomic
def flex_end(*, flex, by, reason, on=None) -> FlexRequest:
    """End an active flex early (the officers return after `on`) or on its end date."""
    flex = lock(flex)
    on = on or timezone.localdate()
    if by is not None:
        _require(by, DECIDER_ROLES, "Only an Inspector or above ends a flex.")
        _check_of_borough(flex, by)
    _start_if_due(flex, by)
    transition(flex, FlexStatus.ENDED, by=by, reason=reason)
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
    """The protocol's review at the borough's tasking meeting: continue or end."""
    if not has_role(by, DECIDER_ROLES):
        _refuse(perms.refusal_to_review(flex, by))
    if decision not in ("continue", "end"):
        raise DomainError("Choose continue or end.", field="decision")
    locked = lock(flex)
    _refuse(perms.refusal_to_review(locked, by))
    _start_if_due(locked, by)
    if locked.status != FlexStatus.ACTIVE:
        raise ConflictError("Only an active flex is reviewed.", code="invalid_transition")
    locked.last_reviewed_at = timezone.now()
    locked.save(update_fields=["last_reviewed_at"])
    if decision == "end":
        return flex_end(flex=locked, by=by, reason=reason or "Ended at review.")
    transition(locked, FlexStatus.ACTIVE, by=by, reason=reason or "Reviewed: continue.")
    return locked


# --- what may happen next ----------------------------------------------------------------------


@dataclass(frozen=True)
class NextAction:
    """Something that may happen next to a flex request: which (`name`), who may do it, and,
    when the user asked about may not do it now, why (`why_not`)."""

    name: str  # edit, submit, approve, reject, review or withdraw
    label: str
    who: str
    why_not: str = ""

    @property
    def allowed(self) -> bool:
        return not self.why_not


def _roles_text(roles) -> str:
    labels = [label for value, label in Role.choices if value in roles]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def _who(name, flex) -> str:
    borough = flex.borough.name
    deciders = _roles_text(DECIDER_ROLES)
    return {
        "edit": f"{_roles_text(REQUESTER_ROLES)} of {borough}",
        "submit": f"{_roles_text(REQUESTER_ROLES)} of {borough}",
        "approve": f"{deciders} of {borough} who did not raise it",
        "reject": f"{deciders} of {borough} who did not raise it",
        "review": f"{deciders} of {borough}",
        "withdraw": f"Whoever raised it, or a {deciders} of {borough}",
    }[name]


ACTION_LABELS = {
    "edit": "Change the request",
    "submit": "Submit for a decision",
    "approve": "Approve",
    "reject": "Refuse",
    "review": "Record the review",
    "withdraw": "Withdraw the request",
}


def _possible(flex, today) -> list[str]:
    """The actions the request's state allows, whoever asks."""
    started = flex.status == FlexStatus.ACTIVE or (
        flex.status == FlexStatus.APPROVED and flex.start_date <= today
    )
    return {
        FlexStatus.DRAFT: ["edit", "submit", "withdraw"],
        FlexStatus.SUBMITTED: ["approve", "reject", "withdraw"],
        FlexStatus.APPROVED: ["review", "withdraw"] if started else ["withdraw"],
        FlexStatus.ACTIVE: ["review"],
    }.get(flex.status, [])


def _why_not(name, flex, user, today) -> str | None:
    if name in ("edit", "submit"):
        return perms.refusal_to_raise(user, name)
    if name in ("approve", "reject"):
        refusal = perms.refusal_to_decide(flex, user)
        return refusal or (perms.refusal_over(flex, today) if name == "approve" else None)
    if name == "review":
        return perms.refusal_to_review(flex, user)
    refusal = perms.refusal_to_withdraw(flex, user)
    if refusal or flex.status != FlexStatus.APPROVED:
        return refusal
    # Only an approved flex can have duties and still be withdrawable.
    return perms.refusal_has_duties(flex)


def next_actions(flex, user, today: datetime.date | None = None) -> list[NextAction]:
    """What may happen next to `flex`: each action its state allows, who may take it, and why
    `user` may not (empty when they may). At most one query (an approved flex's duties).
    The services still have the last word: two people may act at once."""
    today = today or timezone.localdate()
    return [
        NextAction(name, ACTION_LABELS[name], _who(name, flex), _why_not(name, flex, user, today)
                   or "")
        for name in _possible(flex, today)
    ]
