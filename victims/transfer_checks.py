"""Victims' answer when an officer is about to leave their borough (teams.signals): victim visits
scheduled with them on or after the day they go."""

from victims.models import OfferStatus, VisitOffer


def officer_committed(sender, *, officer, effective_on, starts_at, **kwargs) -> str | None:
    scheduled = VisitOffer.objects.filter(
        officer=officer, status=OfferStatus.SCHEDULED, window_end__gt=starts_at
    )
    if not scheduled.exists():
        return None
    return (
        f"{officer.full_name} has victim visits scheduled on or after "
        f"{effective_on:%d %B %Y}: give them to another officer first."
    )
