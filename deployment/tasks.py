"""Celery tasks: thin wrappers that take ids and call a service, retrying transient failures.
The emails about flex requests are tasks of deployment.notifications."""

from celery import shared_task

from config.tasks import DEFAULT_RETRY
from deployment import services
from deployment.notifications import notify_flex_review_due


@shared_task(**DEFAULT_RETRY)
def flex_daily() -> dict:
    outcome = services.flex_daily_housekeeping()
    for flex_id in outcome["reviews_due"]:
        notify_flex_review_due.delay(flex_id)
    return outcome
