"""Sending email once. Every notification goes through the outbox (config.models.OutboundEmail):

1. `email_once(key=…, …)` writes the email in the caller's transaction. If that transaction rolls
   back, there is no email; if the key is already there (the same event told twice, a task run
   again), nothing new is written.
2. When the transaction commits, `send_outbound_email` is queued. It takes the email with a row
   lock (a second delivery of the task waits, then finds it sent), sends it, and marks it sent in
   the same transaction: a failure to send (the mail server refusing, a worker killed) leaves it
   unsent, and the task is retried or delivered again.
3. Every few minutes beat's `resend_unsent_emails` queues again any email still unsent: one whose
   task was lost (Redis emptied by a restore, a worker killed before it could send) still goes.

So an email is never lost and is sent once. The one window left is a worker killed between the
mail server accepting the message and the commit that marks it sent: that email goes twice."""

import datetime
import hashlib
import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from config.models import OutboundEmail
from config.tasks import registered_as, retry_also_on

# An email unsent this long after it was written has lost its task: queue it again.
RESEND_AFTER = datetime.timedelta(minutes=5)


def email_once(*, key: str, subject: str, body: str, recipients, html_body: str = "") -> bool:
    """Owe `recipients` this email, once for `key`. Returns whether it is new. Call it inside the
    transaction that makes the change the email tells of."""
    recipients = sorted(set(recipients))
    if not recipients:
        return False
    email, created = OutboundEmail.objects.get_or_create(
        key=key,
        defaults={
            "subject": subject[:300], "body": body, "html_body": html_body,
            "recipients": recipients,
        },
    )
    if created:
        transaction.on_commit(lambda: send_outbound_email.delay(email.pk))
    return created


def send_now(email_id: int) -> int:
    """Send one owed email unless it is sent or being sent; returns how many recipients."""
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update()
            .filter(pk=email_id, sent_at__isnull=True)
            .first()
        )
        if email is None:
            return 0
        message = EmailMultiAlternatives(email.subject, email.body, to=email.recipients)
        if email.html_body:
            message.attach_alternative(email.html_body, "text/html")
        message.send()
        email.sent_at = timezone.now()
        email.save(update_fields=["sent_at"])
        return len(email.recipients)


def unsent(now=None):
    now = now or timezone.now()
    return OutboundEmail.objects.filter(sent_at__isnull=True, created_at__lt=now - RESEND_AFTER)


# A mail server's refusal is often temporary (4xx): try again like any transient failure.
EMAIL_RETRY = retry_also_on(smtplib.SMTPException)


@shared_task(**EMAIL_RETRY)
def send_outbound_email(email_id: int) -> int:
    return send_now(email_id)


@shared_task
def resend_unsent_emails() -> int:
    """Queue again every email whose task was lost; returns how many."""
    ids = list(unsent().values_list("pk", flat=True))
    for email_id in ids:
        send_outbound_email.delay(email_id)
    return len(ids)


@registered_as("config.mail.send_email", "promises.tasks.send_email", **EMAIL_RETRY)
def send_email(subject: str, body: str, recipients: list[str]) -> bool:
    """Only for messages queued before the outbox: the same message is written to it once."""
    digest = hashlib.sha256(repr((subject, body, sorted(recipients))).encode()).hexdigest()
    return email_once(key=f"email:{digest}", subject=subject, body=body, recipients=recipients)
