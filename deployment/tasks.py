"""Celery tasks: thin wrappers that take ids and call a service, retrying transient failures.
The emails about flex requests go through the outbox (deployment.notifications)."""

from celery import shared_task

from config.tasks import DEFAULT_RETRY
from deployment.flex_daily import escalate_overdue_reviews, flex_daily_housekeeping


@shared_task(**DEFAULT_RETRY)
def flex_daily() -> dict:
    """Start and end flexes whose day has come and remind of reviews due (each reminder's email
    written with its claim): a second run the same day finds nothing left to do."""
    return flex_daily_housekeeping()


@shared_task(**DEFAULT_RETRY)
def flex_reviews_overdue() -> list[int]:
    """Escalate each review not held after its due day to the borough's Chief Inspectors: once
    a day per flex (the email's key names the day), until it is held."""
    return escalate_overdue_reviews()
