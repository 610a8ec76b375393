"""Celery tasks: thin wrappers that call a service, retrying transient failures."""

from celery import shared_task
from django.db import OperationalError

from promises import notifications


@shared_task(
    autoretry_for=(OperationalError, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def promises_at_risk_daily() -> int:
    return notifications.send_at_risk()
