"""Celery tasks: thin wrappers that call a service, retrying transient failures."""

from celery import shared_task

from config.tasks import DEFAULT_RETRY
from promises import notifications


@shared_task(**DEFAULT_RETRY)
def promises_at_risk_daily() -> int:
    return notifications.send_at_risk()
