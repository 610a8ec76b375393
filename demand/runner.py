"""Running a queued import (the worker's side of demand.services.import_start)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from demand import cad, police_uk
from demand.models import DataImport


def run(record_id: int, all_or_nothing: bool = False) -> DataImport:
    """Run a queued import (the worker). The claim is taken under the row's lock, so a second
    delivery of the task waits and then finds it taken (or finished). A claim older than the
    task time limit belongs to a worker that died: its import saved nothing (the save is one
    transaction), so it is claimed and run again."""
    with transaction.atomic():
        record = DataImport.objects.select_for_update().get(pk=record_id)
        stale = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
        dead = record.status == DataImport.Status.RUNNING and (
            record.started_at is None or record.started_at < stale
        )
        if record.status != DataImport.Status.QUEUED and not dead:
            return record
        record.started_at = timezone.now()
        DataImport.objects.filter(pk=record.pk).update(
            status=DataImport.Status.RUNNING, started_at=record.started_at
        )
    raw = bytes(record.payload or b"")
    if record.kind == DataImport.Kind.POLICE_UK:
        return police_uk.import_file(record, raw, all_or_nothing=all_or_nothing)
    return cad.import_file(record, raw, by=record.imported_by, all_or_nothing=all_or_nothing)
