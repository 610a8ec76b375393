"""What teams asks of the apps built on it, without importing them.

An officer's transfer (teams.services) must find them clear of their old borough from the day
they leave. Teams knows their postings; the apps above it know what else holds them there
(deployment: flexes, abstractions and duties; promises: promises they own; victims: visits
scheduled with them). Each of those apps connects a receiver to `officer_leaving_borough` in its
AppConfig.ready(); receivers are asked in the order the apps are installed."""

from django.dispatch import Signal

# Sent by teams.services before a transfer is done, with sender=Officer and the keywords
# `officer`, `effective_on` (their first day in the new borough) and `starts_at` (London
# midnight at the start of that day). A receiver answers a sentence saying what still holds the
# officer in the old borough from then (the transfer is refused with it), or None.
officer_leaving_borough = Signal()


def still_committed(officer, effective_on, starts_at) -> str | None:
    """The first reason any app gives for the officer still being committed, or None."""
    answers = officer_leaving_borough.send(
        sender=type(officer), officer=officer, effective_on=effective_on, starts_at=starts_at
    )
    return next((answer for _receiver, answer in answers if answer), None)
