from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from demand import importing, police_uk
from demand.models import DataImport
from demand.reference import load_reference, reference_loaded

SHOWN_REJECTIONS = 50


class Command(BaseCommand):
    help = (
        "Import data.police.uk street-level crime files (CSV exactly as published, or gzipped). "
        "Each file replaces its month's rows of the categories it holds. Prints, per file, the "
        "rows imported, outside the Met (another force; an LSOA outside the 32 boroughs), "
        "without a location, and rejected with their reasons. Exits non-zero only when no file "
        "could be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--all-or-nothing",
            action="store_true",
            help="Import nothing from a file that has any malformed row.",
        )

    def handle(self, *args, **options):
        if not reference_loaded():
            load_reference()
        read_any = False
        for name in options["files"]:
            path = Path(name)
            try:
                raw = path.read_bytes()
            except OSError as exc:
                self.stderr.write(f"{name}: cannot read it ({exc.strerror}).")
                continue
            record = importing.create_record(
                kind=DataImport.Kind.POLICE_UK,
                file_name=path.name,
                raw=raw,
                source="command",
                payload=False,
            )
            police_uk.import_file(record, raw, all_or_nothing=options["all_or_nothing"])
            read_any = read_any or record.rows_read > 0
            self._report(name, record)
        if not read_any:
            raise CommandError("Nothing could be read.")

    def _report(self, name, record):
        write = self.stdout.write
        write(
            f"{name}: {record.get_status_display().lower()} (import #{record.pk}, "
            f"sha256 {record.sha256[:12]}…, {record.seconds} s)"
        )
        if record.error:
            write(f"  {record.error}")
        for note in record.notes:
            write(f"  {note}")
        write(f"  rows read              {record.rows_read:>9,}")
        write(f"  imported               {record.imported:>9,}")
        write(f"  outside the Met: another force        {record.other_force:>9,}")
        write(f"  outside the Met: LSOA outside the 32 boroughs {record.outside_met:>9,}")
        write(f"  without a location     {record.unlocated:>9,}")
        write(f"  rejected               {record.rejected:>9,}")
        for line, reason in record.rejections[:SHOWN_REJECTIONS]:
            write(f"    line {line}: {reason}")
        if record.rejected > SHOWN_REJECTIONS:
            write(
                f"    … and {record.rejected - SHOWN_REJECTIONS:,} more (see import #{record.pk})"
            )
