"""Who holds operational authority in a borough: the one test behind every decision the SN
Deployment Protocol reserves to a rank (deciding or reviewing a flex, accepting a ward below
minimum cover, authorising an abstraction).

It goes by rank and borough alone:
- the user's role (config.access.holds_role): never being a superuser or an administrator;
- the borough the user belongs to by their own grants (config.access.member_of), not the
  boroughs they may see;
- where the user's login is linked to an officer, that officer's rank too: an active officer of
  the same borough, of at least the rank the role stands for. An Inspector's login linked to a
  sergeant does not decide; a Chief Inspector's login linked to an Inspector decides as one."""

from config.access import Role, holds_role, member_of
from teams.models import Rank, rank_at_least

# The rank each operational role stands for.
ROLE_RANK = {
    Role.INSPECTOR: Rank.INSPECTOR,
    Role.CHIEF_INSPECTOR: Rank.CHIEF_INSPECTOR,
}


def linked_officer(user):
    """The officer the user's login is linked to, or None (one query, then cached by Django)."""
    if not getattr(user, "officer_id", None):
        return None
    return user.officer


def rank_refusal(user, rank: str) -> str | None:
    """Why the user's linked officer does not hold `rank` (None when they do or no officer is
    linked)."""
    officer = linked_officer(user)
    if officer is None:
        return None
    if not officer.active:
        return f"Your login is linked to {officer.full_name}, who is no longer an active officer."
    if not rank_at_least(officer.rank, rank):
        return (
            f"Your login is linked to {officer.rank_title} {officer.full_name}: this needs "
            f"{_a(Rank(rank).label)} or above."
        )
    return None


def authority_refusal(user, *, roles, borough_id, doing: str) -> str | None:
    """None when `user` may do `doing` in the borough by role, rank and membership; else the
    sentence saying why not. `roles` are the roles that may (each stands for a rank: ROLE_RANK)."""
    ranks = sorted((ROLE_RANK[r] for r in roles), key=lambda r: list(Rank).index(r))
    needed = _a(Rank(ranks[0]).label)
    if not holds_role(user, roles):
        return f"Only {needed} or above of the borough can {doing}."
    if not member_of(user, borough_id):
        return f"Only {needed} or above of this borough can {doing}."
    officer = linked_officer(user)
    if officer is not None and officer.borough_id != borough_id:
        return (
            f"Your login is linked to {officer.full_name}, an officer of another borough: only "
            f"{needed} or above of this borough can {doing}."
        )
    return rank_refusal(user, ranks[0])


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'AEIOU' else 'a'} {noun}"
