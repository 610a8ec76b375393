"""Telling the commander: when a report is ready, its borough's commanders (HQ for the roll-up)
get an email with the link, once. Publishing a report writes it to the outbox (config/mail.py) in
the same transaction."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from config.access import Role
from config.mail import EMAIL_RETRY, email_once
from config.tasks import registered_as
from reports.models import MonthlyReport
from teams.models import User

Status = MonthlyReport.Status


def report_recipients(report: MonthlyReport):
    users = User.objects.filter(is_active=True).exclude(email="")
    if report.borough_id:
        return users.filter(role=Role.COMMANDER, boroughs=report.borough_id).distinct()
    return users.filter(role=Role.HQ)


def send_report_email(report_id: int, figures: dict | None = None) -> int:
    """Claim the report's one email (emailed_at) and write it to the outbox, in one transaction;
    the outbox sends it. Returns how many it goes to. `figures`: the report's, when the caller
    has just written them (tens of KB not read back). Inside the caller's transaction (the
    publishing), it is part of it: no savepoint of its own."""
    with transaction.atomic(savepoint=False):
        claimed = MonthlyReport.objects.filter(
            pk=report_id, status=Status.READY, emailed_at__isnull=True
        ).update(emailed_at=timezone.now())
        if not claimed:
            return 0
        report = MonthlyReport.objects.listed().select_related("borough").get(pk=report_id)
        if figures is None:
            figures = MonthlyReport.objects.values_list("figures", flat=True).get(pk=report_id)
        recipients = [u.email for u in report_recipients(report)]
        email_once(key=f"monthly-report:{report_id}", recipients=recipients,
                   **report_message(report, figures["total"]))
    return len(recipients)


def report_message(report: MonthlyReport, total: dict | None = None) -> dict:
    """{subject, body, html_body} of the report's email: its headline figures from the stored
    total (`total`, when the caller holds it), shown as the page shows them
    (reports.templatetags.reports), with links to the report and to how each figure is counted
    (reports.definitions, on the page)."""
    url = settings.SITE_URL.rstrip("/") + report.get_absolute_url()
    context = {"report": report, "url": url, "definitions_url": f"{url}#how-counted",
               "total": report.figures["total"] if total is None else total}
    return {
        "subject": f"SNT abstraction report: {report.scope_name}, {report.month:%B %Y}",
        "body": render_to_string("reports/email.txt", context),
        "html_body": render_to_string("reports/email.html", context),
    }


# Publishing now writes the email itself; this task remains for messages queued before that.
# Named as the other report tasks are (reports.tasks), with the name it had in deployment.
@registered_as(
    "reports.tasks.report_email", "deployment.reports.tasks.report_email", **EMAIL_RETRY
)
def report_email(report_id: int) -> int:
    return send_report_email(report_id)
