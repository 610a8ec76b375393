"""Running a queued import (the worker's side of demand.services.import_start)."""

from django.db import transaction

from demand import cad, police_uk
from demand.models import DataImport


def run(record_id: int, all_or_nothing: bool = False) -> DataImport:
    """Run a queued import (the worker). A record already finished is left as it is."""
    with transaction.atomic():
        record = DataImport.objects.select_for_update().get(pk=record_id)
        if record.status != DataImport.Status.QUEUED:
            return record
        DataImport.objects.filter(pk=record.pk).update(status=DataImport.Status.RUNNING)
    raw = bytes(record.payload or b"")
    if record.kind == DataImport.Kind.POLICE_UK:
        return police_uk.import_file(record, raw, all_or_nothing=all_or_nothing)
    return cad.import_file(record, raw, by=record.imported_by, all_or_nothing=all_or_nothing)
