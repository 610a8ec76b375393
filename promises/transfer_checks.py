"""Promises' answer when an officer is about to leave their borough (teams.signals): a promise
they own that runs on or after the day they go."""

from django.db.models import Q

from promises.models import Promise


def officer_committed(sender, *, officer, effective_on, starts_at, **kwargs) -> str | None:
    promise = (
        Promise.objects.filter(owner_officer=officer)
        .filter(Q(end__isnull=True) | Q(end__gte=effective_on))
        .values_list("title", flat=True)
        .first()
    )
    if promise is None:
        return None
    return f"{officer.full_name} owns the promise '{promise}': give it to another officer first."
