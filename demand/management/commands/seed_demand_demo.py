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
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Hand the work to the Celery worker and return at once (make run does this).",
        )

    def handle(self, *args, **options):
        if options["queue"]:
            from demand.tasks import seed_demo

            seed_demo.delay()
            self.stdout.write(
                "Demand demo queued: the Celery worker imports it in a few minutes; "
                "/demand/imports/ shows each import as it lands."
            )
            return
        report = seed_demand_demo(cad_months=options["cad_months"], out=self.stdout.write)
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Demand demo ready ({report.seconds:.0f} s)."))
