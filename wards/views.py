"""Pages for London's policing geography: a BCU, a borough and a ward. Everything is fetched
through the user's borough scope, so an outsider gets 404."""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render

from teams.models import Posting, Team
from wards.access import can_edit, get_for_user
from wards.models import Borough, Place, Ward, WardCluster

WARD_STRENGTH_COLUMNS = ("Ward", "Cluster", "Dedicated PCs", "Dedicated PCSOs", "Cover")
BOROUGH_COLUMNS = ("Borough", "ONS code", "Wards below minimum cover")
POSTING_COLUMNS = ("Rank", "Name", "Shoulder number", "Role", "Since")
PLACE_COLUMNS = ("Place", "Kind", "Address")


def below_minimum_counts(user) -> dict[int, int]:
    """Borough id -> number of the user's wards below minimum dedicated cover. One query."""
    rows = (
        Ward.objects.for_user(user)
        .with_strength()
        .filter(below_minimum=True)
        .order_by()
        .values("borough_id")
        .annotate(n=Count("pk"))
    )
    return {row["borough_id"]: row["n"] for row in rows}


def boroughs_with_cover(user, boroughs):
    """The boroughs, each with `wards_below_minimum` set."""
    counts = below_minimum_counts(user)
    for borough in boroughs:
        borough.wards_below_minimum = counts.get(borough.pk, 0)
    return boroughs


@login_required
def bcu(request, code):
    boroughs = list(
        Borough.objects.for_user(request.user).filter(bcu__code=code).select_related("bcu")
    )
    if not boroughs:
        raise Http404("No BCU found.")
    return render(
        request,
        "wards/bcu.html",
        {
            "bcu": boroughs[0].bcu,
            "boroughs": boroughs_with_cover(request.user, boroughs),
            "columns": BOROUGH_COLUMNS,
        },
    )


@login_required
def borough(request, code):
    borough = get_for_user(Borough.objects.select_related("bcu"), request.user, code=code)
    wards = list(
        Ward.objects.for_user(request.user)
        .filter(borough=borough)
        .with_strength()
        .select_related("cluster")
        .order_by("-below_minimum", "name")
    )
    return render(
        request,
        "wards/borough.html",
        {
            "borough": borough,
            "wards": wards,
            "below_minimum": sum(1 for w in wards if w.below_minimum),
            "clusters": _clusters_with_inpts(request.user, borough, wards),
            "borough_inpts": _borough_wide_inpts(request.user, borough),
            "columns": WARD_STRENGTH_COLUMNS,
        },
    )


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


@login_required
def ward(request, code):
    user = request.user
    ward = get_for_user(
        Ward.objects.with_strength().select_related("borough__bcu", "cluster__inpt", "team"),
        user,
        code=code,
    )
    team = getattr(ward, "team", None)
    postings = _current_postings(user, team)
    return render(
        request,
        "wards/ward.html",
        {
            "ward": ward,
            "team": team,
            "postings": postings,
            "supervisors": _supervisors(user, team, postings),
            "inpt": getattr(ward.cluster, "inpt", None) if ward.cluster_id else None,
            "inpt_leads": _inpt_leads(user, ward),
            "places": list(Place.objects.for_user(user).filter(ward=ward).order_by("kind", "name")),
            "can_edit": can_edit(user),
            "officer_columns": POSTING_COLUMNS,
            "place_columns": PLACE_COLUMNS,
        },
    )


def _current_postings(user, team):
    if team is None:
        return []
    return list(
        Posting.objects.for_user(user)
        .current()
        .filter(team=team)
        .select_related("officer")
        .order_by("role", "officer__last_name", "officer__first_name")
    )


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
