"""Background work for contact: thin tasks that call `contact.services`."""

from celery import shared_task

from config.tasks import DEFAULT_RETRY
from contact import services


@shared_task(**DEFAULT_RETRY)
def delete_expired_messages() -> int:
    """Delete messages kept CONTACT_RETENTION_DAYS (config/schedule.py runs it nightly)."""
    return services.messages_delete_expired()
