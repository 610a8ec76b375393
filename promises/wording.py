"""A promise and how it is being kept, in plain words for the public team page: "We promised:
Patrol Camden High Street on Friday nights. This week we have done 1 of 2 patrols: on track."
The figures are the delivery's own (promises.delivery), never recounted here."""

from promises.delivery import AT_RISK, MET, MISSED, ON_TRACK, Delivery
from promises.models import Promise

# What one unit of each kind of promise is, singular and plural.
UNITS = {
    Promise.Kind.PATROL: ("patrol", "patrols"),
    Promise.Kind.ENGAGEMENT: ("event or meeting", "events and meetings"),
    Promise.Kind.CUSTOM: ("time", "times"),
}
HOW_IT_GOES = {
    MET: "done",
    ON_TRACK: "on track",
    AT_RISK: "behind, and we are working to catch up",
    MISSED: "not kept",
}
PERIOD_WORDS = {Promise.Period.WEEK: "this week", Promise.Period.MONTH: "this month"}


def units(kind: str, count: int) -> str:
    one, many = UNITS.get(kind, UNITS[Promise.Kind.CUSTOM])
    return one if count == 1 else many


def in_plain_words(delivery: Delivery) -> str:
    """One sentence about the promise, then one about its delivery in its current period."""
    promise = delivery.promise
    title = promise.title.strip().rstrip(".")
    period = PERIOD_WORDS[promise.effective_period()]
    if promise.kind == Promise.Kind.VISIT_ALL:
        done = f"we have visited {delivery.done} of {delivery.target} places"
    else:
        done = f"we have done {delivery.done} of {delivery.target} " + units(
            promise.kind, delivery.target
        )
    return f"We promised: {title}. {period.capitalize()} {done}: {HOW_IT_GOES[delivery.status]}."
