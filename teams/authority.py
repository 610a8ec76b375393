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

from django.db.models import Q

from config.access import Role, holds_role, member_of
from teams.models import Posting, Rank, rank_at_least
from wards.models import Ward

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


def own_ward_ids(user) -> set[int]:
    """The wards of the teams the user's linked officer is posted to today: a ward team's ward,
    or every ward of a cluster team's cluster. Empty with no linked officer. One query, cached on
    the user for the request. What a constable may see of promises and activities."""
    cached = getattr(user, "_own_ward_ids", None)
    if cached is not None:
        return cached
    cached = set()
    if getattr(user, "officer_id", None):
        teams = Posting.objects.current().filter(officer_id=user.officer_id).values("team")
        cached = set(
            Ward.objects.filter(Q(team__in=teams) | Q(cluster__inpt__in=teams))
            .values_list("pk", flat=True)
        )
    user._own_ward_ids = cached
    return cached


def own_ward(user):
    """The ward of the user's linked officer's main posting today, when that is a ward team
    (a sergeant's first ward, a dedicated officer's ward), else None. One query."""
    if not getattr(user, "officer_id", None):
        return None
    posting = (
        Posting.objects.current()
        .filter(officer_id=user.officer_id, is_primary=True, team__ward__isnull=False)
        .select_related("team__ward__borough")
        .defer("team__ward__boundary")
        .order_by("-start_date")
        .first()
    )
    return posting.team.ward if posting else None


def team_officer_ids(ward) -> set[int]:
    """The officers posted to the ward's own team today (one query)."""
    return set(
        Posting.objects.current().filter(team__ward=ward).values_list("officer_id", flat=True)
    )
