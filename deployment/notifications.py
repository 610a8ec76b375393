"""Who is told what about flex requests, by email. The services write each email to the outbox
(config/mail.py) in their own transaction, under a key naming the event it tells of, so telling
it twice sends it once.

The tasks remain, under the names they had in deployment.tasks, for messages queued before the
outbox: telling the same event again sends nothing more."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from config.access import Role
from config.mail import email_once
from config.tasks import DEFAULT_RETRY
from deployment import protocol
from deployment.models import FlexRequest
from teams.models import User


def _link(flex) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("deployment:flex", args=[flex.pk])


def borough_inspectors(borough) -> list[str]:
    users = User.objects.filter(
        is_active=True, boroughs=borough, role__in=[Role.INSPECTOR, Role.CHIEF_INSPECTOR]
    ).exclude(email="")
    return sorted(users.values_list("email", flat=True))


def _when(moment) -> str:
    """A moment in an outbox key: a request submitted (or decided) again is told again."""
    return moment.isoformat() if moment else ""


def _flex(flex_id):
    return FlexRequest.objects.select_related(
        "borough", "to_ward", "requested_by", "decided_by"
    ).get(pk=flex_id)


def send_submitted(flex_id) -> bool:
    flex = _flex(flex_id)
    return email_once(
        key=f"flex-submitted:{flex.pk}:{_when(flex.submitted_at)}",
        subject=f"Flex request #{flex.pk} to {flex.to_ward} waits for a decision",
        body=f"{flex.requested_by} asks to flex {flex.members.count()} officer(s) to "
        f"{flex.to_ward} from {flex.start_date:%d %b %Y} to {flex.end_date:%d %b %Y} against: "
        f"{flex.problem}\n\nDecide it: {_link(flex)}",
        recipients=borough_inspectors(flex.borough),
    )


def send_decided(flex_id) -> bool:
    flex = _flex(flex_id)
    if not flex.requested_by.email:
        return False
    outcome = "refused" if flex.status == "rejected" else "approved"
    body = f"Flex request #{flex.pk} to {flex.to_ward} was {outcome} by {flex.decided_by}."
    if flex.decision_reason:
        body += f"\nReason: {flex.decision_reason}"
    return email_once(
        key=f"flex-decided:{flex.pk}:{_when(flex.decided_at)}",
        subject=f"Flex request #{flex.pk} {outcome}",
        body=f"{body}\n\n{_link(flex)}",
        recipients=[flex.requested_by.email],
    )


def send_review_due(flex_id) -> bool:
    flex = _flex(flex_id)
    recipients = [flex.decided_by.email] if flex.decided_by and flex.decided_by.email else []
    return email_once(
        key=f"flex-review-due:{flex.pk}:{flex.review_due}",
        subject=f"Flex #{flex.pk} to {flex.to_ward}: {protocol.REVIEW_AFTER_DAYS}-day review due",
        body=f"The flex to {flex.to_ward} started on {flex.start_date:%d %b %Y} and is due its "
        f"review ({flex.review_due:%d %b %Y}): continue or end it.\n\n{_link(flex)}",
        recipients=recipients or borough_inspectors(flex.borough),
    )


@shared_task(name="deployment.tasks.notify_flex_submitted", **DEFAULT_RETRY)
def notify_flex_submitted(flex_id: int) -> bool:
    return send_submitted(flex_id)


@shared_task(name="deployment.tasks.notify_flex_decided", **DEFAULT_RETRY)
def notify_flex_decided(flex_id: int) -> bool:
    return send_decided(flex_id)


@shared_task(name="deployment.tasks.notify_flex_review_due", **DEFAULT_RETRY)
def notify_flex_review_due(flex_id: int) -> bool:
    return send_review_due(flex_id)
