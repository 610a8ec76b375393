"""Celery tasks for teams: thin wrappers over teams.services, retrying transient failures."""

from celery import shared_task
from django.db import OperationalError

from teams import services


@shared_task(
    autoretry_for=(OperationalError, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def transfers_due() -> dict:
    """Do the planned officer transfers whose day has come (see the beat schedule)."""
    return services.transfers_due()
