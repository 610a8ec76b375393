from django.core.management.base import BaseCommand, CommandError

from config.errors import DomainError
from deployment.demo import seed_deployment_demo


class Command(BaseCommand):
    help = (
        "Fill the demo boroughs with deployment data: the previous month and this month up to "
        "today of duties for every dedicated ward officer and sergeant, abstractions of every "
        "type, flex requests in every state with their timelines, and a few shifts flexed "
        "without a request. A borough that already has duties, abstractions or flex requests is "
        "left alone. `manage.py seed_demo` runs this after the foundation demo unless given "
        "--without-deployment."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--borough",
            action="append",
            dest="boroughs",
            metavar="CODE_OR_NAME",
            help="Only this borough (ONS code or name); repeat for more. Default: every borough.",
        )

    def handle(self, *args, boroughs=None, **options):
        try:
            report = seed_deployment_demo(boroughs=boroughs)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Deployment demo ready in {report.seconds:.1f} s."))
