"""Background work for victims: thin tasks that call `victims.services`."""

from celery import shared_task

from config import bulkimport
from config.tasks import DEFAULT_RETRY
from victims import services
from victims.importer import crimes_import


@shared_task(**DEFAULT_RETRY)
def anonymise_victims() -> int:
    """Remove victims' personal data a configured time after their crime closed."""
    return services.victims_anonymise()


@shared_task(**DEFAULT_RETRY)
def run_crime_import(job_id: int) -> str | None:
    """Import a crimes file uploaded for a worker (config.bulkimport): its status when done."""
    job = bulkimport.run(job_id, crimes_import)
    return job.status if job else None
