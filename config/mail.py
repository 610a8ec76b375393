"""Sending email: one task that sends one message, so a retry after a mail-server failure
resends only that message, never a whole batch."""

import smtplib

from django.core.mail import send_mail

from config.tasks import registered_as, retry_also_on

# A mail server's refusal is often temporary (4xx): try again like any transient failure.
EMAIL_RETRY = retry_also_on(smtplib.SMTPException)


@registered_as("config.mail.send_email", "promises.tasks.send_email", **EMAIL_RETRY)
def send_email(subject: str, body: str, recipients: list[str]) -> int:
    return send_mail(subject, body, None, recipients)


def send_email_later(subject: str, body: str, recipients) -> None:
    """Queue one plain-text email from DEFAULT_FROM_EMAIL."""
    send_email.delay(subject, body, list(recipients))
