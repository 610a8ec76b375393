from django.core.management.base import BaseCommand

from demand.demo import CAD_MONTHS, seed_demand_demo


class Command(BaseCommand):
    help = (
        "Demo demand data through the real imports: the real data.police.uk burglary months with "
        "the generated other categories, the real 2019-01 burglary file, and a year of generated "
        "CAD calls up to yesterday. Run `manage.py load_london` first. Months that already hold "
        "data are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cad-months", type=int, default=CAD_MONTHS)

    def handle(self, *args, **options):
        report = seed_demand_demo(cad_months=options["cad_months"], out=self.stdout.write)
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Demand demo ready ({report.seconds:.0f} s)."))
