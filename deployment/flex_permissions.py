"""Who may act on a flex request, and why someone may not: the services refuse with these and
next_actions (deployment.services) shows them, so a page never offers what the service refuses.
Each `refusal_*` answers None when the user may, else the sentence saying why not."""

from config.access import EDITOR_ROLES, Role, borough_ids, has_role

# Who may decide a flex: an Inspector or above of the borough (never the person who asked).
DECIDER_ROLES = frozenset({Role.INSPECTOR, Role.CHIEF_INSPECTOR})
# Who may accept a ward going below minimum cover.
COVER_OVERRIDE_ROLES = frozenset({Role.CHIEF_INSPECTOR})
# Who may raise a flex request.
REQUESTER_ROLES = EDITOR_ROLES


def refusal_of_borough(flex, user) -> str | None:
    ids = borough_ids(user)
    if ids is not None and flex.borough_id not in ids:
        return "Only an Inspector of the request's borough can do this."
    return None


def refusal_to_raise(user, doing: str) -> str | None:
    if not has_role(user, REQUESTER_ROLES):
        return f"Your role cannot {doing} flex requests."
    return None


def refusal_to_decide(flex, user) -> str | None:
    if not has_role(user, DECIDER_ROLES):
        return "Only an Inspector or above of the borough decides flex requests."
    if refusal := refusal_of_borough(flex, user):
        return refusal
    if flex.requested_by_id == user.pk:
        return "You raised this request: another Inspector must decide it."
    return None


def refusal_to_review(flex, user) -> str | None:
    if not has_role(user, DECIDER_ROLES):
        return "Only an Inspector or above reviews a flex."
    return refusal_of_borough(flex, user)


def refusal_to_withdraw(flex, user) -> str | None:
    if flex.requested_by_id == user.pk:
        return None
    if not has_role(user, DECIDER_ROLES):
        return "Only the requester or an Inspector can withdraw a request."
    return refusal_of_borough(flex, user)


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
