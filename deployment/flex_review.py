"""A running flex under the protocol: its review at the borough's tasking meeting, a change the
meeting proposes and its decision, and its end (early, at the review, or on its last day).

- The review is held from its due day (start + REVIEW_AFTER_DAYS), never before, and records
  the meeting's decision: continue, change or end.
- A change (a new last day, other daily hours, officers added or released) is proposed at the
  review and decided like a request: by an Inspector or above of the borough other than whoever
  proposed it, with the approval rules run again over what it changes (officers free, every
  ward-day at minimum cover or a Chief Inspector's reason). Approved, it applies from the day
  after the decision; a flex that ends first lets it lapse.
- Ending early needs an Inspector or above of the borough; the daily job ends a flex on its last
  day (by=None)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from config import transactions
from config.errors import ConflictError, DomainError
from config.limits import PLANNED, check_dates
from config.timeutils import check_whole_minutes, dates_between, day_bounds, london_midnight
from deployment import cover, protocol, selectors
from deployment import flex_permissions as perms
from deployment.locks import lock_for_cover_decision
from deployment.models import FlexChange, FlexOfficer, FlexStatus, FlexTransition
from deployment.notifications import send_change_decided, send_change_proposed
from deployment.workflow import (
    accepted_gap,
    hold,
    lock,
    record_step,
    refuse,
    refuse_outside_borough,
    start_if_due,
    transition,
    why_with_cover,
)

Step = FlexTransition.Step
REVIEW_DECISIONS = ("continue", "change", "end")


# --- ending ----------------------------------------------------------------------------------


@transactions.decision
def flex_end(*, flex, by, reason, on=None, step=Step.STATUS):
    """End an active flex early (the officers return after `on`) or on its end date."""
    flex = lock(flex)
    on = on or timezone.localdate()
    if by is not None:
        refuse(perms.refusal_to_end(flex, by))
    start_if_due(flex, by)
    if on < flex.start_date:
        raise DomainError("A flex cannot end before it started.", field="on")
    _check_no_duties_after(flex, on, field="on")
    lapsed = flex.changes.filter(status=FlexChange.Status.PROPOSED).update(
        status=FlexChange.Status.LAPSED
    )
    if lapsed:
        reason = f"{reason}\nThe change proposed at the review lapsed."
    transition(flex, FlexStatus.ENDED, by=by, reason=reason, step=step)
    flex.ended_on = min(on, flex.end_date)
    flex.save(update_fields=["status", "ended_on"])
    _, new_end = day_bounds(flex.ended_on, flex.ended_on)
    flex.commitments.filter(ends_at__gt=new_end).update(ends_at=new_end)
    return flex


def _check_no_duties_after(flex, last_day, *, field, officer_ids=None) -> None:
    """No duty is recorded under the flex after `last_day` (for `officer_ids`, or anyone)."""
    after = london_midnight(last_day + datetime.timedelta(days=1))
    later = flex.duties.filter(starts_at__gte=after)
    if officer_ids is not None:
        later = later.filter(officer_id__in=officer_ids)
    latest = later.order_by("-starts_at").values_list("starts_at", flat=True).first()
    if latest is not None:
        raise DomainError(
            f"Duties are recorded under flex #{flex.pk} until "
            f"{timezone.localtime(latest):%d %B %Y}: end it on that day or later.",
            field=field,
        )


# --- the review ------------------------------------------------------------------------------


@transactions.decision
def flex_review(*, flex, by, decision, reason="", change=None):
    """The protocol's review at the borough's tasking meeting, from its due day: `continue`,
    `change` (with `change`: end_date, daily_start, daily_end, officers; decided later by
    another Inspector) or `end` now."""
    if decision not in REVIEW_DECISIONS:
        raise DomainError("Choose continue, change or end.", field="decision")
    today = timezone.localdate()
    refuse(perms.refusal_of_authority(flex, by, "review a flex"))
    locked = lock(flex)
    start_if_due(locked, by)
    if locked.status != FlexStatus.ACTIVE:
        raise ConflictError("Only a running flex is reviewed.", code="invalid_transition")
    if not_yet := perms.refusal_before_review_day(locked, today):
        raise ConflictError(not_yet, code="review_not_due")
    locked.last_reviewed_at = timezone.now()
    locked.save(update_fields=["last_reviewed_at"])
    if decision == "end":
        return flex_end(
            flex=locked, by=by, reason=reason or "Ended at the review.", step=Step.REVIEW_END
        )
    if decision == "change":
        return _propose_change(locked, by=by, reason=reason, **(change or {}))
    record_step(locked, Step.REVIEW_CONTINUE, by=by, reason=reason or "Reviewed: continue.")
    return locked


def _propose_change(flex, *, by, reason, end_date=None, daily_start=None, daily_end=None,
                    officers=None):
    if not (reason or "").strip():
        raise DomainError("Say why the meeting wants the change.", field="reason")
    check_whole_minutes(daily_start=daily_start, daily_end=daily_end)
    check_dates(PLANNED, end_date=end_date)
    if flex.changes.filter(status=FlexChange.Status.PROPOSED).exists():
        raise ConflictError(
            "A change proposed at an earlier review still waits for a decision.",
            code="change_pending",
        )
    change = FlexChange(
        flex_request=flex,
        end_date=end_date or flex.end_date,
        daily_start=daily_start or flex.daily_start,
        daily_end=daily_end or flex.daily_end,
        reason=reason.strip(),
        proposed_by=by,
    )
    serving = [m.officer for m in _serving(flex, timezone.localdate() + datetime.timedelta(days=1))]
    officers = serving if officers is None else list(officers)
    _check_change(flex, change, officers)
    change.save()
    change.officers.set(officers)
    what = describe(flex, change, officers)
    record_step(flex, Step.REVIEW_CHANGE, by=by, reason=f"{change.reason}\n{what}")
    send_change_proposed(change.pk)
    return flex


def _serving(flex, on) -> list[FlexOfficer]:
    """The members still serving on `on` (not released before it)."""
    return list(
        flex.members.filter(Q(last_day__isnull=True) | Q(last_day__gte=on)).select_related(
            "officer"
        )
    )


def _check_change(flex, change, officers) -> None:
    """A change keeps the flex's rules: at least one officer of the borough, a last day from
    today to MAX_FLEX_DAYS after its first day, and something actually changed."""
    today = timezone.localdate()
    if change.end_date < today:
        raise DomainError("The new last day cannot be in the past.", field="end_date")
    if (change.end_date - flex.start_date).days + 1 > protocol.MAX_FLEX_DAYS:
        raise DomainError(
            f"A flex lasts at most {protocol.MAX_FLEX_DAYS} days from its first day "
            f"({flex.start_date:%d %B %Y}), changes included.",
            field="end_date",
        )
    if not officers:
        raise DomainError("Keep at least one officer, or end the flex.", field="officers")
    tomorrow = today + datetime.timedelta(days=1)
    _check_officers(flex, change, officers, tomorrow)
    serving = {m.officer_id for m in _serving(flex, tomorrow)}
    released = set(flex.members.values_list("officer_id", flat=True)) - serving
    if rejoining := [o for o in officers if o.pk in released]:
        raise DomainError(
            f"{rejoining[0].full_name} was released from this flex: raise a new request.",
            field="officers",
        )
    same = (change.end_date, change.daily_start, change.daily_end) == (
        flex.end_date, flex.daily_start, flex.daily_end
    )
    if same and {o.pk for o in officers} == serving:
        raise DomainError(
            "The change changes nothing: choose continue, or change the last day, the daily "
            "hours or the officers.",
            field="decision",
        )


def describe(flex, change, officers) -> str:
    """What a change does, in a sentence for the timeline and the emails."""
    parts = []
    if change.end_date != flex.end_date:
        parts.append(f"last day {flex.end_date:%d %b} → {change.end_date:%d %b %Y}")
    if (change.daily_start, change.daily_end) != (flex.daily_start, flex.daily_end):
        parts.append(f"daily hours {change.daily_start:%H:%M}–{change.daily_end:%H:%M}")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    serving = {m.officer_id: m.officer for m in _serving(flex, tomorrow)}
    added = [o.full_name for o in officers if o.pk not in serving]
    kept = {o.pk for o in officers}
    released = [o.full_name for pk, o in serving.items() if pk not in kept]
    if added:
        parts.append("adds " + ", ".join(added))
    if released:
        parts.append("releases " + ", ".join(released))
    return "Change: " + "; ".join(parts) + "."


# --- deciding a change -----------------------------------------------------------------------


def pending_change(flex) -> FlexChange | None:
    """The change waiting for a decision (prefetch `changes` to read many without a query)."""
    return next((c for c in flex.changes.all() if c.status == FlexChange.Status.PROPOSED), None)


def _locked_change(flex, by, check):
    """The flex, its pending change and every officer it names, locked in the one order (the
    borough's cover, officers, the flex, the change); `check(change, flex, by)` refuses first."""
    change = FlexChange.objects.filter(
        flex_request=flex, status=FlexChange.Status.PROPOSED
    ).first()
    if change is None:
        raise ConflictError("No change waits for a decision.", code="no_change")
    refuse(check(change, flex, by))
    officer_ids = set(flex.members.values_list("officer_id", flat=True))
    officer_ids |= set(change.officers.values_list("pk", flat=True))
    lock_for_cover_decision(flex.borough_id, officer_ids)
    flex = lock(flex)
    change = FlexChange.objects.select_for_update().get(pk=change.pk)
    if change.status != FlexChange.Status.PROPOSED:
        raise ConflictError(
            f"This change has already been {change.get_status_display().lower()}.",
            code="already_decided",
        )
    start_if_due(flex, by)
    if flex.status != FlexStatus.ACTIVE:
        raise ConflictError("Only a running flex is changed.", code="invalid_transition")
    return flex, change


@transactions.decision
def flex_change_reject(*, flex, by, reason):
    if not (reason or "").strip():
        raise DomainError("Give the reason for refusing.", field="reason")
    flex, change = _locked_change(flex, by, perms.refusal_to_decide_change)
    change.status = FlexChange.Status.REJECTED
    change.decided_by, change.decided_at, change.decision_reason = by, timezone.now(), reason
    change.save()
    record_step(flex, Step.CHANGE_REJECT, by=by, reason=reason)
    send_change_decided(change.pk)
    return flex


@transactions.decision
def flex_change_approve(*, flex, by, reason="", cover_override_reason=""):
    """Approve the change proposed at the review, running the approval rules again over what it
    adds (officers and days), and apply it from tomorrow."""
    flex, change = _locked_change(flex, by, perms.refusal_to_decide_change)
    officers = list(change.officers.all())
    _check_change_still(flex, change, officers)
    plan = _plan(flex, change, officers)
    _check_plan(flex, change, plan)
    after = cover.FlexAway(
        tuple(o.pk for o in officers), plan.effective, change.end_date, change.daily_start,
        change.daily_end,
    )
    gaps = cover.change_cover_gaps(flex, list(flex.members.all()), after)
    override = accepted_gap(
        gaps, by=by, borough_id=flex.borough_id, cover_override_reason=cover_override_reason
    )
    why = why_with_cover(reason, override, gaps)
    what = describe(flex, change, officers)
    _apply(flex, change, plan)
    change.status = FlexChange.Status.APPROVED
    change.decided_by, change.decided_at = by, timezone.now()
    change.decision_reason, change.cover_override_reason = reason, override
    change.save()
    record_step(flex, Step.CHANGE_APPROVE, by=by, reason="\n".join(filter(None, [what, why])))
    send_change_decided(change.pk)
    return flex


def _check_change_still(flex, change, officers) -> None:
    """What was checked when the change was proposed, checked again as things stand now."""
    today = timezone.localdate()
    if change.end_date < today:
        raise ConflictError("The change's last day has passed: refuse it.", code="change_over")
    _check_officers(flex, change, officers, today + datetime.timedelta(days=1))


def _check_officers(flex, change, officers, tomorrow) -> None:
    """The change's officers are active, and of the flex's borough over the days it applies to
    (from tomorrow, or the flex's first day if later, to its last day: the borough rule of a
    flex, deployment.workflow)."""
    for officer in officers:
        if not officer.active:
            raise DomainError(f"{officer.full_name} is not an active officer.", field="officers")
    first = max(tomorrow, flex.start_date)
    refuse_outside_borough(flex.borough, officers, first, max(first, change.end_date))


@dataclass(frozen=True)
class _Plan:
    """What approving a change does, from `effective` (tomorrow): who is released, who joins,
    who stays, the officer-days away it makes and the home ward of each officer joining."""

    effective: datetime.date
    released: list
    added: list
    kept: list
    away: dict
    homes: dict


def _plan(flex, change, officers) -> _Plan:
    effective = timezone.localdate() + datetime.timedelta(days=1)
    serving = {m.officer_id: m for m in _serving(flex, effective)}
    wanted = {o.pk for o in officers}
    released = [m for pk, m in serving.items() if pk not in wanted]
    added = [o for o in officers if o.pk not in serving]
    kept = [m for pk, m in serving.items() if pk in wanted]
    days = set(dates_between(effective, change.end_date))
    away = {o.pk: days for o in officers}
    homes = selectors.home_wards([o.pk for o in added], effective)
    return _Plan(effective, released, added, kept, away, homes)


def _check_plan(flex, change, plan) -> None:
    """Officers joining are not at home in the destination and not held elsewhere; no duty is
    recorded under the flex after an officer's new last day."""
    for officer in plan.added:
        home = plan.homes.get(officer.pk)
        if home is not None and home.pk == flex.to_ward_id:
            raise DomainError(
                f"{officer.full_name}'s home ward is {home.name}: flexing moves officers to "
                "another ward.",
                field="officers",
            )
    if plan.released:
        _check_no_duties_after(
            flex, plan.effective - datetime.timedelta(days=1), field="officers",
            officer_ids=[m.officer_id for m in plan.released],
        )
    _check_no_duties_after(flex, change.end_date, field="end_date")
    if change.end_date < plan.effective:
        return
    starts_at, ends_at = day_bounds(plan.effective, change.end_date)
    conflicts = selectors.commitment_conflicts(
        list(plan.away), starts_at, ends_at, exclude_flex=flex
    )
    if conflicts:
        raise ConflictError(" ".join(c.message for c in conflicts), code="officer_committed")


def _apply(flex, change, plan) -> None:
    """Release, add and keep officers from `effective`, and move the flex's last day."""
    last_today = plan.effective - datetime.timedelta(days=1)
    _, end_of_today = day_bounds(last_today, last_today)
    for member in plan.released:
        member.last_day = last_today
        member.save(update_fields=["last_day"])
        flex.commitments.filter(officer_id=member.officer_id, starts_at__gte=end_of_today).delete()
        flex.commitments.filter(officer_id=member.officer_id).update(ends_at=end_of_today)
    flex.end_date, flex.daily_start, flex.daily_end = (
        change.end_date, change.daily_start, change.daily_end
    )
    flex.save(update_fields=["end_date", "daily_start", "daily_end"])
    _, new_end = day_bounds(change.end_date, change.end_date)
    kept_ids = [m.officer_id for m in plan.kept]
    flex.commitments.filter(officer_id__in=kept_ids).update(ends_at=new_end)
    if plan.added and change.end_date >= plan.effective:
        FlexOfficer.objects.bulk_create(
            [
                FlexOfficer(flex_request=flex, officer=o, from_ward=plan.homes.get(o.pk),
                            first_day=plan.effective)
                for o in plan.added
            ]
        )
        hold(flex, {o.pk: (plan.effective, change.end_date) for o in plan.added})
