"""What every flex workflow shares (deployment.services, deployment.flex_review and the daily
job): the states a request may move between, locking it, recording each step on its timeline,
holding its officers, and the cover check a decision runs."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import ConflictError, DomainError
from config.timeutils import day_bounds
from deployment import cover
from deployment import flex_permissions as perms
from deployment.models import Commitment, FlexRequest, FlexStatus, FlexTransition
from teams.history import require_served_in

Step = FlexTransition.Step

ALLOWED = {
    FlexStatus.DRAFT: {FlexStatus.SUBMITTED, FlexStatus.WITHDRAWN},
    FlexStatus.SUBMITTED: {FlexStatus.APPROVED, FlexStatus.REJECTED, FlexStatus.WITHDRAWN},
    FlexStatus.APPROVED: {FlexStatus.ACTIVE, FlexStatus.WITHDRAWN},
    FlexStatus.ACTIVE: {FlexStatus.ACTIVE, FlexStatus.ENDED},
    FlexStatus.REJECTED: set(),
    FlexStatus.WITHDRAWN: set(),
    FlexStatus.ENDED: set(),
}


def refuse(refusal: str | None) -> None:
    if refusal:
        raise PermissionDenied(refusal)


def refuse_outside_borough(borough, officers, first, last) -> None:
    """The borough rule of a flex: each officer belongs to `borough` and served in it on every
    day from `first` to `last` (teams.history). Raising or editing a request asks it, and so do
    approving it and approving a change to it, of the officers as they stand then (locked): one
    transferred since is refused by name. The refusal names no other borough: it may be one the
    reader cannot see."""
    for officer in officers:
        if officer.borough_id != borough.pk:
            raise DomainError(
                f"{officer.full_name} is not an officer of {borough.name}: flexing is allowed "
                "within the borough only.",
                field="officers",
                code="not_of_borough",
            )
        require_served_in(officer, borough, first, last, field="officers")


def lock(flex) -> FlexRequest:
    """The request, locked for this transaction, with what its messages name joined in."""
    return (
        FlexRequest.objects.select_for_update(of=("self",))
        .select_related("borough", "to_ward", "requested_by", "decided_by")
        .get(pk=flex.pk)
    )


def check_transition(flex, to_status) -> None:
    """Refuse a move the request's state does not allow, saying why."""
    if to_status in ALLOWED[flex.status]:
        return
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


def transition(flex, to_status, *, by, reason="", step=Step.STATUS) -> FlexRequest:
    """Move the request to `to_status` (the caller saves it) and record the step."""
    check_transition(flex, to_status)
    FlexTransition.objects.create(
        flex_request=flex, from_status=flex.status, to_status=to_status, by=by, reason=reason,
        step=step,
    )
    flex.status = to_status
    return flex


def record_step(flex, step, *, by, reason="") -> None:
    """A step that leaves the request's state as it is (an edit, a review, a change decided)."""
    FlexTransition.objects.create(
        flex_request=flex, from_status=flex.status, to_status=flex.status, by=by, reason=reason,
        step=step,
    )


def start_if_due(flex, by) -> None:
    """An approved flex whose first day has come is running, even before the daily job marks
    it so: start it now, so that it can be reviewed, changed or ended today."""
    if flex.status == FlexStatus.APPROVED and flex.start_date <= timezone.localdate():
        transition(flex, FlexStatus.ACTIVE, by=by, reason="Started: its first day had come.")
        flex.save(update_fields=["status"])


def accepted_gap(gaps, *, by, borough_id, cover_override_reason) -> str:
    """The Chief Inspector's reason for accepting `gaps` (ward-days below minimum cover), or the
    refusal: only a Chief Inspector of the borough, by rank, accepts them, and says why. Returns
    "" when there is no gap."""
    if not gaps:
        return ""
    summary = cover.gaps_summary(gaps)
    if perms.refusal_to_accept_gap(by, borough_id):
        raise ConflictError(
            f"This would leave a ward below minimum dedicated cover: {summary} "
            "Only a Chief Inspector can accept that, recording why.",
            code="below_minimum_cover",
        )
    reason = (cover_override_reason or "").strip()
    if not reason:
        raise DomainError(
            f"{summary} Record why you accept the gap.",
            field="cover_override_reason",
            code="below_minimum_cover",
        )
    return reason


def why_with_cover(reason, override, gaps) -> str:
    """The timeline's "why" of a decision, with the Chief Inspector's reason for accepting a
    ward below minimum cover when there was one."""
    parts = [reason.strip()] if reason and reason.strip() else []
    if override:
        parts.append(
            f"Below minimum cover accepted: {override} ({cover.gaps_summary(gaps)})"
        )
    return "\n".join(parts)


def hold(flex, officer_days) -> None:
    """Commitments holding each officer over their days of the flex ({officer id: (first day,
    last day)}); the database refuses one overlapping another."""
    rows = []
    for officer_id, (first, last) in officer_days.items():
        starts_at, ends_at = day_bounds(first, last)
        rows.append(
            Commitment(officer_id=officer_id, flex_request=flex, starts_at=starts_at,
                       ends_at=ends_at)
        )
    try:
        with transaction.atomic():
            Commitment.objects.bulk_create(rows)
    except IntegrityError:
        # A commitment made by a concurrent transaction since we looked.
        raise ConflictError(
            "An officer in this request was committed elsewhere a moment ago; reload and "
            "check conflicts.",
            code="officer_committed",
        ) from None
