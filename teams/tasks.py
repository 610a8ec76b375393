"""Celery tasks for teams: thin wrappers over teams.services, retrying transient failures."""

from celery import shared_task

from config.tasks import DEFAULT_RETRY
from teams import services


@shared_task(**DEFAULT_RETRY)
def transfers_due() -> dict:
    """Do the planned officer transfers whose day has come (see the beat schedule)."""
    return services.transfers_due()
