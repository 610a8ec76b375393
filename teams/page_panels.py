"""What teams shows on the pages of places (config.panels): each ward's dedicated strength
against the minimum cover, its team, supervisors and officers, a borough's wards and integrated
teams. Registered in TeamsConfig.ready()."""

from collections import defaultdict

from config.access import can_edit, sees_all_boroughs
from teams import strength
from teams.models import Posting, Team
from teams.strength import (
    BOROUGH_COVER_COLUMNS,
    WARD_STRENGTH_COLUMNS,
    boroughs_with_cover,
    with_strength,
)
from wards.models import Borough, Ward, WardCluster

POSTING_COLUMNS = ("Rank", "Name", "Shoulder number", "Role", "Since")


def register() -> None:
    from config import panels

    panels.register(
        "home", "teams.boroughs", template="teams/panels/home_boroughs.html",
        context=home_boroughs, order=10,
    )
    panels.register(
        "bcu", "teams.boroughs", template="teams/panels/bcu_boroughs.html",
        context=bcu_boroughs, order=10,
    )
    panels.register(
        "borough", "teams.borough", template="teams/panels/borough.html",
        context=borough_wards, order=10,
    )
    panels.register(
        "ward", "teams.cover", template="teams/panels/ward_cover.html",
        context=ward_cover, order=10,
        select=lambda wards: with_strength(wards).select_related("team", "cluster__inpt"),
    )
    panels.register(
        "ward", "teams.team", template="teams/panels/ward_team.html",
        context=ward_team, order=40,
    )


# --- home and BCU: boroughs and how many of their wards are below minimum cover ---------------


def home_boroughs(_, request) -> dict:
    """The user's boroughs grouped by BCU (every borough for HQ and admins). Two queries."""
    user = request.user
    boroughs = list(
        Borough.objects.for_user(user).select_related("bcu").order_by("bcu__name", "name")
    )
    min_pcs, min_pcsos = strength.minimum_cover()
    return {
        "sees_all": sees_all_boroughs(user),
        "boroughs": boroughs_with_cover(Ward.objects.for_user(user), boroughs),
        "min_pcs": min_pcs,
        "min_pcsos": min_pcsos,
        "columns": BOROUGH_COVER_COLUMNS,
    }


def bcu_boroughs(bcu, request) -> dict:
    """The user's boroughs of the BCU (fetched by the page). One query."""
    wards = Ward.objects.for_user(request.user)
    return {
        "boroughs": boroughs_with_cover(wards, bcu.visible_boroughs),
        "columns": BOROUGH_COVER_COLUMNS,
    }


# --- a borough: its wards' cover, its clusters and integrated teams ----------------------------


def borough_wards(borough, request) -> dict:
    """Three queries: the wards with their strength, the clusters, the borough-wide INPTs."""
    user = request.user
    wards = list(
        with_strength(Ward.objects.for_user(user).filter(borough=borough))
        .select_related("cluster")
        .order_by("-below_minimum", "name")
    )
    return {
        "wards": wards,
        "below_minimum": sum(1 for w in wards if w.below_minimum),
        "clusters": _clusters_with_inpts(user, borough, wards),
        "borough_inpts": _borough_wide_inpts(user, borough),
        "columns": WARD_STRENGTH_COLUMNS,
    }


def _clusters_with_inpts(user, borough, wards):
    """The borough's clusters, each with `inpt_team` (or None) and `ward_list`. One query."""
    clusters = list(
        WardCluster.objects.for_user(user).filter(borough=borough).select_related("inpt")
    )
    by_cluster = defaultdict(list)
    for ward in sorted(wards, key=lambda w: w.name):
        by_cluster[ward.cluster_id].append(ward)
    for cluster in clusters:
        cluster.ward_list = by_cluster[cluster.pk]
        cluster.inpt_team = getattr(cluster, "inpt", None)
    return clusters


def _borough_wide_inpts(user, borough):
    return list(
        Team.objects.for_user(user).filter(
            borough=borough, kind=Team.Kind.INPT, cluster__isnull=True
        )
    )


# --- a ward: its cover, its team, supervisors and officers ------------------------------------


def ward_cover(ward, request) -> dict:
    """Whether the ward is below minimum cover (annotated by this panel's `select`). No query."""
    return {"team": getattr(ward, "team", None), "can_edit": can_edit(request.user)}


def ward_team(ward, request) -> dict:
    """The ward's team, supervising sergeants and officers posted today. Three queries."""
    user = request.user
    team = getattr(ward, "team", None)
    postings = _current_postings(user, team)
    return {
        "team": team,
        "postings": postings,
        "supervisors": _supervisors(user, team, postings),
        "inpt": getattr(ward.cluster, "inpt", None) if ward.cluster_id else None,
        "inpt_leads": _inpt_leads(user, ward),
        "officer_columns": POSTING_COLUMNS,
    }


def current_postings(user, team):
    """The team's postings today, by role then name."""
    return list(
        Posting.objects.for_user(user)
        .current()
        .filter(team=team)
        .select_related("officer")
        .order_by("role", "officer__last_name", "officer__first_name")
    )


def _current_postings(user, team):
    return [] if team is None else current_postings(user, team)


def _supervisors(user, team, postings):
    """The team's supervising sergeants' postings, each with `other_wards`: the other wards that
    sergeant supervises today (shared supervision). One query."""
    if team is None:
        return []
    team_supervisors = (
        Posting.objects.current()
        .filter(team=team, role=Posting.Role.SUPERVISOR)
        .values("officer_id")
    )
    others = (
        Posting.objects.for_user(user)
        .current()
        .filter(role=Posting.Role.SUPERVISOR, officer_id__in=team_supervisors)
        .exclude(team=team)
        .filter(team__ward__isnull=False)
        .select_related("team__ward")
        .order_by("team__ward__name")
    )
    shared = defaultdict(list)
    for posting in others:
        shared[posting.officer_id].append(posting.team.ward)
    supervisors = [p for p in postings if p.role == Posting.Role.SUPERVISOR]
    for posting in supervisors:
        posting.other_wards = shared[posting.officer_id]
    return supervisors


def _inpt_leads(user, ward):
    """The current lead Inspector(s) of the INPT of the ward's cluster. One query."""
    if not ward.cluster_id:
        return []
    return list(
        Posting.objects.for_user(user)
        .current()
        .filter(role=Posting.Role.LEAD, team__cluster_id=ward.cluster_id)
        .select_related("officer")
    )
