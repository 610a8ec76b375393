"""What every demand import shares: reading the uploaded bytes, its record (who, when, the file's
hash, the counts), progress that a page can poll, and COPY into a staging table.

An import runs in two phases. Reading checks every row in Python and reports progress as it goes
(each update commits on its own, so a page polling the record sees it). Saving then runs in one
transaction: COPY into a temporary staging table, replace the rows the file stands for, refresh
the counts, record the outcome. A failure rolls all of it back: nothing is ever half-imported."""

from __future__ import annotations

import csv
import hashlib
import io
import time
import zlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.db import transaction_lock
from config.errors import DomainError
from demand.models import DataImport

REJECTIONS_KEPT = 200
PROGRESS_EVERY = 10_000
# Files bigger than the import body limit (settings.REQUEST_BODY_LIMITS["import"], 50 MB by
# default) are refused with a 413, by config/guards.py before the view and here for callers that
# are not views. A Met month of every category is about 25 MB as published (5 MB gzipped); a
# month of London's CAD calls about 5 MB.
# A gzipped file may not unpack to more than this (a small file can unpack to gigabytes).
MAX_TEXT_BYTES = 400 * 1024 * 1024


class TooLarge(DomainError):
    status_code = 413


def max_upload_bytes() -> int:
    return settings.REQUEST_BODY_LIMITS["import"]


def check_size(size: int) -> None:
    if size > max_upload_bytes():
        raise TooLarge(
            f"The file is larger than {max_upload_bytes() // 1024 // 1024} MB: split it by month.",
            field="file",
            code="too_large",
        )


def decode(raw: bytes) -> str:
    """The text of a CSV file as published, or gzipped. Refuses what is not UTF-8 text."""
    if raw[:2] == b"\x1f\x8b":
        raw = _gunzip(raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("The file is not UTF-8 CSV text.", field="file") from None
    if "\x00" in text:
        raise DomainError("The file holds NUL bytes: it is not a CSV text file.", field="file")
    return text


def _gunzip(raw: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    try:
        text = inflater.decompress(raw, MAX_TEXT_BYTES)
    except zlib.error:
        raise DomainError("The file is not a readable gzip file.", field="file") from None
    if inflater.unconsumed_tail:
        raise TooLarge(
            f"The file unpacks to more than {MAX_TEXT_BYTES // 1024 // 1024} MB.",
            field="file",
            code="too_large",
        )
    return text


def csv_rows(text: str):
    """The rows of a CSV text (lists of cells), header first. A line the csv module cannot read
    (a field past its size limit, a quote never closed) is a DomainError on the file naming the
    line, never an exception from the csv module."""
    reader = csv.reader(io.StringIO(text))
    try:
        yield from reader
    except csv.Error as exc:
        raise DomainError(
            f"Line {reader.line_num} of the CSV cannot be read: {exc}.", field="file"
        ) from None


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass
class Outcome:
    """What became of the rows of one file, while it is read."""

    rows_read: int = 0
    rejected: int = 0
    rejections: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        if len(self.rejections) < REJECTIONS_KEPT:
            self.rejections.append([line, reason])


def create_record(*, kind, file_name, raw, by=None, borough=None, source="page", payload=True):
    return DataImport.objects.create(
        kind=kind,
        file_name=(file_name or "upload.csv")[:200],
        sha256=sha256(raw),
        size_bytes=len(raw),
        imported_by=by if by is not None and by.is_authenticated else None,
        borough=borough,
        source=source,
        payload=raw if payload else None,
    )


@dataclass
class Opening:
    """A file read: what became of its rows so far, when the import began, and what the kind's
    reader made of the rows."""

    outcome: Outcome
    began: float
    parsed: object


def open_file(record: DataImport, raw: bytes, read, *, all_or_nothing: bool) -> Opening | None:
    """The opening every import shares: mark the record running, decode the file, hand its text
    to the kind's `read(text, outcome)` (which reads the header and the rows: `data_rows`), and
    stop, recording why, when the file cannot be read, holds no rows, or has malformed rows and
    all or nothing was asked for. None when the import stopped."""
    began = time.monotonic()
    outcome = Outcome()
    set_stage(record, "Reading the file", status=DataImport.Status.RUNNING)
    try:
        parsed = read(decode(raw), outcome)
    except DomainError as exc:
        fail(record, exc.message, outcome, began)
        return None
    if not outcome.rows_read:
        fail(record, "The file holds no rows.", outcome, began)
        return None
    if all_or_nothing and outcome.rejected:
        message = (
            f"{outcome.rejected:,} row(s) are malformed and you asked for all or nothing: "
            "nothing was imported."
        )
        fail(record, message, outcome, began)
        return None
    return Opening(outcome, began, parsed)


def data_rows(record: DataImport, text: str, reader, outcome: Outcome):
    """(line, cells) of each data row after the header (blank lines skipped), counting the rows
    read and reporting progress on the record as it goes."""
    total = text.count("\n")
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        outcome.rows_read += 1
        progress(record, outcome.rows_read, total)
        yield line, row


def set_stage(record: DataImport, stage: str, **fields) -> None:
    """Record progress where a poll can read it: outside any transaction the import holds."""
    record.stage = stage
    for name, value in fields.items():
        setattr(record, name, value)
    DataImport.objects.filter(pk=record.pk).update(stage=stage, **fields)


def progress(record: DataImport, done: int, total: int) -> None:
    if done % PROGRESS_EVERY == 0:
        set_stage(record, f"Reading rows: {done:,} of {total:,}")


def finish(record: DataImport, outcome: Outcome, began: float, *, status, **counts) -> None:
    record.status = status
    record.stage = "Finished" if status == DataImport.Status.DONE else "Failed"
    record.rows_read = outcome.rows_read
    record.rejected = outcome.rejected
    record.rejections = outcome.rejections
    record.notes = outcome.notes
    record.finished_at = timezone.now()
    record.seconds = round(time.monotonic() - began, 2)
    record.payload = None
    for name, value in counts.items():
        setattr(record, name, value)
    record.save()


def fail(record: DataImport, message: str, outcome: Outcome | None = None, began=None) -> None:
    record.error = message
    finish(record, outcome or Outcome(), began or time.monotonic(), status=DataImport.Status.FAILED)


def staging_table(cursor, name: str, columns: str) -> None:
    """A temporary table for this transaction (dropped first, in case an outer transaction
    still holds one from an earlier import)."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns}) ON COMMIT DROP")


def analyze(*tables: str, vacuum: tuple[str, ...] = ()) -> None:
    """Fresh statistics after a bulk load, so the next plans know the tables' sizes. The small
    count tables in `vacuum` are vacuumed too (outside a transaction only), so their indexes
    answer without visiting the table."""
    with connection.cursor() as cursor:
        for table in tables:
            if table in vacuum and not connection.in_atomic_block:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            else:
                cursor.execute(f"ANALYZE {table}")


def lock(name: str) -> None:
    """One import of a kind at a time (held until the transaction ends): two imports of the same
    month at once would otherwise each delete the other's rows half-way."""
    transaction_lock(name)
