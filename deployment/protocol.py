"""The SN Deployment Protocol's numbers and states, defined once.

Everything that states or applies them reads them from here when it runs, as `protocol.NAME`
rather than a copy taken at import: the services' checks, the review day, the forms' and the
API's help texts, the templates (the `protocol` context processor), the emails and the monthly
reports. Only the database constraint on a flex's length is fixed when the table is made."""

import datetime

from django.db import models
from django.utils.functional import lazy


class FlexStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


# A flex lasts at most 4 weeks and is reviewed at the borough's tasking meeting after 2.
MAX_FLEX_DAYS = 28
REVIEW_AFTER_DAYS = 14

# Authorised flex: an Inspector approved it. The reports count these as authorised flex, and
# duties may be recorded under them (also once ended: a shift worked before the end).
AUTHORISED_STATUSES = (FlexStatus.APPROVED, FlexStatus.ACTIVE, FlexStatus.ENDED)
# The flex holds its officers: their commitments exist.
HOLDING_STATUSES = (FlexStatus.APPROVED, FlexStatus.ACTIVE)
# Not decided yet: conflicts and cover warnings are worked out before deciding.
PENDING_STATUSES = (FlexStatus.DRAFT, FlexStatus.SUBMITTED)


def review_day(start_date: datetime.date) -> datetime.date:
    """The day a flex starting on `start_date` is due its review."""
    return start_date + datetime.timedelta(days=REVIEW_AFTER_DAYS)


def is_authorised(status: str) -> bool:
    return status in AUTHORISED_STATUSES


def numbers() -> dict:
    """The protocol's numbers, for templates (`{{ protocol.max_flex_days }}`)."""
    return {
        "max_flex_days": MAX_FLEX_DAYS,
        "max_flex_weeks": MAX_FLEX_DAYS // 7,
        "review_after_days": REVIEW_AFTER_DAYS,
        "review_after_weeks": REVIEW_AFTER_DAYS // 7,
    }


def dates_refusal(start_date, end_date) -> str | None:
    """Why a flex from `start_date` to `end_date` breaks the protocol's length rule, or None.
    The services refuse with it, the flex form reports it with every other error at once, and
    the form's script checks the same MAX_FLEX_DAYS as the dates are typed."""
    if end_date < start_date:
        return "The last day must be on or after the first day."
    days = (end_date - start_date).days + 1
    if days > MAX_FLEX_DAYS:
        return (
            f"A flex lasts at most {MAX_FLEX_DAYS} days ({MAX_FLEX_DAYS // 7} weeks) under the "
            f"protocol; this one lasts {days}."
        )
    return None


def _length_text() -> str:
    return (
        f"A flex lasts at most {MAX_FLEX_DAYS} days ({MAX_FLEX_DAYS // 7} weeks) and is "
        f"reviewed after {REVIEW_AFTER_DAYS}."
    )


def _last_day_text() -> str:
    return f"Last day; at most {MAX_FLEX_DAYS} days after the first."


def _review_text() -> str:
    return f"The {REVIEW_AFTER_DAYS}-day review"


# Help texts, worked out each time they are shown (forms and the OpenAPI schema).
length_help = lazy(_length_text, str)
last_day_help = lazy(_last_day_text, str)
review_name = lazy(_review_text, str)
