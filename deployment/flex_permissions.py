"""Who may act on a flex request, and why someone may not: the services refuse with these and
next_actions (deployment.services) shows them, so a page never offers what the service refuses.
Each `refusal_*` answers None when the user may, else the sentence saying why not.

Deciding, reviewing, ending and changing a flex, and accepting a ward below minimum cover, go by
rank and borough alone (teams.authority): an Inspector or above who belongs to the request's
borough, never an administrator or a superuser as such. Never the person who raised it either:
whoever created, changed or submitted a request may not decide it, and whoever proposed a
change to a running flex may not decide that change."""

import datetime

from config.access import EDITOR_ROLES, Role, has_role
from deployment import protocol
from deployment.protocol import FlexStatus
from teams import authority

# Who may decide a flex: an Inspector or above of the borough (never the person who asked).
DECIDER_ROLES = frozenset({Role.INSPECTOR, Role.CHIEF_INSPECTOR})
# Who may accept a ward going below minimum cover.
COVER_OVERRIDE_ROLES = frozenset({Role.CHIEF_INSPECTOR})
# Who may raise a flex request.
REQUESTER_ROLES = EDITOR_ROLES


def refusal_of_authority(flex, user, doing: str) -> str | None:
    """An Inspector or above of the request's borough, by role, rank and membership."""
    return authority.authority_refusal(
        user, roles=DECIDER_ROLES, borough_id=flex.borough_id, doing=doing
    )


def refusal_to_accept_gap(user, borough_id) -> str | None:
    return authority.authority_refusal(
        user, roles=COVER_OVERRIDE_ROLES, borough_id=borough_id,
        doing="accept a ward going below minimum cover",
    )


def refusal_to_raise(user, doing: str) -> str | None:
    if not has_role(user, REQUESTER_ROLES):
        return f"Your role cannot {doing} flex requests."
    return None


def raised_by(flex) -> set[int]:
    """The users who raised the request: whoever created it, changed it or submitted it (read
    from its timeline: prefetch `transitions` to read many requests without a query each)."""
    pending = {FlexStatus.DRAFT, FlexStatus.SUBMITTED}
    return {flex.requested_by_id} | {
        t.by_id for t in flex.transitions.all() if t.by_id and t.to_status in pending
    }


def refusal_to_decide(flex, user) -> str | None:
    if refusal := refusal_of_authority(flex, user, "decide flex requests"):
        return refusal
    if user.pk in raised_by(flex):
        return (
            "You raised, changed or submitted this request: another Inspector must decide it."
        )
    return None


def refusal_before_review_day(flex, today: datetime.date) -> str | None:
    """The protocol's review is held at the tasking meeting from its due day, not before."""
    due = flex.review_due
    if due is not None and today < due:
        return (
            f"The review is due on {due:%d %B %Y}, {protocol.REVIEW_AFTER_DAYS} days after the "
            "flex started: it is held from then. Until then an Inspector can end the flex."
        )
    return None


def refusal_to_review(flex, user, today: datetime.date) -> str | None:
    return refusal_of_authority(flex, user, "review a flex") or refusal_before_review_day(
        flex, today
    )


def refusal_to_end(flex, user) -> str | None:
    return refusal_of_authority(flex, user, "end a flex")


def refusal_to_decide_change(change, flex, user) -> str | None:
    if refusal := refusal_of_authority(flex, user, "decide a change to a flex"):
        return refusal
    if change.proposed_by_id == user.pk:
        return "You proposed this change: another Inspector must decide it."
    return None


def refusal_to_withdraw(flex, user) -> str | None:
    if flex.requested_by_id == user.pk:
        return None
    if refusal_of_authority(flex, user, "withdraw a request"):
        return "Only the requester or an Inspector of the request's borough can withdraw it."
    return None


def refusal_over(flex, today) -> str | None:
    if flex.end_date < today:
        return "This flex would already be over: it cannot be approved."
    return None


def refusal_has_duties(flex) -> str | None:
    if flex.duties.exists():
        return (
            f"Duties are already recorded against flex #{flex.pk}, so it cannot be withdrawn. "
            "Once it has started, an Inspector can end it."
        )
    return None
