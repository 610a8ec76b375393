from pathlib import Path

from django.core.management.base import BaseCommand

from schools.london import DATA_DIR, load_schools


class Command(BaseCommand):
    help = (
        "Load London's schools (DfE KS4 list 2023/24, OGL v3.0: schools/data/PROVENANCE.md), "
        "place each in its ward, and count crime and ASB around each."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=str(DATA_DIR))

    def handle(self, *args, data_dir, **options):
        report = load_schools(Path(data_dir))
        placed = ", ".join(f"{n} {how}" for how, n in sorted(report.placed.items()))
        self.stdout.write(
            f"Schools: {report.created} created, {report.updated} updated, {report.unchanged} "
            f"unchanged, {len(report.skipped)} outside the Met's boroughs; placed: {placed}; "
            f"{report.with_surroundings} with crime and ASB around them. Contains public sector "
            "information licensed under the Open Government Licence v3.0 (DfE)."
        )
