"""Celery tasks: thin wrappers that call a service, retrying transient failures."""

from celery import shared_task
from django.core.mail import send_mail
from django.db import OperationalError

from promises import notifications


@shared_task(
    autoretry_for=(OperationalError, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def promises_at_risk_daily() -> int:
    return notifications.send_at_risk()


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_email(subject: str, body: str, recipients: list[str]) -> int:
    return send_mail(subject, body, None, recipients)
