"""Reads for deployment: home wards, commitments and conflicts (ward cover: deployment.cover).
Each function runs a fixed number of queries whatever the number of officers, days or wards
involved."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

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
    ).select_related("officer", "abstraction__abstraction_type")
    if exclude_flex is not None:
        qs = qs.exclude(flex_request=exclude_flex)
    return [Conflict(c.officer, c) for c in qs.order_by("starts_at")]


def flex_conflicts(flex: FlexRequest) -> list[Conflict]:
    starts_at, ends_at = day_bounds(flex.start_date, flex.end_date)
    officer_ids = [m.officer_id for m in flex.members.all()]
    return commitment_conflicts(officer_ids, starts_at, ends_at, exclude_flex=flex)


def commitments_between(officer_ids, first, last, **related):
    """The commitments of the officers that touch [first, last] (London days). One query."""
    starts_at, ends_at = day_bounds(first, last)
    qs = Commitment.objects.filter(
        officer_id__in=list(officer_ids), starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    return list(qs.select_related(*related.get("select", ())).order_by("starts_at", "pk"))


def commitments_by_officer(officer_ids, first: datetime.date, last: datetime.date):
    """{officer id: [Commitment]}: what holds each officer between `first` and `last` (an
    approved flex, with its ward, or an abstraction, with its type). One query."""
    by_officer = defaultdict(list)
    for c in commitments_between(
        officer_ids,
        first,
        last,
        select=("flex_request__to_ward", "abstraction__abstraction_type"),
    ):
        by_officer[c.officer_id].append(c)
    return by_officer
