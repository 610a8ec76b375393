"""Flex request workflows under the SN Deployment Protocol: raising, editing, submitting,
deciding and withdrawing a request (its review, end and changes: deployment.flex_review, also
reached from here). Pages, the API, the admin and Celery tasks all call these; none
re-implements a rule.

Every step of a flex request locks its row, checks the state it found and records a
FlexTransition (who, when, from, to, why), an edit as much as a decision. Decisions take their
locks in one order (deployment.locks) and run under config.transactions.decision, which runs them
again when PostgreSQL aborts one (a deadlock, a serialization failure): never a server error.

`next_actions(flex, user, today)` (deployment.next_actions) says what may happen next to a
request, who may do it and, when this user may not, why: the pages, the API and the inspector's
queue show exactly that, and the services refuse with the same reasons
(deployment.flex_permissions)."""

from django.utils import timezone

from config import lookups
from config.errors import ConflictError, DomainError
from config.limits import PLANNED, check_dates
from config.timeutils import check_whole_minutes
from config.transactions import decision
from deployment import cover, protocol, selectors
from deployment import flex_permissions as perms
from deployment.flex_review import (  # noqa: F401  (the review's services, reached from here)
    flex_change_approve,
    flex_change_reject,
    flex_end,
    flex_review,
)
from deployment.locks import lock_for_cover_decision
from deployment.models import FlexOfficer, FlexRequest, FlexStatus, FlexTransition
from deployment.next_actions import ACTION_LABELS, NextAction, next_actions  # noqa: F401
from deployment.notifications import send_decided, send_submitted
from deployment.workflow import (  # noqa: F401  (lock and transition: used by the daily job)
    accepted_gap,
    check_transition,
    hold,
    lock,
    record_step,
    refuse,
    refuse_outside_borough,
    transition,
    why_with_cover,
)
from teams.services import lock_named

Step = FlexTransition.Step


def _notify(send, flex_id):
    """Write the email into the outbox in this transaction (config/mail.py): it goes if and only
    if the change commits, and once."""
    send(flex_id)


# --- raising and editing -------------------------------------------------------------------

# What an edit names on the timeline, by field.
FIELD_NAMES = {
    "to_ward": "ward", "start_date": "first day", "end_date": "last day",
    "daily_start": "daily start", "daily_end": "daily end", "problem": "problem",
    "expected_benefit": "expected benefit", "ward_priority_id": "ward priority",
    "intelligence_ref": "intelligence reference",
}


def _validate_flex(
    *, borough, to_ward, officers, start_date, end_date, problem, benefit, daily_start=None,
    daily_end=None,
):
    check_dates(PLANNED, start_date=start_date, end_date=end_date)
    check_whole_minutes(daily_start=daily_start, daily_end=daily_end)
    if to_ward.borough_id != borough.pk:
        raise DomainError(
            f"Flexing is allowed within the borough only: choose a ward of {borough.name}.",
            field="to_ward",
        )
    check_length(start_date, end_date)
    if not officers:
        raise DomainError("Name at least one officer to flex.", field="officers")
    refuse_outside_borough(borough, officers, start_date, end_date)
    if not problem.strip():
        raise DomainError("Name the problem the flex is against.", field="problem")
    if not benefit.strip():
        raise DomainError("Say what benefit is expected.", field="expected_benefit")


def check_length(start_date, end_date) -> None:
    if refusal := protocol.dates_refusal(start_date, end_date):
        raise DomainError(refusal, field="end_date")


def _link_problem(flex, *, ward_priority, intelligence_ref) -> None:
    """The named problem's link: one of the destination ward's open priorities (kept by
    promises, asked through config.lookups) or an intelligence reference, where one exists."""
    ref = (intelligence_ref or "").strip()
    limit = FlexRequest._meta.get_field("intelligence_ref").max_length
    if len(ref) > limit:
        raise DomainError(
            f"An intelligence reference is at most {limit} characters.", field="intelligence_ref"
        )
    flex.intelligence_ref = ref
    if ward_priority is None:
        flex.ward_priority_id, flex.ward_priority_issue = None, ""
        return
    issues = {pk: issue for pk, _ward, issue in open_priorities([flex.to_ward_id])}
    if ward_priority not in issues:
        raise DomainError(
            f"Choose one of {flex.to_ward.name}'s open priorities, or none.",
            field="ward_priority",
        )
    flex.ward_priority_id, flex.ward_priority_issue = ward_priority, issues[ward_priority]


def open_priorities(ward_ids) -> list[tuple[int, int, str]]:
    """[(id, ward id, issue)]: the wards' open priorities, which promises keeps."""
    return lookups.ask("ward_priorities", ward_ids, default=[])


def _home_wards(flex, officers) -> dict:
    """{officer id: Ward}: each officer's home ward on the flex's first day, none of them the
    ward it flexes them to."""
    homes = selectors.home_wards([o.pk for o in officers], flex.start_date)
    for officer in officers:
        home = homes.get(officer.pk)
        if home is not None and home.pk == flex.to_ward_id:
            raise DomainError(
                f"{officer.full_name}'s home ward is {home.name}: flexing moves officers to "
                "another ward.",
                field="officers",
            )
    return homes


def _set_members(flex, officers):
    homes = _home_wards(flex, officers)
    flex.members.all().delete()
    FlexOfficer.objects.bulk_create(
        [FlexOfficer(flex_request=flex, officer=o, from_ward=homes.get(o.pk)) for o in officers]
    )


@decision
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
    ward_priority=None,
    intelligence_ref="",
) -> FlexRequest:
    refuse(perms.refusal_to_raise(by, "raise"))
    # The officers before the request's row (deployment.locks): a transfer racing it is seen.
    officers = lock_named(officers, borough.pk, field="officers")
    _validate_flex(
        borough=borough,
        to_ward=to_ward,
        officers=officers,
        start_date=start_date,
        end_date=end_date,
        problem=problem,
        benefit=expected_benefit,
        daily_start=daily_start,
        daily_end=daily_end,
    )
    flex = FlexRequest(
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
    _link_problem(flex, ward_priority=ward_priority, intelligence_ref=intelligence_ref)
    flex.save()
    _set_members(flex, officers)
    FlexTransition.objects.create(flex_request=flex, to_status=FlexStatus.DRAFT, by=by)
    if submit:
        flex = flex_submit(flex=flex, by=by)
    return flex


def _snapshot(flex) -> dict:
    values = {name: getattr(flex, name) for name in FIELD_NAMES if name != "to_ward"}
    values["to_ward"] = flex.to_ward_id
    values["officers"] = set(flex.members.values_list("officer_id", flat=True))
    return values


def _changed(before, after) -> list[str]:
    names = [FIELD_NAMES.get(name, name) for name in before if before[name] != after[name]]
    return names


@decision
def flex_update(*, flex, by, officers=None, **fields) -> FlexRequest:
    """Change a draft, recording the edit on its timeline (whoever changes a request may not
    decide it). Once submitted, a request is decided as it stands."""
    refuse(perms.refusal_to_raise(by, "edit"))
    if officers is not None:  # the officers before the request's row (deployment.locks)
        officers = lock_named(officers, flex.borough_id, field="officers")
    flex = lock(flex)
    if flex.status != FlexStatus.DRAFT:
        raise ConflictError(
            f"Only a draft can be edited; this request is {flex.get_status_display().lower()}."
        )
    before = _snapshot(flex)
    link = {
        "ward_priority": fields.pop("ward_priority", flex.ward_priority_id),
        "intelligence_ref": fields.pop("intelligence_ref", flex.intelligence_ref),
    }
    for name, value in fields.items():
        setattr(flex, name, value)
    if officers is None:
        officers = [m.officer for m in flex.members.select_related("officer")]
    _validate_flex(
        borough=flex.borough,
        to_ward=flex.to_ward,
        officers=officers,
        start_date=flex.start_date,
        end_date=flex.end_date,
        problem=flex.problem,
        benefit=flex.expected_benefit,
        daily_start=flex.daily_start,
        daily_end=flex.daily_end,
    )
    _link_problem(flex, **link)
    flex.save()
    # Always: a new ward or first day changes each officer's home ward and whether it is the
    # destination.
    _set_members(flex, officers)
    changed = _changed(before, _snapshot(flex))
    if changed:
        record_step(flex, Step.EDIT, by=by, reason="Changed: " + ", ".join(changed) + ".")
    return flex


# --- submitting and deciding -------------------------------------------------------------------


@decision
def flex_submit(*, flex, by) -> FlexRequest:
    refuse(perms.refusal_to_raise(by, "submit"))
    flex = lock(flex)
    transition(flex, FlexStatus.SUBMITTED, by=by)
    flex.submitted_at = timezone.now()
    flex.save(update_fields=["status", "submitted_at"])
    _notify(send_submitted, flex.pk)
    return flex


@decision
def flex_approve(*, flex, by, reason="", cover_override_reason="") -> FlexRequest:
    """Approve a submitted request: an Inspector or above of the borough who did not raise it,
    the officers still of the borough and posted as when it was raised (_check_members_still),
    free, and every ward-day it touches at minimum cover (or a Chief Inspector's reason for
    accepting the gap)."""
    refuse(perms.refusal_to_decide(flex, by))
    # The borough's cover lock, then the officers, then the request (deployment.locks).
    officers = lock_for_cover_decision(
        flex.borough_id, flex.members.values_list("officer_id", flat=True)
    )
    flex = lock(flex)
    refuse(perms.refusal_to_decide(flex, by))  # again, as it stands now (an edit since?)
    check_transition(flex, FlexStatus.APPROVED)
    if over := perms.refusal_over(flex, timezone.localdate()):
        raise ConflictError(over)
    _check_members_still(flex, officers)
    conflicts = selectors.flex_conflicts(flex)
    if conflicts:
        raise ConflictError(" ".join(c.message for c in conflicts), code="officer_committed")
    gaps = cover.flex_cover_gaps(flex)
    override = accepted_gap(
        gaps, by=by, borough_id=flex.borough_id, cover_override_reason=cover_override_reason
    )
    transition(flex, FlexStatus.APPROVED, by=by, reason=why_with_cover(reason, override, gaps))
    flex.decided_by, flex.decided_at, flex.decision_reason = by, timezone.now(), reason
    flex.cover_override_reason = override
    flex.review_due = protocol.review_day(flex.start_date)
    flex.save()
    hold(flex, {m.officer_id: m.days(flex) for m in flex.members.all()})
    if flex.start_date <= timezone.localdate():
        transition(flex, FlexStatus.ACTIVE, by=by, reason="Started on approval.")
        flex.save(update_fields=["status"])
    _notify(send_decided, flex.pk)
    return flex


def _check_members_still(flex, officers: dict) -> None:
    """The rules the officers met when the request was raised, asked again of them as they
    stand now (their rows locked: a transfer or a posting change waits for the decision, or
    the decision sees it): each still of the borough over the flex's days, and still posted
    where the request says they come from (a posting ended or moved since would take them
    from another ward, or from none, which the cover check and the records would not show)."""
    members = list(flex.members.all())
    if any(m.officer_id not in officers for m in members):
        raise ConflictError("An officer of this request is no longer on the system: refuse it.")
    named = [officers[m.officer_id] for m in members]
    refuse_outside_borough(flex.borough, named, flex.start_date, flex.end_date)
    homes = _home_wards(flex, named)
    for member in members:
        home = homes.get(member.officer_id)
        if (home.pk if home else None) != member.from_ward_id:
            raise DomainError(
                f"{officers[member.officer_id].full_name}'s posting has changed since the request "
                "was raised (it ended or moved): refuse it, and raise it again as things stand.",
                field="officers",
                code="posting_changed",
            )


@decision
def flex_reject(*, flex, by, reason) -> FlexRequest:
    refuse(perms.refusal_to_decide(flex, by))
    if not (reason or "").strip():
        raise DomainError("Give the reason for refusing.", field="reason")
    flex = lock(flex)
    refuse(perms.refusal_to_decide(flex, by))
    transition(flex, FlexStatus.REJECTED, by=by, reason=reason)
    flex.decided_by, flex.decided_at, flex.decision_reason = by, timezone.now(), reason
    flex.save()
    _notify(send_decided, flex.pk)
    return flex


@decision
def flex_withdraw(*, flex, by, reason="") -> FlexRequest:
    flex = lock(flex)
    refuse(perms.refusal_to_withdraw(flex, by))
    if has_duties := perms.refusal_has_duties(flex):
        raise ConflictError(has_duties, code="flex_has_duties")
    transition(flex, FlexStatus.WITHDRAWN, by=by, reason=reason)
    flex.save(update_fields=["status"])
    flex.commitments.all().delete()
    return flex
