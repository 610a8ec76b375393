"""Starting an import: who may, and handing the file to the worker.

- data.police.uk files are London's public data and replace whole months for every borough:
  HQ and administrators import them.
- CAD calls are operational records of a borough: its staff, sergeants, inspectors and chief
  inspectors (and administrators) import calls for their own wards. Commanders and HQ only read.

The page and the API call `import_start`; the record is created at once and the Celery task runs
after the transaction commits, so the page can show the import's progress from the start."""

from django.db import transaction

from config.access import EDITOR_ROLES, Role, has_role, require_role
from demand import importing
from demand.models import DataImport
from demand.tasks import run_import

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
        transaction.on_commit(lambda: run_import.delay(record.pk, all_or_nothing))
    return record
