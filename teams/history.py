"""Where an officer served, day by day, from their transfer history.

An officer belongs to one borough at a time: the borough they were transferred into from each
done transfer's first day, and before their first transfer the borough that transfer took them
from. A borough records, for an officer, only time the officer served in it: duties,
abstractions, flexes, visits and activities all ask `borough_recording` or `require_served_in`
before they are written (so pages, the API and imports all follow)."""

import datetime

from django.http import Http404

from config.access import borough_ids, get_for_user
from config.errors import DomainError
from teams.models import OfficerTransfer


def _transfers_after(officer, day: datetime.date):
    """(first day, borough left) of each done transfer whose first day is after `day`, in date
    order. One query."""
    return list(
        OfficerTransfer.objects.filter(
            officer_id=officer.pk, status=OfficerTransfer.Status.DONE, effective_on__gt=day
        )
        .order_by("effective_on", "pk")
        .values_list("effective_on", "from_borough_id")
    )


def transfers_by_officer(officer_ids) -> dict[int, list]:
    """{officer id: [(first day, borough left), …]} of every done transfer of the officers, in
    date order: for checking many records of them at once (transfers_after_from). One query."""
    found: dict[int, list] = {}
    rows = (
        OfficerTransfer.objects.filter(
            officer_id__in=list(officer_ids), status=OfficerTransfer.Status.DONE
        )
        .order_by("effective_on", "pk")
        .values_list("officer_id", "effective_on", "from_borough_id")
    )
    for officer_id, effective_on, from_borough in rows:
        found.setdefault(officer_id, []).append((effective_on, from_borough))
    return found


def transfers_after_from(transfers: list, day: datetime.date) -> list:
    """What _transfers_after answers, from an officer's list of transfers_by_officer."""
    return [(effective_on, left) for effective_on, left in transfers if effective_on > day]


def borough_on(officer, day: datetime.date) -> int:
    """The id of the borough `officer` belonged to on `day`."""
    later = _transfers_after(officer, day)
    return later[0][1] if later else officer.borough_id


def boroughs_served(officer, first: datetime.date, last: datetime.date) -> set[int]:
    """The ids of the boroughs `officer` belonged to on some day from `first` to `last`. One
    query."""
    boroughs = set()
    for effective_on, left in _transfers_after(officer, first):
        boroughs.add(left)  # theirs from `first` (or the last transfer) to the day before
        if effective_on > last:
            return boroughs
    boroughs.add(officer.borough_id)
    return boroughs


def officer_read_over(queryset, user, first: datetime.date, last: datetime.date, **lookup):
    """(officer, borough id) for reading the officer's records from `first` to `last`: one of
    `user`'s boroughs' officers and their borough (config.access.get_for_user), or one who
    served in one of `user`'s boroughs on some of those days and that borough (a borough reads
    its records of the time an officer served in it after they have left, and learns nothing of
    where they went). Http404 otherwise."""
    try:
        officer = get_for_user(queryset, user, **lookup)
        return officer, officer.borough_id
    except Http404:
        ids = borough_ids(user)
        if not ids or any("\x00" in str(v) for v in lookup.values()):  # PostgreSQL refuses NUL
            raise
        officer = queryset.filter(**lookup).first()
        if officer is None:
            raise
    served = boroughs_served(officer, first, last) & set(ids)
    if not served:
        raise Http404(f"No {queryset.model._meta.verbose_name} found.")
    return officer, min(served)


def served_in(officer, borough_id: int, first: datetime.date, last: datetime.date) -> bool:
    """Whether `officer` belonged to the borough `borough_id` on every day from `first` to
    `last`. One query."""
    later = _transfers_after(officer, first)
    on_first = later[0][1] if later else officer.borough_id
    moved_within = any(effective_on <= last for effective_on, _ in later)
    return on_first == borough_id and not moved_within


def require_served_in(
    officer, borough, first: datetime.date, last: datetime.date | None = None, *, field: str
) -> None:
    """DomainError unless `officer` served in `borough` on every day from `first` to `last`. The
    message names no other borough: it may be one the reader cannot see."""
    last = last or first
    if served_in(officer, borough.pk, first, last):
        return
    when = f"on {first:%d %B %Y}" if first == last else "over those dates"
    raise DomainError(
        f"{officer.full_name} did not serve in {borough.name} {when}: a borough records only "
        "the time an officer served in it.",
        field=field,
        code="not_served_here",
    )


def borough_recording(
    officer, first: datetime.date, last: datetime.date, *, by, field: str, later=None
):
    """The id of the borough that records the officer's time from `first` to `last`: the one
    they served in then, which must be one of `by`'s boroughs. DomainError when they changed
    borough in between (each borough records its own part) or served elsewhere then. `later`:
    the officer's transfers after `first` when the caller loaded them (transfers_after_from)."""
    later = _transfers_after(officer, first) if later is None else later
    borough_id = later[0][1] if later else officer.borough_id
    if any(effective_on <= last for effective_on, _ in later):
        raise DomainError(
            f"{officer.full_name} changed borough during that time: each borough records the "
            "part the officer served in it.",
            field=field,
            code="not_served_here",
        )
    ids = borough_ids(by)
    if ids is not None and borough_id not in ids:
        when = f"on {first:%d %B %Y}" if first == last else "over those dates"
        raise DomainError(
            f"{officer.full_name} did not serve in your borough {when}: a borough records only "
            "the time an officer served in it.",
            field=field,
            code="not_served_here",
        )
    return borough_id
