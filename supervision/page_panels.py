"""Panels on the borough page (the link to the recommendation, the decision in force) and on the
ward page (why the ward shares, or does not share, a sergeant). Each a fixed number of queries."""

from config.timeutils import today
from supervision.models import SupervisionDecision, SupervisionGroup
from teams.models import Posting, Team


def borough_panel(borough, request) -> dict:
    """One query: the latest decision in force and the next one ahead, if any."""
    on = today()
    decisions = list(
        SupervisionDecision.objects.filter(borough=borough).order_by("-effective_from", "-pk")[:5]
    )
    in_force = next((d for d in decisions if d.effective_from <= on), None)
    ahead = [d for d in decisions if d.effective_from > on]
    return {"in_force": in_force, "ahead": ahead[-1] if ahead else None}


def ward_panel(ward, request) -> dict:
    """Two queries: the group in force holding the ward, with its other wards; else today's
    supervising sergeants' other wards (one query)."""
    group = (
        SupervisionGroup.objects.in_force(today())
        .filter(wards=ward)
        .select_related("sergeant", "decision")
        .prefetch_related("wards")
        .first()
    )
    if group is not None:
        others = [w for w in group.wards.all() if w.pk != ward.pk]
        return {"group": group, "others": others}
    return {"group": None, "today": _today(ward)}


def _today(ward) -> list[dict]:
    postings = (
        Posting.objects.current(today())
        .filter(role=Posting.Role.SUPERVISOR, team__kind=Team.Kind.WARD)
        .filter(officer__postings__team__ward=ward, officer__postings__role=Posting.Role.SUPERVISOR)
        .select_related("officer", "team__ward")
        .order_by("officer__shoulder_number", "team__ward__name")
        .distinct()
    )
    by_officer: dict[int, dict] = {}
    for posting in postings:
        entry = by_officer.setdefault(
            posting.officer_id, {"officer": posting.officer, "others": []}
        )
        if posting.team.ward_id != ward.pk:
            entry["others"].append(posting.team.ward)
    return list(by_officer.values())
