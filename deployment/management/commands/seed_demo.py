"""`manage.py seed_demo`: the foundation demo (teams.demo), then deployment's on top of it. It
lives in deployment, the app that builds on both."""

from django.core.management.base import BaseCommand, CommandError

from config.errors import DomainError
from deployment.demo import seed_deployment_demo
from teams.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        "Fill the loaded London geography with demo data: ward clusters, a neighbourhood team per "
        "ward, an INPT per cluster, officers and postings, and a login for each role (Camden, "
        "Westminster, Lambeth, their BCUs' commanders, hq, admin). Deterministic; running it again "
        "creates nothing new but resets the demo logins' passwords, roles and boroughs. Run "
        "`manage.py load_london` first. Then seeds the deployment demo (duties, abstractions, flex "
        "requests: `manage.py seed_deployment_demo`) unless given --without-deployment."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help=f"Password for every demo login (default: {DEMO_PASSWORD}).",
        )
        parser.add_argument(
            "--without-deployment",
            action="store_true",
            help="Skip the deployment demo (duties, abstractions and flex requests).",
        )

    def handle(self, *args, **options):
        try:
            report = seed_demo(password=options["password"])
            deployment = None if options["without_deployment"] else seed_deployment_demo()
        except DomainError as exc:
            raise CommandError(exc.message) from None
        created = ", ".join(f"{n} {label}" for label, n in report.created.items())
        self.stdout.write(f"Created: {created}.")
        rows = [("username", "role", "boroughs", "password")] + [
            (login.username, login.role, ", ".join(login.boroughs) or "all", report.password)
            for login in report.logins
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[3]]))
        for line in deployment.lines() if deployment else []:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
