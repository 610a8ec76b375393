"""The demo's flex requests: every state in every borough, each with its members, its timeline
as the services would have written it, the officers' commitments and their flexed shifts."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.conf import settings

from config.timeutils import day_bounds, shift_bounds
from deployment import protocol
from deployment.demo.abstractions import authorisers_of, surname
from deployment.demo.roster import BoroughDemo, T
from deployment.models import (
    Abstraction,
    Commitment,
    Duty,
    FlexOfficer,
    FlexRequest,
    FlexStatus,
    FlexTransition,
)
from teams.models import Posting, Rank

S = FlexStatus


@dataclass(frozen=True)
class FlexSpec:
    """One demo flex request: its state, its dates and when it was raised (days from today), and
    whom it names: "spare" officers (from a ward above minimum cover, or Specials), a PC of a ward
    at its minimum ("short": the cover warning shows) or "any" dedicated officer."""

    status: str
    start: int
    days: int
    raised: int
    members: str = "spare"
    count: int = 1
    review: str = ""  # "continue" or "end" at the 14-day review
    clash: bool = False  # its officer has a court date in the period: the queue shows a conflict
    override: bool = False  # a Chief Inspector accepted a ward going below minimum cover


FLEX_PLAN = (
    FlexSpec(S.DRAFT, start=8, days=14, raised=-1, members="any"),
    FlexSpec(S.SUBMITTED, start=4, days=21, raised=-4),
    FlexSpec(S.SUBMITTED, start=6, days=14, raised=-2, members="short"),
    FlexSpec(S.SUBMITTED, start=3, days=10, raised=-1, clash=True),
    FlexSpec(S.APPROVED, start=2, days=28, raised=-6, count=2),
    FlexSpec(S.APPROVED, start=5, days=7, raised=-3, members="short", override=True),
    FlexSpec(S.REJECTED, start=-5, days=14, raised=-11, members="short"),
    FlexSpec(S.WITHDRAWN, start=-10, days=7, raised=-15, members="any"),
    FlexSpec(S.ACTIVE, start=-11, days=25, raised=-14),  # review due in three days
    FlexSpec(S.ACTIVE, start=-18, days=28, raised=-21, count=2),  # review overdue
    FlexSpec(S.ACTIVE, start=-16, days=21, raised=-19, review="continue"),
    FlexSpec(S.ENDED, start=-40, days=14, raised=-44),
    FlexSpec(S.ENDED, start=-30, days=28, raised=-33, review="end"),
)
# Daily deployment windows: each starts at 07:00 or later and ends by 07:00 the next day.
FLEX_WINDOWS = ((T(14), T(22)), (T(18), T(2)), (T(10), T(18)), (T(22), T(7)))
PROBLEMS = (
    ("Moped-enabled phone snatches around {ward} station",
     "High-visibility patrols at peak times to deter, and arrests of the known riders."),
    ("Drug dealing in the stairwells of the estates in {ward}",
     "Disruption of the dealing line; warrants on the intelligence gathered."),
    ("Anti-social behaviour by groups of youths at the {ward} shopping parade",
     "Fewer ASB calls from the parade; dispersal and engagement with the youth service."),
    ("A series of dwelling burglaries in {ward} after dark",
     "Visible evening patrols and crime prevention visits on the affected streets."),
    ("Violence around the late-night bars of {ward}",
     "Fewer assaults at closing time; licensing checks with the council."),
    ("Catalytic converter thefts from car parks in {ward}",
     "Marking events and patrols of the car parks; arrests of the crew."),
)
APPROVALS = (
    "Intelligence-led and time-limited; the home wards keep their minimum cover.",
    "Agreed at the borough tasking meeting: review at two weeks.",
)
REJECTIONS = (
    "{from_ward} would fall below its minimum dedicated cover; resubmit naming an officer from a "
    "ward with spare strength.",
    "Not intelligence-led: the figures do not show a problem the {to_ward} team cannot handle.",
)
WITHDRAWN_REASON = "The problem moved on after the council's closure order: no longer needed."
CONTINUE_REASON = "Reviewed at the tasking meeting: offences down but not gone; continue."
END_REASON = "Ended at review: the suspects are charged and the problem has not displaced."
OVERRIDE_REASON = (
    "The burglary series is the borough's top priority this month; response cover fills the gap "
    "in {from_ward} for the week."
)


@dataclass
class PlannedFlex:
    flex: FlexRequest
    spec: FlexSpec
    raised_at: datetime.datetime
    members: list[tuple[int, int]]  # (officer id, from ward id)
    steps: list[tuple] = field(default_factory=list)  # (from, to, by, at, reason)


def seed_flexes(demo: BoroughDemo, types) -> None:
    rng = demo.rng("flex")
    pools = _member_pools(demo, rng)
    plans = [
        _plan_flex(demo, spec, pools, rng)
        for spec in FLEX_PLAN
        if demo.cast.chief or not spec.override
    ]
    plans = [p for p in plans if p is not None]
    _write_flexes(demo, plans)
    for plan in plans:
        if plan.spec.clash:
            _court_date(demo, plan, types["court"])
        if plan.flex.status in (S.ACTIVE, S.ENDED):
            _flexed_shifts(demo, plan)


def _member_pools(demo: BoroughDemo, rng) -> dict[str, list[int]]:
    strength = defaultdict(lambda: defaultdict(list))
    for officer_id, ward_id, rank in (
        Posting.objects.current(demo.today)
        .filter(team__borough=demo.borough, role=Posting.Role.DEDICATED, is_primary=True)
        .order_by("officer__shoulder_number")
        .values_list("officer_id", "team__ward_id", "officer__rank")
    ):
        strength[ward_id][rank].append(officer_id)
    pools = {"spare": [], "short": [], "any": []}
    min_pcs, min_pcsos = settings.WARD_MIN_DEDICATED_PCS, settings.WARD_MIN_DEDICATED_PCSOS
    for _, ranks in sorted(strength.items()):
        pcs, pcsos = ranks[Rank.PC], ranks[Rank.PCSO]
        # At most one PC and one PCSO a ward: taking both still leaves the minimum.
        if len(pcs) > min_pcs:
            pools["spare"].append(rng.choice(pcs))
        if len(pcsos) > min_pcsos:
            pools["spare"].append(rng.choice(pcsos))
        pools["spare"] += ranks[Rank.SPECIAL]
        if len(pcs) == min_pcs and len(pcsos) >= min_pcsos:
            pools["short"].append(rng.choice(pcs))
        pools["any"] += pcs + pcsos
    for pool in pools.values():
        rng.shuffle(pool)
    return pools


def _take(demo: BoroughDemo, pools, kind: str, count: int) -> list[int]:
    """Officers of the kind asked for, or any; from wards no other request draws on where that
    can be, so one request's cover warning does not show on another's."""
    taken = []
    for pool, spread in ((pools[kind], True), (pools["any"], True), (pools["any"], False)):
        for officer_id in pool:
            ward_id = _home_on(demo, officer_id, demo.today)
            if len(taken) == count:
                return taken
            if officer_id in demo.used or ward_id is None:
                continue
            if spread and ward_id in demo.used_wards:
                continue
            demo.used.add(officer_id)
            demo.used_wards.add(ward_id)
            taken.append(officer_id)
    return taken


def _inside_the_roster(demo: BoroughDemo, spec: FlexSpec) -> FlexSpec:
    """A flex worked before the seeded roster's first day (`demo.first`, the first of last
    month) would have no shifts to flex: on the first days of a month, 40 days ago is before it.
    Such a flex moves forward, with the day it was raised, to start on the roster's first day."""
    earliest = (demo.first - demo.today).days
    if spec.status not in (S.ACTIVE, S.ENDED) or spec.start >= earliest:
        return spec
    later = earliest - spec.start
    return replace(spec, start=spec.start + later, raised=spec.raised + later)


def _plan_flex(demo: BoroughDemo, spec: FlexSpec, pools, rng) -> PlannedFlex | None:
    spec = _inside_the_roster(demo, spec)
    officer_ids = _take(demo, pools, spec.members, spec.count)
    start = demo.today + datetime.timedelta(days=spec.start)
    homes = {o: _home_on(demo, o, start) for o in officer_ids}
    targets = sorted(set(demo.wards) - set(homes.values()))
    if not officer_ids or not targets or None in homes.values():
        return None
    to_ward = demo.wards[rng.choice(targets)]
    problem, benefit = rng.choice(PROBLEMS)
    daily_start, daily_end = rng.choice(FLEX_WINDOWS)
    requester = demo.cast.requesters[len(demo.used) % len(demo.cast.requesters)]
    flex = FlexRequest(
        borough=demo.borough, to_ward=to_ward, start_date=start,
        end_date=start + datetime.timedelta(days=spec.days - 1), daily_start=daily_start,
        daily_end=daily_end, problem=problem.format(ward=to_ward.name),
        expected_benefit=benefit, status=spec.status, requested_by=requester,
    )
    plan = PlannedFlex(flex, spec, demo.at(spec.raised, 9, rng.randrange(60)), list(homes.items()))
    from_ward = demo.wards[next(iter(homes.values()))].name
    _timeline(demo, plan, rng, from_ward)
    return plan


def _home_on(demo: BoroughDemo, officer_id, day) -> int | None:
    homes = demo.homes.get(officer_id, ())
    return next((w for start, end, w in homes if start <= day <= end), None)


def _timeline(demo: BoroughDemo, plan: PlannedFlex, rng, from_ward: str) -> None:
    """The request's transitions, and the fields each one sets, as the services would have."""
    flex, spec = plan.flex, plan.spec
    requester, inspector = flex.requested_by, demo.cast.inspector
    step = plan.steps.append
    step(("", S.DRAFT, requester, plan.raised_at, ""))
    if spec.status == S.DRAFT:
        return
    flex.submitted_at = plan.raised_at + datetime.timedelta(minutes=25)
    step((S.DRAFT, S.SUBMITTED, requester, flex.submitted_at, ""))
    if spec.status == S.WITHDRAWN:
        withdrawn_at = demo.at(spec.raised + 2, 8, 50)
        step((S.SUBMITTED, S.WITHDRAWN, requester, withdrawn_at, WITHDRAWN_REASON))
        return
    if spec.status == S.SUBMITTED:
        return
    flex.decided_by = demo.cast.chief if spec.override else inspector
    flex.decided_at = demo.at(spec.raised + 2, 10, 30)
    names = {"from_ward": from_ward, "to_ward": flex.to_ward.name}
    if spec.status == S.REJECTED:
        reason = REJECTIONS[0] if spec.members == "short" else rng.choice(REJECTIONS)
        flex.decision_reason = reason.format(**names)
        step((S.SUBMITTED, S.REJECTED, flex.decided_by, flex.decided_at, flex.decision_reason))
        return
    flex.decision_reason = rng.choice(APPROVALS)
    if spec.override:
        flex.cover_override_reason = OVERRIDE_REASON.format(**names)
    flex.review_due = protocol.review_day(flex.start_date)
    step((S.SUBMITTED, S.APPROVED, flex.decided_by, flex.decided_at, flex.decision_reason))
    if spec.status == S.APPROVED:
        return
    step((S.APPROVED, S.ACTIVE, None, demo.at(spec.start, 0, 5), "Start date reached."))
    _review_or_end(demo, plan)


def _review_or_end(demo: BoroughDemo, plan: PlannedFlex) -> None:
    flex, spec, inspector = plan.flex, plan.spec, demo.cast.inspector
    if spec.review:
        reviewed = flex.last_reviewed_at = demo.at(spec.start + protocol.REVIEW_AFTER_DAYS, 10)
        if spec.review == "continue":
            plan.steps.append((S.ACTIVE, S.ACTIVE, inspector, reviewed, CONTINUE_REASON))
            return
        flex.ended_on = flex.review_due
        plan.steps.append((S.ACTIVE, S.ENDED, inspector, reviewed, END_REASON))
    elif spec.status == S.ENDED:
        flex.ended_on = flex.end_date
        ended_at = demo.at(spec.start + spec.days, 0, 5)
        plan.steps.append((S.ACTIVE, S.ENDED, None, ended_at, "End date reached."))


def _write_flexes(demo: BoroughDemo, plans: list[PlannedFlex]) -> None:
    flexes = FlexRequest.objects.bulk_create([p.flex for p in plans])
    for plan in plans:  # auto_now_add stamped "now": put the history back
        plan.flex.created_at = plan.raised_at
    FlexRequest.objects.bulk_update(flexes, ["created_at"])
    FlexOfficer.objects.bulk_create(
        [
            FlexOfficer(flex_request=p.flex, officer_id=officer_id, from_ward_id=ward_id)
            for p in plans
            for officer_id, ward_id in p.members
        ]
    )
    steps = [(p.flex, step) for p in plans for step in p.steps]
    transitions = FlexTransition.objects.bulk_create(
        [
            FlexTransition(flex_request=flex, from_status=frm, to_status=to, by=by, reason=why)
            for flex, (frm, to, by, _, why) in steps
        ]
    )
    for transition, (_, step) in zip(transitions, steps, strict=True):
        transition.at = step[3]
    FlexTransition.objects.bulk_update(transitions, ["at"])
    Commitment.objects.bulk_create(_flex_commitments(demo, plans))
    demo.report.created["flex requests"] += len(flexes)
    demo.report.created["flex transitions"] += len(transitions)


def _flex_commitments(demo: BoroughDemo, plans) -> list[Commitment]:
    commitments = []
    for plan in plans:
        flex = plan.flex
        if flex.status not in (S.APPROVED, S.ACTIVE, S.ENDED):
            continue
        starts_at, ends_at = day_bounds(flex.start_date, flex.ended_on or flex.end_date)
        for officer_id, _ in plan.members:
            demo.hold(officer_id, starts_at, ends_at)
            commitments.append(
                Commitment(
                    officer_id=officer_id, flex_request=flex, starts_at=starts_at, ends_at=ends_at
                )
            )
    demo.report.created["commitments"] += len(commitments)
    return commitments


def _flexed_shifts(demo: BoroughDemo, plan: PlannedFlex) -> None:
    """Members work the flex's daily window in the ward they were flexed to."""
    flex = plan.flex
    last = min(flex.ended_on or flex.end_date, demo.today)
    for officer_id, _ in plan.members:
        for shift in demo.shifts[officer_id]:
            if flex.start_date <= shift.day <= last:
                shift.starts_at, shift.ends_at = shift_bounds(
                    shift.day, flex.daily_start, flex.daily_end
                )
                shift.kind, shift.flex = Duty.Kind.FLEXED, flex
                shift.worked_ward_id = flex.to_ward_id


def _court_date(demo: BoroughDemo, plan: PlannedFlex, court) -> None:
    """A court date already booked inside the flex: the queue shows the conflict."""
    officer_id = plan.members[0][0]
    offset = plan.spec.start + 2
    starts_at, ends_at = demo.at(offset, 9), demo.at(offset, 17)
    abstraction = Abstraction.objects.create(
        officer_id=officer_id, abstraction_type=court, starts_at=starts_at, ends_at=ends_at,
        significant_event=f"Crown Court trial: R v {surname(demo.rng('court'))} at Southwark",
        authorised_by_name=authorisers_of(demo)[1], notes="Warned as a prosecution witness.",
        recorded_by=demo.cast.recorder,
    )
    Commitment.objects.create(
        officer_id=officer_id, abstraction=abstraction, starts_at=starts_at, ends_at=ends_at
    )
    demo.hold(officer_id, starts_at, ends_at)
    demo.report.created["abstractions"] += 1
    demo.report.created["commitments"] += 1
