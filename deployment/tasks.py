"""Celery tasks: thin wrappers that take ids and call a service, retrying transient failures."""

from celery import shared_task
from django.db import OperationalError

from deployment import notifications, services

RETRY = {
    "autoretry_for": (OperationalError, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**RETRY)
def notify_flex_submitted(flex_id: int) -> int:
    return notifications.send_submitted(flex_id)


@shared_task(**RETRY)
def notify_flex_decided(flex_id: int) -> int:
    return notifications.send_decided(flex_id)


@shared_task(**RETRY)
def notify_flex_review_due(flex_id: int) -> int:
    return notifications.send_review_due(flex_id)


@shared_task(**RETRY)
def flex_daily() -> dict:
    outcome = services.flex_daily_housekeeping()
    for flex_id in outcome["reviews_due"]:
        notify_flex_review_due.delay(flex_id)
    return outcome
