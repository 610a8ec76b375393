"""Writes: a borough's workload weights, and a commander's supervision decision applied as dated
supervision groups and the sergeants' supervisor postings. Pages, the API and the admin call
these; the permission to decide is narrow (DECIDER_ROLES): commanders, read-only everywhere
else, may decide this, borough staff may not."""

from __future__ import annotations

import datetime

from config import transactions
from config.access import require_role
from config.decisions import (
    DECIDER_ROLES,
    check_decision_date,
    decision_rationale,
    lock_borough_decisions,
    weights_write,
)
from config.errors import ConflictError, DomainError
from config.limits import RECORD, date_range
from supervision import reasons as why
from supervision.arrangement import available_sergeants
from supervision.models import (
    DEFAULT_WEIGHTS,
    Consultation,
    SupervisionDecision,
    SupervisionGroup,
    WorkloadWeights,
)
from supervision.recommendation import Recommendation, validate_groups
from teams.models import Officer, Posting, Team
from teams.services import lock_officers, posting_create, posting_end
from wards.models import Borough, Ward

PAST = "A decision takes effect today or later: supervision already past is history."
LATER = "A decision from {date:%d %B %Y} is already recorded; decide from a later date."


def weights_save(*, borough: Borough, values: dict, by) -> WorkloadWeights:
    """The borough's weights (a row of its own from the first change). Commanders and admins."""
    return weights_write(
        WorkloadWeights, borough=borough, values=values, defaults=DEFAULT_WEIGHTS, by=by
    )


def _assign_sergeants(groups, sergeants: list[Officer], today_of: dict[int, set[str]], loads,
                      named: dict[tuple, Officer] | None = None):
    """A sergeant for each group: the one the commander named, else, the heaviest group first,
    the one who supervises most of its wards today (then by shoulder number), else the next
    free one."""
    if len(sergeants) < len(groups):
        raise ConflictError(
            f"{len(groups)} groups need {len(groups)} sergeants; the borough has "
            f"{len(sergeants)} available to supervise wards.",
            field="groups",
        )
    assigned = dict(named or {})
    free = [s for s in sergeants if s not in assigned.values()]
    for group in sorted(groups, key=lambda g: (-sum(loads[c] for c in g), g)):
        if group in assigned:
            continue
        pick = max(
            free, key=lambda s: (len(today_of.get(s.pk, set()) & set(group)), -free.index(s))
        )
        free.remove(pick)
        assigned[group] = pick
    return assigned


def _named_sergeants(decided, named: list[str | None] | None, sergeants: list[Officer]):
    """The sergeants the commander named, group by group (None: the default choice). Only the
    borough's sergeants available to supervise wards, each for one group at most."""
    if not named:
        return {}
    if len(named) > len(decided):
        raise DomainError("Name at most one sergeant for each group.", field="sergeants")
    by_number = {s.shoulder_number: s for s in sergeants}
    chosen: dict[tuple, Officer] = {}
    for group, number in zip(decided, named, strict=False):
        if not number:
            continue
        officer = by_number.get(number)
        if officer is None:
            raise DomainError(
                f"{number} is not one of the borough's sergeants available to supervise wards.",
                field="sergeants",
            )
        if officer in chosen.values():
            raise DomainError(
                f"{officer.full_name} is named for two groups: one sergeant a group.",
                field="sergeants",
            )
        chosen[group] = officer
    return chosen


@transactions.decision
def decision_record(
    *,
    borough: Borough,
    recommendation: Recommendation,
    groups: list[list[str]],
    effective_from: datetime.date,
    rationale: str,
    by,
    today: datetime.date,
    sergeants: list[str | None] | None = None,
) -> SupervisionDecision:
    """Record the decision and apply it: from `effective_from` each group's sergeant (the one
    named in `sergeants`, by shoulder number and group, else the default choice) supervises its
    wards (primary in the heaviest). The postings it replaces, the ward supervisor postings of
    the sergeants it posts (the borough's sergeants available to supervise wards) that ran past
    the day before, end then; a sergeant's supervision it does not replace (one whose primary
    posting is elsewhere, covering a ward besides) stays; nothing before the date changes."""
    require_role(by, DECIDER_ROLES)
    rationale = decision_rationale(rationale)
    check_decision_date(effective_from, today, past=PAST)
    problem = recommendation.problem
    decided = validate_groups(problem, groups)
    if not decided:
        raise DomainError("The borough has no wards to group.", field="groups")
    lock_borough_decisions(SupervisionDecision, borough, effective_from, later=LATER)
    available = available_sergeants(borough.pk, effective_from)
    named = _named_sergeants(decided, sergeants, available)
    lock_officers([s.pk for s in available])
    running = list(_supervision_postings(borough, effective_from, available))
    today_of: dict[int, set[str]] = {}
    for posting in running:
        today_of.setdefault(posting.officer_id, set()).add(posting.team.ward.code)
    assigned = _assign_sergeants(decided, available, today_of, problem.loads, named)
    decision = SupervisionDecision.objects.create(
        borough=borough,
        effective_from=effective_from,
        rationale=rationale,
        objective_proposal=_whole(recommendation.objective_proposal),
        objective_decided=_whole(max((problem.load(g) for g in decided), default=0)),
        objective_today=_whole(recommendation.objective_today),
        decided_by=by,
    )
    _end_postings(running, effective_from, decision, by)
    _create_groups(decision, decided, assigned, recommendation, by)
    return decision


def _whole(value) -> int:
    return int(round(value))


def _supervision_postings(borough: Borough, effective_from: datetime.date, sergeants):
    """The postings the decision replaces: the ward supervisor postings in the borough of the
    sergeants it posts, still running on the day before."""
    postings = (
        Posting.objects.current(effective_from - datetime.timedelta(days=1))
        .filter(role=Posting.Role.SUPERVISOR, team__kind=Team.Kind.WARD, team__borough=borough,
                officer__in=[s.pk for s in sergeants])
        .exclude(end_date=effective_from - datetime.timedelta(days=1))  # ends then anyway
        .select_related("officer", "team__ward")
        .order_by("pk")
    )
    later = Posting.objects.filter(
        role=Posting.Role.SUPERVISOR,
        team__kind=Team.Kind.WARD,
        team__borough=borough,
        officer__in=[s.pk for s in sergeants],
        start_date__gte=effective_from,
    )
    if later.exists():
        raise ConflictError(
            "A sergeant's supervision of a ward already starts on or after that date; decide "
            "from a later date or end that posting first.",
            field="effective_from",
        )
    return postings


def _end_postings(running, effective_from, decision, by) -> None:
    reason = (
        f"Supervision decision of {decision.decided_at:%d %B %Y} from {effective_from:%d %B %Y}"
    )
    for posting in running:
        posting_end(
            posting=posting,
            end_date=effective_from - datetime.timedelta(days=1),
            reason=reason,
            by=by,
        )


def _create_groups(decision, decided, assigned, recommendation: Recommendation, by) -> None:
    problem = recommendation.problem
    wards = {w.code: w for w in Ward.objects.filter(borough=decision.borough)}
    teams = {
        t.ward.code: t for t in Team.objects.filter(ward__in=wards.values()).select_related("ward")
    }
    largest = max((problem.load(g) for g in decided), default=0)
    for group in decided:
        sergeant = assigned[group]
        missing = [c for c in group if c not in teams]
        if missing:
            raise ConflictError(f"{wards[missing[0]].name} has no ward team to supervise.")
        heaviest = max(group, key=lambda c: (problem.loads[c], c))
        for code in sorted(group, key=lambda c: c != heaviest):
            posting_create(
                officer=sergeant, team=teams[code], role=Posting.Role.SUPERVISOR,
                start_date=decision.effective_from, by=by, is_primary=code == heaviest,
            )  # fmt: skip
        record = SupervisionGroup.objects.create(
            decision=decision,
            sergeant=sergeant,
            workload=_whole(problem.load(group)),
            reasons=why.for_group(problem, group, recommendation.loads, largest, False),
        )
        record.wards.set([wards[c] for c in group])


def consultation_record(*, borough: Borough, by, today: datetime.date, **fields) -> Consultation:
    """Who was consulted on the proposal, when, and what they said. Commanders and admins."""
    require_role(by, DECIDER_ROLES)
    on = fields["on"]
    if not date_range(RECORD).contains(on) or on > today:
        raise DomainError(
            f"A consultation already held: {date_range(RECORD).text()}, up to today.", field="on"
        )
    said = (fields.get("said") or "").strip()
    if not said:
        raise DomainError("Say what they said.", field="said")
    return Consultation.objects.create(
        borough=borough, consulted=fields["consulted"], who=fields["who"].strip(), on=on,
        said=said, recorded_by=by,
    )  # fmt: skip
