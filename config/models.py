"""The one table the project's wiring keeps: emails owed, so that an email goes if and only if the
change it tells of commits, and once (config/mail.py)."""

from django.contrib.postgres.fields import ArrayField
from django.db import models


class OutboundEmail(models.Model):
    """An email the system owes someone. Written in the same transaction as the change it tells
    of; sent by a task, which marks it sent in the transaction that sends it. Its key says which
    event it tells of, so asking for it twice (a task run again) is a no-op."""

    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    recipients = ArrayField(models.EmailField())
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbound_email_unsent",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.key}: {self.subject}"
