"""Celery tasks: thin wrappers that take ids and call a service, retrying transient failures.
The emails about flex requests go through the outbox (deployment.notifications)."""

from celery import shared_task

from config import bulkimport
from config.tasks import DEFAULT_RETRY
from deployment.flex_daily import escalate_overdue_reviews, flex_daily_housekeeping
from deployment.roster import roster_import


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


@shared_task(**DEFAULT_RETRY)
def run_roster_import(job_id: int) -> str | None:
    """Import a roster uploaded for a worker (config.bulkimport): its status when done."""
    job = bulkimport.run(job_id, roster_import)
    return job.status if job else None
