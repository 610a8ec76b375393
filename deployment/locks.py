"""The one order in which deployment's writes take their locks, so that two of them wait for each
other instead of deadlocking:

1. the borough's cover row (`lock_cover`): every decision that can take a ward below minimum
   cover (approving a flex or a change to one, recording an abstraction) takes it first, so two
   such decisions in a borough run one after the other and the second sees the first;
2. the officers, in id order (teams.services.lock_officers): every write that depends on where
   an officer is posted or what holds them (duties, transfers, visits, naming them in a flex
   request) takes them;
3. flex requests, then the rows that belong to them.

The borough's row is locked FOR NO KEY UPDATE: it does not conflict with the FOR KEY SHARE lock
PostgreSQL takes on it when another transaction inserts a row pointing at the borough (an
abstraction, a transfer), which a FOR UPDATE lock would, and which made an approval and an
abstraction of the same officers deadlock. Whatever PostgreSQL still aborts is run again by
config.transactions.decision."""

from teams.models import Officer
from teams.services import lock_officers, officer_moved
from wards.models import Borough


def lock_cover(borough_ids) -> None:
    """Take the cover lock of each borough, in id order, until the transaction ends."""
    list(
        Borough.objects.select_for_update(no_key=True)
        .filter(pk__in=list(borough_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def lock_for_cover_decision(borough_id, officer_ids) -> dict[int, Officer]:
    """The cover lock of the borough, then the officers (in id order)."""
    lock_cover([borough_id])
    return lock_officers(officer_ids)


def lock_officer_in_borough(officer) -> Officer:
    """The officer's borough's cover lock, then the officer: the borough read before it is
    locked is checked again once the officer is, so a transfer done in between is not missed."""
    borough_id = Officer.objects.values_list("borough_id", flat=True).get(pk=officer.pk)
    locked = lock_for_cover_decision(borough_id, [officer.pk])[officer.pk]
    if locked.borough_id != borough_id:
        raise officer_moved(locked)
    return locked
