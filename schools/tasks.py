"""Celery task for Safer Schools: recount crime and ASB around every school."""

from celery import shared_task

from config.tasks import DEFAULT_RETRY
from schools import surroundings


@shared_task(**DEFAULT_RETRY)
def refresh_surroundings() -> int:
    """police.uk months arrive monthly (and the demo's in the background after `make run`
    starts): the counts follow them overnight."""
    return surroundings.refresh()
