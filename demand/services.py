"""Starting an import: who may, and handing the file to the worker.

- data.police.uk files are London's public data and replace whole months for every borough:
  HQ and administrators import them.
- CAD calls are operational records of a borough: its staff, sergeants, inspectors and chief
  inspectors (and administrators) import calls for their own wards. Commanders and HQ only read.

The page and the API call `import_start`; the record is created at once and the Celery task runs
after the transaction commits, so the page can show the import's progress from the start."""

from django.db import transaction

from demand import importing
from demand.models import DataImport
from wards.access import EDITOR_ROLES, Role, has_role, require_role

POLICE_UK_IMPORTER_ROLES = frozenset({Role.HQ, Role.ADMIN})
CAD_IMPORTER_ROLES = EDITOR_ROLES
IMPORTER_ROLES = {
    DataImport.Kind.POLICE_UK: POLICE_UK_IMPORTER_ROLES,
    DataImport.Kind.CAD: CAD_IMPORTER_ROLES,
}


def may_import(user, kind) -> bool:
    return has_role(user, IMPORTER_ROLES[kind])


def import_start(*, kind, upload, by, source="page", all_or_nothing=False) -> DataImport:
    """Record the upload and queue its import. Raises PermissionDenied (403) for a role that may
    not import this kind, TooLarge (413) for a file past the limit."""
    require_role(by, IMPORTER_ROLES[kind])
    importing.check_size(upload.size)
    raw = upload.read()
    borough = None
    if kind == DataImport.Kind.CAD:
        boroughs = list(by.boroughs.all()[:2]) if not by.is_superuser else []
        borough = boroughs[0] if len(boroughs) == 1 else None
    with transaction.atomic():
        record = importing.create_record(
            kind=kind, file_name=upload.name, raw=raw, by=by, borough=borough, source=source
        )
        from demand.tasks import run_import

        transaction.on_commit(lambda: run_import.delay(record.pk, all_or_nothing))
    return record


def run(record_id: int, all_or_nothing: bool = False) -> DataImport:
    """Run a queued import (the worker). A record already finished is left as it is."""
    from demand import cad, police_uk

    with transaction.atomic():
        record = DataImport.objects.select_for_update().get(pk=record_id)
        if record.status != DataImport.Status.QUEUED:
            return record
        DataImport.objects.filter(pk=record.pk).update(status=DataImport.Status.RUNNING)
    raw = bytes(record.payload or b"")
    if record.kind == DataImport.Kind.POLICE_UK:
        return police_uk.import_file(record, raw, all_or_nothing=all_or_nothing)
    return cad.import_file(record, raw, by=record.imported_by, all_or_nothing=all_or_nothing)
