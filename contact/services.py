"""What happens to a message: sent by the public, read, assigned, answered and closed by the
ward's team, and deleted when kept long enough. Each change is one transaction on a locked row,
so two people acting at once cannot both make the first reply or close it twice."""

import datetime
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import DomainError
from config.mail import email_once
from config.transactions import decision
from contact.access import may_assign, readers
from contact.models import Message, MessageViewLog, Reply, Status

# Letters and digits that cannot be mistaken for one another when read out on the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

# Words that suggest the sender is reporting a crime: they are shown how to report one.
CRIME_WORDS = re.compile(
    r"\b(crime|stolen|stole|steal|theft|thief|burgl\w*|broke[n]? in|break[- ]in|robbed|robbery|"
    r"mugged|assault\w*|attack\w*|stabb?\w*|knife|gun|threaten\w*|harass\w*|abus\w*|"
    r"vandalis\w*|criminal damage|drug dealing|dealing drugs|hate crime|fraud|scam\w*)\b",
    re.IGNORECASE,
)


def new_reference() -> str:
    """e.g. "NO-7K3Q-9P": 30^6 (about 730 million) values, drawn from the OS's random source."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"NO-{chars[:4]}-{chars[4:]}"


def mentions_crime(text: str) -> bool:
    return bool(CRIME_WORDS.search(text))


def reply_by(received_at: datetime.datetime) -> datetime.date:
    return timezone.localdate(received_at) + datetime.timedelta(days=settings.CONTACT_REPLY_DAYS)


def message_send(*, ward, category, text, name="", email="", phone="", now=None) -> Message:
    """Record a message to `ward`'s team. A clash of references (rare) draws another."""
    now = now or timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Message.objects.create(
                    reference=new_reference(), ward=ward, borough_id=ward.borough_id,
                    category=category, text=text, name=name, email=email, phone=phone,
                    mentions_crime=mentions_crime(text), received_at=now,
                    reply_by=reply_by(now),
                )
        except IntegrityError:
            continue
    raise DomainError("The message could not be given a reference. Try again.")


def log_view(user, message) -> None:
    MessageViewLog.objects.create(
        user=user, message=message, reference=message.reference, borough_id=message.borough_id
    )


def _locked(message) -> Message:
    return Message.objects.select_for_update().get(pk=message.pk)


def _open(message) -> None:
    if message.status == Status.CLOSED:
        raise DomainError("The message is closed.")


@decision
def message_assign(message, *, to, by) -> Message:
    message = _locked(message)
    _open(message)
    if to is not None and not readers(message).filter(pk=to.pk).exists():
        raise DomainError(
            "Assign it to someone of the ward's team: its sergeants and constables, or the "
            "borough's staff and inspectors.",
            field="assigned_to",
        )
    if not may_assign(message, to=to, by=by):
        raise DomainError(
            "A constable takes a message nobody has, or hands back their own.",
            field="assigned_to",
        )
    message.assigned_to = to
    if message.status == Status.NEW and to is not None:
        message.status = Status.ASSIGNED
    message.save(update_fields=["assigned_to", "status"])
    return message


@decision
def message_reply(message, *, text, by, now=None) -> Reply:
    """Answer the sender: the reply is kept, and emailed through the outbox if they gave an
    address. The first reply is the one the reply-by date is measured against."""
    now = now or timezone.now()
    message = _locked(message)
    _open(message)
    reply = Reply.objects.create(message=message, text=text, by=by, at=now)
    if message.email:
        email_once(
            key=f"contact-reply-{reply.pk}",
            subject=f"Your message to the {message.ward.name} neighbourhood team "
            f"({message.reference})",
            body=f"{text}\n\nYour reference: {message.reference}\n"
            "Please do not reply to this email. In an emergency call 999; to report a crime "
            "call 101 or report it online at met.police.uk.",
            recipients=[message.email],
        )
        reply.emailed_at = now
        reply.save(update_fields=["emailed_at"])
    message.status = Status.ANSWERED
    message.first_replied_at = message.first_replied_at or now
    message.save(update_fields=["status", "first_replied_at"])
    return reply


@decision
def message_close(message, *, by, now=None) -> Message:
    message = _locked(message)
    _open(message)
    message.status = Status.CLOSED
    message.closed_at = now or timezone.now()
    message.save(update_fields=["status", "closed_at"])
    return message


def messages_delete_expired(*, now=None) -> int:
    """Delete messages (and their replies) closed more than CONTACT_RETENTION_DAYS ago, or
    never closed and received more than that ago. Running it again deletes nothing more."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.CONTACT_RETENTION_DAYS)
    _total, by_model = Message.objects.expired(cutoff).delete()
    return by_model.get(Message._meta.label, 0)
