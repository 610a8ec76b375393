"""The daily housekeeping of flex requests (Celery beat, deployment.tasks.flex_daily): start the
approved flexes whose first day has come, end the active ones past their last day, and claim
the review reminders that are due (FlexRequest.objects.reviews_due), each written to the outbox
with its claim, so it is sent once. And, each morning, escalate to the borough's Chief
Inspectors every review still not held after its due day (`escalate_overdue_reviews`), once a
day per flex until it is held."""

import datetime

from django.db import transaction
from django.utils import timezone

from config.errors import ConflictError
from config.transactions import decision
from deployment import services
from deployment.models import FlexRequest, FlexStatus
from deployment.notifications import send_review_due, send_review_overdue


def flex_daily_housekeeping(today=None) -> dict:
    """Start approved flexes whose first day has come, end active ones past their last day, and
    return the ids whose review reminder is due and now claimed (each is sent once)."""
    today = today or timezone.localdate()
    started = ended = 0
    for pk in FlexRequest.objects.filter(
        status=FlexStatus.APPROVED, start_date__lte=today
    ).values_list("pk", flat=True):
        started += _start(pk)
    for flex in FlexRequest.objects.filter(status=FlexStatus.ACTIVE, end_date__lt=today):
        try:
            services.flex_end(flex=flex, by=None, reason="End date reached.", on=flex.end_date)
            ended += 1
        except ConflictError:
            pass  # ended by someone else meanwhile
    not_reminded = FlexRequest.objects.reviews_due(today).filter(review_reminded_at__isnull=True)
    due = [pk for pk in not_reminded.values_list("pk", flat=True) if _remind_of_review(pk)]
    return {"started": started, "ended": ended, "reviews_due": due}


@decision
def _start(pk) -> bool:
    """Start one approved flex (locked: an approval, withdrawal or end may race the job)."""
    flex = services.lock(FlexRequest(pk=pk))
    if flex.status != FlexStatus.APPROVED:
        return False
    services.transition(flex, FlexStatus.ACTIVE, by=None, reason="Start date reached.")
    flex.save(update_fields=["status"])
    return True


@transaction.atomic
def _remind_of_review(flex_id) -> bool:
    """Claim the reminder and write its email in one transaction: neither without the other."""
    if not claim_review_reminder(flex_id):
        return False
    send_review_due(flex_id)
    return True


def claim_review_reminder(flex_id) -> bool:
    """Claim the one review reminder of a flex with a conditional UPDATE: of two runs (or a
    retried task) only one gets True and sends it."""
    return bool(
        FlexRequest.objects.filter(pk=flex_id, review_reminded_at__isnull=True).update(
            review_reminded_at=timezone.now()
        )
    )


def escalate_overdue_reviews(today: datetime.date | None = None) -> list[int]:
    """The ids of the running flexes whose review is past its due day and not held, each now
    escalated to the borough's Chief Inspectors. Its email's key names the day: a second run the
    same day sends nothing more, the next day's run sends again."""
    today = today or timezone.localdate()
    overdue = FlexRequest.objects.reviews_due(today).filter(review_due__lt=today)
    return [pk for pk in overdue.values_list("pk", flat=True) if _escalate(pk, today)]


@transaction.atomic
def _escalate(flex_id, today) -> bool:
    return send_review_overdue(flex_id, today)
