"""Celery tasks: thin wrappers that take ids and call a service, retrying transient failures.
The emails about flex requests go through the outbox (deployment.notifications)."""

from celery import shared_task

from config.tasks import DEFAULT_RETRY
from deployment.flex_daily import flex_daily_housekeeping


@shared_task(**DEFAULT_RETRY)
def flex_daily() -> dict:
    """Start and end flexes whose day has come and remind of reviews due (each reminder's email
    written with its claim): a second run the same day finds nothing left to do."""
    return flex_daily_housekeeping()
