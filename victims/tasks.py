"""Background work for victims: thin tasks that call `victims.services`."""

from celery import shared_task

from config.tasks import DEFAULT_RETRY
from victims import services


@shared_task(**DEFAULT_RETRY)
def anonymise_victims() -> int:
    """Remove victims' personal data a configured time after their crime closed."""
    return services.victims_anonymise()
