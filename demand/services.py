"""Starting an import: who may, and handing the file to the worker.

- data.police.uk files are London's public data and replace whole months for every borough:
  HQ and administrators import them.
- CAD calls are operational records of a borough: its staff, sergeants, inspectors and chief
  inspectors (and administrators) import calls for their own wards. Commanders and HQ only read.

The page and the API call `import_start`; the record is created at once and the Celery task runs
after the transaction commits, so the page can show the import's progress from the start."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from config.access import EDITOR_ROLES, Role, has_role, require_role
from config.errors import DomainError
from demand import cad, importing, police_uk
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


def file_kind(header: list[str]) -> str | None:
    """What a file holds, from its header: data.police.uk's exact header, or the CAD format's."""
    names = [h.strip() for h in header]
    if names == police_uk.HEADER:
        return DataImport.Kind.POLICE_UK
    if cad.REQUIRED <= set(names) and set(names) <= set(cad.COLUMNS):
        return DataImport.Kind.CAD
    return None


def readable_kind(raw: bytes) -> str | None:
    """Read the whole file now (a file that is not CSV is a 400 at once, not a failed import
    later) and say what its header says it holds."""
    rows = importing.csv_rows(importing.decode(raw))
    header = next(rows, None)
    for _row in rows:
        pass
    return file_kind(header or [])


def import_start(*, upload, by, kind=None, source="page", all_or_nothing=False) -> DataImport:
    """Record the upload and queue its import; `kind` None: what the file's header says.
    Raises PermissionDenied (403) for a role that may import neither kind (or not this one),
    TooLarge (413) for a file past the limit, DomainError (400) for a file that is not CSV or
    not what it is said to be."""
    if not any(may_import(by, k) for k in IMPORTER_ROLES):
        raise PermissionDenied("Your role cannot import demand data.")
    importing.check_size(upload.size)
    raw = upload.read()
    found = readable_kind(raw)
    if kind and found and found != kind:
        raise DomainError(
            f"This file's header is {DataImport.Kind(found).label}'s, not "
            f"{DataImport.Kind(kind).label}'s.",
            field="kind",
        )
    kind = kind or found
    if kind is None:
        raise DomainError(
            "The header is neither data.police.uk's street-level header nor the CAD format's.",
            field="file",
        )
    require_role(by, IMPORTER_ROLES[kind])
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
