"""Reads for deployment: home wards, commitments and conflicts (ward cover: deployment.cover).
Each function runs a fixed number of queries whatever the number of officers, days or wards
involved."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.timezone import localtime

from config.timeutils import day_bounds
from deployment.models import Commitment, FlexRequest
from teams.models import Officer, Posting


def home_wards(officer_ids, on: datetime.date) -> dict[int, object]:
    """{officer id: Ward} from each officer's primary ward-team posting on `on`."""
    postings = (
        Posting.objects.current(on)
        .filter(officer_id__in=list(officer_ids), is_primary=True, team__ward__isnull=False)
        .select_related("team__ward")
    )
    return {p.officer_id: p.team.ward for p in postings}


def home_ward_postings(officer_ids, first: datetime.date, last: datetime.date) -> dict:
    """{officer id: [(start, end or None, Ward), …]} of the primary ward-team postings that
    touch `first`…`last`, for finding many home wards at once (home_ward_on). One query."""
    postings = (
        Posting.objects.filter(
            officer_id__in=list(officer_ids), is_primary=True, team__ward__isnull=False,
            start_date__lte=last,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .select_related("team__ward")
        .order_by("start_date", "pk")
    )  # fmt: skip
    found: dict[int, list] = {}
    for p in postings:
        found.setdefault(p.officer_id, []).append((p.start_date, p.end_date, p.team.ward))
    return found


def home_ward_on(postings: list, on: datetime.date):
    """home_wards' answer for one officer on `on`, from their home_ward_postings."""
    home = None
    for start, end, ward in postings:
        if start <= on and (end is None or end >= on):
            home = ward
    return home


@dataclass(frozen=True)
class Conflict:
    officer: Officer
    commitment: Commitment

    @property
    def message(self) -> str:
        c = self.commitment
        if c.flex_request_id:
            what = f"approved flex #{c.flex_request_id}"
        else:
            what = f"an abstraction ({c.abstraction.abstraction_type})"
        starts, ends = localtime(c.starts_at), localtime(c.ends_at)
        return (
            f"{self.officer.full_name} is already committed to {what} "
            f"from {starts:%d %b %Y %H:%M} to {ends:%d %b %Y %H:%M}."
        )


def commitment_conflicts(officer_ids, starts_at, ends_at, *, exclude_flex=None) -> list[Conflict]:
    qs = Commitment.objects.filter(
        officer_id__in=list(officer_ids), starts_at__lt=ends_at, ends_at__gt=starts_at
    ).select_related("officer", "flex_request", "abstraction__abstraction_type")
    if exclude_flex is not None:
        qs = qs.exclude(flex_request=exclude_flex)
    return [Conflict(c.officer, c) for c in qs.order_by("starts_at")]


def commitment_borough_id(commitment) -> int:
    """The borough a commitment is a record of: its flex's, or its abstraction's."""
    if commitment.flex_request_id:
        return commitment.flex_request.borough_id
    return commitment.abstraction.borough_id


def of_flex_borough(flex: FlexRequest, *, conflicts=(), gaps=()) -> tuple[list, list]:
    """What a flex request's page may show of its warnings: the conflicts and cover gaps of its
    own borough. (An officer who served in another borough before brings none of its records:
    its abstractions and its wards are that borough's to see.)"""
    return (
        [c for c in conflicts if commitment_borough_id(c.commitment) == flex.borough_id],
        [g for g in gaps if g.ward.borough_id == flex.borough_id],
    )


def flex_conflicts(flex: FlexRequest) -> list[Conflict]:
    starts_at, ends_at = day_bounds(flex.start_date, flex.end_date)
    officer_ids = [m.officer_id for m in flex.members.all()]
    return commitment_conflicts(officer_ids, starts_at, ends_at, exclude_flex=flex)


def commitments_between(officer_ids, first, last, *, user=None, **related):
    """The commitments of the officers that touch [first, last] (London days), only those of
    `user`'s boroughs when given. One query."""
    starts_at, ends_at = day_bounds(first, last)
    qs = Commitment.objects.all() if user is None else Commitment.objects.for_user(user)
    qs = qs.filter(
        officer_id__in=list(officer_ids), starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    return list(qs.select_related(*related.get("select", ())).order_by("starts_at", "pk"))


def commitments_by_officer(officer_ids, first: datetime.date, last: datetime.date, *, user):
    """{officer id: [Commitment]}: what holds each officer between `first` and `last` (an
    approved flex, with its ward, or an abstraction, with its type), as far as `user`'s
    boroughs know: an officer who transferred in brings no record of the borough before. One
    query."""
    by_officer = defaultdict(list)
    for c in commitments_between(
        officer_ids,
        first,
        last,
        user=user,
        select=("flex_request__to_ward", "abstraction__abstraction_type"),
    ):
        by_officer[c.officer_id].append(c)
    return by_officer
