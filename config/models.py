"""The one table the project's wiring keeps: emails owed, so that an email goes if and only if the
change it tells of commits, and once (config/mail.py)."""

from django.contrib.postgres.fields import ArrayField
from django.db import models

from config.access import borough_ids


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


class BulkImportQuerySet(models.QuerySet):
    def for_user(self, user):
        """An import is seen by the users of the boroughs it was made for (a London-wide
        importer's, by London-wide users): anyone else gets 404."""
        if not user.is_authenticated:
            return self.none()
        ids = borough_ids(user)
        if ids is None:
            return self
        return self.filter(boroughs__overlap=sorted(ids))


class BulkImport(models.Model):
    """A large CSV import (a roster, crimes) run by a worker: what it is doing now, and what
    became of its rows. Written by config/bulkimport.py; the apps give the rows' meaning."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, help_text="roster or crimes.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    valid_only = models.BooleanField(default=False)
    file_name = models.CharField(max_length=200, blank=True)
    # The importer's boroughs when it was made (empty: a London-wide importer). Plain ids, so
    # the wiring names no app's model.
    boroughs = ArrayField(models.BigIntegerField(), default=list, blank=True)
    user_id = models.BigIntegerField(help_text="Who imported it (teams.User).")
    username = models.CharField(max_length=150)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # [{"row", "field", "message"}, …], the first ERRORS_KEPT; error_count counts them all.
    errors = models.JSONField(default=list, blank=True)
    failure = models.TextField(blank=True, help_text="Why the whole import failed, if it did.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The file while it waits for the worker; emptied once the import has run.
    payload = models.TextField(blank=True, editable=False)

    objects = BulkImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.kind} import {self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
