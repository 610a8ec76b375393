from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wards.london import DATA_DIR, format_report, load_london


class Command(BaseCommand):
    help = (
        "Load or refresh the 12 Met BCUs, the 32 Met boroughs (not the City of London), their 679 "
        "wards with boundaries, and London secondary schools, from wards/data/. Safe to run again: "
        "rows are matched by ONS code (BCUs by name, schools by URN) and only changed values are "
        "written; nothing is deleted. NOTE: BCU codes come from the column bcu_code_unverified, "
        "a placeholder not checked against an MPS source (see wards/data/PROVENANCE.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir", default=str(DATA_DIR), help="Directory with the reference files."
        )

    def handle(self, *args, **options):
        data_dir = Path(options["data_dir"])
        try:
            report = load_london(data_dir)
        except (OSError, KeyError, ValueError) as exc:
            raise CommandError(f"Cannot load the London files in {data_dir}: {exc!r}") from None
        for line in format_report(report):
            self.stdout.write(line)
        message = "London loaded." if report.changed else "London already up to date: no changes."
        self.stdout.write(self.style.SUCCESS(message))
