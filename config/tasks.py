"""The one retry policy every Celery task starts from, and the project-wide periodic tasks.

Each task passes `**DEFAULT_RETRY` (or a dict built from it) to `shared_task`, so a transient
failure (the database or the broker briefly away, a network timeout) is retried the same way
everywhere: exponential back-off with jitter, up to ten minutes apart, five times. Tasks that
wait for something else (the monthly roll-up waiting for the boroughs) or talk to a mail server
(SMTP errors are retried too) extend it explicitly where they are declared."""

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

from config.tokens import delete_expired_tokens

# Errors that may go away if the task runs again a little later.
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    BrokerOperationalError,
    ConnectionError,
    TimeoutError,
)

DEFAULT_RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    # The longest wait between tries, declared with the time limits (it sets the broker's
    # visibility timeout: config/settings/base.py).
    "retry_backoff_max": settings.CELERY_TASK_RETRY_BACKOFF_MAX,
    "retry_jitter": True,
    "max_retries": 5,
}


def retry_also_on(*errors) -> dict:
    """DEFAULT_RETRY, retrying `errors` as well (e.g. a mail server's refusal)."""
    return {**DEFAULT_RETRY, "autoretry_for": (*TRANSIENT_ERRORS, *errors)}


def registered_as(name: str, *old_names: str, **options):
    """`shared_task(name=name, **options)`, also registered under each of `old_names` (where the
    task was declared before it moved), so a message already queued under an old name still
    runs."""

    def register(fn):
        for old in old_names:
            shared_task(name=old, **options)(fn)
        return shared_task(name=name, **options)(fn)

    return register


@shared_task(**DEFAULT_RETRY)
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry; returns how many went."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(**DEFAULT_RETRY)
def clear_expired_tokens() -> int:
    """Delete API tokens past their expiry (they no longer open anything); returns how many."""
    return delete_expired_tokens()
