"""Large CSV imports run by a worker, whatever their rows mean (a roster, crimes).

The request checks the upload (its size, by config/guards.py; its header and row count, by the
app's service), records a BulkImport holding the file and queues the app's task, then answers
at once with where to follow it. The task claims the import and hands the file to the app's bulk
service, which reports progress here as it reads the rows (each report commits on its own, so a
page or the API polling the import sees it within a second or two) and writes the rows in one
transaction: all or nothing, or the valid rows only, exactly as a small file imported at once."""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from config.access import borough_ids
from config.errors import DomainError
from config.models import BulkImport

log = logging.getLogger(__name__)

ERRORS_KEPT = 200
# Progress is written at most this often (seconds): the page polls every two.
PROGRESS_EVERY = 0.5


def queued(size: int) -> bool:
    """Whether a file of `size` rows is imported by a worker rather than in the request."""
    return size > settings.IMPORT_IN_REQUEST_MAX_ROWS


def start(
    *, kind: str, task, text: str, rows: int, by, valid_only: bool, file_name=""
) -> BulkImport:
    """Record the import and queue `task` (called with the import's id) once it commits."""
    ids = borough_ids(by)
    with transaction.atomic():
        job = BulkImport.objects.create(
            kind=kind,
            valid_only=valid_only,
            file_name=(file_name or "upload.csv")[:200],
            boroughs=sorted(ids) if ids is not None else [],
            user_id=by.pk,
            username=by.get_username(),
            rows_total=rows,
            payload=text,
        )
        transaction.on_commit(lambda: task.delay(job.pk))
    return job


def import_or_queue(*, kind, service, task, text, rows: int, by, valid_only, file_name=""):
    """A file of up to IMPORT_IN_REQUEST_MAX_ROWS rows imported now (the service's result), a
    larger one recorded and queued for `task` (the BulkImport). The caller has checked the
    user's role and the file's header."""
    if not queued(rows):
        return service(text=text, by=by, valid_only=valid_only)
    return start(
        kind=kind, task=task, text=text, rows=rows, by=by, valid_only=valid_only,
        file_name=file_name,
    )  # fmt: skip


class Progress:
    """Called by a bulk service with how many rows it has read and rejected so far."""

    def __init__(self, job: BulkImport):
        self.job = job
        self._last = 0.0

    def __call__(self, done: int, errors: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < PROGRESS_EVERY:
            return
        self._last = now
        BulkImport.objects.filter(pk=self.job.pk).update(rows_done=done, error_count=errors)


def _claim(job_id: int) -> BulkImport | None:
    """Take the import under its row lock: a second delivery of the task finds it taken. A claim
    older than the task time limit belongs to a worker that died (its write was one transaction,
    so nothing of it was kept): it is run again."""
    with transaction.atomic():
        job = BulkImport.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None
        stale = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
        dead = job.status == BulkImport.Status.RUNNING and (
            job.started_at is None or job.started_at < stale
        )
        if job.status != BulkImport.Status.QUEUED and not dead:
            return None
        job.status, job.started_at = BulkImport.Status.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
    return job


def run(job_id: int, service) -> BulkImport | None:
    """The task's body: run the import `job_id` through `service(text=, by=, valid_only=,
    progress=)`, which returns a result with `imported`, `rejected` [(line, message)] and
    `committed`, and record what became of it."""
    job = _claim(job_id)
    if job is None:
        return None
    user = get_user_model().objects.filter(pk=job.user_id, is_active=True).first()
    try:
        if user is None:
            raise PermissionDenied("The importer's account is no longer active.")
        result = service(
            text=job.payload, by=user, valid_only=job.valid_only, progress=Progress(job)
        )
    except DomainError as exc:
        return _finish(job, failure=exc.message)
    except PermissionDenied as exc:
        return _finish(job, failure=str(exc) or "Your role cannot import this.")
    except (OperationalError, InterfaceError):
        # Transient: the task is tried again (DEFAULT_RETRY), and must find it queued.
        BulkImport.objects.filter(pk=job.pk).update(status=BulkImport.Status.QUEUED)
        raise
    except Exception as exc:
        log.exception("Import %s failed", job.pk)
        return _finish(job, failure=f"The import failed unexpectedly: {exc.__class__.__name__}.")
    return _finish(job, result=result)


def _finish(job: BulkImport, *, result=None, failure: str = "") -> BulkImport:
    rejected = list(result.rejected) if result is not None else []
    job.errors = [error_entry(*entry) for entry in rejected[:ERRORS_KEPT]]
    job.error_count = len(rejected)
    job.rows_created = result.imported if result is not None else 0
    job.rows_done = job.rows_total if result is not None else job.rows_done
    if result is not None and rejected and not job.valid_only:
        failure = f"{len(rejected):,} row(s) were rejected, so nothing was imported."
    job.failure = failure
    job.status = BulkImport.Status.FAILED if failure else BulkImport.Status.DONE
    job.finished_at = timezone.now()
    job.payload = ""
    job.save()
    return job


def error_entry(line: int, message: str, field: str = "") -> dict:
    return {"row": line, "field": field, "message": message}
