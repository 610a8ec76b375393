"""What may happen next to a flex request: `next_actions(flex, user, today)` (reached as
deployment.services.next_actions). The pages, the API and the inspector's queue show exactly
its answer, and the services refuse with the same reasons (deployment.flex_permissions), so no
button can only fail."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from config.access import Role
from deployment import flex_permissions as perms
from deployment.flex_permissions import COVER_OVERRIDE_ROLES, DECIDER_ROLES, REQUESTER_ROLES
from deployment.flex_review import pending_change
from deployment.models import FlexStatus


@dataclass(frozen=True)
class NextAction:
    """Something that may happen next to a flex request: which (`name`), who may do it, and,
    when the user asked about may not do it now, why (`why_not`)."""

    name: str  # a key of ACTION_LABELS: the API's endpoint of the same name (with dashes)
    label: str
    who: str
    why_not: str = ""

    @property
    def allowed(self) -> bool:
        return not self.why_not


ACTION_LABELS = {
    "edit": "Change the request",
    "submit": "Submit for a decision",
    "approve": "Approve",
    "reject": "Refuse",
    "review": "Record the review",
    "end": "End the flex now",
    "approve_change": "Approve the change",
    "reject_change": "Refuse the change",
    "withdraw": "Withdraw the request",
}


def _roles_text(roles) -> str:
    labels = [label for value, label in Role.choices if value in roles]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def _who(name, flex) -> str:
    borough = flex.borough.name
    deciders = f"{_roles_text(DECIDER_ROLES)} of {borough}"
    return {
        "edit": f"{_roles_text(REQUESTER_ROLES)} of {borough}",
        "submit": f"{_roles_text(REQUESTER_ROLES)} of {borough}",
        "approve": f"{deciders} who did not raise, change or submit it",
        "reject": f"{deciders} who did not raise, change or submit it",
        "review": f"{deciders}, from {flex.review_due:%d %b %Y}" if flex.review_due else deciders,
        "end": deciders,
        "approve_change": f"{deciders} who did not propose it (below minimum cover: a "
        f"{_roles_text(COVER_OVERRIDE_ROLES)})",
        "reject_change": f"{deciders} who did not propose it",
        "withdraw": f"Whoever raised it, or a {deciders}",
    }[name]


def _possible(flex, today) -> list[str]:
    """The actions the request's state allows, whoever asks."""
    started = flex.status == FlexStatus.ACTIVE or (
        flex.status == FlexStatus.APPROVED and flex.start_date <= today
    )
    running = ["review", "end"] if flex.runs_to_review else ["end"]
    if flex.status == FlexStatus.ACTIVE and pending_change(flex) is not None:
        running += ["approve_change", "reject_change"]
    return {
        FlexStatus.DRAFT: ["edit", "submit", "withdraw"],
        FlexStatus.SUBMITTED: ["approve", "reject", "withdraw"],
        FlexStatus.APPROVED: [*running, "withdraw"] if started else ["withdraw"],
        FlexStatus.ACTIVE: running,
    }.get(flex.status, [])


def _refusal_of_gaps(flex, user, gaps) -> str | None:
    """Approving would leave a ward below minimum cover (`gaps`, when the caller worked them
    out) and this user may not accept that."""
    if gaps and perms.refusal_to_accept_gap(user, flex.borough_id):
        return (
            f"{gaps[0].message} Approving needs a Chief Inspector of the borough, who records "
            "why the gap is accepted."
        )
    return None


def _why_not(name, flex, user, today, gaps) -> str | None:
    if name in ("edit", "submit"):
        return perms.refusal_to_raise(user, name)
    if name == "approve":
        return (
            perms.refusal_to_decide(flex, user)
            or perms.refusal_over(flex, today)
            or _refusal_of_gaps(flex, user, gaps)
        )
    if name == "reject":
        return perms.refusal_to_decide(flex, user)
    if name == "review":
        return perms.refusal_to_review(flex, user, today)
    if name == "end":
        return perms.refusal_to_end(flex, user)
    if name in ("approve_change", "reject_change"):
        return perms.refusal_to_decide_change(pending_change(flex), flex, user)
    refusal = perms.refusal_to_withdraw(flex, user)
    if refusal or flex.status != FlexStatus.APPROVED:
        return refusal
    # Only an approved flex can have duties and still be withdrawable.
    return perms.refusal_has_duties(flex)


def next_actions(flex, user, today: datetime.date | None = None, *, gaps=None) -> list[NextAction]:
    """What may happen next to `flex`: each action its state allows, who may take it, and why
    `user` may not (empty when they may). `gaps`: the cover gaps approving a pending request
    would leave (deployment.cover), when the caller has them: approving is then offered only to
    whoever may accept them. Prefetch `transitions` and `changes` (the user's boroughs are read
    once per request): then at most one query, an approved flex's duties. The services still
    have the last word: two people may act at once."""
    today = today or timezone.localdate()
    return [
        NextAction(name, ACTION_LABELS[name], _who_given(name, flex, gaps),
                   _why_not(name, flex, user, today, gaps) or "")
        for name in _possible(flex, today)
    ]


def _who_given(name, flex, gaps) -> str:
    """Who may take the action: approving a request that leaves a ward below minimum cover is
    for a Chief Inspector alone, so the queue says so to the Inspector who cannot."""
    if name == "approve" and gaps:
        return (f"A {_roles_text(COVER_OVERRIDE_ROLES)} of {flex.borough.name} who did not raise, "
                "change or submit it")
    return _who(name, flex)
