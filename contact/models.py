"""Messages from the public to a ward's team ("Contact your team"), their replies, and the log of
every time someone read one.

A message is personal data: only the ward's borough's inbox roles read it (contact.access),
every view of one is logged, and it is deleted CONTACT_RETENTION_DAYS after it closed (or, never
closed, after it came in). A message is never a crime report: the form shows the way to report
one instead."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from config.access import scoped_queryset
from wards.models import Borough, Ward

TEXT_MAX = 2000


class Category(models.TextChoices):
    PROBLEM = "problem", "Report a local problem"
    QUESTION = "question", "Ask a question"
    JOIN = "join", "Join a Key Individual Network (KIN) or the ward panel"


class Status(models.TextChoices):
    NEW = "new", "New"
    ASSIGNED = "assigned", "Assigned"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


class MessageQuerySet(scoped_queryset("borough")):
    def for_user(self, user):
        """The user's boroughs' messages, cut to their own ward teams where their role answers
        for teams only (contact.access)."""
        from contact.access import scope_to_team

        return scope_to_team(super().for_user(user), user)

    def overdue(self, on=None):
        """Waiting for a first reply past their reply-by date (closed ones are done)."""
        on = on or timezone.localdate()
        return self.filter(first_replied_at__isnull=True, reply_by__lt=on).exclude(
            status=Status.CLOSED
        )

    def expired(self, cutoff):
        """Kept long enough: closed before `cutoff`, or never closed and received before it."""
        return self.filter(
            Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, received_at__lt=cutoff)
        )


class Message(models.Model):
    reference = models.CharField(max_length=12, unique=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="messages")
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="messages")
    category = models.CharField(max_length=10, choices=Category.choices)
    text = models.TextField(max_length=TEXT_MAX)
    name = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    # The text reads like a crime report: the sender was shown how to report one, and the
    # inbox says so. It is still only a message.
    mentions_crime = models.BooleanField(default=False)
    received_at = models.DateTimeField(default=timezone.now)
    reply_by = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | ~Q(status="closed") & Q(closed_at__isnull=True),
                name="contact_message_closed_when",
            )
        ]
        indexes = [
            models.Index(fields=["borough", "status", "reply_by"]),
            models.Index(fields=["closed_at"]),
            models.Index(fields=["received_at"]),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("contact:message", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return (
            self.first_replied_at is None
            and self.status != Status.CLOSED
            and self.reply_by < timezone.localdate()
        )


class Reply(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(max_length=TEXT_MAX)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    # When the reply was written to the outbox for the sender (config.mail); empty: no address.
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_queryset("message__borough").as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "replies"

    def __str__(self):
        return f"Reply {self.pk} to {self.message_id}"


class MessageViewLog(models.Model):
    """Someone read a message: who, when, which. Kept when the message is deleted (the
    reference and borough stay, the message link empties), as an audit of who read what."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="views"
    )
    reference = models.CharField(max_length=12)
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = scoped_queryset("borough").as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} read {self.reference} at {self.at:%Y-%m-%d %H:%M}"
