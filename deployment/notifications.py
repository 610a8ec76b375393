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
from deployment.models import Abstraction, FlexChange, FlexRequest
from teams.models import User


def _link(flex) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("deployment:flex", args=[flex.pk])


def borough_inspectors(borough, roles=(Role.INSPECTOR, Role.CHIEF_INSPECTOR)) -> list[str]:
    users = User.objects.filter(is_active=True, boroughs=borough, role__in=roles).exclude(email="")
    return sorted(users.values_list("email", flat=True))


def borough_chief_inspectors(borough) -> list[str]:
    """Whom an escalation goes to: the borough's Chief Inspectors (its Inspectors when it has
    none with an email address, so that it still reaches someone who can act)."""
    return borough_inspectors(borough, (Role.CHIEF_INSPECTOR,)) or borough_inspectors(borough)


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


def send_review_overdue(flex_id, today) -> bool:
    """The daily escalation of a review not held by its due day: once a day (the key names the
    day) until it is held."""
    flex = _flex(flex_id)
    late = (today - flex.review_due).days
    return email_once(
        key=f"flex-review-overdue:{flex.pk}:{today.isoformat()}",
        subject=f"Flex #{flex.pk} to {flex.to_ward}: review overdue by {late} day(s)",
        body=f"The {protocol.REVIEW_AFTER_DAYS}-day review of the flex to {flex.to_ward} was due "
        f"on {flex.review_due:%d %b %Y} and has not been held. The protocol asks the borough's "
        f"tasking meeting to continue, change or end it. You will be told each day until it is "
        f"reviewed.\n\n{_link(flex)}",
        recipients=borough_chief_inspectors(flex.borough),
    )


def _change(change_id):
    return FlexChange.objects.select_related(
        "flex_request__borough", "flex_request__to_ward", "proposed_by", "decided_by"
    ).get(pk=change_id)


def send_change_proposed(change_id) -> bool:
    change = _change(change_id)
    flex = change.flex_request
    return email_once(
        key=f"flex-change-proposed:{change.pk}",
        subject=f"Flex #{flex.pk} to {flex.to_ward}: a change waits for a decision",
        body=f"{change.proposed_by} proposed a change to the flex at its review: "
        f"{change.reason}\n\nDecide it (not the proposer): {_link(flex)}",
        recipients=borough_inspectors(flex.borough),
    )


def send_change_decided(change_id) -> bool:
    change = _change(change_id)
    flex = change.flex_request
    if not change.proposed_by.email:
        return False
    return email_once(
        key=f"flex-change-decided:{change.pk}",
        subject=f"Change to flex #{flex.pk} {change.get_status_display().lower()}",
        body=f"The change you proposed to flex #{flex.pk} was "
        f"{change.get_status_display().lower()} by {change.decided_by}."
        + (f"\nReason: {change.decision_reason}" if change.decision_reason else "")
        + f"\n\n{_link(flex)}",
        recipients=[change.proposed_by.email],
    )


def send_abstraction_below_cover(abstraction_id) -> bool:
    """An abstraction recorded after the fact left a ward below minimum cover: the borough's
    Chief Inspectors are told (it is not refused: refusing would only hide it)."""
    a = Abstraction.objects.select_related(
        "officer", "borough", "abstraction_type", "recorded_by"
    ).get(pk=abstraction_id)
    link = settings.SITE_URL.rstrip("/") + reverse("deployment:abstractions_below_cover")
    return email_once(
        key=f"abstraction-below-cover:{a.pk}",
        subject=f"{a.borough}: an abstraction left a ward below minimum cover",
        body=f"{a.recorded_by} recorded, after the fact, that {a.officer} was abstracted "
        f"({a.abstraction_type}) for {a.significant_event or 'no event named'}, authorised by "
        f"{a.authorised_by_name or 'nobody named'}.\n{a.cover_gaps}\n\nEvery such "
        f"abstraction: {link}",
        recipients=borough_chief_inspectors(a.borough),
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
