from pathlib import Path

from django.core.management.base import BaseCommand

from supervision.hospitals import HOSPITALS_FILE, load_hospitals


class Command(BaseCommand):
    help = "Load London's hospitals as Places (a local factor of supervision workload)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(HOSPITALS_FILE))

    def handle(self, *args, file, **options):
        report = load_hospitals(Path(file))
        self.stdout.write(
            f"Hospitals: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.skipped)} skipped."
        )
        for line in report.skipped:
            self.stdout.write(f"  skipped {line}")
