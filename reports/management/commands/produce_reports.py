"""Produce the monthly SNT abstraction and flex reports now, in this process: every borough's, then
the Met-wide roll-up. What Celery beat does on the 1st of each month, for a month of your choice.

A report that already exists is kept (run it twice and nothing changes); `make run` uses this so
the demo has last month's reports to read."""


from django.core.management.base import BaseCommand, CommandError

from config.errors import DomainError
from config.timeutils import today
from reports import services
from reports.measures import add_months
from wards.models import Borough


class Command(BaseCommand):
    help = "Produce every borough's monthly report and the roll-up for a month (default: last)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM; default: the month just ended")

    def handle(self, *args, month=None, **options):
        if month:
            try:
                month_date = services.parse_month(month)
            except DomainError as exc:
                raise CommandError(f"--month: {exc.message}") from None
        else:
            month_date = add_months(today().replace(day=1), -1)
        produced = 0
        for borough in [*Borough.objects.order_by("name"), None]:
            report, needs_run = services.report_request(
                borough=borough, month=month_date, whole_month=True
            )
            if needs_run:
                services.report_produce(report.pk)
                produced += 1
        self.stdout.write(f"Reports for {month_date:%B %Y}: {produced} produced, the rest existed.")
