"""Who is told what about flex requests, by email (Django's email backend), and the tasks that
tell them: services queue these after their transaction commits.

The tasks keep the names they had in deployment.tasks, so a message already queued still runs."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from config.access import Role
from config.tasks import DEFAULT_RETRY
from deployment.models import FlexRequest
from teams.models import User


def _link(flex) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("deployment:flex", args=[flex.pk])


def borough_inspectors(borough) -> list[str]:
    users = User.objects.filter(
        is_active=True, boroughs=borough, role__in=[Role.INSPECTOR, Role.CHIEF_INSPECTOR]
    ).exclude(email="")
    return sorted(users.values_list("email", flat=True))


def _flex(flex_id):
    return FlexRequest.objects.select_related(
        "borough", "to_ward", "requested_by", "decided_by"
    ).get(pk=flex_id)


def send_submitted(flex_id) -> int:
    flex = _flex(flex_id)
    recipients = borough_inspectors(flex.borough)
    if not recipients:
        return 0
    return send_mail(
        f"Flex request #{flex.pk} to {flex.to_ward} waits for a decision",
        f"{flex.requested_by} asks to flex {flex.members.count()} officer(s) to {flex.to_ward} "
        f"from {flex.start_date:%d %b %Y} to {flex.end_date:%d %b %Y} against: {flex.problem}\n\n"
        f"Decide it: {_link(flex)}",
        None,
        recipients,
    )


def send_decided(flex_id) -> int:
    flex = _flex(flex_id)
    if not flex.requested_by.email:
        return 0
    outcome = "refused" if flex.status == "rejected" else "approved"
    body = f"Flex request #{flex.pk} to {flex.to_ward} was {outcome} by {flex.decided_by}."
    if flex.decision_reason:
        body += f"\nReason: {flex.decision_reason}"
    return send_mail(
        f"Flex request #{flex.pk} {outcome}",
        f"{body}\n\n{_link(flex)}",
        None,
        [flex.requested_by.email],
    )


def send_review_due(flex_id) -> int:
    flex = _flex(flex_id)
    recipients = [flex.decided_by.email] if flex.decided_by and flex.decided_by.email else []
    recipients = recipients or borough_inspectors(flex.borough)
    if not recipients:
        return 0
    return send_mail(
        f"Flex #{flex.pk} to {flex.to_ward}: 14-day review due",
        f"The flex to {flex.to_ward} started on {flex.start_date:%d %b %Y} and is due its review "
        f"({flex.review_due:%d %b %Y}): continue or end it.\n\n{_link(flex)}",
        None,
        recipients,
    )


@shared_task(name="deployment.tasks.notify_flex_submitted", **DEFAULT_RETRY)
def notify_flex_submitted(flex_id: int) -> int:
    return send_submitted(flex_id)


@shared_task(name="deployment.tasks.notify_flex_decided", **DEFAULT_RETRY)
def notify_flex_decided(flex_id: int) -> int:
    return send_decided(flex_id)


@shared_task(name="deployment.tasks.notify_flex_review_due", **DEFAULT_RETRY)
def notify_flex_review_due(flex_id: int) -> int:
    return send_review_due(flex_id)
