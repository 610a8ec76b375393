"""Checks that look beyond the user's boroughs, logged. Some identifiers are force-wide (a
shoulder number, a crime reference, a place's source reference) and stay unique across London,
so trying one already used elsewhere must be refused; the refusal says only "already in use",
never whose or where, and the attempt is logged, so that walking identifiers is seen. The
repeat-victim flag is computed London-wide for the victims of a crime being recorded, and each
check is logged too."""

import logging

log = logging.getLogger("neighbourhood_ops.audit")


def _who(user) -> str:
    # An audit line names the account (its username) as well as the person.
    return f"{user.username} ({user}, user {user.pk})" if user is not None else "the system"


def identifier_in_use(what: str, value: str, *, by) -> str:
    """Log that `by` tried `value`, a `what` already in use, and return the refusal to show."""
    log.warning("Already in use: %s %r tried by %s", what, value, _who(by))
    return f"That {what} is already in use."


def repeat_victim_checked(*, by, crime, repeat: bool) -> None:
    log.info(
        "Repeat-victim check for a victim of crime %s, recorded by %s: %s",
        crime.reference, _who(by), "a repeat within London" if repeat else "no repeat",
    )


def rest_day_changed(action: str, rest_day, *, by) -> None:
    """A rest day recorded or deleted (deployment.rest_days): who, whose, which date."""
    log.info(
        "Rest day %s: officer %s on %s (borough %s), by %s",
        action, rest_day.officer.shoulder_number, rest_day.day.isoformat(),
        rest_day.borough_id, _who(by),
    )
